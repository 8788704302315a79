"""All the dashboard's figures for one set of filters, each worked out only when first asked for.

The page asks for all of them; a download asks only for the one its table needs.
"""

from functools import cached_property

from reporting.dashboard import cache, selectors
from reporting.dashboard.filters import filter_choices
from reporting.dashboard.selectors.scope import LIST_LIMIT, Scope
from targets import charts


class Figures:
    """``state`` (from cache.versions()), when given, lets figures be kept between requests
    while what they read is unchanged: directors' progress saves leave the outcomes, and an
    action's first update in a cycle moves only the cycle figures (``cycle_figures``), so the
    rest is kept under ``others_key``."""

    def __init__(self, scope: Scope, *, limit: int | None = LIST_LIMIT, state=None):
        self.scope = scope
        self.limit = limit
        self.state = state

    @cached_property
    def choices(self) -> dict:
        """The strands and areas the status counts list: read only when they are worked out."""
        return filter_choices()

    def _key(self, name: str, models) -> str | None:
        if self.state is None or self.limit != LIST_LIMIT or not self.state[cache.SETTLED]:
            return None
        if self.scope.filters.follows_cycle:
            models = (*models, cache.CYCLE)  # the actions in view are the cycle's due or updated
        return cache.part_key(name, self.state, models, scope=self.scope)

    def outcomes_key(self) -> str | None:
        models: tuple = cache.OUTCOME_DATA
        reach = self.scope.filters.reach
        if self.scope.filters.narrows_actions or (reach and not reach.is_directed):
            models = cache.ALL_BUT_CYCLE  # the outcomes in view follow the actions
        return self._key("outcomes", models)

    @cached_property
    def others_key(self) -> str | None:
        """The key of every figure and section but the cycle's."""
        return self._key("others", cache.ALL_BUT_CYCLE)

    def _kept(self, key: str | None, name: str, compute):
        if key is None:
            return compute()
        value = cache.get(f"{key}:{name}")
        if value is None:
            value = compute()
            cache.put(f"{key}:{name}", value)
        return value

    @cached_property
    def counts(self) -> selectors.StatusCounts:
        return self._kept(
            self.others_key,
            "counts",
            lambda: selectors.status_counts(
                self.scope, areas=self.choices["areas"], strands=self.choices["strands"]
            ),
        )

    @cached_property
    def cycle_figures(self) -> selectors.CycleFigures:
        return selectors.cycle_figures(self.scope, limit=self.limit)

    @cached_property
    def target_figures(self) -> selectors.TargetFigures:
        return self._kept(
            self.others_key,
            "targets",
            lambda: selectors.target_figures(self.scope, limit=self.limit),
        )

    @cached_property
    def outcome_figures(self) -> selectors.OutcomeFigures:
        return self._kept(
            self.outcomes_key(),
            "figures",
            lambda: selectors.outcome_figures(self.scope, limit=self.limit),
        )

    @cached_property
    def challenges(self) -> selectors.Listing:
        return self._kept(
            self.others_key,
            "challenges",
            lambda: selectors.open_challenges(self.scope, limit=self.limit),
        )

    @cached_property
    def changes(self) -> selectors.Changes:
        return self._kept(
            self.others_key,
            "changes",
            lambda: selectors.changes_since(self.scope, limit=self.limit),
        )

    @cached_property
    def trend(self) -> selectors.Trend:
        # The charts show the outcome asked for, else the first one listed that has values.
        def compute():
            rows = self.outcome_figures.rows
            fallback = next((row.outcome for row in rows if row.latest), None)
            return selectors.trend(self.scope, self.scope.filters.outcome, fallback=fallback)

        return self._kept(self.outcomes_key(), "trend", compute)

    # --- charts ----------------------------------------------------------------------------

    @cached_property
    def status_chart(self) -> charts.Chart:
        return charts.status_by_area_chart([(row.name, row.counts) for row in self.counts.by_area])

    @cached_property
    def trend_chart(self) -> charts.Chart | None:
        outcome = self.trend.outcome
        if outcome is None:
            return None
        return charts.outcome_trend_chart(
            f"{outcome.ref}: {outcome.indicator}",
            self.trend.points,
            target=outcome.target_value,
            unit=outcome.unit or "count",
        )

    @cached_property
    def shares_chart(self) -> charts.Chart | None:
        outcome = self.trend.outcome
        latest = self.trend.periods[0] if self.trend.periods else None
        if outcome is None or latest is None or not latest.groups:
            return None
        return charts.group_shares_chart(
            f"{outcome.ref}: each group's share, period ending {latest.period_end:%-d %B %Y}",
            [(g.group, g.share, g.expected) for g in latest.groups],
            comparison=outcome.share_comparison,
            tolerance=outcome.share_tolerance,
        )
