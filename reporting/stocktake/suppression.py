"""Small numbers in breakdowns are never published: "fewer than 5" is shown instead.

The rule, applied to each period of an indicator on its own:

1. A group whose value is below ``SMALL_NUMBER_THRESHOLD`` (5 unless the setting says otherwise) is
   hidden: its value and its share appear as "fewer than 5", and it is not compared with the
   share it should have (that comparison would narrow the number down).
2. The total is published, so one hidden group could be worked out as the total minus the
   groups shown (or from the shown groups' shares). So once any group is hidden, the smallest of
   the groups still shown are hidden as well ("not shown"), until at least two groups are hidden
   and the hidden groups add up to at least the threshold, or every group is hidden. What can
   then be worked out is only the sum of two or more groups, never a small number.
3. Charts are drawn from the published figures only: a hidden group is left out of the chart and
   named, with the reason, in the table beside it. The open-data CSVs carry the same words.

Totals are not breakdowns and are always published. The rule is applied to every breakdown,
whatever the indicator's unit, so that nothing depends on a unit being recorded correctly.

A cross-table (ethnicity × sex) is published with its cells and its margins (each row's and each
column's total), so a hidden cell could be worked out by subtraction along its row or column, or
by combining several rows and columns. ``hidden_table`` extends the rule to two dimensions:

4. Every cell and every margin below the threshold is hidden (the period's total is not).
5. Each row and each column, with its margin, then has no hidden entry, or at least two whose sum
   is at least the threshold, or is hidden entirely: the smallest shown entry of a row or column
   breaking that is hidden too, until none does.
6. Rows and columns together can still pin a hidden entry down (a hidden entry joining two
   otherwise separate groups of hidden entries is their difference). So the hidden entries are
   checked exactly, by linear algebra over the published figures, and while one of them can be
   worked out, the smallest shown entry of its row or column is hidden as well. No figure is
   below nought, so hidden noughts can pin the rest without any equation naming them (rows of
   0, 0, 5 under totals of 5 and 10): the check counts the other hidden noughts as known, which
   can hide more than is needed, never less.
7. A margin is the same number as the group in the period's breakdown by that dimension alone:
   a group hidden in one is hidden in the other, and both rules are applied again until they
   agree.

A cell that was not given is read as nought, as someone working the figures out would.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.conf import settings

from targets import shares
from targets.shares import CrossTable, PeriodValues

ALL = None  # the margin's place in a cross-table key: (row, ALL) is a row's total

SECONDARY = "not shown"


def threshold() -> int:
    return int(getattr(settings, "SMALL_NUMBER_THRESHOLD", 5))


def fewer_than() -> str:
    return f"fewer than {threshold()}"


@dataclass
class PublishedGroup:
    group: str
    value: Decimal | None  # None when hidden
    share: Decimal | None  # percent of the total; None when hidden or not known
    expected: Decimal | None
    expected_label: str
    hidden: str = (
        ""  # "" when shown; otherwise the words shown instead ("fewer than 5", "not shown")
    )
    comparison: str = shares.AT_LEAST
    tolerance: Decimal | None = None

    @property
    def is_hidden(self) -> bool:
        return bool(self.hidden)

    @property
    def judgement(self) -> shares.Judgement | None:
        """The one rule (targets.shares.judge); nothing is said of a hidden group."""
        if self.hidden:
            return None
        return shares.judge(self.share, self.expected, self.comparison, self.tolerance)

    @property
    def falls_short(self) -> bool:
        return bool(self.judgement and self.judgement.falls_short)

    @property
    def should_be(self) -> str:
        return shares.should_be(self.expected, self.comparison, self.tolerance)


@dataclass
class PublishedPeriod:
    period_end: datetime.date
    total: Decimal | None
    dimension: str
    source: str
    note: str
    is_demo: bool
    groups: list[PublishedGroup]
    breakdowns: list["PublishedBreakdown"] = field(default_factory=list)
    crosses: list["PublishedCross"] = field(default_factory=list)

    @property
    def any_hidden(self) -> bool:
        return any(g.hidden for g in self.groups)

    @property
    def has_secondary(self) -> bool:
        return any(g.hidden == SECONDARY for g in self.groups)


@dataclass
class PublishedBreakdown:
    dimension: str
    groups: list[PublishedGroup]
    not_given: list[PublishedGroup] = field(default_factory=list)


@dataclass
class PublishedEntry:
    """A cross-table's cell or total as published (targets.shares.CrossEntry as the outcome
    page shows it; targets/_cross_table.html draws both)."""

    value: Decimal | None  # None when hidden or not given
    hidden: str = ""
    given: bool = True
    column: str = ""  # its column's name; a row's total: ""
    share = None  # not published for a cross-table's entries
    measurement_id = None  # nothing is corrected from the stocktake

    @property
    def words(self) -> str:
        if self.hidden:
            return self.hidden
        return "" if self.value is None else f"{self.value.normalize():f}"


@dataclass
class PublishedCross:
    dimension: str
    dimension_2: str
    rows: list[str]
    columns: list[str]
    entries: dict  # (row, column), (row, ALL), (ALL, column) -> PublishedEntry
    total: Decimal | None

    @property
    def table(self):
        """Each row's name, its cells in column order and its total (PublishedEntry each)."""
        return [
            (r, [self.entries[(r, c)] for c in self.columns], self.entries[(r, ALL)])
            for r in self.rows
        ]

    @property
    def column_row(self):
        return [self.entries[(ALL, c)] for c in self.columns]


