"""Changes to actions that check a rule, record history with a reason, or touch several rows."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from actions import notifications
from actions.cycles import started_cycles
from actions.models import ALLOWED_TRANSITIONS, Action, ProgressUpdate, Status
from config.history import attribute
from config.history_display import entries_for
from config.roles import LEAD_OFFICER


class StaleEdit(Exception):
    """Someone else saved the item after the form was opened; ``changes`` says who changed what."""

    def __init__(self, changes: list[str]):
        self.changes = changes
        super().__init__("; ".join(changes))


def changes_since(obj, seen_version: int, *, what: str) -> list[str]:
    model = type(obj)
    records = list(
        obj.history.filter(version__gte=seen_version)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    lines = []
    for entry in entries_for(records, model, what=what, keep_unchanged=True)[1:]:
        who = entry.who.display_name if entry.who else "Someone"
        when = (
            timezone.localtime(entry.when)
            .strftime("%-d %B %Y at %-I:%M%p")
            .replace("AM", "am")
            .replace("PM", "pm")
        )
        if entry.changes:
            changed = ", ".join(f"{c.label.lower()} from {c.old} to {c.new}" for c in entry.changes)
            lines.append(f"{who} changed {changed} on {when}.")
        else:  # nothing of the item itself changed: say what was saved, in the history's words
            saved = f" ({entry.reason})" if entry.reason else ""
            lines.append(f"{who} saved {what} on {when}{saved}.")
    return lines or ["Someone else saved this item after you opened the form."]


def allowed_next_statuses(current: str) -> list[str]:
    """The current status and those that may follow it, in the order of the choices."""
    allowed = ALLOWED_TRANSITIONS[Status(current)] | {current}
    return [value for value in Status.values if value in allowed]


def progress_problems(
    *, status: str | None, progress: int | None, narrative: str = "", closed_reason: str = ""
) -> dict[str, str]:
    """The rules of a progress update, stated once (ProgressForm shows them, record_progress
    enforces them; a database constraint backs up the first): an action off track says why, one
    being closed says why, and one that is complete is 100% complete. Each problem by field;
    a value not given (None) is not checked."""
    problems = {}
    if status == Status.OFF_TRACK and not narrative.strip():
        problems["narrative"] = "Explain why the action is off track"
    if status == Status.CLOSED and not closed_reason.strip():
        problems["closed_reason"] = "Enter the reason for closing the action"
    if progress is not None and not 0 <= progress <= 100:
        problems["progress"] = "Enter % complete as a whole number from 0 to 100"
    elif status == Status.COMPLETE and progress is not None and progress != 100:
        problems["progress"] = "An action that is complete must be 100% complete"
    return problems


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
        raise StaleEdit(changes_since(action, seen_version, what=action.ref))
    check_transition(action.status, status)
    narrative, closed_reason = narrative.strip(), closed_reason.strip()
    problems = progress_problems(
        status=status, progress=progress, narrative=narrative, closed_reason=closed_reason
    )
    if problems:
        raise ValidationError(problems)
    # The action's first update in the cycle moves it from "due" to "updated" on the dashboards.
    earlier = ProgressUpdate.objects.filter(action=action, cycle=OuterRef("pk"))
    cycle = started_cycles().annotate(updated=Exists(earlier)).first()
    first_in_cycle = cycle is not None and not cycle.updated
    update = ProgressUpdate(
        action=action,
        cycle=cycle,
        status=status,
        progress=progress,
        narrative=narrative,
        author=user,
        is_demo=is_demo,
        created_at=when or timezone.now(),
    )
    attribute(update, user=user)
    update.save()
    action.status, action.progress = status, progress
    if first_in_cycle:
        action.cycle_version += 1
    if status == Status.CLOSED:
        action.closed_reason = closed_reason
    attribute(
        action, user=user, reason="Progress update" + (f": {narrative[:80]}" if narrative else "")
    )
    action.save()
    return update


@transaction.atomic
def delegate(*, action: Action, user, lead_officer, seen_version: int) -> Action:
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.version != seen_version:
        raise StaleEdit(changes_since(action, seen_version, what=action.ref))
    if lead_officer is not None and not lead_officer.groups.filter(name=LEAD_OFFICER).exists():
        raise ValidationError({"lead_officer": "Select a lead officer from the list"})
    changed = action.lead_officer_id != (lead_officer.pk if lead_officer else None)
    action.lead_officer = lead_officer
    attribute(
        action,
        user=user,
        reason=(
            f"Delegated to {lead_officer.display_name}" if lead_officer else "Delegation removed"
        ),
    )
    action.save()
    if changed:
        notifications.action_delegated(action, by=user)
    return action


def lead_officers():
    return (
        get_user_model()
        .objects.filter(groups__name=LEAD_OFFICER, is_active=True)
        .order_by("first_name", "last_name", "email")
    )
