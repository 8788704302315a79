"""What a stocktake says: built from history as at its moment, public actions only, small numbers
hidden, what changed since the stocktake before, and the next year's carry-forward."""

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import timezone

from actions.models import Action, Status
from reporting.stocktake import content
from reporting.stocktake.suppression import SECONDARY, hidden_groups
from targets.models import Target
from tests.reporting.stocktake_world import (
    html_text,
    measure,
    progress,
    published,
)

pytestmark = pytest.mark.django_db


def build(as_at=None, **kwargs):
    return content.build(year=2026, as_at=as_at or timezone.now(), **kwargs)


def page_text(built) -> str:
    return html_text(
        render_to_string("reporting/stocktake/document.html", {"content": built, "for_pdf": False})
    )


def test_it_shows_public_actions_with_their_status_progress_and_latest_narrative(stocktake_world):
    built = build()
    by_ref = {a.ref: a for a in built.actions}
    assert list(by_ref) == ["HOU-01", "HOU-02", "PH-01"]
    hou = by_ref["HOU-01"]
    assert (hou.status_label, hou.progress) == ("On track", 40)
    assert hou.latest_update.narrative == "Panels recruited in two areas"
    assert [t.ref for t in hou.targets] == ["HOU-T01", "HOU-T02"]
    assert by_ref["PH-01"].status_label == "Complete"
    assert built.left_out == 1


def test_a_private_action_its_targets_and_an_outcome_only_it_serves_are_left_out(
    stocktake_world,
):
    text = page_text(build())
    assert "Diverse housing panels" in text
    for secret in ("HOU-03", "Confidential pilot", "HOU-T03", "Secret pilot", "HOU-O02"):
        assert secret not in text


def test_an_outcome_serving_no_target_belongs_to_the_whole_area(stocktake_world):
    from tests import factories

    factories.outcome("HOU-O09", area=stocktake_world.world.housing, description="Area aim")
    built = build()
    outcome = next(o for o in built.outcomes if o.ref == "HOU-O09")
    assert outcome.action_refs == []
    assert "An aim of the whole service area" in page_text(built)


def test_it_is_the_framework_as_recorded_at_the_as_at_moment(stocktake_world):
    world = stocktake_world.world
    as_at = timezone.now()
    before = page_text(build(as_at))
    # Everything below happens after the "as at" moment.
    progress(world.action, world.director, Status.AT_RISK, 45, "Slipped after the stocktake")
    action = Action.objects.get(ref="HOU-02")
    action.title = "Renamed later"
    action.save()
    action.characteristics.add("race")
    world.outcome.targets.add(world.milestone)
    measure(world.outcome, world.director, datetime.date(2026, 9, 30), 900)
    stocktake_world.private.is_public = True
    stocktake_world.private.save()
    from tests import factories

    factories.action("HOU-99", area=world.housing, title="Added after the stocktake")
    after = page_text(build(as_at))
    assert after == before
    assert "Slipped after the stocktake" not in after
    assert "Renamed later" not in after
    assert "Slipped after the stocktake" in page_text(build())


def test_an_earlier_moment_shows_the_earlier_state(world):
    as_at = timezone.now()
    progress(world.action, world.director, Status.ON_TRACK, 10)
    earlier = {a.ref: a for a in build(as_at).actions}
    later = {a.ref: a for a in build().actions}
    assert earlier["HOU-01"].status == "not_started"
    assert earlier["HOU-01"].latest_update is None
    assert later["HOU-01"].status == "on_track"


def test_strand_summary_counts_statuses_targets_and_outcomes(stocktake_world):
    world = stocktake_world.world
    target = Target.objects.get(ref="HOU-T01")
    target.status, target.met_on = Target.Status.MET, datetime.date(2026, 5, 1)
    target.save()
    built = build()
    strand = built.strands[0]
    counts = {code: n for code, _, n in strand.status_rows}
    assert counts == {
        "not_started": 1,
        "on_track": 1,
        "at_risk": 0,
        "off_track": 0,
        "complete": 1,
        "closed": 0,
    }
    assert (strand.targets_met, len(strand.targets)) == (1, 2)
    # HOU-O01 went from 40 to 60 and an increase is good.
    assert [(o.ref, o.travel.code) for o in strand.measured_outcomes] == [("HOU-O01", "improving")]
    assert strand.status_words == "1 not started, 1 on track and 1 complete"
    assert world.outcome.ref in {o.ref for o in built.outcomes}


def test_direction_of_travel_follows_the_indicator_direction(world):
    world.outcome.direction = "decrease"
    world.outcome.save()
    measure(world.outcome, world.director, datetime.date(2026, 3, 31), 40)
    measure(world.outcome, world.director, datetime.date(2026, 6, 30), 60)
    outcome = next(o for o in build().outcomes if o.ref == "HOU-O01")
    assert outcome.travel.code == "worsening"
    assert outcome.travel_text == "Moving the wrong way"


def test_with_one_value_the_direction_of_travel_is_against_the_baseline(world):
    """The same rule as the dashboard's (targets.trends)."""
    world.outcome.baseline = 50
    world.outcome.save()
    measure(world.outcome, world.director, datetime.date(2026, 3, 31), 40)
    outcome = next(o for o in build().outcomes if o.ref == "HOU-O01")
    assert (outcome.travel.code, outcome.travel.compared_with) == ("worsening", "baseline")


