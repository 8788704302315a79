"""Each group's share of a measured total, set against the share it should have.

``judge`` is the one rule every flag uses (dashboard, outcome page, action page, stocktake, open
data): an outcome says whether its group's share should be at least, at most or close to (within a
tolerance of) its equity share or population benchmark, and a share on the wrong side of that is
said in words as under- or over-representation.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from targets.models import Outcome

AT_LEAST = Outcome.ShareComparison.AT_LEAST.value
AT_MOST = Outcome.ShareComparison.AT_MOST.value
CLOSE_TO = Outcome.ShareComparison.CLOSE_TO.value


@dataclass(frozen=True)
class Judgement:
    code: str  # "under", "over" or "meets"
    label: str  # "Under-represented", "Over-represented", "Meets it", "Within 2 points"

    @property
    def falls_short(self) -> bool:
        return self.code != "meets"


UNDER = Judgement("under", "Under-represented")
OVER = Judgement("over", "Over-represented")
MEETS = Judgement("meets", "Meets it")


def judge(share, expected, comparison: str = AT_LEAST, tolerance=None) -> Judgement | None:
    """The group's share read against the share it should have; None when either is not known."""
    if share is None or expected is None:
        return None
    share, expected = Decimal(str(share)), Decimal(str(expected))
    if comparison == AT_MOST:
        return OVER if share > expected else MEETS
    if comparison == CLOSE_TO:
        allowed = Decimal(str(tolerance or 0))
        if share > expected + allowed:
            return OVER
        if share < expected - allowed:
            return UNDER
        return Judgement("meets", f"Within {_points(allowed)} of it") if allowed else MEETS
    return UNDER if share < expected else MEETS


def should_be(expected, comparison: str = AT_LEAST, tolerance=None) -> str:
    """The share it should have in words: "at most 18%", "within 2 points of 50%"."""
    if expected is None:
        return ""
    if comparison == AT_MOST:
        return f"at most {_number(expected)}%"
    if comparison == CLOSE_TO and tolerance:
        return f"within {_points(tolerance)} of {_number(expected)}%"
    if comparison == CLOSE_TO:
        return f"{_number(expected)}%"
    return f"at least {_number(expected)}%"


def in_words(group, share, expected, label, comparison=AT_LEAST, tolerance=None) -> str:
    """ "Black 31% against a population benchmark of 18%: over-represented"."""
    judgement = judge(share, expected, comparison, tolerance)
    if judgement is None:
        return ""
    return (
        f"{group} {_number(share)}% against {_article(label)} {label} of {_number(expected)}%: "
        f"{judgement.label.lower()}"
    )


def _number(value) -> str:
    number = Decimal(str(value)).normalize()
    return f"{number:f}" if number != number.to_integral() else f"{int(number)}"


def _points(value) -> str:
    words = _number(value)
    return f"{words} point" if words == "1" else f"{words} points"


def _article(label: str) -> str:
    return "an" if label[:1].lower() in "aeiou" else "a"


@dataclass
class GroupShare:
    group: str
    value: Decimal
    share: Decimal | None  # percent of the total
    expected: Decimal | None = (
        None  # the equity share or population benchmark, for the outcome's group
    )
    expected_label: str = ""
    is_demo: bool = False
    comparison: str = AT_LEAST
    tolerance: Decimal | None = None
    measurement_id: int | None = None

    @property
    def judgement(self) -> Judgement | None:
        return judge(self.share, self.expected, self.comparison, self.tolerance)

    @property
    def falls_short(self) -> bool:
        return bool(self.judgement and self.judgement.falls_short)

    @property
    def should_be(self) -> str:
        return should_be(self.expected, self.comparison, self.tolerance)

    @property
    def in_words(self) -> str:
        return in_words(
            self.group,
            self.share,
            self.expected,
            self.expected_label,
            self.comparison,
            self.tolerance,
        )


# The words of the categories that are not groups (targets.models.Category.Kind), for rows read
# without their category: they are shown but take no share and are not compared.
NOT_GIVEN_WORDS = frozenset({"not known", "prefer not to say", "unknown", "not stated"})


@dataclass
class BreakdownValues:
    """A period's values by the groups of one dimension. Shares are of the known total: the
    period's total less those whose group is not known or who preferred not to say."""

    dimension: str
    groups: list[GroupShare] = field(default_factory=list)
    not_given: list[GroupShare] = field(default_factory=list)  # shown apart, take no share
    known_total: Decimal | None = None


@dataclass(frozen=True)
class CrossEntry:
    """A cross-table's cell or total as the outcome page shows it; not given: value None.
    reporting.stocktake.suppression.PublishedEntry is the same entry as published, so one
    template (targets/_cross_table.html) draws both."""

    value: Decimal | None
    share: Decimal | None = None  # of the period's total
    measurement_id: int | None = None
    column: str = ""  # its column's name; a row's total: ""
    hidden = ""  # never: the outcome page shows every figure to those who may see it


@dataclass
class CrossTable:
    """A period's values by two dimensions at once: cells, and each row's and column's total."""

    dimension: str
    dimension_2: str
    rows: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    row_totals: dict[str, Decimal] = field(default_factory=dict)
    column_totals: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal | None = None
    measurement_ids: dict[tuple[str, str], int | None] = field(default_factory=dict)

    def share(self, value) -> Decimal | None:
        return None if value is None else percent(value, self.total)

    def _entry(self, value, measurement_id=None, column="") -> CrossEntry:
        return CrossEntry(value, self.share(value), measurement_id, column)

    @property
    def table(self) -> list[tuple[str, list[CrossEntry], CrossEntry]]:
        """Each row's name, its cells in column order and its total."""
        return [
            (
                r,
                [
                    self._entry(self.cells.get((r, c)), self.measurement_ids.get((r, c)), c)
                    for c in self.columns
                ],
                self._entry(self.row_totals.get(r)),
            )
            for r in self.rows
        ]

    @property
    def column_row(self) -> list[CrossEntry]:
        """Each column's total."""
        return [self._entry(self.column_totals.get(c), column=c) for c in self.columns]


