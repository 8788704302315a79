"""Actions by status, updates late in the cycle, targets overdue or due, open challenges."""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from actions import cycle_progress
from actions.cycles import LATE
from actions.models import LIVE_STATUSES, Action, Challenge, ReportingCycle, Status
from reporting.dashboard.selectors.scope import (
    LIST_LIMIT,
    Listing,
    Scope,
    last_update_at,
    listing,
    person_fields,
    updated_in,
)
from strands.models import ServiceArea, Strand
from targets.models import Target

DUE_SOON_DAYS = 90

ACTION_LIST_FIELDS = (
    "ref",
    "title",
    "status",
    "service_area__name",
    "service_area__strand_id",
    *person_fields("owner"),
    *person_fields("service_area__director"),
    *person_fields("lead_officer"),
)
TARGET_LIST_FIELDS = (
    "ref",
    "description",
    "due_date",
    "due_text",
    "status",
    "action__ref",
    "action__title",
    "action__service_area__name",
)


# --- actions by status ----------------------------------------------------------------------


@dataclass
class StatusRow:
    name: str
    counts: dict[str, int]
    strand: Strand | None = None
    ref: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def in_order(self) -> list[int]:
        return [self.counts.get(s.value, 0) for s in Status]

    def by_status(self) -> list[tuple[str, int]]:
        """(the status in words, how many) for every status in order: a status table's columns."""
        return [(s.label, self.counts.get(s.value, 0)) for s in Status]


@dataclass
class StatusCounts:
    by_area: list[StatusRow]
    by_strand: list[StatusRow]
    totals: StatusRow

    @property
    def live(self) -> int:
        return sum(self.totals.counts.get(s, 0) for s in LIVE_STATUSES)

    @property
    def fingerprint(self) -> str:
        """Everything the status chart and tables show, in a few characters: a progress save
        that leaves every action's status as it was leaves them drawn as they were."""
        rows = [
            (row.ref, row.name, row.strand.name if row.strand else "", sorted(row.counts.items()))
            for row in (*self.by_area, *self.by_strand, self.totals)
        ]
        return hashlib.sha256(repr(rows).encode()).hexdigest()[:20]


def status_counts(scope: Scope, *, areas: list[ServiceArea], strands: list[Strand]) -> StatusCounts:
    """How many actions have each status, per service area and strand (one query)."""
    per_area: dict[int, dict[str, int]] = defaultdict(dict)
    for area_id, status, n in (
        scope.of_actions(Action.objects.all(), "pk")
        .order_by()
        .values_list("service_area_id", "status")
        .annotate(n=Count("pk"))
    ):
        per_area[area_id][status] = n
    by_area = [
        StatusRow(area.name, per_area[area.pk], strand=area.strand, ref=area.ref)
        for area in areas
        if per_area.get(area.pk)
    ]
    by_strand = []
    for strand in strands:
        counts: dict[str, int] = defaultdict(int)
        for row in by_area:
            if row.strand is not None and row.strand.pk == strand.pk:
                for status, n in row.counts.items():
                    counts[status] += n
        if counts:
            by_strand.append(StatusRow(strand.name, dict(counts), ref=strand.ref))
    totals: dict[str, int] = defaultdict(int)
    for row in by_area:
        for status, n in row.counts.items():
            totals[status] += n
    return StatusCounts(by_area, by_strand, StatusRow("All actions", dict(totals)))


# --- updates in the current cycle -----------------------------------------------------------


@dataclass
class CycleFigures:
    cycle: ReportingCycle | None
    late: Listing
    due: int
    updated: int


def cycle_figures(scope: Scope, *, limit: int | None = LIST_LIMIT) -> CycleFigures:
    """Live actions late, due and updated in the current cycle; the late ones listed."""
    cycle, today = scope.cycle, scope.today
    if cycle is None:
        return CycleFigures(None, Listing([], 0), 0, 0)
    counts = (
        scope.of_actions(Action.objects.live(), "pk")
        .annotate(updated_in_cycle=updated_in(cycle))
        .aggregate(
            updated=Count("pk", filter=Q(updated_in_cycle=True)),
            waiting=Count("pk", filter=Q(updated_in_cycle=False)),
        )
    )
    is_past_close = today > cycle.close_date
    late = Listing([], 0)
    if is_past_close and counts["waiting"]:
        late = listing(
            cycle_progress.in_state(
                scope.of_actions(Action.objects.all(), "pk"), cycle, {LATE}, on=today
            )
            .annotate(last_update_at=last_update_at())
            .select_related("service_area", "owner", "service_area__director", "lead_officer")
            .only(*ACTION_LIST_FIELDS)
            .order_by(
                "service_area__strand__position", "service_area__position", "position", "ref"
            ),
            limit,
        )
    return CycleFigures(
        cycle,
        late,
        due=0 if is_past_close else counts["waiting"],
        updated=counts["updated"],
    )


# --- targets --------------------------------------------------------------------------------


@dataclass
class TargetFigures:
    overdue: Listing
    due_soon: Listing
    due_soon_until: datetime.date


def target_figures(scope: Scope, *, limit: int | None = LIST_LIMIT) -> TargetFigures:
    """Targets not met whose date has passed, and those due in the next 90 days."""
    today = scope.today
    until = today + datetime.timedelta(days=DUE_SOON_DAYS)
    open_targets = (
        scope.of_actions(Target.objects.all())
        .exclude(status=Target.Status.MET)
        .select_related("action__service_area")
        .only(*TARGET_LIST_FIELDS)
        .order_by("due_date", "ref")
    )
    overdue = listing(open_targets.filter(due_date__lt=today), limit)
    soon = listing(open_targets.filter(due_date__gte=today, due_date__lte=until), limit)
    for target in overdue.rows:
        target.days_overdue = (today - target.due_date).days
    for target in soon.rows:
        target.days_left = (target.due_date - today).days
    return TargetFigures(overdue, soon, until)


# --- challenges -----------------------------------------------------------------------------


def open_challenges(scope: Scope, *, limit: int | None = LIST_LIMIT) -> Listing:
    return listing(
        scope.of_actions(Challenge.objects.filter(state=Challenge.State.OPEN))
        .select_related("action__service_area", "raised_by")
        .only(
            "question",
            "raised_at",
            "due_date",
            "is_demo",
            "action__ref",
            "action__title",
            "action__service_area__name",
            *person_fields("raised_by"),
        )
        .order_by("raised_at", "pk"),
        limit,
    )