def test_small_numbers_in_breakdowns_are_never_shown(stocktake_world):
    built = build()
    outcome = next(o for o in built.outcomes if o.ref == "HOU-O01")
    latest = {g.group: g for g in outcome.latest.groups}
    assert latest["Black, Asian and Minority Ethnic"].value is None
    assert latest["Black, Asian and Minority Ethnic"].share is None
    assert latest["Black, Asian and Minority Ethnic"].hidden == "fewer than 5"
    # Otherwise 60 - 50 - 7 would give the 3 away: the next smallest group is hidden too.
    assert latest["Mixed"].hidden == SECONDARY
    assert latest["White"].value == Decimal(50)
    text = page_text(built)
    assert "fewer than 5" in text
    # The shares chart leaves the hidden groups out, so neither the chart nor its description
    # carries their numbers.
    assert "Mixed" not in str(outcome.shares_chart.svg)
    assert "5%" not in outcome.shares_chart.description  # 3 of 60
    assert "11.7" not in text  # 7 of 60, as a percentage


@override_settings(SMALL_NUMBER_THRESHOLD=10)
def test_the_threshold_is_a_setting(stocktake_world):
    outcome = next(o for o in build().outcomes if o.ref == "HOU-O01")
    latest = {g.group: g for g in outcome.latest.groups}
    assert latest["Mixed"].hidden == "fewer than 10"


@pytest.mark.parametrize(
    "values, hidden",
    [
        ({"A": 50, "B": 40}, {}),
        ({"A": 3}, {"A": "fewer than 5"}),
        ({"A": 3, "B": 40}, {"A": "fewer than 5", "B": SECONDARY}),
        ({"A": 3, "B": 40, "C": 50}, {"A": "fewer than 5", "B": SECONDARY}),
        ({"A": 1, "B": 2, "C": 50}, {"A": "fewer than 5", "B": "fewer than 5", "C": SECONDARY}),
        (
            {"A": 0, "B": 0, "C": 9, "D": 50},
            {"A": "fewer than 5", "B": "fewer than 5", "C": SECONDARY},
        ),
        ({"A": 4, "B": 4, "C": 50}, {"A": "fewer than 5", "B": "fewer than 5"}),
    ],
)
def test_which_groups_are_hidden(values, hidden):
    assert hidden_groups({k: Decimal(v) for k, v in values.items()}, 5) == hidden


def test_changes_since_the_previous_stocktake(stocktake_world):
    world = stocktake_world.world
    from reporting.models import Stocktake

    previous = Stocktake.objects.create(year=2025, as_at=timezone.now())
    progress(world.action, world.director, Status.AT_RISK, 45, "Slipped")
    target = Target.objects.get(ref="HOU-T01")
    target.status, target.met_on = Target.Status.MET, datetime.date(2026, 5, 1)
    target.save()
    measure(world.outcome, world.director, datetime.date(2026, 9, 30), 90)
    from tests import factories

    factories.action("HOU-04", area=world.housing, title="A new action")
    changes = build(previous=previous).changes
    assert changes.previous_year == 2025
    assert [(c.ref, c.before, c.after) for c in changes.status_changes] == [
        ("HOU-01", "On track", "At risk")
    ]
    assert changes.added == [("HOU-04", "A new action")]
    assert [t.ref for t in changes.targets_met] == ["HOU-T01"]
    assert changes.new_values == [("HOU-O01", "People into work", 1, datetime.date(2026, 9, 30))]


def test_the_first_stocktake_says_there_is_nothing_to_compare_with(world):
    built = build()
    assert built.changes.is_first
    assert "This is the first stocktake" in page_text(built)


def test_the_previous_stocktake_is_the_latest_published_by_the_as_at_moment(world):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    older = published(2024, as_at=now - 30 * day, published_at=now - 20 * day)
    published(2025, as_at=now - 10 * day, published_at=now - day)
    # A 2026 stocktake as at five days ago: the 2025 one was not yet published then.
    assert content.previous_stocktake(2026, now - 5 * day) == older
    assert content.previous_stocktake(2026, now).year == 2025
    assert content.previous_stocktake(2024, now) is None


def test_a_year_started_from_a_baseline_leaves_out_what_was_finished_then(stocktake_world):
    world = stocktake_world.world
    from reporting.models import Stocktake

    baseline = Stocktake(year=2026, as_at=timezone.now())
    # PH-01 was complete at the baseline: kept there as history. HOU-01 (on track) carries on.
    progress(world.action, world.director, Status.COMPLETE, 100, "Done in the new year")
    built = content.build(year=2027, as_at=timezone.now(), baseline=baseline, previous=baseline)
    refs = [a.ref for a in built.actions]
    assert refs == ["HOU-01", "HOU-02"]
    assert built.changes.kept_as_history == [("PH-01", "Diabetes prevention", "Complete")]
    # Completed during the new year: still reported, with its new status.
    assert next(a for a in built.actions if a.ref == "HOU-01").status == "complete"
    carried, kept = content.carried_forward(baseline, timezone.now())
    assert sorted(a.ref for a in carried) == ["HOU-01", "HOU-02", "HOU-03"]
    assert [a.ref for a in kept] == ["PH-01"]


def test_building_the_content_takes_the_same_queries_whatever_the_size(stocktake_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories

    with CaptureQueriesContext(connection) as small:
        build()
    world = stocktake_world.world
    for n in range(12):
        action = factories.action(f"HOU-{50 + n}", area=world.housing, title=f"More {n}")
        action.characteristics.add("race")
        target = factories.target(f"HOU-T{50 + n}", action_=action)
        outcome = factories.outcome(
            f"HOU-O{50 + n}", area=world.health, indicator="Count", unit="count"
        )
        outcome.targets.add(target)
        measure(
            outcome, world.director, datetime.date(2026, 3, 31), 10 + n, [("A", 9), ("B", 1 + n)]
        )
        progress(action, world.director, Status.ON_TRACK, 10)
    with CaptureQueriesContext(connection) as large:
        built = build()
    assert len(built.actions) == 15
    assert len(large) == len(small)
