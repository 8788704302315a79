"""Which live actions have been updated in a reporting cycle, which are still due, which are late.

``actions.cycles.state_in_cycle`` says it for one action from its latest update. Here the same
rule is written as queries, for the framework's filter, the cycle pages and the reminders: an
update counts for a cycle from the start of the cycle's first day (local time) until the next
cycle starts; an action that is complete or closed owes nothing; after the close date, an action
not yet updated is late.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.expressions import Combinable
from django.utils import timezone

from actions.cycles import DUE, LATE, UPDATED, today
from actions.models import LIVE_STATUSES, ProgressUpdate, ReportingCycle

STATES = (DUE, LATE, UPDATED)


def start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of a day, in the product's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def window_end(cycle: ReportingCycle) -> datetime.datetime | None:
    """When updates stop counting for a cycle: the start of the next cycle, or never (current)."""
    following = (
        ReportingCycle.objects.filter(start_date__gt=cycle.start_date)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    return start_of(following) if following else None


def _updates_in(cycle: ReportingCycle, end: datetime.datetime | None):
    updates = ProgressUpdate.objects.filter(
        action=OuterRef("pk"), created_at__gte=start_of(cycle.start_date)
    )
    if end is not None:
        updates = updates.filter(created_at__lt=end)
    return updates


def with_cycle_update(queryset, cycle: ReportingCycle, *, end: datetime.datetime | None = None):
    """Annotate each action's latest update in the cycle: ``cycle_update_at`` and its author."""
    latest = _updates_in(cycle, end).order_by("-created_at", "-id")
    return queryset.annotate(
        cycle_update_at=Subquery(latest.values("created_at")[:1]),
        cycle_update_author_id=Subquery(latest.values("author_id")[:1]),
    )


def in_state(
    queryset,
    cycle: ReportingCycle | None,
    states,
    *,
    on: datetime.date | None = None,
    end: datetime.datetime | None = None,
):
    """Only the actions in one of ``states`` (due, late, updated) in the cycle on the given day."""
    states = set(states)
    if cycle is None:
        return queryset.none()
    on = on or today()
    live = Q(status__in=LIVE_STATUSES)
    updated = Exists(_updates_in(cycle, end))
    condition: Q | Combinable = Q(pk__in=[])
    if UPDATED in states:
        condition |= live & updated
    not_updated_state = LATE if on > cycle.close_date else DUE
    if not_updated_state in states:
        condition |= live & ~updated
    return queryset.filter(condition)


def responsible_person(action):
    """Who owes the update: the lead officer when delegated, else the owner (or the director)."""
    return action.lead_officer or action.responsible_owner