def hidden_groups(
    values: dict[str, Decimal], limit: int | None = None, forced=frozenset()
) -> dict[str, str]:
    """Which groups to hide, and the words to show for each: rule 1, then rule 2 above.
    forced: groups hidden already for another reason (rule 7)."""
    limit = threshold() if limit is None else limit
    hidden = {name: f"fewer than {limit}" for name, value in values.items() if value < limit}
    hidden.update({name: SECONDARY for name in forced if name in values and name not in hidden})
    if not hidden or len(values) == len(hidden):
        return hidden
    shown = sorted((v, name) for name, v in values.items() if name not in hidden)
    hidden_sum = sum((values[name] for name in hidden), Decimal(0))
    while shown and (len(hidden) < 2 or hidden_sum < limit):
        value, name = shown.pop(0)
        hidden[name] = SECONDARY
        hidden_sum += value
    return hidden


Key = tuple  # (row, column) with ALL for a margin


def _lines(entries: dict[Key, Decimal], rows, columns) -> list[dict[Key, int]]:
    """The rows and columns whose figures add up to a published total, each as its equation's
    coefficients: a row's cells less its margin make nought (a column's likewise), and the
    margins' row and column make the period's total (published, so not among the entries)."""
    lines = []
    for r in rows:
        if (r, ALL) in entries:
            line = {(r, c): 1 for c in columns if (r, c) in entries}
            lines.append(line | {(r, ALL): -1})
    for c in columns:
        if (ALL, c) in entries:
            line = {(r, c): 1 for r in rows if (r, c) in entries}
            lines.append(line | {(ALL, c): -1})
    lines.append({(ALL, c): 1 for c in columns if (ALL, c) in entries})
    lines.append({(r, ALL): 1 for r in rows if (r, ALL) in entries})
    return [line for line in lines if line]


def determinable(hidden: set[Key], lines: list[dict[Key, int]]) -> set[Key]:
    """The hidden entries the published figures pin down exactly: those whose unit vector lies
    in the span of the equations restricted to the hidden entries (the shown ones are known)."""
    unknowns = sorted(hidden, key=repr)
    index = {key: i for i, key in enumerate(unknowns)}
    matrix = []
    for line in lines:
        row = [Fraction(0)] * len(unknowns)
        for key, coefficient in line.items():
            if key in index:
                row[index[key]] = Fraction(coefficient)
        if any(row):
            matrix.append(row)
    reduced = _row_reduce(matrix, len(unknowns))
    found = set()
    for key, i in index.items():
        unit = [Fraction(0)] * len(unknowns)
        unit[i] = Fraction(1)
        if _in_span(reduced, unit):
            found.add(key)
    return found


def pinned(hidden: set[Key], lines: list[dict[Key, int]], entries: dict[Key, Decimal]) -> set[Key]:
    """The hidden entries that can be worked out, allowing for no figure being below nought.

    A hidden nought can only be higher, so it may pin the others: rows of 0, 0, 5 under totals of
    5 and 10 can leave every cell known though no equation names one alone. Treating the other
    hidden noughts as known is the safe side of that: what it cannot pin, a change that leaves
    every nought as it is moves; what it can, is hidden further."""
    zeros = {key for key in hidden if entries[key] == 0}
    others = hidden - zeros
    found = determinable(others, lines) if others else set()
    for key in zeros:
        if key in determinable(others | {key}, lines):
            found.add(key)
    return found


