"""Changes to targets and measurements that check a rule and record history with a reason."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.services import StaleEdit, changes_since
from config.roles import is_programme_team
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


CORRECTION = "Correction: "
REASON_MAX = 100 - len(CORRECTION)  # history keeps a change reason of up to 100 characters


def may_correct(user, measurement: Measurement) -> bool:
    """The person who recorded a value, or the programme team, may correct it."""
    if not user.is_authenticated:
        return False
    return measurement.recorded_by_id == user.pk or is_programme_team(user)


@transaction.atomic
def correct_measurement(*, measurement: Measurement, user, value: Decimal, reason: str):
    """A recorded value put right. History keeps the value as it was, and who changed it and why,
    so a stocktake as at an earlier moment still shows what was recorded then."""
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if not may_correct(user, measurement):
        raise PermissionDenied(
            "Only the person who recorded a value, or the programme team, may correct it."
        )
    reason = reason.strip()
    errors = {}
    if not reason:
        errors["reason"] = "Enter why the value is being corrected"
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"The reason must be {REASON_MAX} characters or fewer"
    if value < 0:
        errors["value"] = "The value must be 0 or more"
    elif value == measurement.value:
        errors["value"] = (
            f"The value is already {measurement.value.normalize():f}. Enter the corrected value"
        )
    else:
        errors.update(_breakdown_errors(measurement, value))
    if errors:
        raise ValidationError(errors)
    measurement.value = value
    measurement._history_user = user
    measurement._change_reason = f"{CORRECTION}{reason}"
    measurement.save()
    return measurement


def _breakdown_errors(measurement: Measurement, value: Decimal) -> dict[str, str]:
    """The groups of a period may not add up to more than its total, after the correction either."""
    period = Measurement.objects.filter(
        outcome_id=measurement.outcome_id,
        target_id=measurement.target_id,
        period_end=measurement.period_end,
    )
    total = next((m.value for m in period if not m.group), None)
    groups = sum((m.value for m in period if m.group and m.pk != measurement.pk), Decimal(0))
    if measurement.group:
        if total is not None and groups + value > total:
            return {
                "value": f"The groups would add up to {(groups + value).normalize():f}, more than "
                f"the total of {total.normalize():f}"
            }
    elif value < groups:
        return {
            "value": f"The groups add up to {groups.normalize():f}, so the total must be at least that"
        }
    return {}
