"""Each figure on the dashboard, computed on the hand-built programme in dashboard_world.py."""

import datetime
from decimal import Decimal

import pytest

from reporting.dashboard import selectors
from reporting.dashboard.figures import Figures
from reporting.dashboard.filters import Filters, filters_for
from tests.reporting import dashboard_world as programme

pytestmark = pytest.mark.django_db
dashboard_world = programme.dashboard_world  # the fixture


def figures(dw, **filters) -> Figures:
    scope = selectors.build_scope(filters_for(today=dw.today, **filters), today=dw.today)
    return Figures(scope, limit=None)


def refs(rows) -> list[str]:
    return [row.ref for row in rows]


def test_actions_are_counted_by_status_for_each_service_area_and_strand(dashboard_world):
    counts = figures(dashboard_world).counts
    by_area = {row.ref: row.counts for row in counts.by_area}
    assert by_area == {
        "EMP-REC": {"complete": 1},
        "HOU": {"at_risk": 1, "not_started": 1},
        "PH": {"off_track": 1},
    }
    by_strand = {row.ref: (row.counts, row.total) for row in counts.by_strand}
    assert by_strand == {
        "EMP": ({"complete": 1}, 1),
        "SERV": ({"at_risk": 1, "not_started": 1, "off_track": 1}, 3),
    }
    assert counts.totals.total == 4
    assert counts.live == 3
    # In the order of Status: not started, on track, at risk, off track, complete, closed.
    assert counts.totals.in_order() == [1, 0, 1, 1, 1, 0]


def test_actions_late_for_update_are_the_live_ones_not_updated_since_the_cycle_began(
    dashboard_world,
):
    cycle = figures(dashboard_world).cycle_figures
    assert cycle.cycle == dashboard_world.cycle
    assert sorted(refs(cycle.late.rows)) == ["HOU-02", "PH-01"]
    assert (cycle.late.total, cycle.updated, cycle.due) == (2, 1, 0)
    ph = next(a for a in cycle.late.rows if a.ref == "PH-01")
    assert (dashboard_world.today - ph.last_update_at.date()).days in (60, 61)


def test_before_the_cycle_closes_nothing_is_late_and_updates_are_due(dashboard_world):
    dashboard_world.cycle.close_date = dashboard_world.today + datetime.timedelta(days=3)
    dashboard_world.cycle.save()
    cycle = figures(dashboard_world).cycle_figures
    assert (cycle.late.total, cycle.due, cycle.updated) == (0, 2, 1)


def test_targets_overdue_and_due_in_the_next_90_days(dashboard_world):
    targets = figures(dashboard_world).target_figures
    assert refs(targets.overdue.rows) == ["HOU-T01"]
    assert targets.overdue.rows[0].days_overdue == 10
    # Due today, in 30 days and on the 90th day; the met one and the one in 120 days are not.
    assert refs(targets.due_soon.rows) == ["EMP-T02", "HOU-T02", "EMP-T01"]
    assert [t.days_left for t in targets.due_soon.rows] == [0, 30, 90]
    assert targets.due_soon_until == dashboard_world.today + datetime.timedelta(days=90)


def test_outcomes_against_target_with_travel_and_shares(dashboard_world):
    outcomes = figures(dashboard_world).outcome_figures
    assert (outcomes.measured, outcomes.qualitative, outcomes.with_values) == (2, 1, 2)
    assert (outcomes.with_share, outcomes.falling_short) == (2, 1)
    housing, health = outcomes.rows  # the one falling short first
    assert housing.outcome.ref == "HOU-O01"
    assert (housing.latest.period_end, housing.latest.total) == (programme.MAR, Decimal(300))
    assert (housing.previous.total, housing.travel.code) == (Decimal(200), "improving")
    assert housing.falls_short is True
    assert housing.target_reached is False
    shares = {g.group: (g.share, g.expected, g.falls_short) for g in housing.latest.groups}
    assert shares == {
        "Black, Asian and Minority Ethnic": (Decimal("40.0"), Decimal(50), True),
        "White": (Decimal("60.0"), None, False),
    }
    assert housing.named.expected_label == "equity share"
    assert housing.others_in_words == "White 60.0%"

    assert health.outcome.ref == "PH-O01"
    assert (health.latest.total, health.previous.total) == (Decimal(60), Decimal(50))
    assert health.travel.code == "worsening"  # a decrease is good, and it went up
    assert health.falls_short is False
    assert (health.named.share, health.named.expected) == (Decimal("35.0"), Decimal(30))
    assert health.named.expected_label == "population benchmark"


def test_an_outcome_at_or_below_its_target_when_a_decrease_is_good_has_reached_it(
    dashboard_world,
):
    dashboard_world.health_outcome.target_value = Decimal(60)
    dashboard_world.health_outcome.save()
    health = figures(dashboard_world).outcome_figures.rows[1]
    assert health.target_reached is True


def test_open_challenges_only(dashboard_world):
    challenges = figures(dashboard_world).challenges
    assert [c.action.ref for c in challenges.rows] == ["PH-01"]
    assert challenges.total == 1


