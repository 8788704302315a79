"""Reporting cycles: opening one (and the rules it must meet), who may, and due/updated/late at the
boundaries: the close date itself, an update just before opening, a closed action."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import cycle_progress
from actions.cycles import DUE, LATE, UPDATED, state_in_cycle
from actions.models import Action, ProgressUpdate, ReportingCycle
from config import roles
from tests import factories
from tests.webforms import assert_links_resolve, fill, form_to

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def dates(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def form(name="2026 Q1", start=TODAY, close=TODAY + 30 * DAY) -> dict:
    return {"name": name, **dates("start_date", start), **dates("close_date", close)}


def open_cycle(web, world, data: dict, status="*"):
    """Fill the "Open a reporting cycle" page's form with data and send it, as the team."""
    page = web(world.team).get(reverse("cycle-new"))
    return fill(form_to(page, reverse("cycle-new")), data).submit(status=status)


# --- Opening a cycle -------------------------------------------------------------------------------


def test_the_programme_team_opens_a_cycle_recorded_in_history(web, world):
    response = open_cycle(web, world, form())
    cycle = ReportingCycle.objects.get()
    assert response.status_code == 302
    assert response.location == reverse("cycle-detail", args=[cycle.pk])
    assert (cycle.name, cycle.start_date, cycle.close_date) == ("2026 Q1", TODAY, TODAY + 30 * DAY)
    record = cycle.history.get()
    assert (record.history_user, record.history_change_reason) == (
        world.team,
        "Reporting cycle opened",
    )
    page = response.follow()
    assert "Reporting cycle 2026 Q1 opened" in page.text
    assert "5 days before it closes" in page.text
    assert "2026 Q1" in web(world.team).get(reverse("cycle-list")).text


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"name": ""}, "name", "Enter a name for the reporting cycle"),
        (
            {"start_date_day": "", "start_date_month": "", "start_date_year": ""},
            "start_date",
            "Enter the start date",
        ),
        (
            {"close_date_day": "", "close_date_month": "", "close_date_year": ""},
            "close_date",
            "Enter the close date",
        ),
        (
            {"start_date_day": "31", "start_date_month": "2"},
            "start_date",
            "Date must be a real date",
        ),
        (dates("close_date", TODAY), "close_date", "The close date must be after the start date"),
        (
            dates("close_date", TODAY - 5 * DAY),
            "close_date",
            "The close date must be today or in the future",
        ),
        (
            {**dates("start_date", TODAY + 10 * DAY), **dates("close_date", TODAY + 5 * DAY)},
            "close_date",
            "The close date must be after the start date",
        ),
    ],
)
def test_a_cycle_that_breaks_a_rule_is_refused_with_a_message(web, world, data, field, message):
    response = open_cycle(web, world, {**form(), **data}, status=422)
    assert message in response.text
    assert "<title>Error: Open a reporting cycle" in response.text
    assert f'href="#id_{field}' in response.text  # the error summary links to the field
    assert_links_resolve(response)
    assert not ReportingCycle.objects.exists()


@pytest.mark.parametrize(
    "start, close",
    [
        (TODAY + 5 * DAY, TODAY + 40 * DAY),  # starts inside the other
        (TODAY - 20 * DAY, TODAY + 1 * DAY),  # ends inside it
        (TODAY - 20 * DAY, TODAY + 60 * DAY),  # around it
        (TODAY + 30 * DAY, TODAY + 60 * DAY),  # starts on its close date
    ],
)
def test_cycles_may_not_overlap(web, world, start, close):
    ReportingCycle.objects.create(name="Q1", start_date=TODAY, close_date=TODAY + 30 * DAY)
    response = open_cycle(web, world, form("Q2", start, close), status=422)
    assert "The dates overlap Q1" in response.text
    assert "Reporting cycles cannot overlap" in response.text
    assert ReportingCycle.objects.count() == 1


def test_the_next_cycle_may_start_the_day_after_the_last_closes(web, world):
    ReportingCycle.objects.create(name="Q1", start_date=TODAY - 30 * DAY, close_date=TODAY)
    response = open_cycle(web, world, form("Q2", TODAY + DAY, TODAY + 90 * DAY))
    assert response.status_code == 302
    assert ReportingCycle.objects.count() == 2


def test_a_cycle_name_is_used_once(web, world):
    ReportingCycle.objects.create(
        name="2026 Q1", start_date=TODAY - 90 * DAY, close_date=TODAY - 60 * DAY
    )
    response = open_cycle(web, world, form("2026 q1"), status=422)
    assert "There is already a reporting cycle called 2026 q1" in response.text


@pytest.mark.parametrize("role", ["director", "lead", "board", "other_director"])
def test_only_the_programme_team_manages_cycles(as_user, world, role):
    cycle = ReportingCycle.objects.create(name="Q", start_date=TODAY, close_date=TODAY + 9 * DAY)
    client = as_user(getattr(world, role))
    assert client.get(reverse("cycle-list")).status_code == 403
    assert client.get(reverse("cycle-new")).status_code == 403
    assert (
        client.post(
            reverse("cycle-new"), form("Other", TODAY + 20 * DAY, TODAY + 40 * DAY)
        ).status_code
        == 403
    )
    assert client.get(reverse("cycle-detail", args=[cycle.pk])).status_code == 403
    assert ReportingCycle.objects.count() == 1


