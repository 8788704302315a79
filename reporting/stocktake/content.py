"""What a stocktake says: the one context behind its HTML page and its PDF.

Everything comes from the framework as recorded at the stocktake's "as at" moment (``snapshot``),
so building it again later for the same moment says the same, whatever has changed since.

What is published, and what is not:
- only actions marked public (as they were marked at that moment) appear, with their targets;
- an outcome appears when it serves a public action's target, or serves no target at all (an
  aim of the whole service area); an outcome that serves only actions that are not public is
  left out, so that nothing about those actions can be read from it;
- breakdowns by group follow ``suppression`` (small numbers are never shown).

A year started from a published stocktake (its ``baseline``) leaves out the actions that were
already complete or closed at the baseline and still are: they are reported in that stocktake and
kept, unchanged, in the framework. Every other action carries forward with its reference.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from actions.models import Action, Characteristic, Status
from reporting.models import Stocktake
from reporting.stocktake import suppression
from reporting.stocktake.glossary import (
    STATUS_MEANINGS,
    TARGET_STATUS_MEANINGS,
    characteristic_meaning,
    terms,
)
from reporting.stocktake.snapshot import Snapshot, records_as_at
from targets import charts, trends
from targets.models import Measurement, Outcome, Target
from targets.shares import periods as indicator_periods

ENDED = frozenset({Status.COMPLETE, Status.CLOSED})
OGL_NAME = "Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def end_of_day(day: datetime.date) -> datetime.datetime:
    """ "As at 31 March 2026" means as recorded by the end of that day, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


# --- what the template reads ---------------------------------------------------------------


@dataclass
class TargetEntry:
    ref: str
    description: str
    due_date: datetime.date | None
    due_text: str
    kind: str
    baseline: Decimal | None
    target_value: Decimal | None
    unit: str
    status: str
    status_label: str
    met_on: datetime.date | None
    current_value: Decimal | None
    action_ref: str
    periods: list[suppression.PublishedPeriod] = field(default_factory=list)  # newest first
    removed: str = ""  # redacted from the published stocktake: the notice shown in its place

    @property
    def is_met(self) -> bool:
        return self.status == Target.Status.MET

    @property
    def is_numeric(self) -> bool:
        return self.kind == Target.Kind.NUMERIC


@dataclass
class UpdateEntry:
    created_at: datetime.datetime
    status_label: str
    progress: int
    narrative: str
    is_demo: bool


@dataclass
class OutcomeLink:
    ref: str
    description: str
    latest_text: str  # blank for a qualitative outcome


@dataclass
class ActionEntry:
    ref: str
    title: str
    area_ref: str
    issue: str
    planned_action: str
    intended_outcome: str
    evidence: str
    status: str
    status_label: str
    progress: int
    closed_reason: str
    start_date: datetime.date | None
    due_date: datetime.date | None
    characteristics: list[str]
    latest_update: UpdateEntry | None
    targets: list[TargetEntry] = field(default_factory=list)
    outcomes: list[OutcomeLink] = field(default_factory=list)
    removed: str = ""  # redacted from the published stocktake: the notice shown in its place


@dataclass
class OutcomeEntry:
    ref: str
    description: str
    indicator: str
    unit: str
    direction: str
    direction_label: str
    baseline: Decimal | None
    target_value: Decimal | None
    target_date: datetime.date | None
    dimension: str
    group: str
    group_share: Decimal | None
    benchmark_share: Decimal | None
    target_refs: list[str]
    action_refs: list[str]
    id: int = 0
    share_comparison: str = Outcome.ShareComparison.AT_LEAST
    share_tolerance: Decimal | None = None
    action_ids: list[int] = field(default_factory=list)
    periods: list[suppression.PublishedPeriod] = field(default_factory=list)  # newest first
    travel: trends.Travel = trends.NO_VALUE
    trend_chart: charts.Chart | None = None
    shares_chart: charts.Chart | None = None
    removed: str = ""  # redacted from the published stocktake: the notice shown in its place

    @property
    def has_indicator(self) -> bool:
        return bool(self.indicator)

    @property
    def latest(self) -> suppression.PublishedPeriod | None:
        return self.periods[0] if self.periods else None

    @property
    def is_percent(self) -> bool:
        return self.unit == Outcome.Unit.PERCENT

    @property
    def travel_text(self) -> str:
        return self.travel.sentence if self.travel.is_known else "Not enough values yet to say"

    @property
    def latest_text(self) -> str:
        latest = self.latest
        if not self.has_indicator:
            return "A qualitative outcome, with no indicator to measure"
        if latest is None or latest.total is None:
            return "No values recorded yet"
        suffix = "%" if self.is_percent else ""
        return f"{number(latest.total)}{suffix} in the period ending {long_date(latest.period_end)}"


