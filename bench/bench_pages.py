#!/usr/bin/env python
"""Page timings at 1× and 10× the Islington framework, in process, with Django's test client.

For each scale a child process builds a synthetic framework (bench/synthetic.py) in a throwaway
SQLite database, then requests each page WARM_UP times and times REPEATS more. One JSON object per
page and scale is printed:

    {"page": "dashboard", "scale": 10, "median_ms": 61.2, "p95_ms": 70.3, "queries": 24}

then the goals, checked: every page makes the same number of queries at 1× and 10×; the
dashboard's median at 10× is no more than 3 times its median at 1×, and under 150 ms.

"dashboard, drawn afresh" times the dashboard after a change to something every part of it
shows (a strand saved again: a new history row) and with the charts' cache emptied, to show what
drawing it costs when the numbers have changed; the other pages' kept parts stay kept, as they do
in use. The plain "dashboard" lines are served from the cache after the first request, as people
see it; "dashboard, after a progress save" follows a director's save each time (the status stays:
served as drawn); "dashboard, after a first update" follows an action's first update in the
reporting cycle each time (only the cycle's figures are drawn again). "progress save" is what a director's browser does without JavaScript:
post the progress form of their own action (same status, new % complete and narrative) and follow
the redirect to the action page that says it was saved.

Pages are timed round by round (each page once per round), and each line also gives the median
CPU time of the process, which other work on the machine disturbs less than the wall clock.
"""

import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALES = (1, 10)
WARM_UP = 5
REPEATS = 30
DASHBOARD_RATIO_GOAL = 3.0
DASHBOARD_MS_GOAL = 150.0


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--scale":
        return measure(int(sys.argv[2]))
    results = []
    for scale in SCALES:
        process = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--scale", str(scale)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        sys.stdout.write(process.stdout)
        sys.stderr.write(process.stderr)
        if process.returncode:
            return process.returncode
        results += [json.loads(line) for line in process.stdout.splitlines() if line[:1] == "{"]
    report_goals(results)
    return 0


