"""Outcomes against target: latest value, direction of travel, each group's share; a trend."""

import datetime
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from typing import NamedTuple

from django.db.models import OuterRef, Q, QuerySet, Subquery

from reporting.dashboard.selectors.scope import LIST_LIMIT, Scope
from targets.models import Measurement, Outcome
from targets.shares import PeriodValues, expected_share, judge, percent, periods
from targets.trends import Travel, direction_of_travel

# --- outcomes against target ----------------------------------------------------------------


class _Row(NamedTuple):
    """A measurement as targets.shares.periods reads it, without a model instance."""

    period_end: datetime.date
    group: str
    value: Decimal
    dimension: str = ""
    source: str = ""
    note: str = ""
    is_demo: bool = False


@dataclass
class OutcomeRow:
    outcome: Outcome
    latest: PeriodValues | None
    previous: PeriodValues | None
    travel: Travel
    falls_short: bool
    named_share: Decimal | None = None
    expected: Decimal | None = None
    expected_label: str = ""

    @property
    def named(self):
        """The latest period's share of the group the outcome names, if it set one."""
        if not self.latest:
            return None
        return next((g for g in self.latest.groups if g.expected is not None), None)

    @property
    def judgement_label(self) -> str:
        """The named group against its share, in words: "Over-represented", "Meets it"."""
        named = self.named
        return named.judgement.label if named and named.judgement else ""

    @property
    def others_in_words(self) -> str:
        """The other groups' shares in one line: "Asian 15.2%, Mixed 10.1%"."""
        if not self.latest:
            return ""
        return ", ".join(
            f"{g.group} {g.share:.1f}%" if g.share is not None else f"{g.group} not known"
            for g in self.latest.groups
            if g.expected is None
        )

    @property
    def target_reached(self) -> bool | None:
        value, target = (self.latest.total if self.latest else None), self.outcome.target_value
        if value is None or target is None or not self.outcome.direction:
            return None
        if self.outcome.direction == Outcome.Direction.DECREASE:
            return value <= target
        return value >= target


@dataclass
class OutcomeFigures:
    rows: list[OutcomeRow]
    measured: int
    qualitative: int
    with_values: int
    falling_short: int
    with_share: int

    @property
    def is_cut(self) -> bool:
        return self.measured > len(self.rows)


def _rows_by_outcome(values) -> dict[int, list[_Row]]:
    found: dict[int, list[_Row]] = defaultdict(list)
    for outcome_id, *rest in values:
        found[outcome_id].append(_Row(*rest))
    return found


def with_latest_values(outcomes: QuerySet) -> QuerySet:
    """Each outcome with its latest total and its named group's value in the same period.

    Each is an index look-up per outcome (on outcome and period), not a read of every
    measurement, so the cost follows the number of outcomes, not of their measurements.
    """
    totals = Measurement.objects.filter(outcome=OuterRef("pk"), group="").order_by("-period_end")
    named = Measurement.objects.filter(
        outcome=OuterRef("pk"),
        period_end=OuterRef("latest_period"),
        group__iexact=OuterRef("group"),
        dimension_2="",  # a breakdown by one dimension, not a cross-table's cell or margin
    ).exclude(group="")
    return outcomes.annotate(
        latest_period=Subquery(totals.values("period_end")[:1]),
        latest_total=Subquery(totals.values("value")[:1]),
        named_value=Subquery(named.values("value")[:1]),
    )


def _named_group_falls_short(
    group, group_share, benchmark, comparison, tolerance, named_value, total
) -> bool:
    expected, _ = expected_share(_Expected(group, group_share, benchmark))
    if not group or expected is None or named_value is None:
        return False
    judgement = judge(percent(named_value, total), expected, comparison, tolerance)
    return bool(judgement and judgement.falls_short)