@dataclass
class AreaEntry:
    ref: str
    name: str
    description: str
    strand_name: str
    actions: list[ActionEntry] = field(default_factory=list)
    outcomes: list[OutcomeEntry] = field(default_factory=list)

    @property
    def status_counts(self) -> dict[str, int]:
        return dict(Counter(a.status for a in self.actions))

    @property
    def status_words(self) -> str:
        return status_words(self.actions)


@dataclass
class StrandEntry:
    ref: str
    name: str
    description: str
    areas: list[AreaEntry] = field(default_factory=list)
    chart: charts.Chart | None = None

    @property
    def actions(self) -> list[ActionEntry]:
        return [a for area in self.areas for a in area.actions]

    @property
    def status_rows(self) -> list[tuple[str, str, int]]:
        counts = Counter(a.status for a in self.actions)
        return [(s.value, s.label, counts.get(s.value, 0)) for s in Status]

    @property
    def status_words(self) -> str:
        return status_words(self.actions)

    @property
    def targets(self) -> list[TargetEntry]:
        return [t for a in self.actions for t in a.targets]

    @property
    def targets_met(self) -> int:
        return sum(1 for t in self.targets if t.is_met)

    @property
    def measured_outcomes(self) -> list[OutcomeEntry]:
        return [o for area in self.areas for o in area.outcomes if o.travel.judged]

    @property
    def outcomes_right_way(self) -> int:
        return sum(1 for o in self.measured_outcomes if o.travel.is_right_way)

    @property
    def outcome_count(self) -> int:
        return sum(len(area.outcomes) for area in self.areas)


@dataclass
class StatusChange:
    ref: str
    title: str
    before: str
    after: str


@dataclass
class Changes:
    previous_year: int | None = None
    previous_as_at: datetime.datetime | None = None
    added: list[tuple[str, str]] = field(default_factory=list)
    status_changes: list[StatusChange] = field(default_factory=list)
    targets_met: list[TargetEntry] = field(default_factory=list)
    new_values: list[tuple[str, str, int, datetime.date]] = field(default_factory=list)
    kept_as_history: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def is_first(self) -> bool:
        return self.previous_as_at is None

    @property
    def nothing_changed(self) -> bool:
        return not (self.added or self.status_changes or self.targets_met or self.new_values)


@dataclass
class StocktakeContent:
    year: int
    as_at: datetime.datetime
    council_name: str
    programme_name: str
    strands: list[StrandEntry]
    changes: Changes
    statuses: list[tuple[str, str, str]]  # (code, label, meaning)
    target_statuses: list[tuple[str, str]]
    characteristics: list[tuple[str, str]]
    terms: list[tuple[str, str]]
    threshold: int
    left_out: int  # actions not shown because they are not public (for the programme team only)
    baseline_year: int | None = None
    licence_name: str = OGL_NAME
    licence_url: str = OGL_URL

    @property
    def title(self) -> str:
        return f"{self.programme_name}: annual stocktake {self.year}"

    @property
    def as_at_words(self) -> str:
        """ "the end of 31 March 2026", or "14:05 on 22 November 2026" for a moment in a day."""
        local = timezone.localtime(self.as_at)
        if local.time() == datetime.time.max:
            return f"the end of {long_date(local)}"
        return f"{local:%H:%M} on {long_date(local)}"

    @property
    def areas(self) -> list[AreaEntry]:
        return [area for strand in self.strands for area in strand.areas]

    @property
    def actions(self) -> list[ActionEntry]:
        return [a for strand in self.strands for a in strand.actions]

    @property
    def outcomes(self) -> list[OutcomeEntry]:
        return [o for area in self.areas for o in area.outcomes]

    @property
    def status_rows(self) -> list[tuple[str, str, int]]:
        counts = Counter(a.status for a in self.actions)
        return [(s.value, s.label, counts.get(s.value, 0)) for s in Status]

    @property
    def targets(self) -> list[TargetEntry]:
        return [t for a in self.actions for t in a.targets]

    @property
    def targets_met(self) -> int:
        return sum(1 for t in self.targets if t.is_met)

    @property
    def outcomes_right_way(self) -> int:
        return sum(1 for o in self.outcomes if o.travel.is_right_way)

    @property
    def measured_outcomes(self) -> int:
        return sum(1 for o in self.outcomes if o.travel.judged)

    @property
    def fewer_than(self) -> str:
        return f"fewer than {self.threshold}"


# --- building it ------------------------------------------------------------------------------


