#!/usr/bin/env python
"""A bounded load run: 25 people against gunicorn and a throwaway PostgreSQL at 10× Islington.

Runs itself under .ci/with-postgres (a PostgreSQL cluster of its own on 127.0.0.1, deleted after,
durable as in production), migrates, builds the synthetic 10× framework (bench/synthetic.py),
starts gunicorn (3 workers, loopback only) and lets bench/load_users.py (Locust) drive directors,
Board members and the public for LOAD_SECONDS (default 75) or LOAD_MAX_REQUESTS (default 20,000),
whichever comes first. Prints per page p50, p95, p99, errors and requests/s as JSON lines, then the goals:

- every page's p95 at most 150 ms with 25 people, and no errors;
- the dashboard's p95 at least a third below the 186 ms measured before (at most 124 ms).

Settings: config.settings.local with DEBUG off (production's secure cookies need HTTPS, which a
loopback run has not), the password hashers of base (Argon2), persistent database connections.
Environment: LOAD_USERS (25), LOAD_SECONDS (75), LOAD_MAX_REQUESTS (20000), LOAD_SCALE (10).
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS = int(os.environ.get("LOAD_USERS", 25))
SECONDS = int(os.environ.get("LOAD_SECONDS", 75))
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", 20_000))
SCALE = int(os.environ.get("LOAD_SCALE", 10))
P95_GOAL_MS = 150
DASHBOARD_BEFORE_MS = 186
DASHBOARD_GOAL_MS = round(DASHBOARD_BEFORE_MS * 2 / 3)


def main() -> int:
    if sys.argv[1:] == ["--build"]:
        return build()
    if "DATABASE_URL" not in os.environ or not os.environ["DATABASE_URL"].startswith("postgres"):
        # Durable as in production (fsync and synchronous commit on): a save waits for its commit.
        process = subprocess.run(
            [str(ROOT / ".ci/with-postgres"), sys.executable, __file__],
            env={"PG_DURABLE": "true", **os.environ},
        )
        if process.returncode == 3 and os.environ.get("CI") != "true":
            print("# load run skipped: no PostgreSQL on this machine (see above)")
            return 0
        return process.returncode
    return run()


def environment() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}",
    }


def build() -> int:
    """In a child process: migrate, build the framework, write the plan for the load users."""
    import django

    django.setup()
    import synthetic
    from django.core.management import call_command

    from actions.models import Action, Status
    from targets.models import Outcome

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    # Pages name their static files by the hashed names WhiteNoise serves, as in production.
    call_command("collectstatic", interactive=False, verbosity=0)
    built = synthetic.build(SCALE)
    settle()
    counts = ", ".join(f"{n:,} {what}" for what, n in built.counts.items())
    print(f"# {SCALE}×: {counts}; ready in {time.perf_counter() - started:.1f} s", flush=True)
    directors = []
    for area_ref in built.area_refs:
        action = (
            Action.objects.filter(service_area__ref=area_ref)
            .exclude(status__in=[Status.COMPLETE, Status.CLOSED])
            .order_by("position")
            .select_related("service_area__director")
            .first()
        )
        directors.append({"email": action.service_area.director.email, "action": action.ref})
    plan = {
        "password": synthetic.PASSWORD,
        "board": built.board.email,
        "directors": directors,
        "strand": built.area_refs[-1].split("-")[0],
        "outcomes": list(
            Outcome.objects.exclude(indicator="")
            .order_by("position")
            .values_list("ref", flat=True)[:20]
        ),
        "actions": list(Action.objects.order_by("position").values_list("ref", flat=True)[::25]),
    }
    Path(os.environ["LOAD_PLAN"]).write_text(json.dumps(plan))
    return 0


def settle() -> None:
    """As a database in use is: its statistics gathered and what the build wrote on disk, so the
    run measures the pages, not autovacuum's first ANALYZE or the checkpoint after a bulk load."""
    from django.db import connection

    connection.ensure_connection()
    with connection.cursor() as cursor:
        previous, connection.connection.autocommit = connection.connection.autocommit, True
        try:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")
        finally:
            connection.connection.autocommit = previous


def run() -> int:
    env = environment()
    directory = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env["LOAD_PLAN"] = str(directory / "plan.json")
    env["CACHE_DIR"] = str(directory / "cache")  # a server starting cold, as after a deployment
    subprocess.run([sys.executable, __file__, "--build"], env=env, cwd=ROOT, check=True)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/accessibility/")
        load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
        print(
            f"# gunicorn (3 workers) on 127.0.0.1:{port}; {USERS} people for at most {SECONDS} s "
            f"or {MAX_REQUESTS:,} requests; load average {load} on {os.cpu_count()} CPUs; "
            + (
                "PostgreSQL durable (fsync, synchronous commit)"
                if os.environ.get("PG_DURABLE") == "true"
                else "PostgreSQL with durability off (PG_DURABLE=false)"
            ),
            flush=True,
        )
        process = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench/load_users.py"),
                f"http://127.0.0.1:{port}",
                env["LOAD_PLAN"],
                str(SECONDS),
                str(USERS),
                str(MAX_REQUESTS),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=SECONDS + 120,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    results = []
    for line in process.stdout.splitlines():
        print(line)
        if line.startswith("{"):
            results.append(json.loads(line))
    if process.returncode:
        sys.stderr.write(process.stderr[-5000:])
        return process.returncode
    report(results)
    busy = os.getloadavg()[0]
    if busy > (os.cpu_count() or 1):
        print(
            f"  WARNING: the machine was busy with other work (load average {busy:.1f} on "
            f"{os.cpu_count()} CPUs): these wall-clock figures measure the queue for the CPU as "
            "much as the service; bench/bench_pages.py's CPU medians are steadier."
        )
    return 0


def report(results: list[dict]) -> None:
    print("\nGoals")
    pages = [r for r in results if r["page"] != "all pages"]
    for r in pages:
        met = r["p95_ms"] <= P95_GOAL_MS and r["errors"] == 0
        print(
            f"  {'met   ' if met else 'MISSED'} {r['page']:26} p50 {r['p50_ms']:5.0f}  "
            f"p95 {r['p95_ms']:5.0f}  p99 {r['p99_ms']:5.0f} ms  {r['errors']} errors  "
            f"{r['requests']:5} requests  (goal: p95 ≤ {P95_GOAL_MS} ms, no errors)"
        )
    dashboard = next((r for r in pages if r["page"] == "dashboard"), None)
    if dashboard:
        met = dashboard["p95_ms"] <= DASHBOARD_GOAL_MS
        print(
            f"  {'met   ' if met else 'MISSED'} dashboard p95 {dashboard['p95_ms']:.0f} ms "
            f"(goal: ≤ {DASHBOARD_GOAL_MS} ms, a third below {DASHBOARD_BEFORE_MS} ms)"
        )
    total = next((r for r in results if r["page"] == "all pages"), None)
    if total:
        print(f"  {total['requests']:,} requests, {total['requests_per_s']} requests/s overall")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


if __name__ == "__main__":
    sys.exit(main())
