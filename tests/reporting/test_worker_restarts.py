"""A real worker (manage.py db_worker) stopped or killed mid-task and started again: no work
lost, none done twice.

Each test has a database of its own (a fresh PostgreSQL database beside the tests' one when
they run on PostgreSQL, else an SQLite file), migrated and filled by tests/support/worker.py in
processes of their own, as a deployment's would be.
"""

import signal
import time

import pytest

from reporting.stocktake.services import WORKER_LOST
from tests.support.deployment import Deployment, stop, wait_for

HEARTBEAT = 0.5  # seconds: the worker's heartbeat, so a lost one shows within 1.5 s


@pytest.fixture
def deployment(tmp_path):
    made = Deployment(
        tmp_path, STOCKTAKE_HEARTBEAT_SECONDS=str(HEARTBEAT), REMINDER_RETRY_SECONDS="3"
    )
    made.support("setup")
    yield made
    made.drop()


def renders(deployment) -> list[tuple]:
    return deployment.query(
        "SELECT id, state, error, started_at, heartbeat_at, pdf IS NOT NULL "
        "FROM reporting_stocktakerender ORDER BY id"
    )


def test_a_worker_killed_while_making_a_pdf_is_noticed_and_the_pdf_made_again(deployment):
    first = int(deployment.support("request-pdf"))
    worker = deployment.worker(SLOW_PDF="120")
    try:
        # Making it, and saying so: the heartbeat moves on from the start.
        wait_for(
            lambda: (r := renders(deployment)[0])[1] == "rendering" and r[4] > r[3],
            what="the worker to start the PDF and beat",
        )
    finally:
        stop(worker, signal.SIGKILL)  # no chance to tidy up
    time.sleep(3 * HEARTBEAT + 0.5)
    # The team asks again at once: the lost attempt is given up on, with why, not refused.
    second = int(deployment.support("request-pdf"))
    assert second != first
    lost = renders(deployment)[0]
    assert (lost[1], lost[2], lost[5]) == ("failed", WORKER_LOST, False)
    restarted = deployment.worker("--batch")
    restarted.wait(timeout=180)
    assert restarted.returncode == 0, deployment.logs()
    assert [(r[0], r[1], r[5]) for r in renders(deployment)] == [
        (first, "failed", False),
        (second, "ready", True),
    ]


def test_a_worker_told_to_stop_while_making_a_pdf_finishes_it_first(deployment):
    deployment.support("request-pdf")
    worker = deployment.worker(SLOW_PDF="3")
    wait_for(lambda: renders(deployment)[0][1] == "rendering", what="the worker to start")
    stop(worker, signal.SIGTERM)  # as systemd or a deployment stops it
    assert worker.returncode == 0
    assert [(r[1], r[5]) for r in renders(deployment)] == [("ready", True)]


def test_a_worker_killed_while_sending_reminders_sends_each_once_after_a_restart(deployment):
    log = deployment.tmp / "mail.log"
    log.touch()
    people = {f"director{n}@council.example" for n in (1, 2, 3)}
    deployment.support("send-reminders")
    lines = lambda: log.read_text().splitlines()  # noqa: E731
    worker = deployment.worker(MAIL_LOG=str(log), SLOW_MAIL="1")
    try:
        # Killed in the middle of handing the second message to the mail server.
        wait_for(lambda: len(lines()) >= 3, what="the first message and the start of the second")
    finally:
        stop(worker, signal.SIGKILL)
    assert [line.split()[0] for line in lines()] == ["sending", "sent", "sending"]
    assert deployment.query("SELECT COUNT(*) FROM reporting_remindersent") == [(1,)]
    restarted = deployment.worker(MAIL_LOG=str(log), SLOW_MAIL="0")
    try:  # the run's retry, booked 3 seconds after it started, sends the rest
        wait_for(
            lambda: {line.split()[1] for line in lines() if line.startswith("sent ")} == people,
            what="the rest of the reminders",
            deployment=deployment,
        )
        time.sleep(1)  # time enough to send any twice
    finally:
        stop(restarted, signal.SIGTERM)
    sent = [line.split()[1] for line in lines() if line.startswith("sent ")]
    assert sorted(sent) == sorted(people)  # each once
    assert deployment.query("SELECT COUNT(*) FROM reporting_remindersent") == [(3,)]
    booked = deployment.query(
        "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'reporting.tasks.send_daily_reminders' AND status = 'READY'"
    )
    assert booked == [(1,)]  # tomorrow's run, once
