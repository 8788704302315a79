"""/healthz: for load balancers and monitoring. 200 when the app and its database work, 503 when
the database does not; no sign-in; nothing revealed; the background worker's last sign of life."""

import datetime
import json
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def task(*, status="READY", enqueued_ago=0, started_ago=None, finished_ago=None, run_after=None):
    result = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="reporting.tasks.render_stocktake",
        backend_name="default",
        queue_name="default",
        run_after=run_after or get_date_max(),
        started_at=NOW - datetime.timedelta(seconds=started_ago) if started_ago else None,
        finished_at=NOW - datetime.timedelta(seconds=finished_ago) if finished_ago else None,
    )
    enqueued_at = timezone.now() - datetime.timedelta(seconds=enqueued_ago)
    DBTaskResult.objects.filter(pk=result.pk).update(enqueued_at=enqueued_at)
    return result


def test_healthz_is_ok_without_signing_in_and_is_never_cached(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "worker": {
            "state": "idle",
            "last_seen": None,
            "tasks_waiting": 0,
            "longest_wait_seconds": 0,
        },
    }


def test_healthz_shows_when_the_worker_last_worked(client):
    task(status="SUCCESSFUL", enqueued_ago=900, started_ago=890, finished_ago=880)
    task(status="SUCCESSFUL", enqueued_ago=100, started_ago=95, finished_ago=60)
    worker = client.get("/healthz").json()["worker"]
    assert worker["state"] == "idle"
    last_seen = datetime.datetime.fromisoformat(worker["last_seen"])
    assert abs((NOW - last_seen).total_seconds() - 60) < 2


def test_a_task_waiting_briefly_means_the_worker_is_working(client):
    task(enqueued_ago=30)
    worker = client.get("/healthz").json()["worker"]
    assert (worker["state"], worker["tasks_waiting"]) == ("working", 1)
    assert 29 <= worker["longest_wait_seconds"] <= 40


def test_a_task_waiting_too_long_means_the_worker_is_stalled_but_the_app_is_up(client, settings):
    settings.WORKER_STALLED_AFTER_SECONDS = 300
    task(enqueued_ago=30)
    task(enqueued_ago=301)
    response = client.get("/healthz")
    assert response.status_code == 200  # the web app works; the worker is another process
    worker = response.json()["worker"]
    assert (worker["state"], worker["tasks_waiting"]) == ("stalled", 2)
    assert worker["longest_wait_seconds"] >= 301


def test_a_task_to_run_later_waits_from_when_it_is_due(client):
    task(enqueued_ago=3600, run_after=timezone.now() + datetime.timedelta(hours=1))  # not yet
    task(enqueued_ago=3600, run_after=timezone.now() - datetime.timedelta(seconds=20))
    worker = client.get("/healthz").json()["worker"]
    assert (worker["state"], worker["tasks_waiting"]) == ("working", 1)
    assert 19 <= worker["longest_wait_seconds"] <= 30


def test_healthz_is_503_when_the_database_fails_and_says_nothing_of_why(client):
    failure = OperationalError('connection to server at "db.internal" (10.0.0.5) refused')
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=failure):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}
    body = json.dumps(response.json())
    assert "db.internal" not in body and "10.0.0.5" not in body


def test_healthz_answers_get_only(client):
    assert client.post("/healthz").status_code == 405
