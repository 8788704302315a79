"""Which actions and outcomes the dashboard's filters leave, and lists cut at the page's limit."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery, Window
from django.utils import timezone

from actions.cycles import current_cycle
from actions.models import Action, ProgressUpdate, ReportingCycle
from reporting.dashboard.filters import SINCE_DEFAULT_DAYS, Filters
from targets.models import Outcome

# Lists on the page stop at this many rows; each says how many there are, and its download has
# them all. So the page costs the same whatever the size of the framework.
LIST_LIMIT = 10


def person_fields(relation: str) -> tuple[str, ...]:
    return tuple(f"{relation}__{name}" for name in ("first_name", "last_name", "email"))


# --- the scope: which actions and outcomes the filters leave ---------------------------------


@dataclass
class Scope:
    filters: Filters
    today: datetime.date
    cycle: ReportingCycle | None
    since: datetime.date
    actions: QuerySet  # of Action

    @property
    def action_ids(self) -> QuerySet:
        return self.actions.values("pk")

    def of_actions(self, queryset: QuerySet, field: str = "action_id") -> QuerySet:
        """The rows of the actions in scope. Unfiltered, that is every row: no condition at
        all, so the database can use the best index for the rest of the query."""
        if not self.filters.any:
            return queryset
        return queryset.filter(**{f"{field}__in": self.action_ids})

    @property
    def outcomes(self) -> QuerySet:
        """Outcomes of the chosen strand or area; with other filters, those the actions serve."""
        reach = self.filters.reach
        outcomes = reach.outcomes if reach else Outcome.objects.all()
        if self.filters.strand:
            outcomes = outcomes.filter(service_area__strand__ref=self.filters.strand)
        if self.filters.area:
            outcomes = outcomes.filter(service_area__ref=self.filters.area)
        if self.filters.narrows_actions:
            served = Outcome.targets.through.objects.filter(target__action_id__in=self.action_ids)
            outcomes = outcomes.filter(pk__in=served.values("outcome_id"))
        return outcomes


def build_scope(filters: Filters, *, today: datetime.date | None = None) -> Scope:
    today = today or timezone.localdate()
    cycle = current_cycle(today)
    since = filters.since or today - datetime.timedelta(days=SINCE_DEFAULT_DAYS)
    if filters.action_filter:
        actions = filters.action_filter.qs
    else:
        actions = filters.reach.actions if filters.reach else Action.objects.all()
    return Scope(filters, today, cycle, since, actions)


def _cycle_start(cycle: ReportingCycle) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(cycle.start_date, datetime.time.min))


def updated_in(cycle: ReportingCycle) -> Exists:
    return Exists(
        ProgressUpdate.objects.filter(action=OuterRef("pk"), created_at__gte=_cycle_start(cycle))
    )


def last_update_at() -> Subquery:
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at")
    return Subquery(latest.values("created_at")[:1])


def with_total(queryset: QuerySet) -> QuerySet:
    """Every row also says how many rows there are in all, so a list and its count are one query."""
    return queryset.annotate(total_rows=Window(Count("pk")))


def _total(rows) -> int:
    return rows[0].total_rows if rows else 0


@dataclass
class Listing:
    """A list cut at the page's limit: the rows shown and how many there are in all."""

    rows: list
    total: int

    @property
    def is_cut(self) -> bool:
        return self.total > len(self.rows)


def listing(queryset: QuerySet, limit: int | None) -> Listing:
    rows = list(with_total(queryset)[:limit] if limit else with_total(queryset))
    return Listing(rows, _total(rows))
