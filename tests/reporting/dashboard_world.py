"""A hand-built programme for the dashboard's tests, every figure worked out by hand below.

Built on tests/world.py (Housing: HOU-01 delegated, HOU-02; Public Health: PH-01; HOU-T01
milestone, HOU-T02 numeric; HOU-O01 "People into work" with a 50% equity share), plus an
employer strand with EMP-01, more targets and a second measured outcome. "Today" is the real
today; every date is relative to it.

Actions (status, last update, in the cycle that started 30 days ago and closed 2 days ago):
  HOU-01  at risk      updated 5 days ago  → updated        (on track 200 days ago, at risk now)
  HOU-02  not started  never updated       → late
  PH-01   off track    updated 60 days ago → late           (characteristic: race)
  EMP-01  complete     not live            → owes nothing   (owner: the lead officer)
Targets (not met unless said):
  HOU-T01  due 10 days ago            → overdue
  HOU-T02  due in 30 days             → due soon
  PH-T01   due 5 days ago, met        → neither; met now (a change)
  PH-T02   due in 120 days            → neither
  EMP-T01  due in 90 days, not met    → due soon (the 90th day counts); missed now (a change)
  EMP-T02  due today, in progress     → due soon, not overdue
Outcomes:
  HOU-O01  count, increase, target 1,000; BAME should be 50% (equity share)
           31 Dec 2025: 200, BAME 80;  31 Mar 2026: 300, BAME 120 (40%: falls short), White 180
           → latest 300, improving from 200; falls short
  PH-O01   count, decrease, target 40; "Disabled" benchmark 30%
           31 Dec 2025: 50;  31 Mar 2026: 60, Disabled 21 (35%: meets it)
           → latest 60, worsening from 50
  PH-O02   no indicator (described in words)
Challenges: one open on PH-01, one answered on HOU-01.
Changes in the last 90 days: status changes HOU-01 on track→at risk, PH-01 not started→off
track, EMP-01 not started→on track and on track→complete (HOU-01's first change was 200
days ago); targets PH-T01 met and EMP-T01 not met; three of the four totals measured (HOU-O01's
December value was recorded 200 days ago).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from actions import services
from actions.models import Action, Challenge, Characteristic, ReportingCycle
from targets import services as target_services
from targets.models import Measurement, Outcome, Target
from tests import factories

DEC = datetime.date(2025, 12, 31)
MAR = datetime.date(2026, 3, 31)


@dataclass
class DashboardWorld:
    world: object
    today: datetime.date
    emp_action: object
    health_outcome: object
    cycle: object


def _progress(action, user, status, progress, *, days_ago: int, narrative: str = "Moving on"):
    action.refresh_from_db()
    return services.record_progress(
        action=action,
        user=user,
        status=status,
        progress=progress,
        narrative=narrative,
        seen_version=action.version,
        when=timezone.now() - datetime.timedelta(days=days_ago),
    )


def _target(target, user, status, met_on=None):
    target.refresh_from_db()
    return target_services.update_target(
        target=target,
        user=user,
        status=status,
        met_on=met_on,
        current_value=target.current_value,
        seen_version=target.version,
    )


def _backdate(history_model, days_ago: int, **match):
    """Move history records into the past (test set-up only: the product never rewrites it)."""
    history_model.objects.filter(**match).update(
        history_date=timezone.now() - datetime.timedelta(days=days_ago)
    )


@pytest.fixture
def dashboard_world(world) -> DashboardWorld:
    w = world
    today = timezone.localdate()
    days = datetime.timedelta
    cycle = ReportingCycle.objects.create(
        name="This quarter", start_date=today - days(30), close_date=today - days(2)
    )
    employer = factories.strand("EMP", name="Employer", position=0)
    recruitment = factories.service_area("EMP-REC", strand_=employer, name="Recruitment")
    emp_action = factories.action("EMP-01", area=recruitment, title="Fair shortlisting")
    emp_action.owner = w.lead
    emp_action.save()
    w.other_action.characteristics.add(Characteristic.objects.get(code="race"))

    # Statuses, with their history. HOU-01 was created 300 days ago and first changed 200 ago.
    _backdate(Action.history.model, 300, id=w.action.pk)
    _progress(w.action, w.director, "on_track", 20, days_ago=200)
    _backdate(Action.history.model, 200, id=w.action.pk, status="on_track")
    _progress(w.action, w.lead, "at_risk", 30, days_ago=5)
    _progress(w.other_action, w.other_director, "off_track", 10, days_ago=60, narrative="Slipped")
    _progress(emp_action, w.lead, "on_track", 50, days_ago=100)
    _progress(emp_action, w.lead, "complete", 100, days_ago=40)

    # Targets.
    w.milestone.due_date = today - days(10)
    w.milestone.save()
    w.numeric.due_date = today + days(30)
    w.numeric.save()
    ph_met = factories.target("PH-T01", action_=w.other_action, due_date=today - days(5))
    factories.target("PH-T02", action_=w.other_action, due_date=today + days(120))
    emp_missed = factories.target("EMP-T01", action_=emp_action, due_date=today + days(90))
    emp_today = factories.target("EMP-T02", action_=emp_action, due_date=today)
    _target(ph_met, w.other_director, Target.Status.MET, met_on=today - days(6))
    _target(emp_missed, w.lead, Target.Status.NOT_MET)
    _target(emp_today, w.lead, Target.Status.IN_PROGRESS)

    # Outcomes and measurements.
    target_services.add_measurement(
        indicator=w.outcome,
        user=w.director,
        period_end=DEC,
        total=Decimal(200),
        dimension="ethnicity",
        breakdown=[("Black, Asian and Minority Ethnic", Decimal(80))],
    )
    _backdate(Measurement.history.model, 200, outcome_id=w.outcome.pk, period_end=DEC)
    target_services.add_measurement(
        indicator=w.outcome,
        user=w.director,
        period_end=MAR,
        total=Decimal(300),
        dimension="ethnicity",
        breakdown=[
            ("Black, Asian and Minority Ethnic", Decimal(120)),
            ("White", Decimal(180)),
        ],
    )
    health_outcome = factories.outcome(
        "PH-O01",
        area=w.health,
        description="Fewer people with diabetes",
        indicator="People diagnosed with diabetes",
        unit="count",
        direction="decrease",
        target_value=Decimal(40),
        dimension="disability",
        group="Disabled",
        benchmark_share=Decimal(30),
    )
    health_outcome.targets.add(ph_met)
    target_services.add_measurement(
        indicator=health_outcome, user=w.other_director, period_end=DEC, total=Decimal(50)
    )
    target_services.add_measurement(
        indicator=health_outcome,
        user=w.other_director,
        period_end=MAR,
        total=Decimal(60),
        dimension="disability",
        breakdown=[("Disabled", Decimal(21))],
    )
    factories.outcome("PH-O02", area=w.health, description="A healthier borough")

    # Challenges.
    Challenge.objects.create(
        action=w.other_action, question="When will it recover?", raised_by=w.board
    )
    Challenge.objects.create(
        action=w.action,
        question="Who is on the panel?",
        raised_by=w.board,
        state=Challenge.State.ANSWERED,
        response="Eight tenants",
        responded_by=w.director,
    )
    assert Outcome.objects.count() == 3
    return DashboardWorld(w, today, emp_action, health_outcome, cycle)
