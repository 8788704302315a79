"""Changes to targets and measurements that check a rule and record history with a reason."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.services import StaleEdit, changes_since
from targets.models import Measurement, Outcome, Target


@transaction.atomic
def update_target(
    *,
    target: Target,
    user,
    status: str,
    met_on: datetime.date | None,
    current_value: Decimal | None,
    seen_version: int,
) -> Target:
    target = Target.objects.select_for_update().get(pk=target.pk)
    if target.version != seen_version:
        raise StaleEdit(changes_since(target, seen_version, what=target.ref))
    errors = {}
    if status == Target.Status.MET and target.kind == Target.Kind.MILESTONE and met_on is None:
        errors["met_on"] = "Enter the date the milestone was met"
    if met_on and met_on > timezone.localdate():
        errors["met_on"] = "The date met must be today or in the past"
    if target.is_numeric and current_value is not None and current_value < 0:
        errors["current_value"] = "The latest value must be 0 or more"
    if errors:
        raise ValidationError(errors)
    target.status = status
    target.met_on = met_on if status == Target.Status.MET else None
    if target.is_numeric:
        target.current_value = current_value
    target._history_user = user
    target._change_reason = "Target progress"
    target.save()
    return target


@transaction.atomic
def add_measurement(
    *,
    indicator: Outcome | Target,
    user,
    period_end: datetime.date,
    total: Decimal,
    dimension: str = "",
    breakdown: list[tuple[str, Decimal]] = (),
    source: str = "",
    note: str = "",
    is_demo: bool = False,
) -> list[Measurement]:
    """A value for a period, with values for groups of a dimension. All rows or none."""
    key = {"outcome": indicator} if isinstance(indicator, Outcome) else {"target": indicator}
    existing = (
        Measurement.objects.filter(**key, period_end=period_end, group="")
        .select_related("recorded_by")
        .first()
    )
    if existing is not None:
        who = existing.recorded_by.display_name if existing.recorded_by else "someone"
        raise ValidationError(
            {
                "period_end": f"A value for the period ending {period_end:%-d %B %Y} has already been recorded "
                f"(by {who}). Choose another period."
            }
        )
    rows = [(dimension if breakdown else "", "", total)] + [(dimension, g, v) for g, v in breakdown]
    saved = []
    try:
        with transaction.atomic():
            for position, (dim, group, value) in enumerate(rows, start=1):
                measurement = Measurement(
                    **key,
                    period_end=period_end,
                    value=value,
                    dimension=dim,
                    group=group,
                    source=source,
                    note=note if not group else "",
                    recorded_by=user,
                    is_demo=is_demo,
                    position=position,
                )
                measurement._history_user = user
                measurement._change_reason = "Measurement recorded"
                measurement.save()
                saved.append(measurement)
    except IntegrityError:
        raise ValidationError(
            {
                "period_end": "Someone recorded a value for this period at the same time. Reload the page."
            }
        ) from None
    return saved
