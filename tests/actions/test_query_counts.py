"""The number of queries a page makes does not grow with the framework."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import services
from actions.models import Action, Challenge, ReportingCycle
from config import roles
from targets.models import Measurement
from tests import factories
from tests.webforms import fill, form_to

pytestmark = pytest.mark.django_db


def build(scale: int, director, board, lead):
    """A framework of `scale` areas, each with 4 actions, 2 targets, an outcome and measurements."""
    strand = factories.strand()
    for _ in range(scale):
        area = factories.service_area(strand_=strand, director=director)
        outcome = factories.outcome(
            area=area,
            indicator="People",
            unit="count",
            dimension="ethnicity",
            group="Black",
            group_share=Decimal(40),
            target_value=Decimal(100),
        )
        for n in range(4):
            action = factories.action(area=area, lead_officer=lead if n == 0 else None)
            target = factories.target(action_=action, kind="numeric", target_value=Decimal(10))
            factories.target(action_=action)
            outcome.targets.add(target)
            for k in range(scale):
                action.refresh_from_db()
                services.record_progress(
                    action=action,
                    user=director,
                    status="on_track",
                    progress=10 + k,
                    narrative=f"Update {k}",
                    seen_version=action.version,
                )
            Challenge.objects.create(action=action, question="Why?", raised_by=board)
        for k in range(scale):
            period = datetime.date(2020 + k, 3, 31)
            Measurement.objects.create(outcome=outcome, period_end=period, value=100)
            Measurement.objects.create(
                outcome=outcome, period_end=period, value=30, dimension="ethnicity", group="Black"
            )
    ReportingCycle.objects.get_or_create(
        name="Now",
        defaults={"start_date": datetime.date.today(), "close_date": datetime.date.today()},
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def people():
    return (
        factories.person("d@council.example", role=roles.SERVICE_DIRECTOR),
        factories.person("b@council.example", role=roles.PROGRAMME_BOARD),
        factories.person("l@council.example", role=roles.LEAD_OFFICER),
    )


def test_my_actions_makes_the_same_queries_at_two_sizes(client, people):
    director, board, lead = people
    client.force_login(director)
    build(1, director, board, lead)
    small = count_queries(client, reverse("my-actions"))
    build(5, director, board, lead)
    assert Action.objects.count() == 24
    large = count_queries(client, reverse("my-actions"))
    assert small == large
    assert small <= 10


def test_the_action_page_makes_the_same_queries_at_two_sizes(client, people):
    director, board, lead = people
    client.force_login(director)
    build(1, director, board, lead)
    first = Action.objects.order_by("id").first()
    small = count_queries(client, reverse("action-detail", args=[first.ref]))
    build(5, director, board, lead)
    last = Action.objects.filter(lead_officer=lead).order_by("id").last()  # like the first
    large = count_queries(client, reverse("action-detail", args=[last.ref]))
    assert small == large
    assert small <= 22  # 3 of them the category lists the Add a value form offers


@pytest.mark.parametrize("who", ["director", "board"])
def test_a_framework_search_makes_the_same_queries_at_two_sizes(client, people, who):
    director, board, lead = people
    client.force_login(director if who == "director" else board)
    url = reverse("framework") + "?q=action&status=on_track"
    build(1, director, board, lead)
    small = count_queries(client, url)
    build(5, director, board, lead)
    large = count_queries(client, url)
    assert small == large
    # The filter's choices drawn for new data, then kept: their two queries left out.
    assert small <= 12
    assert count_queries(client, url) == small - 2


def count_save(app, action) -> int:
    """The queries of a progress save from the action page's form, without the page after it."""
    action.refresh_from_db()
    page = app.get(reverse("action-detail", args=[action.ref]))
    form = fill(
        form_to(page, reverse("action-progress", args=[action.ref])),
        {"progress": action.progress + 1, "narrative": "Steady progress"},
    )
    with CaptureQueriesContext(connection) as queries:
        response = form.submit()
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.updates.first().narrative == "Steady progress"
    return len(queries)


def test_a_progress_save_makes_the_same_queries_at_two_sizes(web, people):
    director, board, lead = people
    app = web(director)
    build(1, director, board, lead)
    small = count_save(app, Action.objects.order_by("id").first())
    build(5, director, board, lead)
    large = count_save(app, Action.objects.filter(lead_officer=lead).order_by("id").last())
    assert small == large
    # Sign-in (4); the action and whether the person may change it (1); the transaction (1), the
    # action locked and read again (1), the cycle and whether the action was updated in it (1),
    # the update and its history (2), the action and its history with its characteristics (4).
    assert small <= 14


def count_htmx_save(app, action) -> tuple[int, str]:
    """The queries of a progress save posted with HTMX, which answers with the progress panel."""
    action.refresh_from_db()
    page = app.get(reverse("action-detail", args=[action.ref]))
    form = fill(
        form_to(page, reverse("action-progress", args=[action.ref])),
        {"progress": action.progress + 1, "narrative": "Steady progress"},
    )
    with CaptureQueriesContext(connection) as queries:
        response = form.submit(headers={"HX-Request": "true"})
    assert response.status_code == 200
    return len(queries), response.text


def test_a_progress_save_with_htmx_draws_its_panel_alone_in_the_same_queries(web, people):
    director, board, lead = people
    app = web(director)
    build(1, director, board, lead)
    small, panel = count_htmx_save(app, Action.objects.order_by("id").first())
    build(5, director, board, lead)
    large, _ = count_htmx_save(app, Action.objects.filter(lead_officer=lead).order_by("id").last())
    assert small == large
    assert 'id="progress-panel"' in panel
    assert "<html" not in panel and "Progress saved: on track" in panel
    assert 'id="targets"' not in panel and 'id="history"' not in panel
    # The save's 14, then the panel's: the action read again, the cycle and the updates (not the
    # targets, outcomes, challenges or history, which the panel does not show).
    assert small <= 17