def test_what_changed_in_the_last_90_days(dashboard_world):
    changes = figures(dashboard_world).changes
    assert changes.since == dashboard_world.today - datetime.timedelta(days=90)
    moves = sorted((r.ref, r.previous_status, r.status) for r in changes.status_changes.rows)
    assert moves == [
        ("EMP-01", "not_started", "on_track"),
        ("EMP-01", "on_track", "complete"),
        ("HOU-01", "on_track", "at_risk"),
        ("PH-01", "not_started", "off_track"),
    ]
    hou = next(r for r in changes.status_changes.rows if r.ref == "HOU-01")
    assert (hou.previous_label, hou.label, hou.who) == (
        "On track",
        "At risk",
        "lead@council.example",
    )
    assert hou.reason.startswith("Progress update")
    assert sorted((r.ref, r.status) for r in changes.targets_met_or_missed.rows) == [
        ("EMP-T01", "not_met"),
        ("PH-T01", "met"),
    ]
    measured = sorted((r.indicator_ref, r.period_end) for r in changes.new_measurements.rows)
    assert measured == [
        ("HOU-O01", programme.MAR),
        ("PH-O01", datetime.date(2025, 12, 31)),
        ("PH-O01", programme.MAR),
    ]
    assert changes.total == 4 + 2 + 3


def test_what_changed_since_an_earlier_date_includes_older_changes(dashboard_world):
    since = dashboard_world.today - datetime.timedelta(days=300)
    changes = figures(dashboard_world, since=since).changes
    assert ("HOU-01", "not_started", "on_track") in {
        (r.ref, r.previous_status, r.status) for r in changes.status_changes.rows
    }
    assert changes.new_measurements.total == 4


def test_saving_without_changing_the_status_is_not_a_status_change(dashboard_world):
    action = dashboard_world.world.undelegated
    action.title = "Tenant engagement, renamed"
    action.save()
    changes = figures(dashboard_world).changes
    assert "HOU-02" not in refs(changes.status_changes.rows)


# --- filters ----------------------------------------------------------------------------------


def test_filtering_by_service_area_narrows_every_figure(dashboard_world):
    f = figures(dashboard_world, area="PH")
    assert [row.ref for row in f.counts.by_area] == ["PH"]
    assert refs(f.cycle_figures.late.rows) == ["PH-01"]
    assert f.target_figures.overdue.total == 0
    assert [row.outcome.ref for row in f.outcome_figures.rows] == ["PH-O01"]
    assert f.outcome_figures.qualitative == 1
    assert [c.action.ref for c in f.challenges.rows] == ["PH-01"]
    assert refs(f.changes.status_changes.rows) == ["PH-01"]
    assert refs(f.changes.targets_met_or_missed.rows) == ["PH-T01"]


def test_filtering_by_status_keeps_the_outcomes_the_matching_actions_serve(dashboard_world):
    f = figures(dashboard_world, status="at_risk")
    assert f.counts.totals.total == 1
    assert [row.outcome.ref for row in f.outcome_figures.rows] == ["HOU-O01"]
    assert refs(f.target_figures.due_soon.rows) == ["HOU-T02"]


def test_filtering_by_strand_characteristic_and_owner(dashboard_world):
    w = dashboard_world.world
    assert figures(dashboard_world, strand="EMP").counts.totals.total == 1
    assert figures(dashboard_world, characteristic="race").counts.totals.counts == {"off_track": 1}
    # The director owns the Housing actions that name no other owner.
    owned = figures(dashboard_world, owner=w.director.pk).counts
    assert [row.ref for row in owned.by_area] == ["HOU"]
    assert owned.totals.total == 2
    # As in the framework browser, "owner" is the owner or the lead officer: EMP-01 they own,
    # HOU-01 they lead.
    led = figures(dashboard_world, owner=w.lead.pk).counts.totals
    assert led.counts == {"complete": 1, "at_risk": 1}


def test_filtering_by_update_state(dashboard_world):
    assert figures(dashboard_world, update="late").counts.totals.total == 2
    assert figures(dashboard_world, update="updated").counts.totals.total == 1
    assert figures(dashboard_world, update="due").counts.totals.total == 0  # the cycle has closed
    dashboard_world.world.undelegated.due_date = dashboard_world.today - datetime.timedelta(days=1)
    dashboard_world.world.undelegated.save()
    past_due = figures(dashboard_world, due="overdue").counts
    assert past_due.totals.counts == {"not_started": 1}


def test_without_a_cycle_nothing_is_due_or_late(dashboard_world):
    dashboard_world.cycle.start_date = dashboard_world.today + datetime.timedelta(days=1)
    dashboard_world.cycle.close_date = dashboard_world.today + datetime.timedelta(days=60)
    dashboard_world.cycle.save()
    f = figures(dashboard_world, update="late")
    assert f.counts.totals.total == 0
    assert figures(dashboard_world).cycle_figures.cycle is None


def test_the_page_shows_only_the_first_rows_of_a_long_list_and_says_how_many(dashboard_world):
    scope = selectors.build_scope(Filters(), today=dashboard_world.today)
    late = Figures(scope, limit=1).cycle_figures.late
    assert (len(late.rows), late.total, late.is_cut) == (1, 2, True)
