"""An outcome's two charts, its indicator over time and each group's share in the latest period,
drawn from values already read (targets.shares.periods): the outcome page and the action page
show the same charts."""

from targets import charts
from targets.models import Outcome
from targets.shares import PeriodValues


def trend_chart(outcome: Outcome, values: list[PeriodValues]) -> charts.Chart | None:
    """The indicator's total for each period, against its target (None without an indicator)."""
    if not outcome.has_indicator:
        return None
    return charts.outcome_trend_chart(
        f"{outcome.ref}: {outcome.indicator}",
        [(p.period_end, p.total) for p in values if p.total is not None],
        target=outcome.target_value,
        unit=outcome.unit or "count",
    )


def shares_chart(outcome: Outcome, values: list[PeriodValues]) -> charts.Chart | None:
    """Each group's share in the latest period (values are newest first) by its first breakdown
    (the outcome's own dimension, if recorded), against the share it should have; None when that
    period has no breakdown."""
    drawn = shares_charts(outcome, values)
    return drawn[0] if drawn else None


def shares_charts(outcome: Outcome, values: list[PeriodValues]) -> list[charts.Chart]:
    """A shares chart for each breakdown of the latest period (ethnicity, sex…); the title names
    the dimension when there are several."""
    latest = values[0] if values else None
    if not outcome.has_indicator or latest is None:
        return []
    several = len([b for b in latest.breakdowns if b.groups]) > 1
    return [
        charts.group_shares_chart(
            f"{outcome.ref}: each group's share"
            + (f" by {breakdown.dimension.lower()}" if several else "")
            + f", period ending {latest.period_end:%-d %B %Y}",
            [(g.group, g.share, g.expected) for g in breakdown.groups],
            comparison=outcome.share_comparison,
            tolerance=outcome.share_tolerance,
        )
        for breakdown in latest.breakdowns
        if breakdown.groups
    ]
