"""Is the product working? The database answers, and the background worker's last sign of life.

The worker (manage.py db_worker, django-tasks-db) keeps no heartbeat of its own; its signs of life
are in its task table: when it last started or finished a task, and whether tasks are waiting
for it. A task that has waited longer than WORKER_STALLED_AFTER_SECONDS means the worker is down
(or cannot keep up): "stalled". Nothing waiting is "idle", however long ago it last worked.
"""

import datetime
import logging

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Case, Count, Max, Min, When
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

log = logging.getLogger(__name__)


def worker_heartbeat(now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    seen = DBTaskResult.objects.aggregate(started=Max("started_at"), finished=Max("finished_at"))
    waiting = DBTaskResult.objects.ready().aggregate(
        count=Count("id"),
        # A task to run at once has run_after set to the far future's sentinel: its wait began
        # when it was enqueued.
        since=Min(Case(When(run_after=get_date_max(), then="enqueued_at"), default="run_after")),
    )
    last_seen = max((t for t in seen.values() if t is not None), default=None)
    waited = (now - waiting["since"]).total_seconds() if waiting["since"] else 0
    if not waiting["count"]:
        state = "idle"
    elif waited > settings.WORKER_STALLED_AFTER_SECONDS:
        state = "stalled"
    else:
        state = "working"
    return {
        "state": state,
        "last_seen": last_seen.isoformat(timespec="seconds") if last_seen else None,
        "tasks_waiting": waiting["count"],
        "longest_wait_seconds": max(0, round(waited)),
    }


def health() -> tuple[bool, dict]:
    """(whether the app and its database work, what /healthz shows). No versions, hosts or error
    text: a failure says only that the database is unavailable."""
    try:
        worker = worker_heartbeat()
    except DatabaseError:
        log.warning("Health check: the database is unavailable", exc_info=True)  # why, for the logs
        return False, {"status": "unavailable", "database": "unavailable"}
    return True, {"status": "ok", "database": "ok", "worker": worker}
