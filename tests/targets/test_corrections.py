"""Correcting a recorded value: the person who recorded it, or the programme team, with a reason.
History keeps both values; a stocktake as at an earlier moment still shows what was recorded then."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.stocktake import content
from targets.models import Measurement
from tests.reporting.stocktake_world import html_text, measure
from tests.webforms import fill, form_to

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 31)
BLACK = "Black, Asian and Minority Ethnic"


@pytest.fixture
def recorded(world):
    """The director recorded March: 100 in all, 31 of them Black, Asian and Minority Ethnic."""
    measure(world.outcome, world.director, MARCH, 100, [(BLACK, 31), ("White", 60)])
    return Measurement.objects.get(outcome=world.outcome, group=BLACK)


def correct_url(measurement) -> str:
    return reverse("measurement-correct", args=[measurement.pk])


def test_the_person_who_recorded_it_corrects_it_from_the_outcome_page(web, world, recorded):
    app = web(world.director)
    outcome_page = app.get(reverse("outcome-detail", args=["HOU-O01"]))
    page = outcome_page.click(href=correct_url(recorded))
    assert "The value recorded now is 31" in html_text(page.text)
    form = form_to(page, correct_url(recorded))
    assert form["value"].value == "31"
    response = fill(form, {"value": "13", "reason": "Typed 31 for 13"}).submit()
    assert response.status_code == 302
    assert response.location == reverse("outcome-detail", args=["HOU-O01"]) + "#main-content"
    shown = html_text(response.follow().text)
    assert (
        f"The {BLACK} for HOU-O01, period ending 31 March 2026, corrected to 13. "
        "The value it replaced is kept in its history." in shown
    )
    assert f"{BLACK} 13 Correct the value for {BLACK} 13.0%" in shown
    recorded.refresh_from_db()
    assert recorded.value == Decimal(13)
    first, second = recorded.history.order_by("history_date", "history_id")
    assert (first.value, first.history_user, first.history_change_reason) == (
        Decimal(31),
        world.director,
        "Measurement recorded",
    )
    assert (second.value, second.history_user, second.history_change_reason) == (
        Decimal(13),
        world.director,
        "Correction: Typed 31 for 13",
    )
    history = html_text(app.get(correct_url(recorded)).text)
    name = world.director.display_name
    assert re.search(
        rf"History of this value .* 31 {name} Measurement recorded .* 13 {name} "
        r"Correction: Typed 31 for 13",
        history,
    ), history


def test_the_programme_team_may_correct_a_total(web, world, recorded):
    total = Measurement.objects.get(outcome=world.outcome, group="")
    app = web(world.team)
    page = app.get(reverse("outcome-detail", args=["HOU-O01"])).click(href=correct_url(total))
    form = fill(form_to(page, correct_url(total)), {"value": "120", "reason": "Late returns"})
    assert form.submit().status_code == 302
    total.refresh_from_db()
    assert total.value == Decimal(120)
    assert total.history.latest().history_user == world.team


@pytest.mark.parametrize(
    "value, reason, message",
    [
        ("13", "", "Enter why the value is being corrected"),
        ("", "Typo", "Enter the corrected value"),
        ("thirteen", "Typo", "Enter the corrected value as a number, for example 12 or 12.5"),
        ("-1", "Typo", "The value must be 0 or more"),
        ("31", "Typo", "The value is already 31. Enter the corrected value"),
        ("41", "Typo", "The groups would add up to 101, more than the total of 100"),
        ("13", "x" * 89, "The reason must be 88 characters or fewer"),
    ],
)
def test_bad_input_says_why_and_changes_nothing(web, world, recorded, value, reason, message):
    form = form_to(web(world.director).get(correct_url(recorded)), correct_url(recorded))
    response = fill(form, {"value": value, "reason": reason}).submit(status=422)
    page = html_text(response.text)
    assert "Error: Correct a value" in page
    assert f"There is a problem {message}" in page
    recorded.refresh_from_db()
    assert recorded.value == Decimal(31)
    assert recorded.history.count() == 1


def test_a_total_below_its_groups_is_refused(web, world, recorded):
    total = Measurement.objects.get(outcome=world.outcome, group="")
    form = form_to(web(world.director).get(correct_url(total)), correct_url(total))
    response = fill(form, {"value": "90", "reason": "Typo"}).submit(status=422)
    assert "The groups add up to 91, so the total must be at least that" in response.text


@pytest.mark.parametrize(
    "who, status",
    [
        ("director", 200),  # recorded it
        ("team", 200),
        ("board", 403),  # sees it, did not record it
        ("lead", 403),  # sees it on the action page, did not record it
        ("other_director", 404),  # may not see it
    ],
)
def test_who_may_correct(as_user, world, recorded, who, status):
    client = as_user(getattr(world, who))
    assert client.get(correct_url(recorded)).status_code == status
    response = client.post(correct_url(recorded), {"value": "13", "reason": "Typo"})
    assert response.status_code == (302 if status == 200 else status)
    recorded.refresh_from_db()
    assert recorded.value == (Decimal(13) if status == 200 else Decimal(31))


def test_the_board_sees_no_correct_link(as_user, world, recorded):
    page = as_user(world.board).get(reverse("outcome-detail", args=["HOU-O01"])).content.decode()
    assert "/correct/" not in page


def test_a_stocktake_as_at_an_earlier_moment_shows_what_was_recorded_then(as_user, world, recorded):
    before = timezone.now()
    client = as_user(world.director)
    client.post(correct_url(recorded), {"value": "13", "reason": "Typed 31 for 13"})

    def black_in_march(as_at):
        built = content.build(year=2026, as_at=as_at)
        outcome = next(o for o in built.outcomes if o.ref == "HOU-O01")
        period = next(p for p in outcome.periods if p.period_end == MARCH)
        return next(g.value for g in period.groups if g.group == BLACK)

    assert black_in_march(before) == Decimal(31)
    assert black_in_march(timezone.now()) == Decimal(13)