def measure(scale: int) -> int:
    directory = tempfile.mkdtemp(prefix="bench-pages-")
    # Before Django starts: a database of its own, thrown away afterwards.
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    import synthetic
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from targets import charts

    def change_every_part() -> None:
        strand = Strand.objects.order_by("position").first()
        attribute(strand, user=built.board, reason="Bench: a change every part shows")
        strand.save()
        charts.clear_cache()

    from actions import services
    from actions.cycle_progress import start_of
    from actions.cycles import current_cycle
    from actions.models import Action, ProgressUpdate, Status
    from config.history import attribute
    from strands.models import Strand

    def save_progress() -> None:
        """A director's progress save, as happens every few seconds in a busy week."""
        action = Action.objects.filter(status=Status.ON_TRACK).order_by("position").first()
        services.record_progress(
            action=action,
            user=action.service_area.director,
            status=Status.ON_TRACK,
            progress=(action.progress + 1) % 90,
            narrative="Bench: steady progress",
            seen_version=action.version,
        )

    def first_update_in_cycle() -> None:
        """An action's first update in the reporting cycle, its status kept. The bench's update
        of the round before is first moved to before the cycle (``update()``: no history, nothing
        the dashboard keys by moves), so each round's update is again the action's first."""
        cycle = current_cycle()
        action = Action.objects.get(pk=first_updated)
        ProgressUpdate.objects.filter(action=action, cycle=cycle).update(
            cycle=None, created_at=start_of(cycle.start_date) - datetime.timedelta(days=1)
        )
        services.record_progress(
            action=action,
            user=action.service_area.director,
            status=action.status,
            progress=(action.progress + 1) % 90,
            narrative="Bench: first update this cycle",
            seen_version=action.version,
        )

    def post_progress(client):
        """The director's own action's progress form, posted, and the page it redirects to."""
        action = (
            Action.objects.editable_by(built.director)
            .filter(status=Status.ON_TRACK)
            .order_by("position")
            .first()
        )
        progress = (action.progress + 1) % 90
        response = client.post(
            f"/actions/{action.ref}/progress/",
            {
                "version": action.version,
                "status": action.status,
                "progress": progress,
                "narrative": f"Bench: {progress}% complete, steady progress this quarter.",
                "closed_reason": "",
            },
            follow=True,
        )
        if len(response.redirect_chain) != 1:
            raise SystemExit(f"the progress save did not redirect: {response.status_code}")
        return response

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    built = synthetic.build(scale)
    finished = time.perf_counter()
    counts = ", ".join(f"{n:,} {what}" for what, n in built.counts.items())
    print(
        f"# {scale}×: {counts}; migrated in {migrated - started:.1f} s, "
        f"built in {finished - migrated:.1f} s",
        flush=True,
    )

    # The action whose first update in the cycle is made each round: live, not yet updated.
    first_updated = (
        Action.objects.filter(status=Status.ON_TRACK)
        .exclude(updates__cycle=current_cycle())
        .order_by("position")
        .values_list("pk", flat=True)
        .first()
    )
    if first_updated is None:
        raise SystemExit("the synthetic framework has no live action yet to update in the cycle")
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(
        f"# load average before timing (1, 5, 15 min): {load} on {os.cpu_count()} CPUs", flush=True
    )
    board, director = Client(), Client()
    board.force_login(built.board)
    director.force_login(built.director)
    strand = built.area_refs[-1].split("-")[0]
    pages = [
        ("baseline (accessibility statement)", board, "/accessibility/", None),
        ("dashboard", board, "/dashboard/", None),
        (
            "dashboard, filtered",
            board,
            f"/dashboard/?strand={strand}&status=on_track&characteristic=race",
            None,
        ),
        ("dashboard, drawn afresh", board, "/dashboard/", change_every_part),
        ("dashboard, after a progress save", board, "/dashboard/", save_progress),
        ("dashboard, after a first update", board, "/dashboard/", first_update_in_cycle),
        ("outcome page", board, f"/outcomes/{built.outcome_ref}/", None),
        ("my actions", director, "/my-actions/", None),
        ("framework search", director, "/framework/?q=synthetic+action+1", None),
        ("action page", board, f"/actions/{built.action_ref}/", None),
        ("progress save", director, post_progress, None),
    ]
    for _ in range(WARM_UP):
        for _name, client, url, _before in pages:
            _get(client, url)
    # Round by round, each page once a round: a burst of load from elsewhere on the machine
    # then falls on every page alike rather than on whichever page was being timed.
    wall: dict[str, list[float]] = {name: [] for name, *_ in pages}
    cpu: dict[str, list[float]] = {name: [] for name, *_ in pages}
    for _ in range(REPEATS):
        for name, client, url, before in pages:
            if before:
                before()
            started_cpu, started = time.process_time(), time.perf_counter()
            _get(client, url)
            wall[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.process_time() - started_cpu) * 1000)
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"# load average after timing: {load}", flush=True)
    for name, client, url, _before in pages:
        with CaptureQueriesContext(connection) as queries:
            _get(client, url)
        times = sorted(wall[name])
        result = {
            "page": name,
            "scale": scale,
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, round(0.95 * len(times)) - 1)], 1),
            "queries": len(queries),
            "cpu_median_ms": round(statistics.median(cpu[name]), 1),
        }
        print(json.dumps(result), flush=True)
        print(
            f"  {name:38} {scale:>3}×  median {result['median_ms']:7.1f} ms   "
            f"p95 {result['p95_ms']:7.1f} ms   {result['queries']:3} queries   "
            f"(CPU median {result['cpu_median_ms']:.1f} ms)",
            flush=True,
        )
    return 0


def _get(client, url) -> None:
    """A page by its address, or what a function does with the client (a form posted)."""
    response = url(client) if callable(url) else client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")


def report_goals(results: list[dict]) -> None:
    by = {(r["page"], r["scale"]): r for r in results}
    small, large = SCALES
    print("\nGoals")
    for page in dict.fromkeys(r["page"] for r in results):
        a, b = by.get((page, small)), by.get((page, large))
        if a and b:
            same = a["queries"] == b["queries"]
            print(
                f"  {'met   ' if same else 'MISSED'} {page}: {a['queries']} queries at {small}×, "
                f"{b['queries']} at {large}×; median {a['median_ms']} → {b['median_ms']} ms "
                f"({b['median_ms'] / a['median_ms']:.1f}×)"
            )
    a, b = by[("dashboard", small)], by[("dashboard", large)]
    ratio = b["median_ms"] / a["median_ms"]
    print(
        f"  {'met   ' if ratio <= DASHBOARD_RATIO_GOAL else 'MISSED'} dashboard median at "
        f"{large}× is {ratio:.1f}× its median at {small}× (goal: at most {DASHBOARD_RATIO_GOAL:g}×)"
    )
    print(
        f"  {'met   ' if b['median_ms'] < DASHBOARD_MS_GOAL else 'MISSED'} dashboard median at "
        f"{large}× is {b['median_ms']} ms (goal: under {DASHBOARD_MS_GOAL:g} ms)"
    )


if __name__ == "__main__":
    sys.exit(main())