def outcome_figures(scope: Scope, *, limit: int | None = LIST_LIMIT) -> OutcomeFigures:
    """Measured outcomes with latest value, direction of travel and each group's share.

    Those where the named group falls short of its share come first. Three queries: every
    outcome's latest figures (a row each), the outcomes shown, and their latest breakdowns.
    """
    summary = list(
        with_latest_values(scope.outcomes)
        .order_by(*(Outcome._meta.ordering or ()))
        .values_list(
            "pk",
            "indicator",
            "group",
            "group_share",
            "benchmark_share",
            "share_comparison",
            "share_tolerance",
            "latest_period",
            "latest_total",
            "named_value",
        )
    )
    measured = [row for row in summary if row[1]]
    short = {
        pk: _named_group_falls_short(group, share, benchmark, comparison, tolerance, named, total)
        for pk, _, group, share, benchmark, comparison, tolerance, _, total, named in measured
    }
    with_share = sum(
        1
        for _, _, group, share, benchmark, *_ in measured
        if group and (share, benchmark) != (None, None)
    )
    ordered = sorted(measured, key=lambda row: not short[row[0]])  # stable: framework order
    shown = ordered[:limit] if limit else ordered
    outcomes = {
        o.pk: o
        for o in Outcome.objects.filter(pk__in=[row[0] for row in shown]).select_related(
            "service_area"
        )
    }
    # The shown outcomes' totals for every period (for the previous one) and their latest
    # breakdowns: a few rows each, whatever the size of the framework.
    wanted = [Q(outcome_id=row[0], period_end=row[7]) for row in shown if row[7]]
    found = _rows_by_outcome(
        Measurement.objects.filter(
            Q(outcome_id__in=[row[0] for row in shown], group="") | reduce(operator.or_, wanted)
        )
        .filter(dimension_2="")  # cross-tables are shown on the outcome page
        .order_by("period_end", "position", "pk")
        .values_list(
            "outcome_id", "period_end", "group", "value", "dimension", "source", "note", "is_demo"
        )
        if wanted
        else []
    )
    rows = []
    for row in shown:
        pk, latest_period = row[0], row[7]
        outcome = outcomes[pk]
        in_latest = periods(
            outcome, [m for m in found.get(pk, []) if m.period_end == latest_period]
        )
        latest = in_latest[0] if in_latest else None
        earlier = [m for m in found.get(pk, []) if not m.group and m.period_end < latest_period]
        previous = PeriodValues(earlier[-1].period_end, earlier[-1].value) if earlier else None
        previous_total = previous.total if previous else None
        expected, label = expected_share(outcome)
        named = next((g for g in latest.groups if g.expected is not None), None) if latest else None
        rows.append(
            OutcomeRow(
                outcome,
                latest,
                previous,
                direction_of_travel(
                    direction=outcome.direction,
                    latest=latest.total if latest else None,
                    previous=previous_total,
                    baseline=outcome.baseline,
                ),
                falls_short=short[pk],
                named_share=named.share if named else None,
                expected=expected,
                expected_label=label,
            )
        )
    return OutcomeFigures(
        rows,
        measured=len(measured),
        qualitative=len(summary) - len(measured),
        with_values=sum(1 for row in measured if row[7]),
        falling_short=sum(short.values()),
        with_share=with_share,
    )


@dataclass
class _Expected:
    """Enough of an outcome for targets.shares to say which group it names and what it expects."""

    group: str
    group_share: Decimal | None
    benchmark_share: Decimal | None


@dataclass
class Trend:
    outcome: Outcome | None
    periods: list[PeriodValues] = field(default_factory=list)
    asked_for_missing: bool = False

    @property
    def points(self) -> list[tuple[datetime.date, Decimal]]:
        return [(p.period_end, p.total) for p in reversed(self.periods) if p.total is not None]


def trend(scope: Scope, ref: str, *, fallback: Outcome | None) -> Trend:
    """The outcome the charts show: the one asked for if it is in scope, else the fallback."""
    chosen = None
    if ref:
        chosen = (
            scope.outcomes.exclude(indicator="")
            .filter(ref=ref)
            .select_related("service_area")
            .first()
        )
    outcome = chosen or fallback
    if outcome is None:
        return Trend(None, asked_for_missing=bool(ref))
    measurements = list(
        Measurement.objects.filter(outcome=outcome).order_by("period_end", "position", "pk")
    )
    return Trend(
        outcome, periods(outcome, measurements), asked_for_missing=bool(ref) and not chosen
    )
