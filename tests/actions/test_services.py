"""The rules of updating: transitions, narratives, reasons, stale edits, and who did it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from actions import services
from actions.models import Action, Status
from targets import services as target_services
from targets.models import Measurement, Target

pytestmark = pytest.mark.django_db


def record(world, action=None, **kwargs):
    action = action or world.action
    action.refresh_from_db()
    defaults = {
        "status": Status.ON_TRACK,
        "progress": 20,
        "narrative": "",
        "seen_version": action.version,
    }
    defaults.update(kwargs)
    return services.record_progress(action=action, user=world.director, **defaults)


def test_progress_is_logged_and_attributed(world):
    update = record(world, narrative="Panels recruited")
    action = Action.objects.get(pk=world.action.pk)
    assert (action.status, action.progress) == ("on_track", 20)
    assert (update.author, update.narrative) == (world.director, "Panels recruited")
    latest = action.history.latest()
    assert latest.history_user == world.director
    assert latest.history_change_reason == "Progress update: Panels recruited"
    assert latest.prev_record.status == "not_started"


def test_allowed_transitions_are_enforced(world):
    with pytest.raises(ValidationError) as error:
        record(world, status=Status.COMPLETE, progress=100)
    assert error.value.message_dict == {
        "status": ["An action that is not started cannot become complete."]
    }
    record(world, status=Status.ON_TRACK, progress=90)
    record(world, status=Status.COMPLETE, progress=100)
    record(world, status=Status.CLOSED, progress=100, closed_reason="Superseded by HOU-07")
    with pytest.raises(ValidationError, match="closed cannot become on track"):
        record(world, status=Status.ON_TRACK, progress=100)


def test_off_track_needs_a_narrative(world):
    with pytest.raises(ValidationError) as error:
        record(world, status=Status.OFF_TRACK, narrative="   ")
    assert error.value.message_dict == {"narrative": ["Explain why the action is off track"]}
    assert Action.objects.get(pk=world.action.pk).status == "not_started"


def test_closing_needs_a_reason_which_is_kept(world):
    with pytest.raises(ValidationError, match="Enter the reason for closing the action"):
        record(world, status=Status.CLOSED)
    record(world, status=Status.CLOSED, closed_reason="Superseded by the 2022 plan")
    assert Action.objects.get(pk=world.action.pk).closed_reason == "Superseded by the 2022 plan"


def test_a_stale_update_is_refused_saying_who_changed_what(world):
    seen = world.action.version
    record(world, status=Status.AT_RISK, progress=30)
    with pytest.raises(services.StaleEdit) as stale:
        services.record_progress(
            action=world.action,
            user=world.lead,
            status=Status.ON_TRACK,
            progress=50,
            seen_version=seen,
        )
    [line] = stale.value.changes
    assert line.startswith(
        "Hana Osei changed status from Not started to At risk, % complete from 0 to 30 on "
    )
    action = Action.objects.get(pk=world.action.pk)
    assert (action.status, action.progress) == ("at_risk", 30)


def test_a_stale_update_names_who_saved_even_when_only_the_narrative_changed(world):
    record(world, status=Status.AT_RISK, progress=30)
    seen = Action.objects.get(pk=world.action.pk).version
    record(world, status=Status.AT_RISK, progress=30, narrative="Rent arrears fell again")
    with pytest.raises(services.StaleEdit) as stale:
        services.record_progress(
            action=world.action,
            user=world.lead,
            status=Status.ON_TRACK,
            progress=50,
            seen_version=seen,
        )
    [line] = stale.value.changes
    assert line.startswith(f"Hana Osei saved {world.action.ref} on ")
    assert line.endswith("(Progress update: Rent arrears fell again).")
    assert "Someone else" not in line


def test_a_milestone_is_met_on_a_date(world):
    target = world.milestone
    with pytest.raises(ValidationError, match="Enter the date the milestone was met"):
        target_services.update_target(
            target=target,
            user=world.director,
            status="met",
            met_on=None,
            current_value=None,
            seen_version=target.version,
        )
    target_services.update_target(
        target=target,
        user=world.director,
        status="met",
        met_on=datetime.date(2021, 7, 1),
        current_value=None,
        seen_version=target.version,
    )
    target = Target.objects.get(pk=target.pk)
    assert (target.status, target.met_on) == ("met", datetime.date(2021, 7, 1))
    assert target.history.latest().history_user == world.director


def test_a_numeric_target_records_its_latest_value(world):
    target = world.numeric
    target_services.update_target(
        target=target,
        user=world.lead,
        status="in_progress",
        met_on=None,
        current_value=Decimal(12),
        seen_version=target.version,
    )
    assert Target.objects.get(pk=target.pk).current_value == 12


def test_a_measurement_saves_its_total_and_groups_together(world):
    target_services.add_measurement(
        indicator=world.outcome,
        user=world.director,
        period_end=datetime.date(2021, 6, 30),
        total=Decimal(200),
        dimension="ethnicity",
        breakdown=[("Black, Asian and Minority Ethnic", Decimal(80)), ("White", Decimal(120))],
        source="Job brokerage",
    )
    rows = Measurement.objects.filter(outcome=world.outcome).order_by("position")
    assert [(m.group, m.value, m.recorded_by) for m in rows] == [
        ("", 200, world.director),
        ("Black, Asian and Minority Ethnic", 80, world.director),
        ("White", 120, world.director),
    ]
    with pytest.raises(ValidationError, match="already been recorded \\(by Hana Osei\\)"):
        target_services.add_measurement(
            indicator=world.outcome,
            user=world.lead,
            period_end=datetime.date(2021, 6, 30),
            total=Decimal(1),
        )
    assert Measurement.objects.filter(outcome=world.outcome).count() == 3


def test_delegating_needs_a_lead_officer(world):
    with pytest.raises(ValidationError, match="Select a lead officer"):
        services.delegate(
            action=world.undelegated,
            user=world.director,
            lead_officer=world.board,
            seen_version=world.undelegated.version,
        )
    services.delegate(
        action=world.undelegated,
        user=world.director,
        lead_officer=world.lead,
        seen_version=world.undelegated.version,
    )
    action = Action.objects.get(pk=world.undelegated.pk)
    assert action.lead_officer == world.lead
    assert action.history.latest().history_change_reason == "Delegated to lead@council.example"