def build(
    *,
    year: int,
    as_at: datetime.datetime,
    baseline=None,
    previous=None,
) -> StocktakeContent:
    """The stocktake for ``year`` as recorded at ``as_at``.

    baseline: the published stocktake this year was started from (its closed work is left out);
    previous: the stocktake to compare with in "what changed" (normally the baseline).
    """
    snapshot = Snapshot.load(as_at)
    carried_over = _ended_at_baseline(baseline) if baseline else set()
    builder = _Builder(snapshot, carried_over)
    strands = builder.strands()
    return StocktakeContent(
        year=year,
        as_at=as_at,
        council_name=settings.COUNCIL_NAME,
        programme_name=settings.PROGRAMME_NAME,
        strands=strands,
        changes=_changes(builder, previous, baseline, carried_over),
        statuses=[(s.value, s.label, STATUS_MEANINGS[s]) for s in Status],
        target_statuses=[(s.label, TARGET_STATUS_MEANINGS[s]) for s in Target.Status],
        characteristics=[
            (c.name, characteristic_meaning(c.code)) for c in Characteristic.objects.all()
        ],
        terms=terms(suppression.threshold()),
        threshold=suppression.threshold(),
        left_out=builder.left_out,
        baseline_year=baseline.year if baseline else None,
    )


def for_stocktake(stocktake) -> StocktakeContent:
    return build(
        year=stocktake.year,
        as_at=stocktake.as_at,
        baseline=stocktake.baseline,
        previous=previous_stocktake(stocktake.year, stocktake.as_at, stocktake.baseline),
    )


def previous_stocktake(year: int, as_at: datetime.datetime, baseline=None):
    """What "changed since" compares with: the baseline, or else the latest earlier stocktake
    published by the as-at moment (so the answer cannot change later)."""
    if baseline is not None:
        return baseline
    return (
        Stocktake.objects.filter(
            year__lt=year, state=Stocktake.State.PUBLISHED, published_at__lte=as_at
        )
        .order_by("-year")
        .first()
    )


def _ended_at_baseline(baseline) -> set[int]:
    """Actions complete or closed as recorded at the baseline: kept there as history."""
    return {a.id for a in records_as_at(Action, baseline.as_at) if a.status in ENDED}


def carried_forward(baseline, at: datetime.datetime) -> tuple[list, list]:
    """For starting a year from ``baseline``: (actions carried forward, actions kept as history),
    as historical records of the actions as they stood at ``at``."""
    ended = _ended_at_baseline(baseline)
    now = records_as_at(Action, at)
    kept = [a for a in now if a.id in ended and a.status in ENDED]
    carried = [a for a in now if not (a.id in ended and a.status in ENDED)]
    return carried, kept


