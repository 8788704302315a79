"""Changes to actions that check a rule, record history with a reason, or touch several rows."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.models import ALLOWED_TRANSITIONS, Action, ProgressUpdate, Status
from reporting.cycles import current_cycle
from reporting.roles import LEAD_OFFICER
from strands.history_display import entries_for
from targets.models import Measurement, Outcome, Target


class StaleEdit(Exception):
    """Someone else saved the item after the form was opened; ``changes`` says who changed what."""

    def __init__(self, changes: list[str]):
        self.changes = changes
        super().__init__("; ".join(changes))


def _changes_since(obj, seen_version: int, *, what: str) -> list[str]:
    model = type(obj)
    records = list(
        obj.history.filter(version__gte=seen_version)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    lines = []
    for entry in entries_for(records, model, what=what)[1:] or []:
        who = entry.who.get_full_name() or entry.who.email if entry.who else "Someone"
        when = (
            timezone.localtime(entry.when)
            .strftime("%-d %B %Y at %-I:%M%p")
            .replace("AM", "am")
            .replace("PM", "pm")
        )
        changed = ", ".join(f"{c.label.lower()} from {c.old} to {c.new}" for c in entry.changes)
        lines.append(f"{who} changed {changed} on {when}.")
    return lines or ["Someone else saved this item after you opened the form."]


def allowed_next_statuses(current: str) -> list[str]:
    """The current status and those that may follow it, in the order of the choices."""
    allowed = ALLOWED_TRANSITIONS[Status(current)] | {current}
    return [value for value in Status.values if value in allowed]


def check_transition(current: str, new: str) -> None:
    if new != current and new not in ALLOWED_TRANSITIONS[Status(current)]:
        raise ValidationError(
            {
                "status": f"An action that is {Status(current).label.lower()} cannot become "
                f"{Status(new).label.lower()}."
            }
        )


@transaction.atomic
def record_progress(
    *,
    action: Action,
    user,
    status: str,
    progress: int,
    narrative: str = "",
    closed_reason: str = "",
    seen_version: int,
    is_demo: bool = False,
    when: datetime.datetime | None = None,
) -> ProgressUpdate:
    """Record a progress update: status, % complete and a narrative, in the action's log."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.version != seen_version:
        raise StaleEdit(_changes_since(action, seen_version, what=action.ref))
    check_transition(action.status, status)
    narrative, closed_reason = narrative.strip(), closed_reason.strip()
    errors = {}
    if status == Status.OFF_TRACK and not narrative:
        errors["narrative"] = "Explain why the action is off track"
    if status == Status.CLOSED and not closed_reason:
        errors["closed_reason"] = "Enter the reason for closing the action"
    if status == Status.COMPLETE and progress != 100:
        errors["progress"] = "An action that is complete must be 100% complete"
    if not 0 <= progress <= 100:
        errors["progress"] = "Enter % complete as a whole number from 0 to 100"
    if errors:
        raise ValidationError(errors)
    update = ProgressUpdate(
        action=action,
        cycle=current_cycle(),
        status=status,
        progress=progress,
        narrative=narrative,
        author=user,
        is_demo=is_demo,
        created_at=when or timezone.now(),
    )
    update._history_user = user
    update.save()
    action.status, action.progress = status, progress
    if status == Status.CLOSED:
        action.closed_reason = closed_reason
    action._history_user = user
    action._change_reason = "Progress update" + (f": {narrative[:80]}" if narrative else "")
    action.save()
    return update


@transaction.atomic
def update_target(
    *,
    target: Target,
    user,
    status: str,
    met_on: datetime.date | None,
    current_value: Decimal | None,
    seen_version: int,
) -> Target:
    target = Target.objects.select_for_update().get(pk=target.pk)
    if target.version != seen_version:
        raise StaleEdit(_changes_since(target, seen_version, what=target.ref))
    errors = {}
    if status == Target.Status.MET and target.kind == Target.Kind.MILESTONE and met_on is None:
        errors["met_on"] = "Enter the date the milestone was met"
    if met_on and met_on > timezone.localdate():
        errors["met_on"] = "The date met must be today or in the past"
    if target.is_numeric and current_value is not None and current_value < 0:
        errors["current_value"] = "The latest value must be 0 or more"
    if errors:
        raise ValidationError(errors)
    target.status = status
    target.met_on = met_on if status == Target.Status.MET else None
    if target.is_numeric:
        target.current_value = current_value
    target._history_user = user
    target._change_reason = "Target progress"
    target.save()
    return target


@transaction.atomic
def add_measurement(
    *,
    indicator: Outcome | Target,
    user,
    period_end: datetime.date,
    total: Decimal,
    dimension: str = "",
    breakdown: list[tuple[str, Decimal]] = (),
    source: str = "",
    note: str = "",
    is_demo: bool = False,
) -> list[Measurement]:
    """A value for a period, with values for groups of a dimension. All rows or none."""
    key = {"outcome": indicator} if isinstance(indicator, Outcome) else {"target": indicator}
    existing = (
        Measurement.objects.filter(**key, period_end=period_end, group="")
        .select_related("recorded_by")
        .first()
    )
    if existing is not None:
        who = (
            existing.recorded_by.get_full_name() or existing.recorded_by.email
            if existing.recorded_by
            else "someone"
        )
        raise ValidationError(
            {
                "period_end": f"A value for the period ending {period_end:%-d %B %Y} has already been recorded "
                f"(by {who}). Choose another period."
            }
        )
    rows = [(dimension if breakdown else "", "", total)] + [(dimension, g, v) for g, v in breakdown]
    saved = []
    try:
        with transaction.atomic():
            for position, (dim, group, value) in enumerate(rows, start=1):
                measurement = Measurement(
                    **key,
                    period_end=period_end,
                    value=value,
                    dimension=dim,
                    group=group,
                    source=source,
                    note=note if not group else "",
                    recorded_by=user,
                    is_demo=is_demo,
                    position=position,
                )
                measurement._history_user = user
                measurement._change_reason = "Measurement recorded"
                measurement.save()
                saved.append(measurement)
    except IntegrityError:
        raise ValidationError(
            {
                "period_end": "Someone recorded a value for this period at the same time. Reload the page."
            }
        ) from None
    return saved


@transaction.atomic
def delegate(*, action: Action, user, lead_officer, seen_version: int) -> Action:
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.version != seen_version:
        raise StaleEdit(_changes_since(action, seen_version, what=action.ref))
    if lead_officer is not None and not lead_officer.groups.filter(name=LEAD_OFFICER).exists():
        raise ValidationError({"lead_officer": "Select a lead officer from the list"})
    action.lead_officer = lead_officer
    action._history_user = user
    action._change_reason = (
        f"Delegated to {lead_officer.get_full_name() or lead_officer.email}"
        if lead_officer
        else "Delegation removed"
    )
    action.save()
    return action


def lead_officers():
    return (
        get_user_model()
        .objects.filter(groups__name=LEAD_OFFICER, is_active=True)
        .order_by("first_name", "last_name", "email")
    )