def _row_reduce(matrix: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    rows = [r[:] for r in matrix]
    reduced: list[list[Fraction]] = []
    for column in range(width):
        pivot = next((r for r in rows if r[column] != 0), None)
        if pivot is None:
            continue
        rows.remove(pivot)
        pivot = [v / pivot[column] for v in pivot]
        rows = [[a - r[column] * b for a, b in zip(r, pivot, strict=True)] for r in rows]
        reduced = [[a - r[column] * b for a, b in zip(r, pivot, strict=True)] for r in reduced]
        reduced.append(pivot)
    return reduced


def _in_span(reduced: list[list[Fraction]], vector: list[Fraction]) -> bool:
    rest = vector[:]
    for row in reduced:
        column = next(i for i, v in enumerate(row) if v != 0)
        if rest[column] != 0:
            factor = rest[column]
            rest = [a - factor * b for a, b in zip(rest, row, strict=True)]
    return not any(rest)


def hidden_table(
    entries: dict[Key, Decimal], rows, columns, limit: int | None = None, forced=frozenset()
) -> dict[Key, str]:
    """Which cells and margins of a cross-table to hide, and the words for each: rules 4 to 6.
    entries: the cells (row, column) and margins (row, ALL), (ALL, column) that were given;
    the total is published and is not among them."""
    limit = threshold() if limit is None else limit
    hidden = {key: f"fewer than {limit}" for key, value in entries.items() if value < limit}
    hidden.update({key: SECONDARY for key in forced if key in entries and key not in hidden})
    lines = _lines(entries, rows, columns)

    def hide_smallest(line) -> bool:
        shown = sorted((entries[k], repr(k), k) for k in line if k not in hidden)
        if not shown:
            return False
        hidden[shown[0][2]] = SECONDARY
        return True

    changed = True
    while changed:
        changed = False
        for line in lines:  # rule 5
            hidden_here = [k for k in line if k in hidden]
            if not hidden_here or len(hidden_here) == len(line):
                continue
            if len(hidden_here) < 2 or sum(entries[k] for k in hidden_here) < limit:
                changed = hide_smallest(line) or changed
        if changed:
            continue
        for key in sorted(pinned(set(hidden), lines, entries), key=repr):  # rule 6
            if any(hide_smallest(line) for line in lines if key in line):
                changed = True
                break
    return hidden


def publish_cross(table: CrossTable, forced=frozenset()) -> tuple[PublishedCross, set[Key]]:
    entries: dict[Key, Decimal] = {}
    for (r, c), value in table.cells.items():
        entries[(r, c)] = Decimal(value)
    for r, value in table.row_totals.items():
        entries[(r, ALL)] = Decimal(value)
    for c, value in table.column_totals.items():
        entries[(ALL, c)] = Decimal(value)
    hidden = hidden_table(entries, table.rows, table.columns, forced=forced)
    shown = {}
    keys: list[Key] = [(r, c) for r in table.rows for c in [*table.columns, ALL]]
    keys += [(ALL, c) for c in table.columns]
    for key in keys:
        given = key in entries
        shown[key] = PublishedEntry(
            value=None if key in hidden or not given else entries[key],
            hidden=hidden.get(key, ""),
            given=given,
            column="" if key[1] is ALL else key[1],
        )
    published = PublishedCross(
        table.dimension, table.dimension_2, table.rows, table.columns, shown, table.total
    )
    return published, set(hidden)


def _published_groups(groups, hidden) -> list[PublishedGroup]:
    return [
        PublishedGroup(
            group=g.group,
            value=None if g.group in hidden else g.value,
            share=None if g.group in hidden else g.share,
            expected=g.expected,
            expected_label=g.expected_label,
            hidden=hidden.get(g.group, ""),
            comparison=g.comparison,
            tolerance=g.tolerance,
        )
        for g in groups
    ]


def publish(period: PeriodValues) -> PublishedPeriod:
    """A period's values as they may be published: each breakdown, and each cross-table with the
    breakdowns its margins repeat (rule 7), until they agree."""
    breakdowns = period.breakdowns or (
        [shares.BreakdownValues(period.dimension, period.groups)] if period.groups else []
    )
    dimension_of = {shares._key(b.dimension): b for b in breakdowns}
    forced_groups: dict[str, set[str]] = {shares._key(b.dimension): set() for b in breakdowns}
    forced_cells: dict[int, set[Key]] = {i: set() for i in range(len(period.crosses))}
    while True:
        hidden_1d = {
            key: hidden_groups(
                {g.group: Decimal(g.value) for g in b.groups + b.not_given},
                forced=forced_groups[key],
            )
            for key, b in dimension_of.items()
        }
        crosses, agreed = [], True
        for i, table in enumerate(period.crosses):
            for key, side in (
                (shares._key(table.dimension), 0),
                (shares._key(table.dimension_2), 1),
            ):
                for name in hidden_1d.get(key, {}):
                    margin = (name, ALL) if side == 0 else (ALL, name)
                    forced_cells[i].add(margin)
            published, hidden = publish_cross(table, frozenset(forced_cells[i]))
            crosses.append(published)
            for r, c in hidden:
                if c is ALL and r is not ALL:
                    key, name = shares._key(table.dimension), r
                elif r is ALL and c is not ALL:
                    key, name = shares._key(table.dimension_2), c
                else:
                    continue
                if key in hidden_1d and name not in hidden_1d[key]:
                    forced_groups[key].add(name)
                    agreed = False
        if agreed:
            break
    published_breakdowns = [
        PublishedBreakdown(
            b.dimension,
            _published_groups(b.groups, hidden_1d[shares._key(b.dimension)]),
            _published_groups(b.not_given, hidden_1d[shares._key(b.dimension)]),
        )
        for b in breakdowns
    ]
    first = published_breakdowns[0] if published_breakdowns else None
    return PublishedPeriod(
        period_end=period.period_end,
        total=period.total,
        dimension=period.dimension,
        source=period.source,
        note=period.note,
        is_demo=period.is_demo,
        groups=first.groups if first else [],
        breakdowns=published_breakdowns,
        crosses=crosses,
    )