class _Builder:
    """Turns a snapshot into the entries above, in the framework's order."""

    def __init__(self, snapshot: Snapshot, kept_as_history: set[int]):
        self.snapshot = snapshot
        self.kept_as_history = kept_as_history
        names = dict(Characteristic.objects.values_list("code", "name"))
        self.characteristic_order = list(names)
        self.characteristic_names = names
        actions = [a for a in snapshot.actions if a.id not in kept_as_history]
        self.public_actions = [a for a in actions if a.is_public]
        self.left_out = len(actions) - len(self.public_actions)
        self.public_action_ids = {a.id for a in self.public_actions}
        self.action_refs = {a.id: a.ref for a in snapshot.actions}
        self.target_entries: dict[int, TargetEntry] = {}
        self.outcome_entries: list[OutcomeEntry] = []
        self.public_target_ids = {
            t.id for t in snapshot.targets if t.action_id in self.public_action_ids
        }
        self.measurements_of: dict[tuple[str, int], list] = {}
        for m in sorted(snapshot.measurements, key=lambda m: (m.period_end, m.position, m.id)):
            key = ("outcome", m.outcome_id) if m.outcome_id else ("target", m.target_id)
            self.measurements_of.setdefault(key, []).append(m)

    def strands(self) -> list[StrandEntry]:
        outcomes_by_area = self._outcomes_by_area()
        actions_by_area: dict[int, list] = {}
        for action in sorted(self.public_actions, key=lambda a: (a.position, a.ref)):
            actions_by_area.setdefault(action.service_area_id, []).append(action)
        targets_by_action: dict[int, list] = {}
        for target in sorted(self.snapshot.targets, key=lambda t: (t.position, t.ref)):
            if target.id in self.public_target_ids:
                targets_by_action.setdefault(target.action_id, []).append(target)
        outcome_links: dict[int, list[OutcomeLink]] = {}
        for outcomes in outcomes_by_area.values():
            for outcome in outcomes:
                link = OutcomeLink(
                    outcome.ref,
                    outcome.description,
                    outcome.latest_text if outcome.has_indicator else "",
                )
                for action_id in outcome.action_ids:
                    outcome_links.setdefault(action_id, []).append(link)

        strands = []
        for strand in sorted(self.snapshot.strands, key=lambda s: (s.position, s.ref)):
            entry = StrandEntry(strand.ref, strand.name, strand.description)
            for area in sorted(
                (a for a in self.snapshot.areas if a.strand_id == strand.id),
                key=lambda a: (a.position, a.ref),
            ):
                area_entry = AreaEntry(area.ref, area.name, area.description, strand.name)
                for action in actions_by_area.get(area.id, []):
                    action_entry = self._action(action, area.ref)
                    action_entry.targets = [
                        self._target(t, action.ref) for t in targets_by_action.get(action.id, [])
                    ]
                    action_entry.outcomes = outcome_links.get(action.id, [])
                    area_entry.actions.append(action_entry)
                area_entry.outcomes = outcomes_by_area.get(area.id, [])
                entry.areas.append(area_entry)
            entry.chart = charts.status_by_area_chart(
                [(area.name, area.status_counts) for area in entry.areas]
            )
            strands.append(entry)
        return strands

    def _action(self, action, area_ref: str) -> ActionEntry:
        update = self.snapshot.latest_updates.get(action.id)
        codes = self.snapshot.characteristics.get(action.id, [])
        return ActionEntry(
            ref=action.ref,
            title=action.title,
            area_ref=area_ref,
            issue=action.issue,
            planned_action=action.planned_action,
            intended_outcome=action.intended_outcome,
            evidence=action.evidence,
            status=action.status,
            status_label=Status(action.status).label,
            progress=action.progress,
            closed_reason=action.closed_reason if action.status == Status.CLOSED else "",
            start_date=action.start_date,
            due_date=action.due_date,
            characteristics=[
                self.characteristic_names.get(code, code)
                for code in sorted(codes, key=self._characteristic_position)
            ],
            latest_update=UpdateEntry(
                created_at=update.created_at,
                status_label=Status(update.status).label,
                progress=update.progress,
                narrative=update.narrative,
                is_demo=update.is_demo,
            )
            if update
            else None,
        )

    def _characteristic_position(self, code: str) -> int:
        order = self.characteristic_order
        return order.index(code) if code in order else len(order)

    def _target(self, target, action_ref: str) -> TargetEntry:
        entry = TargetEntry(
            ref=target.ref,
            description=target.description,
            due_date=target.due_date,
            due_text=target.due_text,
            kind=target.kind,
            baseline=target.baseline,
            target_value=target.target_value,
            unit=target.unit,
            status=target.status,
            status_label=Target.Status(target.status).label,
            met_on=target.met_on if target.status == Target.Status.MET else None,
            current_value=target.current_value if target.kind == Target.Kind.NUMERIC else None,
            action_ref=action_ref,
        )
        if entry.is_numeric:
            measured = self.measurements_of.get(("target", target.id), [])
            entry.periods = [suppression.publish(p) for p in indicator_periods(target, measured)]
        self.target_entries[target.id] = entry
        return entry

    def shown_outcomes(self) -> list:
        """Outcomes that serve a public action's target, or serve no target at all."""
        shown = []
        for outcome in self.snapshot.outcomes:
            target_ids = self.snapshot.outcome_targets.get(outcome.id, [])
            if not target_ids or any(t in self.public_target_ids for t in target_ids):
                shown.append(outcome)
        return shown

    def _outcomes_by_area(self) -> dict[int, list[OutcomeEntry]]:
        targets = {t.id: t for t in self.snapshot.targets}
        by_area: dict[int, list[OutcomeEntry]] = {}
        for outcome in sorted(self.shown_outcomes(), key=lambda o: (o.position, o.ref)):
            target_ids = [
                t
                for t in self.snapshot.outcome_targets.get(outcome.id, [])
                if t in self.public_target_ids
            ]
            action_ids = []
            for target_id in target_ids:
                action_id = targets[target_id].action_id
                if action_id not in action_ids:
                    action_ids.append(action_id)
            entry = OutcomeEntry(
                ref=outcome.ref,
                description=outcome.description,
                indicator=outcome.indicator,
                unit=outcome.unit,
                direction=outcome.direction,
                direction_label=Outcome.Direction(outcome.direction).label
                if outcome.direction
                else "",
                baseline=outcome.baseline,
                target_value=outcome.target_value,
                target_date=outcome.target_date,
                dimension=outcome.dimension,
                group=outcome.group,
                group_share=outcome.group_share,
                benchmark_share=outcome.benchmark_share,
                target_refs=sorted(targets[t].ref for t in target_ids),
                action_refs=[self.action_refs[a] for a in action_ids],
                id=outcome.id,
                share_comparison=outcome.share_comparison,
                share_tolerance=outcome.share_tolerance,
                action_ids=action_ids,
            )
            self.outcome_entries.append(entry)
            if outcome.indicator:
                measured = self.measurements_of.get(("outcome", outcome.id), [])
                entry.periods = [
                    suppression.publish(p) for p in indicator_periods(outcome, measured)
                ]
                entry.travel = _travel(entry)
                _outcome_charts(entry)
            by_area.setdefault(outcome.service_area_id, []).append(entry)
        return by_area


