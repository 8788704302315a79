"""The dashboard is drawn once for each state of the data and filters, and never served stale."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import services
from actions.challenges import raise_challenge
from reporting.dashboard import cache
from targets import services as target_services
from tests.reporting import dashboard_world as programme
from tests.reporting.test_dashboard_views import URL, text

pytestmark = pytest.mark.django_db
dashboard_world = programme.dashboard_world  # the fixture


@pytest.fixture
def board(as_user, dashboard_world):
    return as_user(dashboard_world.world.board)


def get(client, url=URL):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_the_same_data_is_drawn_once_and_then_served_in_a_few_queries(board):
    first, drawing = get(board)
    again, serving = get(board)
    body = first.content.decode().split('<div id="dashboard-body">')[1].split("</main>")[0]
    # The page around it has a fresh CSRF token and script nonce; the body is served as drawn.
    assert body in again.content.decode()
    # The session, the person, whether they have two-step sign-in, their roles, the data's
    # version, and the session renewed (three statements: sessions last 30 idle minutes).
    assert serving <= 8 < drawing


def test_a_progress_update_shows_at_once(board, dashboard_world):
    w = dashboard_world.world
    assert "2 late for update" in text(get(board)[0])
    w.undelegated.refresh_from_db()
    services.record_progress(
        action=w.undelegated,
        user=w.director,
        status="on_track",
        progress=40,
        narrative="Caught up",
        seen_version=w.undelegated.version,
    )
    page = text(get(board)[0])
    assert "1 late for update" in page and "2 late for update" not in page


def test_a_change_of_name_shows_at_once(board, dashboard_world):
    area = dashboard_world.world.housing
    get(board)
    area.name = "Homes and neighbourhoods"
    area.save()
    assert "Homes and neighbourhoods" in text(get(board)[0])


def test_each_set_of_filters_is_drawn_for_itself(board):
    everything = text(get(board)[0])
    filtered = text(get(board, URL + "?strand=EMP")[0])
    assert filtered != everything
    assert text(get(board)[0]) == everything


def test_a_bad_filter_still_titles_the_page_as_an_error_when_served_again(board):
    for _ in range(2):
        response, _queries = get(board, URL + "?since=31-02-2020")
        assert "<title>Error: " in response.content.decode()


def test_the_key_moves_with_the_day_the_filters_and_the_data():
    today = datetime.date(2026, 3, 31)
    base = cache.key(version="v1", today=today, query="", partial=False)
    assert base == cache.key(version="v1", today=today, query="", partial=False)
    assert base != cache.key(version="v2", today=today, query="", partial=False)
    assert base != cache.key(
        version="v1", today=today + datetime.timedelta(days=1), query="", partial=False
    )
    assert base != cache.key(version="v1", today=today, query="strand=EMP", partial=False)
    assert base != cache.key(version="v1", today=today, query="", partial=True)


def test_a_progress_save_redraws_the_actions_and_keeps_the_outcomes(board, dashboard_world):
    w = dashboard_world.world
    _, first = get(board)
    w.undelegated.refresh_from_db()
    services.record_progress(
        action=w.undelegated,
        user=w.director,
        status="on_track",
        progress=40,
        narrative="Caught up",
        seen_version=w.undelegated.version,
    )
    response, redrawing = get(board)
    assert "1 late for update" in text(response)
    assert "Black, Asian and Minority Ethnic: 40.0% against 50% equity share" in text(response)
    assert redrawing < first  # the outcomes' queries were not made again


def test_a_new_measurement_shows_at_once(board, dashboard_world):
    w = dashboard_world.world
    get(board)
    target_services.add_measurement(
        indicator=w.outcome,
        user=w.director,
        period_end=datetime.date(2031, 3, 31),
        total=Decimal(4321),
        dimension="ethnicity",
        breakdown=[("Black, Asian and Minority Ethnic", Decimal(4000))],
    )
    page = text(get(board)[0])
    assert "4,321" in page
    assert "Black, Asian and Minority Ethnic: 92.6% against 50% equity share" in page


def _status_table(response) -> str:
    page = response.content.decode()
    return page.split('id="status"')[1].split('id="late"')[0]


def test_the_status_tables_are_redrawn_when_a_status_moves(board, dashboard_world):
    w = dashboard_world.world
    before = _status_table(get(board)[0])
    w.undelegated.refresh_from_db()
    services.record_progress(
        action=w.undelegated,
        user=w.director,
        status="at_risk",
        progress=10,
        narrative="Slipping",
        seen_version=w.undelegated.version,
    )
    after = _status_table(get(board)[0])
    assert after != before
    w.undelegated.refresh_from_db()
    services.record_progress(
        action=w.undelegated,
        user=w.director,
        status="at_risk",
        progress=12,
        narrative="Still slipping",
        seen_version=w.undelegated.version,
    )
    # Only the progress moved: the status tables are the ones already drawn, unchanged.
    assert _status_table(get(board)[0]) == after


def save_progress(action, user, status, progress, narrative):
    action.refresh_from_db()
    services.record_progress(
        action=action,
        user=user,
        status=status,
        progress=progress,
        narrative=narrative,
        seen_version=action.version,
    )


def test_a_save_that_changes_nothing_shown_leaves_the_board_s_dashboard_drawn(
    board, dashboard_world
):
    w = dashboard_world.world
    save_progress(w.undelegated, w.director, "on_track", 40, "Caught up")  # first in the cycle
    drawn, _ = get(board)
    # The same status again, for an action already updated in this cycle: nothing shown moves.
    save_progress(w.undelegated, w.director, "on_track", 45, "A little further")
    served, queries = get(board)
    assert queries <= 8  # served as drawn: no figure was worked out again
    body = drawn.content.decode().split('<div id="dashboard-body">')[1].split("</main>")[0]
    assert body in served.content.decode()


def test_a_status_moved_by_a_save_redraws_the_dashboard(board, dashboard_world):
    w = dashboard_world.world
    save_progress(w.undelegated, w.director, "on_track", 40, "Caught up")
    before = _status_table(get(board)[0])
    save_progress(w.undelegated, w.director, "at_risk", 40, "Slipping")
    response, queries = get(board)
    assert queries > 8 and _status_table(response) != before


def test_an_update_deleted_shows_at_once(board, dashboard_world):
    w = dashboard_world.world
    save_progress(w.undelegated, w.director, "on_track", 40, "Caught up")
    assert "1 late for update" in text(get(board)[0])
    w.undelegated.updates.get(narrative="Caught up").delete()
    assert "2 late for update" in text(get(board)[0])


def test_an_action_s_title_and_characteristics_changed_show_at_once(board, dashboard_world):
    w = dashboard_world.world
    filtered = URL + "?characteristic=disability"
    assert w.undelegated.ref not in text(get(board, filtered)[0])
    w.undelegated.refresh_from_db()
    w.undelegated.characteristics.add("disability")
    assert w.undelegated.ref in text(get(board, filtered)[0])
    w.undelegated.title = "Tenant engagement, renamed"
    w.undelegated.save()
    assert "Tenant engagement, renamed" in text(get(board)[0])


def test_an_action_s_first_update_in_the_cycle_shows_even_when_its_status_stays(
    board, dashboard_world
):
    w = dashboard_world.world
    w.undelegated.refresh_from_db()
    w.undelegated.status = "on_track"  # as it was left in an earlier cycle
    w.undelegated.save()
    assert "2 late for update" in text(get(board)[0])
    save_progress(w.undelegated, w.director, "on_track", 40, "Caught up")
    page = text(get(board)[0])
    assert "1 late for update" in page and "2 late for update" not in page


def test_nothing_is_kept_while_another_transaction_is_writing(board, monkeypatch):
    from actions import filters
    from config import data_state

    real = data_state.latest_changes

    def writing(tracked):
        return real(tracked)._replace(settled=False)

    monkeypatch.setattr(cache, "latest_changes", writing)
    monkeypatch.setattr(filters, "latest_changes", writing)  # the filter's choices too
    _, first = get(board)
    _, second = get(board)
    assert second == first  # drawn afresh both times: the ids could not name the state


def test_an_action_s_first_update_in_the_cycle_redraws_only_the_cycle_figures(
    board, dashboard_world, monkeypatch
):
    """The commonest change while a cycle is open moves only the cycle's figures: the status
    counts, targets, outcomes, challenges and changes are served as drawn, and the page is the
    one drawn afresh from the same data."""
    from reporting.dashboard import selectors

    w = dashboard_world.world
    w.undelegated.refresh_from_db()
    w.undelegated.status = "on_track"  # as it was left in an earlier cycle
    w.undelegated.save()
    first = get(board)[0].content.decode()
    save_progress(w.undelegated, w.director, "on_track", 40, "Caught up")  # first in the cycle
    kept = {}
    for name in ("status_counts", "target_figures", "outcome_figures", "open_challenges"):
        monkeypatch.setattr(selectors, name, lambda *a, _name=name, **k: kept.setdefault(_name, 1))
    monkeypatch.setattr(selectors, "changes_since", lambda *a, **k: kept.setdefault("changes", 1))
    response, _ = get(board)
    assert kept == {}  # none of them was worked out again
    page = text(response)
    assert "1 late for update" in page and "2 late for update" not in page
    monkeypatch.undo()
    django_cache.clear()
    afresh = get(board)[0].content.decode()
    body = afresh.split('<div id="dashboard-body">')[1].split("</main>")[0]
    assert body in response.content.decode()  # what was kept is what would be drawn now
    assert body not in first


def test_a_challenge_raised_after_a_first_update_shows_at_once(board, dashboard_world):
    w = dashboard_world.world
    save_progress(w.undelegated, w.director, "on_track", 40, "Caught up")
    before = text(get(board)[0])
    raise_challenge(action=w.undelegated, user=w.board, question="Why did the tenant survey slip?")
    after = text(get(board)[0])
    assert "Why did the tenant survey slip?" not in before
    assert "Why did the tenant survey slip?" in after


def test_sections_are_drawn_afresh_when_the_state_cannot_be_trusted(board, monkeypatch):
    """With another transaction writing, no key names the data: nothing is kept or served."""
    from config import data_state
    from reporting.dashboard import selectors

    get(board)  # everything drawn and kept from a settled state
    real = data_state.latest_changes
    monkeypatch.setattr(cache, "latest_changes", lambda t: real(t)._replace(settled=False))
    calls = []
    counts = selectors.status_counts
    monkeypatch.setattr(
        selectors, "status_counts", lambda *a, **k: calls.append(1) or counts(*a, **k)
    )
    get(board)
    assert calls == [1]


def test_with_the_cycle_filter_a_first_update_moves_everything_filtered(board, dashboard_world):
    """Filtered to the actions late for update, every figure follows the cycle: an action's
    first update takes it out of the status counts too, not only out of the late list."""
    w = dashboard_world.world
    w.undelegated.refresh_from_db()
    w.undelegated.status = "on_track"  # as it was left in an earlier cycle
    w.undelegated.save()
    late = URL + "?update=late"
    assert "For the 2 actions that match the filters" in text(get(board, late)[0])
    before = _status_table(get(board, late)[0])
    save_progress(w.undelegated, w.director, "on_track", 40, "Caught up")  # first in the cycle
    page, _ = get(board, late)
    assert "For the 1 action that matches the filters" in text(page)
    assert _status_table(page) != before


def test_the_cycle_filter_is_the_one_the_keys_know():
    from actions.filters import CYCLE_FILTER, ActionFilter

    assert CYCLE_FILTER in ActionFilter.base_filters
