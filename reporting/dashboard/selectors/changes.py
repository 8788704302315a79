"""What changed since a date, read from the history: status changes, targets met or missed,
new measurements."""

import datetime
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from actions.models import Action
from reporting.dashboard.selectors.scope import LIST_LIMIT, Listing, Scope, listing, person_fields
from targets.models import Measurement, Target

# Only the columns the lists show: historical and action rows carry long texts.
HISTORY_FIELDS = (
    "history_id",
    "history_date",
    "history_change_reason",
    *person_fields("history_user"),
)

# The history models, looked up once: `Model.history` builds a new manager class at every use.
HistoricalAction = Action.history.model
HistoricalTarget = Target.history.model
HistoricalMeasurement = Measurement.history.model


# --- what changed since a date --------------------------------------------------------------


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


def _status_changed(history_model, since_moment) -> QuerySet:
    return (
        history_model.objects.filter(history_date__gte=since_moment, history_type="~")
        .annotate(previous_status=_previous_status(history_model))
        .exclude(previous_status=F("status"))
        .filter(previous_status__isnull=False)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def changes_since(scope: Scope, *, limit: int | None = LIST_LIMIT) -> Changes:
    """Status changes, targets met or missed, and measurements recorded, from the history."""
    since_moment = timezone.make_aware(datetime.datetime.combine(scope.since, datetime.time.min))
    status_changes = listing(
        scope.of_actions(_status_changed(HistoricalAction, since_moment), "id").only(
            "id", "ref", "title", "status", *HISTORY_FIELDS
        ),
        limit,
    )
    targets = listing(
        scope.of_actions(_status_changed(HistoricalTarget, since_moment))
        .filter(status__in=[Target.Status.MET, Target.Status.NOT_MET])
        .select_related("action")
        .only("id", "ref", "description", "status", "met_on", "action__ref", *HISTORY_FIELDS),
        limit,
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
    measurements = listing(
        recorded.select_related("history_user", "outcome", "target")
        .only(
            "period_end",
            "value",
            "source",
            "outcome__ref",
            "outcome__indicator",
            "target__ref",
            "target__description",
            *HISTORY_FIELDS,
        )
        .order_by("-history_date", "-history_id"),
        limit,
    )
    for record in status_changes.rows + targets.rows:
        record.previous_label = _label(record.instance_type, record.previous_status)
    return Changes(scope.since, status_changes, targets, measurements)


_LABELS: dict = {}


def _label(model, code: str) -> str:
    if model not in _LABELS:
        _LABELS[model] = {k: str(v) for k, v in model._meta.get_field("status").flatchoices}
    return _LABELS[model].get(code, code)
