"""A deployment of the product for tests that need real processes: a database of its own, the
product's commands run against it in processes of their own, and a throwaway PostgreSQL server.

A PostgreSQL database is made beside the tests' own when they run on PostgreSQL (or on the
server ``postgres_server`` starts), else an SQLite file.
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

ROOT = Path(__file__).resolve().parent.parent.parent


class Deployment:
    def __init__(self, tmp_path: Path, *, server: str | None = None, migrate: bool = True, **env):
        self.tmp = tmp_path
        server = server or os.environ.get("DATABASE_URL", "")
        self.postgres = server.startswith("postgres")
        if self.postgres:
            import psycopg

            self.name = f"deploy_{uuid.uuid4().hex[:12]}"
            self.server = server
            with psycopg.connect(server, autocommit=True) as connection:
                connection.execute(f'CREATE DATABASE "{self.name}"')
            self.url = urlunsplit(urlsplit(server)._replace(path=f"/{self.name}"))
        else:
            self.url = f"sqlite:///{tmp_path / f'deployment-{uuid.uuid4().hex[:8]}.sqlite3'}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_DEBUG": "false",
            "PYTHONPATH": str(ROOT),
            # The deployments of one test share one cache on disk, as a server's processes do.
            "CACHE_DIR": str(tmp_path / "cache"),
            **env,
        }
        if migrate:
            self.manage("migrate")

    def manage(self, *args: str, check: bool = True, **env: str) -> subprocess.CompletedProcess:
        return self._run([sys.executable, "manage.py", *args, "--no-color"], check, env)

    def support(self, *args: str, **env: str) -> str:
        """A step of tests/support/worker.py (the world, a PDF asked for, reminders queued)."""
        return self._run([sys.executable, "-m", "tests.support.worker", *args], True, env).stdout

    def _run(self, command: list[str], check: bool, env: dict) -> subprocess.CompletedProcess:
        done = subprocess.run(
            command, cwd=ROOT, env={**self.env, **env}, capture_output=True, text=True, timeout=300
        )
        if check:
            assert done.returncode == 0, f"{command}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
        return done

    def worker(self, *args: str, **env: str) -> subprocess.Popen:
        """A worker, its output kept in self.worker_log (read it when a test fails)."""
        self.worker_log = self.tmp / f"worker-{uuid.uuid4().hex[:6]}.log"
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
            stdout=self.worker_log.open("w"),
            stderr=subprocess.STDOUT,
            text=True,
        )

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text()[-3000:]}"
            for path in sorted(self.tmp.glob("worker-*.log"))
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

            with psycopg.connect(self.server, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def wait_for(condition, *, seconds: float = 90, what: str, deployment=None):
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        logs = deployment.logs() if deployment else ""
        assert time.monotonic() < deadline, f"gave up waiting for {what}\n{logs}"
        time.sleep(0.05)
    return value


def stop(process: subprocess.Popen, how: int = signal.SIGTERM) -> None:
    process.send_signal(how)
    process.wait(timeout=60)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory) -> str:
    """A PostgreSQL server's address: the tests' own, else a throwaway one (.ci/with-postgres).

    Without PostgreSQL and without a way to install it, the test is skipped, except under
    CI=true, where that is a failure (.ci/with-postgres says why).
    """
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        yield url
        return
    handoff = tmp_path_factory.mktemp("postgres") / "url"
    server = subprocess.Popen(
        [
            str(ROOT / ".ci/with-postgres"),
            "sh",
            "-c",
            f'echo "$DATABASE_URL" > {handoff}.part && mv {handoff}.part {handoff} && sleep 3600',
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # stopped as a group: the script cleans up once `sleep` ends
    )
    deadline = time.monotonic() + 600  # installing PostgreSQL with apt-get can take a while
    while not handoff.exists():
        if server.poll() is not None:
            why = server.stderr.read()
            if server.returncode == 3 and os.environ.get("CI") != "true":
                pytest.skip(f"no PostgreSQL on this machine: {why.strip()[-300:]}")
            pytest.fail(f".ci/with-postgres could not start PostgreSQL:\n{why[-2000:]}")
        assert time.monotonic() < deadline, "PostgreSQL did not start within 10 minutes"
        time.sleep(0.1)
    try:
        yield handoff.read_text().strip()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
