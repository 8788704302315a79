"""Correcting a published stocktake: withdrawing it, or removing (redacting) one item from it.

For a legal or data-protection error found after publication. Each is recorded with who did it,
when and why, in the stocktake's history, and the public page says what was withdrawn and when.
Nothing is deleted: the framework itself is unchanged, and the programme team still has the PDF.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from config import history
from reporting import tasks
from reporting.models import Stocktake, StocktakeRedaction, StocktakeRender
from reporting.stocktake import published, services

REASON_MAX = 500


def _locked_published(stocktake: Stocktake) -> Stocktake:
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if not stocktake.is_published:
        raise ValidationError(
            {NON_FIELD_ERRORS: "Only a published stocktake can be withdrawn or have items removed"}
        )
    if stocktake.is_withdrawn:
        raise ValidationError(
            {NON_FIELD_ERRORS: f"The {stocktake.year} stocktake has already been withdrawn"}
        )
    return stocktake


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why, as the public page will say it"})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"The reason must be {REASON_MAX} characters or fewer"})
    return reason


@transaction.atomic
def withdraw(*, stocktake: Stocktake, user, reason: str) -> Stocktake:
    reason = _check_reason(reason)
    stocktake = _locked_published(stocktake)
    stocktake.withdrawn_at = timezone.now()
    stocktake.withdrawn_by = user
    stocktake.withdrawn_reason = reason
    history.attribute(stocktake, user=user, reason=f"Withdrawn: {reason}")
    stocktake.save()
    return stocktake


def removable_items(stocktake: Stocktake) -> list[tuple[str, str, str]]:
    """(kind, ref, words) for each action, target and outcome the public can still read."""
    content = published.public_content(stocktake)
    items = []
    for action in content.actions:
        if not action.removed:
            items.append(("action", action.ref, f"Action {action.ref}: {action.title}"))
            for target in action.targets:
                if not target.removed:
                    items.append(
                        ("target", target.ref, f"Target {target.ref}: {target.description}")
                    )
    for outcome in content.outcomes:
        if not outcome.removed:
            items.append(("outcome", outcome.ref, f"Outcome {outcome.ref}: {outcome.description}"))
    return items


def redact(*, stocktake: Stocktake, user, ref: str, reason: str) -> StocktakeRedaction:
    reason = _check_reason(reason)
    with transaction.atomic():
        stocktake = _locked_published(stocktake)
        kinds = {item_ref: kind for kind, item_ref, _ in removable_items(stocktake)}
        if ref not in kinds:
            raise ValidationError(
                {"ref": "Choose an action, target or outcome the published stocktake still shows"}
            )
        redaction = StocktakeRedaction.objects.create(
            stocktake=stocktake, kind=kinds[ref], ref=ref, reason=reason, redacted_by=user
        )
        history.attribute(stocktake, user=user, reason=f"{ref} removed: {reason}")
        stocktake.save()
    transaction.on_commit(lambda: published.warm(stocktake))
    return redaction


def remake_pdf(*, stocktake: Stocktake, user) -> StocktakeRender:
    """Ask the background worker for the PDF again, without the removed items.

    Until it is ready the public PDF stays withdrawn; then the public downloads this one."""
    with transaction.atomic():
        stocktake = _locked_published(stocktake)
        if not stocktake.redactions.exists():
            raise ValidationError(
                {NON_FIELD_ERRORS: "Nothing has been removed, so the published PDF stands"}
            )
        current = services.latest_render(stocktake)
        if current is not None and current.in_progress and not services.is_stalled(current):
            raise ValidationError(
                {NON_FIELD_ERRORS: "The PDF is already being made. Wait for it to finish."}
            )
        render = StocktakeRender.objects.create(
            stocktake=stocktake, as_at=stocktake.as_at, requested_by=user
        )
    result = tasks.render_stocktake_pdf.enqueue(render.pk)
    StocktakeRender.objects.filter(pk=render.pk).update(task_id=str(result.id)[:64])
    return render
