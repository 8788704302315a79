#!/usr/bin/env python
"""The published stocktake's public page and files: built from the framework's history on every
request (a cold cache, as before issue 13) against served from the cache (as now).

The Islington framework with its demo progress is published (with a stand-in PDF) in a throwaway
SQLite database; each request goes through Django's test client, anonymous, as the public's does.
Prints figures and one JSON object per measured URL:

    {"bench": "public_stocktake", "url": "page", "cold_ms": 160.0, "cached_ms": 4.0,
     "speedup": 40.0, "cold_queries": 30, "cached_queries": 2}

"cold" rebuilds the content (the cache is emptied before each request); "cached" is the median of
later requests. Goal: a cached request under 50 ms and at least 10 times faster than a cold one.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLD_RUNS = 5
CACHED_RUNS = 30
CACHED_MS_GOAL = 50.0
SPEEDUP_GOAL = 10.0


def main() -> int:
    directory = tempfile.mkdtemp(prefix="bench-public-")
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("DEMO_PASSWORD", "bench-demo-password")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from reporting.models import Stocktake, StocktakeRender

    logging.disable(logging.WARNING)
    call_command("migrate", verbosity=0)
    quiet = {"stdout": open(os.devnull, "w")}  # noqa: SIM115
    call_command("import_framework", str(ROOT / "data/frameworks/islington-2021"), **quiet)
    call_command("create_demo_people", **quiet)
    call_command("load_demo_progress", **quiet)
    now = timezone.now()
    stocktake = Stocktake.objects.create(year=2026, as_at=now)
    render = StocktakeRender.objects.create(
        stocktake=stocktake, as_at=now, state="ready", pdf=b"%PDF-1.7", pages=1, size=8
    )
    stocktake.state, stocktake.published_at, stocktake.published_render = "published", now, render
    stocktake.save()

    client = Client()
    urls = {
        "page": reverse("public-stocktake", args=[2026]),
        "measurements.csv": reverse("public-stocktake-csv", args=[2026, "measurements"]),
        "datapackage.json": reverse("public-stocktake-datapackage", args=[2026]),
    }

    def timed(url: str) -> tuple[float, int]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            seconds = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        return seconds * 1000, len(queries)

    status = 0
    print(f"  Islington stocktake, public requests ({COLD_RUNS} cold, {CACHED_RUNS} cached):")
    for name, url in urls.items():
        cold = []
        for _ in range(COLD_RUNS):
            cache.clear()
            cold.append(timed(url))
        cached = [timed(url) for _ in range(CACHED_RUNS)]
        cold_ms = statistics.median(ms for ms, _ in cold)
        cached_ms = statistics.median(ms for ms, _ in cached)
        result = {
            "bench": "public_stocktake",
            "url": name,
            "cold_ms": round(cold_ms, 1),
            "cached_ms": round(cached_ms, 2),
            "speedup": round(cold_ms / cached_ms, 1),
            "cold_queries": cold[-1][1],
            "cached_queries": cached[-1][1],
        }
        met = cached_ms < CACHED_MS_GOAL and cold_ms / cached_ms >= SPEEDUP_GOAL
        status = status or (0 if met else 1)
        print(
            f"  {name:18} cold {cold_ms:7.1f} ms ({result['cold_queries']} queries)  "
            f"cached {cached_ms:6.2f} ms ({result['cached_queries']} queries)  "
            f"{result['speedup']:6.1f}×  {'goal met' if met else 'GOAL MISSED'}"
        )
        print(json.dumps(result), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