@dataclass
class PeriodValues:
    period_end: datetime.date
    total: Decimal | None
    dimension: str = ""  # of the first breakdown (``groups``)
    source: str = ""
    note: str = ""
    is_demo: bool = False
    groups: list[GroupShare] = field(default_factory=list)  # the first breakdown's groups
    total_id: int | None = None  # the total's measurement
    breakdowns: list[BreakdownValues] = field(default_factory=list)
    crosses: list[CrossTable] = field(default_factory=list)


def percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def expected_share(indicator) -> tuple[Decimal | None, str]:
    """The share the indicator's named group should have, and what kind of share it is."""
    group_share = getattr(indicator, "group_share", None)
    benchmark = getattr(indicator, "benchmark_share", None)
    if group_share is not None:
        return group_share, "equity share"
    if benchmark is not None:
        return benchmark, "population benchmark"
    return None, ""


def comparison_of(indicator) -> tuple[str, Decimal | None]:
    """How the indicator's named group's share is read: at least (the default), at most, close to."""
    return getattr(indicator, "share_comparison", "") or AT_LEAST, getattr(
        indicator, "share_tolerance", None
    )


def _key(words: str) -> str:
    return " ".join((words or "").split()).casefold()


def periods(indicator, measurements, *, not_given=None, named=None) -> list[PeriodValues]:
    """Values by period, newest first, from measurements already fetched (no queries here).

    not_given: the ids of the categories that are not groups ("Not known"); rows without a
    category are read by their words. named: the indicator's named group's category, so that
    a group recorded under another of its names ("Black British" for "Black") is compared."""
    by_period: dict = defaultdict(list)
    for measurement in measurements:
        by_period[measurement.period_end].append(measurement)
    expected, label = expected_share(indicator)
    comparison, tolerance = comparison_of(indicator)
    named_group = _key(getattr(indicator, "group", ""))
    named_dimension = _key(getattr(indicator, "dimension", ""))
    not_given = not_given if not_given is not None else set()
    result = []
    for period_end in sorted(by_period, reverse=True):
        rows = by_period[period_end]
        total_row = next((m for m in rows if not m.group), None)
        values = PeriodValues(
            period_end=period_end,
            total=total_row.value if total_row else None,
            source=total_row.source if total_row else "",
            note=total_row.note if total_row else "",
            is_demo=any(m.is_demo for m in rows),
            total_id=getattr(total_row, "pk", None),
        )
        breakdowns: dict[str, BreakdownValues] = {}
        crossed = []
        for m in rows:
            if not m.group:
                continue
            if getattr(m, "dimension_2", ""):
                crossed.append(m)
                continue
            category_id = getattr(m, "category_id", None)
            is_given = (
                category_id not in not_given
                if category_id
                else _key(m.group) not in NOT_GIVEN_WORDS
            )
            breakdown = breakdowns.setdefault(_key(m.dimension), BreakdownValues(m.dimension))
            is_named = is_given and (
                _key(m.group) == named_group or (named is not None and category_id == named.pk)
            )
            share = GroupShare(
                group=m.group,
                value=m.value,
                share=None,
                expected=expected if is_named else None,
                expected_label=label if is_named else "",
                is_demo=m.is_demo,
                comparison=comparison,
                tolerance=tolerance,
                measurement_id=getattr(m, "pk", None),
            )
            (breakdown.groups if is_given else breakdown.not_given).append(share)
        for breakdown in breakdowns.values():
            unknown = sum((g.value for g in breakdown.not_given), Decimal(0))
            breakdown.known_total = None if values.total is None else values.total - unknown
            for g in breakdown.groups:
                g.share = percent(g.value, breakdown.known_total)
        # The breakdown by the indicator's own dimension comes first; then as recorded.
        values.breakdowns = sorted(
            breakdowns.values(), key=lambda b: _key(b.dimension) != named_dimension
        )
        if values.breakdowns:
            values.dimension = values.breakdowns[0].dimension
            values.groups = values.breakdowns[0].groups
        values.crosses = _crosses(crossed, values.total)
        result.append(values)
    return result


def _crosses(rows, total) -> list[CrossTable]:
    """Cross-tables from their cells and margins: a cell has both groups; a margin only its
    own dimension's (stored with that dimension first)."""
    tables: dict[frozenset, CrossTable] = {}
    for m in rows:
        pair = frozenset({_key(m.dimension), _key(m.dimension_2)})
        table = tables.get(pair)
        if table is None:
            table = tables[pair] = CrossTable(m.dimension, m.dimension_2, total=total)
        as_row = _key(m.dimension) == _key(table.dimension)
        if m.group_2:
            row, column = (m.group, m.group_2) if as_row else (m.group_2, m.group)
            table.cells[(row, column)] = m.value
            table.measurement_ids[(row, column)] = getattr(m, "pk", None)
            for name, names in ((row, table.rows), (column, table.columns)):
                if name not in names:
                    names.append(name)
        else:
            margins, names = (
                (table.row_totals, table.rows) if as_row else (table.column_totals, table.columns)
            )
            margins[m.group] = m.value
            if m.group not in names:
                names.append(m.group)
    return list(tables.values())
