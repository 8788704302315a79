"""Where an action stands in the current reporting cycle: update due, updated, or late."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from actions.models import ReportingCycle

DUE = "due"
UPDATED = "updated"
LATE = "late"

LABELS = {DUE: "Update due", UPDATED: "Updated", LATE: "Late"}


def today() -> datetime.date:
    return timezone.localdate()


def current_cycle(on: datetime.date | None = None) -> ReportingCycle | None:
    """The latest cycle that has started by the given day."""
    return started_cycles(on).first()


def started_cycles(on: datetime.date | None = None):
    """The cycles that have started by the given day, the current one first."""
    on = on or today()
    return ReportingCycle.objects.filter(start_date__lte=on).order_by("-start_date", "-id")


@dataclass(frozen=True)
class CycleState:
    code: str

    @property
    def label(self) -> str:
        return LABELS[self.code]

    @property
    def sort_key(self) -> int:
        return {LATE: 0, DUE: 1, UPDATED: 2}[self.code]


def state_in_cycle(
    *, cycle: ReportingCycle | None, is_live: bool, last_update_at, on: datetime.date | None = None
) -> CycleState | None:
    """An action owes an update in a cycle while it is live; it is late after the close date."""
    if cycle is None or not is_live:
        return None
    on = on or today()
    if last_update_at is not None and timezone.localdate(last_update_at) >= cycle.start_date:
        return CycleState(UPDATED)
    if on > cycle.close_date:
        return CycleState(LATE)
    return CycleState(DUE)
