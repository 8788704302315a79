""".ci/with-postgres: a throwaway PostgreSQL for the tests (durability off, for speed) and for the
load benchmark (PG_DURABLE=true: PostgreSQL's defaults, so a save waits for its commit as in
production)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

SCRIPT = settings.BASE_DIR / ".ci/with-postgres"
SHOW = (
    "import os, psycopg; c = psycopg.connect(os.environ['DATABASE_URL']); "
    "print(*(c.execute(f'SHOW {n}').fetchone()[0] for n in "
    "('fsync', 'synchronous_commit', 'full_page_writes')))"
)


def _settings(**env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PG_DURABLE"}}
    done = subprocess.run(
        [str(SCRIPT), sys.executable, "-c", SHOW],
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode == 3 and os.environ.get("CI") != "true":
        pytest.skip(f"no PostgreSQL on this machine: {done.stderr.strip()[-300:]}")
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_for_the_tests_durability_is_off():
    assert _settings() == "off off off"


def test_for_the_load_benchmark_it_is_durable_as_in_production():
    assert _settings(PG_DURABLE="true") == "on on on"
