"""An outcome's two charts, its indicator over time and each group's share in the latest period,
drawn from values already read (targets.shares.periods): the outcome page and the action page
show the same charts."""

import datetime
from typing import cast

from targets import charts
from targets.models import Outcome
from targets.shares import PeriodValues


def trend_chart(outcome: Outcome, values: list[PeriodValues]) -> charts.Chart | None:
    """The indicator's total for each period, against its target (None without an indicator)."""
    if not outcome.has_indicator:
        return None
    return charts.outcome_trend_chart(
        f"{outcome.ref}: {outcome.indicator}",
        [(cast(datetime.date, p.period_end), p.total) for p in values if p.total is not None],
        target=outcome.target_value,
        unit=outcome.unit or "count",
    )


def shares_chart(outcome: Outcome, values: list[PeriodValues]) -> charts.Chart | None:
    """Each group's share in the latest period (values are newest first), against the share it
    should have; None when that period has no breakdown."""
    latest = values[0] if values else None
    if not outcome.has_indicator or latest is None or not latest.groups:
        return None
    return charts.group_shares_chart(
        f"{outcome.ref}: each group's share, period ending {latest.period_end:%-d %B %Y}",
        [(g.group, g.share, g.expected) for g in latest.groups],
        comparison=outcome.share_comparison,
        tolerance=outcome.share_tolerance,
    )
