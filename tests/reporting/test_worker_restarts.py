"""A real worker (manage.py db_worker) stopped or killed mid-task and started again: no work
lost, none done twice.

Each test has a database of its own (a fresh PostgreSQL database beside the tests' one when
they run on PostgreSQL, else an SQLite file), migrated and filled by tests/support/worker.py in
processes of their own, as a deployment's would be.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from reporting.stocktake.services import WORKER_LOST

ROOT = Path(__file__).resolve().parent.parent.parent
HEARTBEAT = 0.5  # seconds: the worker's heartbeat, so a lost one shows within 1.5 s


class Deployment:
    """A database, and the product's commands run against it."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        url = os.environ.get("DATABASE_URL", "")
        self.postgres = url.startswith("postgres")
        if self.postgres:
            import psycopg

            self.name = f"worker_{uuid.uuid4().hex[:12]}"
            self.admin = url
            with psycopg.connect(url, autocommit=True) as connection:
                connection.execute(f'CREATE DATABASE "{self.name}"')
            self.url = urlunsplit(urlsplit(url)._replace(path=f"/{self.name}"))
        else:
            self.url = f"sqlite:///{tmp_path / 'deployment.sqlite3'}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_DEBUG": "false",
            "STOCKTAKE_HEARTBEAT_SECONDS": str(HEARTBEAT),
            "REMINDER_RETRY_SECONDS": "3",
            "PYTHONPATH": str(ROOT),
        }
        self.run("migrate", manage=True)
        self.run("setup")

    def run(self, *args: str, manage: bool = False, **env: str) -> str:
        command = (
            [sys.executable, "manage.py", *args, "--noinput", "-v", "0"]
            if manage
            else [sys.executable, "-m", "tests.support.worker", *args]
        )
        done = subprocess.run(
            command, cwd=ROOT, env={**self.env, **env}, capture_output=True, text=True, timeout=180
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def worker(self, *args: str, **env: str) -> subprocess.Popen:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.worker",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                *args,
            ],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def query(self, sql: str) -> list[tuple]:
        if self.postgres:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as connection:
                return connection.execute(sql).fetchall()
        with sqlite3.connect(self.url.removeprefix("sqlite:///")) as connection:
            return connection.execute(sql).fetchall()

    def drop(self) -> None:
        if self.postgres:
            import psycopg

            with psycopg.connect(self.admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def deployment(tmp_path):
    made = Deployment(tmp_path)
    yield made
    made.drop()


def wait_for(condition, *, seconds: float = 90, what: str):
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)
    return value


def renders(deployment) -> list[tuple]:
    return deployment.query(
        "SELECT id, state, error, started_at, heartbeat_at, pdf IS NOT NULL "
        "FROM reporting_stocktakerender ORDER BY id"
    )


def stop(process: subprocess.Popen, how: int) -> None:
    process.send_signal(how)
    process.wait(timeout=60)


def test_a_worker_killed_while_making_a_pdf_is_noticed_and_the_pdf_made_again(deployment):
    first = int(deployment.run("request-pdf"))
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
    second = int(deployment.run("request-pdf"))
    assert second != first
    lost = renders(deployment)[0]
    assert (lost[1], lost[2], lost[5]) == ("failed", WORKER_LOST, False)
    restarted = deployment.worker("--batch")
    restarted.wait(timeout=180)
    assert restarted.returncode == 0, restarted.stderr.read()[-3000:]
    assert [(r[0], r[1], r[5]) for r in renders(deployment)] == [
        (first, "failed", False),
        (second, "ready", True),
    ]


def test_a_worker_told_to_stop_while_making_a_pdf_finishes_it_first(deployment):
    deployment.run("request-pdf")
    worker = deployment.worker(SLOW_PDF="3")
    wait_for(lambda: renders(deployment)[0][1] == "rendering", what="the worker to start")
    stop(worker, signal.SIGTERM)  # as systemd or a deployment stops it
    assert worker.returncode == 0
    assert [(r[1], r[5]) for r in renders(deployment)] == [("ready", True)]


def test_a_worker_killed_while_sending_reminders_sends_each_once_after_a_restart(deployment):
    log = deployment.tmp / "mail.log"
    log.touch()
    people = {f"director{n}@council.example" for n in (1, 2, 3)}
    deployment.run("send-reminders")
    lines = lambda: log.read_text().splitlines()  # noqa: E731
    worker = deployment.worker(MAIL_LOG=str(log), SLOW_MAIL="1")
    try:
        # Killed in the middle of handing the second message to the mail server.
        wait_for(lambda: len(lines()) >= 3, what="the first message and the start of the second")
    finally:
        stop(worker, signal.SIGKILL)
    assert [line.split()[0] for line in lines()] == ["sending", "sent", "sending"]
    assert deployment.query("SELECT COUNT(*) FROM actions_remindersent") == [(1,)]
    restarted = deployment.worker(MAIL_LOG=str(log), SLOW_MAIL="0")
    try:  # the run's retry, booked 3 seconds after it started, sends the rest
        wait_for(
            lambda: {line.split()[1] for line in lines() if line.startswith("sent ")} == people,
            what="the rest of the reminders",
        )
        time.sleep(1)  # time enough to send any twice
    finally:
        stop(restarted, signal.SIGTERM)
    sent = [line.split()[1] for line in lines() if line.startswith("sent ")]
    assert sorted(sent) == sorted(people)  # each once
    assert deployment.query("SELECT COUNT(*) FROM actions_remindersent") == [(3,)]
    booked = deployment.query(
        "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'reporting.tasks.send_daily_reminders' AND status = 'READY'"
    )
    assert booked == [(1,)]  # tomorrow's run, once