def test_signed_out_people_are_sent_to_sign_in(client, world):
    cycle = ReportingCycle.objects.create(name="Q", start_date=TODAY, close_date=TODAY + 9 * DAY)
    for url in (reverse("cycle-list"), reverse("cycle-detail", args=[cycle.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/")


# --- Due, updated, late at the boundaries ----------------------------------------------------------


def states(cycle, on) -> dict[str, str]:
    """Each action's state by the queries, checked against state_in_cycle action by action."""
    found = {}
    for state in (DUE, LATE, UPDATED):
        for action in cycle_progress.in_state(Action.objects.all(), cycle, {state}, on=on):
            assert action.ref not in found
            found[action.ref] = state
    annotated = cycle_progress.with_cycle_update(Action.objects.all(), cycle)
    for action in annotated:
        one = state_in_cycle(
            cycle=cycle, is_live=action.is_live, last_update_at=action.cycle_update_at, on=on
        )
        assert (one.code if one else None) == found.get(action.ref), action.ref
    return found


def update(action, author, when):
    return ProgressUpdate.objects.create(
        action=action, status="on_track", progress=10, author=author, created_at=when
    )


@pytest.fixture
def cycle(world):
    return ReportingCycle.objects.create(
        name="Q2", start_date=datetime.date(2026, 4, 1), close_date=datetime.date(2026, 6, 30)
    )


def test_on_the_close_date_itself_an_update_is_still_due_and_late_the_day_after(world, cycle):
    assert states(cycle, datetime.date(2026, 6, 30)) == dict.fromkeys(
        ["HOU-01", "HOU-02", "PH-01"], DUE
    )
    assert states(cycle, datetime.date(2026, 7, 1)) == dict.fromkeys(
        ["HOU-01", "HOU-02", "PH-01"], LATE
    )


def test_an_update_just_before_opening_does_not_count_and_one_at_opening_does(world, cycle):
    update(
        world.action,
        world.lead,
        cycle_progress.start_of(cycle.start_date) - datetime.timedelta(seconds=1),
    )
    update(world.other_action, world.other_director, cycle_progress.start_of(cycle.start_date))
    assert states(cycle, datetime.date(2026, 5, 1)) == {
        "HOU-01": DUE,
        "HOU-02": DUE,
        "PH-01": UPDATED,
    }


def test_an_update_after_the_close_date_counts_as_updated_not_late(world, cycle):
    update(world.action, world.lead, cycle_progress.start_of(datetime.date(2026, 7, 3)))
    assert states(cycle, datetime.date(2026, 7, 10))["HOU-01"] == UPDATED


def test_a_closed_or_complete_action_owes_nothing(world, cycle):
    world.undelegated.status = "closed"
    world.undelegated.save()
    world.other_action.status = "complete"
    world.other_action.save()
    assert states(cycle, datetime.date(2026, 7, 10)) == {"HOU-01": LATE}


def test_for_a_past_cycle_only_updates_before_the_next_cycle_count(as_user, world, cycle):
    ReportingCycle.objects.create(
        name="Q3", start_date=datetime.date(2026, 7, 15), close_date=datetime.date(2026, 9, 30)
    )
    update(world.action, world.lead, cycle_progress.start_of(datetime.date(2026, 7, 20)))
    end = cycle_progress.window_end(cycle)
    late = cycle_progress.in_state(
        Action.objects.all(), cycle, {LATE}, on=datetime.date(2026, 8, 1), end=end
    )
    assert sorted(a.ref for a in late) == ["HOU-01", "HOU-02", "PH-01"]


# --- The cycle's page ------------------------------------------------------------------------------


def test_the_page_shows_per_area_who_has_updated_and_who_is_late(as_user, world):
    cycle = ReportingCycle.objects.create(
        name="Q", start_date=TODAY - 30 * DAY, close_date=TODAY - DAY
    )
    update(world.undelegated, world.director, cycle_progress.start_of(TODAY - 5 * DAY))
    closed = factories.action("HOU-03", area=world.housing, title="Finished work", status="closed")
    page = as_user(world.team).get(reverse("cycle-detail", args=[cycle.pk])).text
    assert "1 updated, 2 late" in page
    housing = page[page.index('id="area-HOU"') :]
    assert "Housing" in housing
    assert "HOU-02" in housing and "Hana Osei" in housing  # updated by
    assert "lead@council.example" in housing and "(lead officer)" in housing  # HOU-01 is owed by
    assert "1 updated, 0 due, 1 late" in housing
    assert closed.ref not in page
    assert "Complete and closed actions owe no update" in page


def test_the_cycle_page_makes_the_same_queries_at_two_sizes(client):
    director = factories.person("d@council.example", role=roles.SERVICE_DIRECTOR)
    team = factories.person("t@council.example", role=roles.PROGRAMME_TEAM)
    lead = factories.person("l@council.example", role=roles.LEAD_OFFICER)
    cycle = ReportingCycle.objects.create(name="Q", start_date=TODAY - 10 * DAY, close_date=TODAY)
    client.force_login(team)

    def build(areas):
        strand = factories.strand()
        for _ in range(areas):
            area = factories.service_area(strand_=strand, director=director)
            for n in range(3):
                action = factories.action(area=area, lead_officer=lead if n == 0 else None)
                update(action, director, cycle_progress.start_of(TODAY))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cycle-detail", args=[cycle.pk])).status_code == 200
        return len(queries)

    build(1)
    small = count()
    build(20)
    assert count() == small
    assert small <= 12  # including the session's renewal on every request (the idle limit)
