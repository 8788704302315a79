"""Changes to stocktakes: starting one, its "as at" moment, its PDF, publishing, the next year.

"As at" a day means as recorded by the end of that day. A stocktake can never be as at a moment
still to come (what it says could still change), so a day that has not ended yet means now.
"""

import datetime
import logging
import traceback

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reporting import tasks
from reporting.models import Stocktake, StocktakeRender
from reporting.stocktake import content as stocktake_content
from reporting.stocktake import pdf, published

logger = logging.getLogger(__name__)

# A render still waiting or running after this long has almost certainly lost its worker.
STALLED_AFTER = datetime.timedelta(minutes=15)


def as_at_moment(day: datetime.date) -> datetime.datetime:
    """The end of ``day``, or now if the day has not ended yet. A future day is refused."""
    now = timezone.now()
    if day > timezone.localdate(now):
        raise ValidationError({"as_at": "The ‘as at’ date must be today or in the past"})
    return min(stocktake_content.end_of_day(day), now)


def _check_after_baseline(moment: datetime.datetime, baseline: Stocktake | None) -> None:
    if baseline is not None and moment <= baseline.as_at:
        raise ValidationError(
            {
                "as_at": f"The ‘as at’ date must be after that of the {baseline.year} stocktake "
                f"({timezone.localtime(baseline.as_at):%-d %B %Y})"
            }
        )


@transaction.atomic
def start_stocktake(*, year: int, day: datetime.date, user) -> Stocktake:
    if Stocktake.objects.filter(year=year).exists():
        raise ValidationError({"year": f"There is already a stocktake for {year}"})
    stocktake = Stocktake(year=year, as_at=as_at_moment(day), created_by=user)
    stocktake._history_user = user
    stocktake._change_reason = "Stocktake started"
    stocktake.save()
    return stocktake


@transaction.atomic
def change_as_at(*, stocktake: Stocktake, day: datetime.date, user) -> Stocktake:
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if stocktake.is_published:
        raise ValidationError({"as_at": "A published stocktake cannot be changed"})
    moment = as_at_moment(day)
    _check_after_baseline(moment, stocktake.baseline)
    stocktake.as_at = moment
    stocktake._history_user = user
    stocktake._change_reason = f"‘As at’ changed to {timezone.localtime(moment):%-d %B %Y}"
    stocktake.save()
    return stocktake


def latest_render(stocktake: Stocktake) -> StocktakeRender | None:
    return stocktake.renders.defer("pdf").order_by("-requested_at", "-id").first()


def is_stalled(render: StocktakeRender) -> bool:
    return render.in_progress and timezone.now() - render.requested_at > STALLED_AFTER


def is_current(render: StocktakeRender | None, stocktake: Stocktake) -> bool:
    """A ready PDF made for the stocktake's present "as at" moment."""
    return (
        render is not None
        and render.state == StocktakeRender.State.READY
        and render.as_at == stocktake.as_at
    )


def request_pdf(*, stocktake: Stocktake, user) -> StocktakeRender:
    """Ask the background worker for the PDF (again). Refused while one is still being made."""
    with transaction.atomic():
        stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
        if stocktake.is_published:
            raise ValidationError("A published stocktake’s PDF cannot be made again")
        current = latest_render(stocktake)
        if current is not None and current.in_progress and not is_stalled(current):
            raise ValidationError("The PDF is already being made. Wait for it to finish.")
        render = StocktakeRender.objects.create(
            stocktake=stocktake, as_at=stocktake.as_at, requested_by=user
        )
    # Committed first, so the worker can always find the attempt it is given.
    result = tasks.render_stocktake_pdf.enqueue(render.pk)
    StocktakeRender.objects.filter(pk=render.pk).update(task_id=str(result.id)[:64])
    render.refresh_from_db()
    return render


def make_pdf(render_id: int) -> StocktakeRender:
    """Make the PDF of one attempt: only ever called by the background task."""
    render = StocktakeRender.objects.select_related("stocktake__baseline").get(pk=render_id)
    if render.state != StocktakeRender.State.QUEUED:
        return render  # already made, or given up on: a task delivered twice does nothing
    render.state = StocktakeRender.State.RENDERING
    render.started_at = timezone.now()
    render.save(update_fields=["state", "started_at"])
    stocktake = render.stocktake
    try:
        built = stocktake_content.build(
            year=stocktake.year,
            as_at=render.as_at,
            baseline=stocktake.baseline,
            previous=stocktake_content.previous_stocktake(
                stocktake.year, render.as_at, stocktake.baseline
            ),
        )
        built = published.redact(built, stocktake.redactions.all())  # a PDF made again after
        rendered = pdf.render(built)
    except Exception as error:
        render.state = StocktakeRender.State.FAILED
        render.error = describe(error)
        render.finished_at = timezone.now()
        render.save(update_fields=["state", "error", "finished_at"])
        logger.error("Stocktake %s PDF failed:\n%s", stocktake.year, traceback.format_exc())
        raise
    render.state = StocktakeRender.State.READY
    render.pdf = rendered.data
    render.pages = rendered.pages
    render.size = len(rendered.data)
    render.finished_at = timezone.now()
    render.seconds = (render.finished_at - render.started_at).total_seconds()
    render.save(update_fields=["state", "pdf", "pages", "size", "finished_at", "seconds"])
    return render


def describe(error: Exception) -> str:
    """Why a render failed, in a line the programme team can pass on."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    name = type(error).__name__
    return (f"{name}: {text}" if text else name)[:500]


@transaction.atomic
def publish(*, stocktake: Stocktake, user) -> Stocktake:
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if stocktake.is_published:
        raise ValidationError(f"The {stocktake.year} stocktake is already published")
    render = latest_render(stocktake)
    if not is_current(render, stocktake):
        raise ValidationError(
            "Make the PDF for the present ‘as at’ date before publishing: "
            "the published PDF must say what the page says"
        )
    stocktake.state = Stocktake.State.PUBLISHED
    stocktake.published_by = user
    stocktake.published_at = timezone.now()
    stocktake.published_render = render
    stocktake._history_user = user
    stocktake._change_reason = "Published"
    stocktake.save()
    return stocktake


@transaction.atomic
def start_next_year(*, stocktake: Stocktake, user) -> Stocktake:
    """Start the next year's framework from a published stocktake.

    Nothing in the framework changes: the new year's stocktake records this one as its
    baseline. Actions that were open then carry forward with their references; those already
    complete or closed stay, unchanged, as history (this stocktake reports them).
    """
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if not stocktake.is_published:
        raise ValidationError("Publish this stocktake before starting the next year from it")
    year = stocktake.year + 1
    if Stocktake.objects.filter(year=year).exists():
        raise ValidationError(f"The {year} stocktake has already been started")
    moment = timezone.now()
    _check_after_baseline(moment, stocktake)
    following = Stocktake(year=year, as_at=moment, baseline=stocktake, created_by=user)
    following._history_user = user
    following._change_reason = f"Started from the published {stocktake.year} stocktake"
    following.save()
    return following