def _travel(outcome: OutcomeEntry) -> trends.Travel:
    """The latest published total against the one before it (or the baseline): targets.trends."""
    totals = [p.total for p in outcome.periods if p.total is not None]
    return trends.direction_of_travel(
        direction=outcome.direction,
        latest=totals[0] if totals else None,
        previous=totals[1] if len(totals) > 1 else None,
        baseline=outcome.baseline,
    )


def _outcome_charts(outcome: OutcomeEntry) -> None:
    points = [(p.period_end, p.total) for p in outcome.periods if p.total is not None]
    if points:
        outcome.trend_chart = charts.outcome_trend_chart(
            f"{outcome.ref}: {outcome.indicator}",
            points,
            target=outcome.target_value,
            unit=outcome.unit or "count",
        )
    latest = outcome.latest
    if latest is not None and latest.groups:
        shown = [g for g in latest.groups if not g.is_hidden]
        if shown:
            outcome.shares_chart = charts.group_shares_chart(
                f"{outcome.ref}: share of each group, period ending {long_date(latest.period_end)}",
                [(g.group, g.share, g.expected) for g in shown],
                comparison=outcome.share_comparison,
                tolerance=outcome.share_tolerance,
            )


def _changes(builder: _Builder, previous, baseline, kept: set[int]) -> Changes:
    changes = Changes()
    snapshot = builder.snapshot
    if baseline is not None:
        ended_public = [
            a for a in snapshot.actions if a.id in kept and a.is_public and a.status in ENDED
        ]
        changes.kept_as_history = [
            (a.ref, a.title, Status(a.status).label)
            for a in sorted(ended_public, key=lambda a: a.ref)
        ]
    if previous is None:
        return changes
    changes.previous_year = previous.year
    changes.previous_as_at = previous.as_at
    before = {a.id: a for a in records_as_at(Action, previous.as_at)}
    shown = {a.id: a for a in builder.public_actions}
    for action in sorted(shown.values(), key=lambda a: a.ref):
        old = before.get(action.id)
        if old is None:
            changes.added.append((action.ref, action.title))
        elif old.status != action.status:
            changes.status_changes.append(
                StatusChange(
                    action.ref,
                    action.title,
                    Status(old.status).label,
                    Status(action.status).label,
                )
            )
    targets_before = {t.id: t for t in records_as_at(Target, previous.as_at)}
    for target_id, entry in sorted(builder.target_entries.items(), key=lambda i: i[1].ref):
        old = targets_before.get(target_id)
        if entry.is_met and (old is None or old.status != Target.Status.MET):
            changes.targets_met.append(entry)
    counted_before = Counter(
        m.outcome_id
        for m in records_as_at(Measurement, previous.as_at)
        if m.outcome_id and not m.group
    )
    for outcome in sorted(builder.outcome_entries, key=lambda o: o.ref):
        totals = [p for p in outcome.periods if p.total is not None]
        new = len(totals) - counted_before.get(outcome.id, 0)
        if outcome.has_indicator and new > 0:
            changes.new_values.append((outcome.ref, outcome.indicator, new, totals[0].period_end))
    return changes


# --- words and numbers, for the template and the CSVs ------------------------------------------


def status_words(actions) -> str:
    """ "2 not started, 1 on track and 3 complete", in the order of the statuses."""
    counts = Counter(a.status for a in actions)
    parts = [f"{counts[s.value]} {s.label.lower()}" for s in Status if counts.get(s.value)]
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else "no actions"


def number(value) -> str:
    """1234.50 → "1,234.5"; 12.0000 → "12"."""
    if value is None:
        return ""
    value = Decimal(value).normalize()
    if value == value.to_integral():
        return f"{int(value):,}"
    return f"{value:,f}"


def long_date(day) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""
