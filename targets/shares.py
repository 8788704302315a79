"""Each group's share of a measured total, set against the share it should have."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


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

    @property
    def falls_short(self) -> bool:
        return self.expected is not None and self.share is not None and self.share < self.expected


@dataclass
class PeriodValues:
    period_end: object
    total: Decimal | None
    dimension: str = ""
    source: str = ""
    note: str = ""
    is_demo: bool = False
    groups: list[GroupShare] = field(default_factory=list)


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


def periods(indicator, measurements) -> list[PeriodValues]:
    """Values by period, newest first, from measurements already fetched (no queries here)."""
    by_period: dict = defaultdict(list)
    for measurement in measurements:
        by_period[measurement.period_end].append(measurement)
    expected, label = expected_share(indicator)
    named_group = (getattr(indicator, "group", "") or "").lower()
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
        )
        for m in rows:
            if not m.group:
                continue
            values.dimension = values.dimension or m.dimension
            is_named = m.group.lower() == named_group
            values.groups.append(
                GroupShare(
                    group=m.group,
                    value=m.value,
                    share=percent(m.value, values.total),
                    expected=expected if is_named else None,
                    expected_label=label if is_named else "",
                    is_demo=m.is_demo,
                )
            )
        result.append(values)
    return result
