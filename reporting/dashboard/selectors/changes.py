"""What changed since a date, read from the history: status changes, targets met or missed,
new measurements."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from actions.models import Action
from reporting.dashboard.selectors.scope import LIST_LIMIT, Listing, Scope
from targets.models import Measurement, Target

# The history models, looked up once: `Model.history` builds a new manager class at every use.
HistoricalAction = Action.history.model
HistoricalTarget = Target.history.model
HistoricalMeasurement = Measurement.history.model
WHO = ("history_user__first_name", "history_user__last_name", "history_user__email")


@dataclass
class Change:
    """An action or target whose status moved, as its history records it."""

    when: datetime.datetime
    ref: str
    text: str  # the action's title, or the target's description
    previous_status: str
    status: str
    previous_label: str
    label: str
    who: str
    reason: str = ""
    action_ref: str = ""  # a target's action
    met_on: datetime.date | None = None


@dataclass
class Recorded:
    """A value recorded for an indicator (the total; its breakdown goes with it)."""

    when: datetime.datetime
    indicator_ref: str
    indicator_text: str
    is_outcome: bool
    period_end: datetime.date
    value: Decimal
    who: str
    source: str = ""


@dataclass
class Changes:
    since: datetime.date
    status_changes: Listing
    targets_met_or_missed: Listing
    new_measurements: Listing

    @property
    def total(self) -> int:
        return (
            self.status_changes.total
            + self.targets_met_or_missed.total
            + self.new_measurements.total
        )


def _previous_status(history_model) -> Subquery:
    """The status in the record before this one of the same item (by date, then record id)."""
    earlier = history_model.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    return Subquery(earlier.order_by("-history_date", "-history_id").values("status")[:1])


def _who(row: dict) -> str:
    first, last, email = (row[field] or "" for field in WHO)
    return get_user_model()(first_name=first, last_name=last, email=email).display_name


def _shown(rows: list[dict], limit: int | None, build) -> Listing:
    """The first ``limit`` rows made into what the page shows, and how many there are in all:
    a busy fortnight has hundreds of records, and only the first few are drawn."""
    return Listing([build(row) for row in (rows[:limit] if limit else rows)], len(rows))


def _moves(records: QuerySet, model, *fields: str) -> list[dict]:
    """The records, newest first, whose status differs from the one before them.

    The database compares each record since the date with the one before it and returns only
    the moves: most records are progress saves that leave the status as it was, and a busy
    fortnight has thousands of them.
    """
    rows = (
        records.annotate(previous_status=_previous_status(records.model))
        .filter(previous_status__isnull=False)
        .exclude(previous_status=F("status"))
        .order_by("-history_date", "-history_id")
        .values(
            "history_date",
            "ref",
            "status",
            "previous_status",
            "history_change_reason",
            *WHO,
            *fields,
        )
    )
    labels = _labels(model)
    moved = []
    for row in rows:
        row["previous_label"] = labels.get(row["previous_status"], row["previous_status"])
        row["label"] = labels.get(row["status"], row["status"])
        moved.append(row)
    return moved


def changes_since(scope: Scope, *, limit: int | None = LIST_LIMIT) -> Changes:
    """Status changes, targets met or missed, and measurements recorded, from the history."""
    since_moment = timezone.make_aware(datetime.datetime.combine(scope.since, datetime.time.min))
    actions = scope.of_actions(
        HistoricalAction.objects.filter(history_date__gte=since_moment, history_type="~"), "id"
    )
    status_changes = _shown(
        _moves(actions, Action, "title"),
        limit,
        lambda row: Change(
            row["history_date"],
            row["ref"],
            row["title"],
            row["previous_status"],
            row["status"],
            row["previous_label"],
            row["label"],
            _who(row),
            reason=row["history_change_reason"] or "",
        ),
    )
    targets = scope.of_actions(
        HistoricalTarget.objects.filter(
            history_date__gte=since_moment,
            history_type="~",
            status__in=[Target.Status.MET, Target.Status.NOT_MET],
        )
    )
    met_or_missed = _shown(
        _moves(targets, Target, "description", "met_on", "action__ref"),
        limit,
        lambda row: Change(
            row["history_date"],
            row["ref"],
            row["description"],
            row["previous_status"],
            row["status"],
            row["previous_label"],
            row["label"],
            _who(row),
            reason=row["history_change_reason"] or "",
            action_ref=row["action__ref"] or "",
            met_on=row["met_on"],
        ),
    )
    recorded = HistoricalMeasurement.objects.filter(
        history_date__gte=since_moment, history_type="+", group=""
    )
    if scope.filters.any:
        numeric_targets = scope.of_actions(Target.objects.filter(kind=Target.Kind.NUMERIC))
        recorded = recorded.filter(
            Q(outcome_id__in=scope.outcomes.values("pk"))
            | Q(target_id__in=numeric_targets.values("pk"))
        )
    rows = recorded.order_by("-history_date", "-history_id").values(
        "history_date",
        "period_end",
        "value",
        "source",
        "outcome__ref",
        "outcome__indicator",
        "target__ref",
        "target__description",
        *WHO,
    )
    measurements = _shown(
        list(rows),
        limit,
        lambda row: Recorded(
            row["history_date"],
            row["outcome__ref"] or row["target__ref"] or "",
            row["outcome__indicator"] or row["target__description"] or "",
            row["outcome__ref"] is not None,
            row["period_end"],
            row["value"],
            _who(row),
            row["source"],
        ),
    )
    return Changes(scope.since, status_changes, met_or_missed, measurements)


_LABELS: dict = {}


def _labels(model) -> dict[str, str]:
    if model not in _LABELS:
        _LABELS[model] = {k: str(v) for k, v in model._meta.get_field("status").flatchoices}
    return _LABELS[model]
