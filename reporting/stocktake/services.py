"""Changes to stocktakes: starting one, its "as at" moment, its PDF, publishing, the next year.

"As at" a day means as recorded by the end of that day. A stocktake can never be as at a moment
still to come (what it says could still change), so a day that has not ended yet means now.
"""

import datetime
import logging
import threading
import traceback
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from config.db_router import reading_from_replica
from config.history import attribute
from reporting import tasks
from reporting.models import Stocktake, StocktakeRender
from reporting.stocktake import content as stocktake_content
from reporting.stocktake import pdf, published

logger = logging.getLogger(__name__)

# A PDF is made by the background worker, which says it is still at it every few seconds (the
# heartbeat). An attempt is given up on, marked failed with why, and can be made again at once:
# - when the worker making it has not been heard from for three heartbeats (it was stopped,
#   killed or its machine went down);
# - when it has been making it for longer than the time limit (it is stuck);
# - when no worker has started it this long after it was asked for (none is running).
State = StocktakeRender.State
WORKER_LOST = "The background worker stopped before the PDF was made. Make the PDF again."
TOO_LONG = (
    "Making the PDF took longer than {minutes} minutes, so it was given up. Make the PDF again; "
    "if that happens too, tell whoever runs the service."
)
NOT_STARTED = (
    "No background worker started making the PDF within {minutes} minutes of it being asked "
    "for. Check that the worker is running (manage.py db_worker), then make the PDF again."
)


def _seconds(name: str) -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, name))


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
    attribute(stocktake, user=user, reason="Stocktake started")
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
    attribute(
        stocktake, user=user, reason=f"‘As at’ changed to {timezone.localtime(moment):%-d %B %Y}"
    )
    stocktake.save()
    return stocktake


def latest_render(stocktake: Stocktake) -> StocktakeRender | None:
    return stocktake.renders.defer("pdf").order_by("-requested_at", "-id").first()


def stall_reason(render: StocktakeRender, now: datetime.datetime | None = None) -> str | None:
    """Why an attempt still waiting or being made will never finish, or None if it may."""
    now = now or timezone.now()
    if render.state == State.QUEUED:
        waited = _seconds("STOCKTAKE_QUEUE_LIMIT_SECONDS")
        if now - render.requested_at > waited:
            return NOT_STARTED.format(minutes=round(waited.total_seconds() / 60))
    elif render.state == State.RENDERING:
        heard = render.heartbeat_at or render.started_at or render.requested_at
        if now - heard > 3 * _seconds("STOCKTAKE_HEARTBEAT_SECONDS"):
            return WORKER_LOST
        limit = _seconds("STOCKTAKE_RENDER_LIMIT_SECONDS")
        if render.started_at and now - render.started_at > limit:
            return TOO_LONG.format(minutes=round(limit.total_seconds() / 60))
    return None


def is_stalled(render: StocktakeRender) -> bool:
    return stall_reason(render) is not None


def give_up_if_stalled(render: StocktakeRender | None) -> StocktakeRender | None:
    """Mark an attempt that will never finish as failed, saying why; return it as it now is."""
    if render is None or not render.in_progress or not is_stalled(render):
        return render
    with transaction.atomic():
        locked = StocktakeRender.objects.defer("pdf").select_for_update().get(pk=render.pk)
        reason = stall_reason(locked) if locked.in_progress else None
        if reason is not None:
            locked.state, locked.error, locked.finished_at = State.FAILED, reason, timezone.now()
            locked.save(update_fields=["state", "error", "finished_at"])
            logger.warning("Stocktake PDF attempt %s given up: %s", locked.pk, reason)
    return locked


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
        current = give_up_if_stalled(latest_render(stocktake))
        if current is not None and current.in_progress:
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
    now = timezone.now()
    # Claimed in one statement: of two workers given the same attempt, only one makes it; an
    # attempt already made or given up on is left alone.
    attempt = StocktakeRender.objects.filter(pk=render_id, state=State.QUEUED)
    if not attempt.update(state=State.RENDERING, started_at=now, heartbeat_at=now):
        return StocktakeRender.objects.defer("pdf").get(pk=render_id)
    render = StocktakeRender.objects.select_related("stocktake__baseline").get(pk=render_id)
    stocktake = render.stocktake
    try:
        with _heartbeat(render.pk), reading_from_replica():
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
    except BaseException as error:
        # An error in the PDF, or the worker told to stop at once: either way this attempt is
        # over, and says why, so it can be made again straight away.
        stopped = not isinstance(error, Exception)
        _finish(render, state=State.FAILED, error=WORKER_LOST if stopped else describe(error))
        logger.error("Stocktake %s PDF failed:\n%s", stocktake.year, traceback.format_exc())
        raise
    finished = timezone.now()
    made = _finish(
        render,
        state=State.READY,
        pdf=rendered.data,
        pages=rendered.pages,
        size=len(rendered.data),
        seconds=(finished - (render.started_at or finished)).total_seconds(),
    )
    if not made:
        logger.warning("Stocktake PDF attempt %s was given up before it finished", render.pk)
    render.refresh_from_db()
    return render


def _finish(render: StocktakeRender, **fields) -> bool:
    """Record how an attempt ended, unless it was given up on meanwhile (then it stays so)."""
    fields.setdefault("finished_at", timezone.now())
    ended = StocktakeRender.objects.filter(pk=render.pk, state=State.RENDERING).update(**fields)
    return bool(ended)


@contextmanager
def _heartbeat(render_id: int):
    """While the block runs, tell everyone every few seconds that this worker is still at it."""
    stop = threading.Event()
    every = settings.STOCKTAKE_HEARTBEAT_SECONDS

    def beat() -> None:
        try:
            while not stop.wait(every):
                StocktakeRender.objects.filter(pk=render_id, state=State.RENDERING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:
            logger.exception("Stocktake PDF attempt %s: the heartbeat stopped", render_id)
        finally:
            connection.close()  # this thread's own connection

    beating = threading.Thread(target=beat, name=f"stocktake-heartbeat-{render_id}", daemon=True)
    beating.start()
    try:
        yield
    finally:
        stop.set()
        beating.join()


def describe(error: BaseException) -> str:
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
    attribute(stocktake, user=user, reason="Published")
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
    attribute(following, user=user, reason=f"Started from the published {stocktake.year} stocktake")
    following.save()
    return following
