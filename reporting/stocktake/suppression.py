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
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from targets import shares
from targets.shares import PeriodValues

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
    period_end: object
    total: Decimal | None
    dimension: str
    source: str
    note: str
    is_demo: bool
    groups: list[PublishedGroup]

    @property
    def any_hidden(self) -> bool:
        return any(g.hidden for g in self.groups)

    @property
    def has_secondary(self) -> bool:
        return any(g.hidden == SECONDARY for g in self.groups)


def hidden_groups(values: dict[str, Decimal], limit: int | None = None) -> dict[str, str]:
    """Which groups to hide, and the words to show for each: rule 1, then rule 2 above."""
    limit = threshold() if limit is None else limit
    hidden = {name: f"fewer than {limit}" for name, value in values.items() if value < limit}
    if not hidden or len(values) == len(hidden):
        return hidden
    shown = sorted((v, name) for name, v in values.items() if name not in hidden)
    hidden_sum = sum((values[name] for name in hidden), Decimal(0))
    while shown and (len(hidden) < 2 or hidden_sum < limit):
        value, name = shown.pop(0)
        hidden[name] = SECONDARY
        hidden_sum += value
    return hidden


def publish(period: PeriodValues) -> PublishedPeriod:
    """A period's values as they may be published."""
    values = {g.group: Decimal(g.value) for g in period.groups}
    hidden = hidden_groups(values)
    groups = [
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
        for g in period.groups
    ]
    return PublishedPeriod(
        period_end=period.period_end,
        total=period.total,
        dimension=period.dimension,
        source=period.source,
        note=period.note,
        is_demo=period.is_demo,
        groups=groups,
    )
