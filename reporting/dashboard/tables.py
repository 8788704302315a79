"""Every table on the dashboard as plain headers and rows, for the CSV and Excel downloads.

The page shows the same figures with links and tags; these are the words and numbers alone,
computed with the same filters and without the page's limit on list length.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from actions.models import Status
from config.templatetags.people import person
from reporting.dashboard import selectors
from targets import charts
from targets.models import Outcome


@dataclass
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[list]  # str, int, Decimal or date cells


STATUS_HEADERS = [s.label for s in Status]


def _date(value) -> datetime.date | None:
    """The day, in the council's time zone, of a moment."""
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def _moment(value: datetime.datetime) -> datetime.datetime:
    """A moment as the council's clock showed it, to the second (spreadsheets have no zones)."""
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def _number(value):
    """A decimal without trailing zeros (300, not 300.0000 or 3E+2)."""
    if not isinstance(value, Decimal):
        return value
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def status_by_strand(figures) -> Table:
    counts = figures.counts
    return Table(
        "status-by-strand",
        "Actions by status in each strand",
        ["Strand", *STATUS_HEADERS, "Total"],
        [[row.name, *row.in_order(), row.total] for row in counts.by_strand]
        + [["All strands", *counts.totals.in_order(), counts.totals.total]],
    )


def status_by_area(figures) -> Table:
    counts = figures.counts
    return Table(
        "status-by-area",
        "Actions by status in each service area",
        ["Strand", "Service area", *STATUS_HEADERS, "Total"],
        [[row.strand.name, row.name, *row.in_order(), row.total] for row in counts.by_area]
        + [["", "All service areas", *counts.totals.in_order(), counts.totals.total]],
    )


def late_actions(figures) -> Table:
    return Table(
        "late-actions",
        "Actions late for update",
        ["Action", "Title", "Service area", "Owner", "Lead officer", "Status", "Last update"],
        [
            [
                a.ref,
                a.title,
                a.service_area.name,
                person(a.responsible_owner),
                person(a.lead_officer),
                a.get_status_display(),
                _date(a.last_update_at),
            ]
            for a in figures.cycle_figures.late.rows
        ],
    )


def _target_rows(targets, extra: Callable) -> list[list]:
    return [
        [
            t.ref,
            t.description,
            t.action.ref,
            t.action.service_area.name,
            t.due_date,
            t.due_text,
            t.get_status_display(),
            extra(t),
        ]
        for t in targets
    ]


TARGET_HEADERS = [
    "Target",
    "Description",
    "Action",
    "Service area",
    "Due",
    "Deadline as written",
    "Status",
]


def targets_overdue(figures) -> Table:
    return Table(
        "targets-overdue",
        "Targets overdue",
        [*TARGET_HEADERS, "Days overdue"],
        _target_rows(figures.target_figures.overdue.rows, lambda t: t.days_overdue),
    )


def targets_due_soon(figures) -> Table:
    return Table(
        "targets-due-soon",
        f"Targets due in the next {selectors.DUE_SOON_DAYS} days",
        [*TARGET_HEADERS, "Days left"],
        _target_rows(figures.target_figures.due_soon.rows, lambda t: t.days_left),
    )


def outcomes(figures) -> Table:
    rows = []
    for row in figures.outcome_figures.rows:
        o = row.outcome
        rows.append(
            [
                o.ref,
                o.description,
                o.indicator,
                o.service_area.name,
                o.get_unit_display(),
                row.latest.period_end if row.latest else None,
                _number(row.latest.total) if row.latest else None,
                row.previous.period_end if row.previous else None,
                _number(row.previous.total) if row.previous else None,
                row.travel.label,
                _number(o.target_value),
                o.target_date,
                {True: "Yes", False: "No", None: ""}[row.target_reached],
                o.group,
                _number(row.named_share),
                _number(row.expected),
                row.expected_label,
                "Yes" if row.falls_short else ("No" if row.expected is not None else ""),
            ]
        )
    return Table(
        "outcomes",
        "Outcomes against target",
        [
            "Outcome",
            "Description",
            "Indicator",
            "Service area",
            "Unit",
            "Latest period ending",
            "Latest value",
            "Previous period ending",
            "Previous value",
            "Direction of travel",
            "Target",
            "Target date",
            "Target reached",
            "Group",
            "Group's share (%)",
            "Share it should have (%)",
            "Kind of share",
            "Falls short",
        ],
        rows,
    )


def group_shares(figures) -> Table:
    rows = []
    for row in figures.outcome_figures.rows:
        if not row.latest:
            continue
        for share in row.latest.groups:
            rows.append(
                [
                    row.outcome.ref,
                    row.latest.period_end,
                    row.latest.dimension,
                    share.group,
                    _number(share.value),
                    _number(share.share),
                    _number(share.expected),
                    share.expected_label,
                    "Yes" if share.falls_short else ("No" if share.expected is not None else ""),
                ]
            )
    return Table(
        "group-shares",
        "Each group's share in the latest period",
        [
            "Outcome",
            "Period ending",
            "Breakdown by",
            "Group",
            "Value",
            "Share of the total (%)",
            "Share it should have (%)",
            "Kind of share",
            "Falls short",
        ],
        rows,
    )


def challenges(figures) -> Table:
    return Table(
        "challenges",
        "Open challenges",
        ["Action", "Service area", "Question", "Raised by", "Raised on", "Reply due"],
        [
            [
                c.action.ref,
                c.action.service_area.name,
                c.question,
                person(c.raised_by),
                _date(c.raised_at),
                c.due_date,
            ]
            for c in figures.challenges.rows
        ],
    )


def status_changes(figures) -> Table:
    return Table(
        "status-changes",
        "Status changes",
        ["When", "Action", "Title", "From", "To", "By", "Reason"],
        [
            [_moment(c.when), c.ref, c.text, c.previous_label, c.label, c.who, c.reason]
            for c in figures.changes.status_changes.rows
        ],
    )


def targets_met_or_missed(figures) -> Table:
    return Table(
        "targets-met-or-missed",
        "Targets met or missed",
        ["When", "Target", "Action", "From", "To", "Date met", "By"],
        [
            [_moment(c.when), c.ref, c.action_ref, c.previous_label, c.label, c.met_on, c.who]
            for c in figures.changes.targets_met_or_missed.rows
        ],
    )


def new_measurements(figures) -> Table:
    return Table(
        "new-measurements",
        "New measurements",
        ["Recorded", "Indicator", "Period ending", "Value", "Recorded by", "Source"],
        [
            [_moment(r.when), r.indicator_ref, r.period_end, _number(r.value), r.who, r.source]
            for r in figures.changes.new_measurements.rows
        ],
    )


def trend(figures) -> Table:
    chart: charts.Chart | None = figures.trend_chart
    outcome: Outcome | None = figures.trend.outcome
    title = f"Trend of {outcome.ref}" if outcome else "Trend"
    if chart is None:
        return Table("trend", title, ["Period ending", "Value"], [])
    return Table(
        "trend",
        title,
        ["Period ending", "Value"],
        [[p.period_end, _number(p.total)] for p in reversed(figures.trend.periods)],
    )


TABLES: dict[str, Callable] = {
    "status-by-strand": status_by_strand,
    "status-by-area": status_by_area,
    "late-actions": late_actions,
    "targets-overdue": targets_overdue,
    "targets-due-soon": targets_due_soon,
    "outcomes": outcomes,
    "group-shares": group_shares,
    "challenges": challenges,
    "status-changes": status_changes,
    "targets-met-or-missed": targets_met_or_missed,
    "new-measurements": new_measurements,
    "trend": trend,
}
