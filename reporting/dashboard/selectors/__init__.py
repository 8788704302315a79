"""What the Programme Board dashboard shows, each figure in a fixed number of queries.

scope: which actions and outcomes the filters leave; progress: actions by status, late updates,
targets, challenges; outcomes: outcomes against target and an outcome's trend; changes: what
changed since a date.
"""

from reporting.dashboard.selectors.changes import Changes, changes_since
from reporting.dashboard.selectors.outcomes import (
    OutcomeFigures,
    OutcomeRow,
    Travel,
    Trend,
    outcome_figures,
    trend,
    with_latest_values,
)
from reporting.dashboard.selectors.progress import (
    DUE_SOON_DAYS,
    CycleFigures,
    StatusCounts,
    StatusRow,
    TargetFigures,
    cycle_figures,
    open_challenges,
    status_counts,
    target_figures,
)
from reporting.dashboard.selectors.scope import LIST_LIMIT, Listing, Scope, build_scope

__all__ = [
    "DUE_SOON_DAYS",
    "LIST_LIMIT",
    "Changes",
    "CycleFigures",
    "Listing",
    "OutcomeFigures",
    "OutcomeRow",
    "Scope",
    "StatusCounts",
    "StatusRow",
    "TargetFigures",
    "Travel",
    "Trend",
    "build_scope",
    "changes_since",
    "cycle_figures",
    "open_challenges",
    "outcome_figures",
    "status_counts",
    "target_figures",
    "trend",
    "with_latest_values",
]
