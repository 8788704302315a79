#!/usr/bin/env python
"""The stocktake PDF: the Islington framework with its demo progress, and the synthetic framework
of bench/synthetic.py at 1× and 10× the Islington size.

Each framework is built in a child process of its own (a throwaway SQLite database, and a clean
peak-memory figure), which renders the PDF as the background task does, REPEATS times, and prints
one JSON object:

    {"stocktake": "islington", "scale": 1, "pages": 57, "seconds": 8.1, "pages_per_second": 7.0,
     "peak_memory_mb": 310, "weasyprint_share": 0.96, "ours_seconds": 0.3, "queries": 12, ...}

"seconds" is the median wall-clock time from the database to the PDF's bytes ("cpu_seconds", the
process's CPU time for the same run, is less disturbed by other work on the machine). It is split into our own work
(the queries that read the framework as at the moment, building the content and its charts, and
the template) and WeasyPrint's (laying out the pages and writing the PDF). "peak_memory_mb" is the
peak resident size (ru_maxrss) of the child process that lays the PDF out (it starts as a fork of
the worker, so it includes Django and the data); "worker_mb_before_render" and
"worker_mb_after_render" are the worker's own resident size around a render (it should not
grow); "memory_by_stage_mb" says where the renderer's memory goes, step by step.

Goals: Islington in under 10 seconds; time growing no faster than the page count (seconds per
page at 10× no more than 1.25 times that at 1×); our own share under 15% of the total.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = [("islington", 1), ("synthetic", 1), ("synthetic", 10)]
REPEATS = {"islington": 3, "synthetic": 1}
ISLINGTON_SECONDS_GOAL = 10.0
GROWTH_GOAL = 1.25  # seconds per page at 10× over seconds per page at 1×
OUR_SHARE_GOAL = 0.15
MEMORY_GOAL_MB = 1024  # the renderer's peak at 10×
WORKER_GROWTH_MB = 50  # what a render may leave behind in the worker


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--run":
        return measure(sys.argv[2], int(sys.argv[3]))
    results = []
    for kind, scale in RUNS:
        process = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--run", kind, str(scale)],
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


def measure(kind: str, scale: int) -> int:
    directory = tempfile.mkdtemp(prefix="bench-stocktake-")
    # Before Django starts: a database of its own, thrown away afterwards.
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("DEMO_PASSWORD", "bench-demo-password")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    import logging

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reporting.stocktake import content, pdf
    from targets import charts

    logging.disable(logging.WARNING)  # WeasyPrint's warnings about the page, not the timings
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    quiet = {"stdout": open(os.devnull, "w")}  # noqa: SIM115
    if kind == "islington":
        call_command("import_framework", str(ROOT / "data/frameworks/islington-2021"), **quiet)
        call_command("create_demo_people", **quiet)
        call_command("load_demo_progress", **quiet)
    else:
        import synthetic

        synthetic.build(scale)
    built_in = time.perf_counter() - started
    data_mb = _peak_mb()
    import weasyprint  # noqa: F401  (imported once, as in a running worker)

    as_at = timezone.now()
    runs = []
    for _ in range(REPEATS[kind]):
        if hasattr(charts, "clear_cache"):
            charts.clear_cache()  # the charts are drawn afresh, as for a new as-at moment
        cpu0 = _cpu_seconds()
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            built = content.build(year=2026, as_at=as_at)
            t1 = time.perf_counter()
        worker_before = _rss_mb()
        rendered = pdf.render(built)
        worker_after = _rss_mb()
        runs.append(
            {
                "cpu": _cpu_seconds() - cpu0,
                "content": t1 - t0,
                "template": rendered.html_seconds,
                "weasyprint": rendered.weasyprint_seconds,
                "queries": len(queries),
                "pages": rendered.pages,
                "bytes": len(rendered.data),
                "worker_before": worker_before,
                "worker_after": worker_after,
            }
        )
    memory = pdf.in_child_process(_memory_by_stage, pdf.document_html(built))
    middle = sorted(runs, key=lambda r: r["content"] + r["template"] + r["weasyprint"])[
        len(runs) // 2
    ]
    ours = middle["content"] + middle["template"]
    total = ours + middle["weasyprint"]
    result = {
        "stocktake": kind,
        "scale": scale,
        "pages": middle["pages"],
        "actions": len(built.actions),
        "seconds": round(total, 2),
        "pages_per_second": round(middle["pages"] / total, 2),
        "seconds_per_page": round(total / middle["pages"], 4),
        # The renderer is a child process (reporting/stocktake/pdf.py): its peak is the PDF's cost.
        "peak_memory_mb": round(_peak_mb(resource.RUSAGE_CHILDREN)),
        "worker_peak_mb": round(_peak_mb()),
        "memory_before_render_mb": round(data_mb),
        "worker_mb_before_render": round(middle["worker_before"]),
        "worker_mb_after_render": round(middle["worker_after"]),
        "memory_by_stage_mb": memory,
        "weasyprint_seconds": round(middle["weasyprint"], 2),
        "ours_seconds": round(ours, 3),
        "content_seconds": round(middle["content"], 3),
        "template_seconds": round(middle["template"], 3),
        "weasyprint_share": round(middle["weasyprint"] / total, 3),
        "our_share": round(ours / total, 3),
        "queries": middle["queries"],
        "pdf_kb": round(middle["bytes"] / 1024),
        "runs": len(runs),
        "all_seconds": [round(r["content"] + r["template"] + r["weasyprint"], 2) for r in runs],
        "cpu_seconds": round(middle["cpu"], 2),
    }
    label = "Islington" if kind == "islington" else f"synthetic {scale}×"
    print(
        f"  {label:14} {result['pages']:4} pages ({result['actions']} actions)  "
        f"{result['seconds']:6.1f} s (CPU {result['cpu_seconds']:.1f} s)  "
        f"{result['pages_per_second']:5.1f} pages/s  "
        f"renderer peak {result['peak_memory_mb']} MB, worker {result['worker_mb_before_render']}"
        f" → {result['worker_mb_after_render']} MB  "
        f"WeasyPrint {result['weasyprint_share']:.0%}, ours {result['our_share']:.1%} "
        f"({result['queries']} queries, content {result['content_seconds']} s, template "
        f"{result['template_seconds']} s); data built in {built_in:.0f} s",
        flush=True,
    )
    print(
        "    memory (resident MB) as the renderer goes: "
        + ", ".join(f"{stage} {mb}" for stage, mb in memory.items()),
        flush=True,
    )
    print(json.dumps(result), flush=True)
    return 0


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the renderer)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _peak_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def _status_mb(field: str) -> float:
    """VmRSS (resident now) or VmHWM (the peak so far) of this process, from /proc."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1]) / 1024


def _rss_mb() -> float:
    return _status_mb("VmRSS")


def _memory_by_stage(html: str) -> dict:
    """Where the renderer's memory goes: resident MB after each of WeasyPrint's steps, run as the
    renderer runs (in a child process of its own), with the peak at the end."""
    import gc

    from weasyprint import HTML

    from reporting.stocktake import pdf, pdf_tags

    pdf.cache_page_references()
    stages = {"start": _rss_mb()}
    parsed = HTML(string=html, url_fetcher=pdf.url_fetcher())
    stages["html_parsed"] = _rss_mb()
    document = parsed.render(**pdf.PDF_OPTIONS)
    stages["laid_out"] = _rss_mb()
    raw = document.write_pdf(**pdf.PDF_OPTIONS)
    stages["pdf_written"] = _rss_mb()
    del document, parsed
    gc.collect()
    stages["layout_let_go"] = _rss_mb()
    pdf_tags.fix(raw)
    stages["tags_corrected"] = _rss_mb()
    stages["peak"] = _status_mb("VmHWM")
    return {stage: round(mb) for stage, mb in stages.items()}


def report_goals(results: list[dict]) -> None:
    by = {(r["stocktake"], r["scale"]): r for r in results}
    print("\nGoals")
    islington = by[("islington", 1)]
    ok = islington["seconds"] < ISLINGTON_SECONDS_GOAL
    print(
        f"  {'met   ' if ok else 'MISSED'} Islington stocktake in {islington['seconds']} s "
        f"(goal: under {ISLINGTON_SECONDS_GOAL:g} s)"
    )
    small, large = by[("synthetic", 1)], by[("synthetic", 10)]
    growth = large["seconds_per_page"] / small["seconds_per_page"]
    print(
        f"  {'met   ' if growth <= GROWTH_GOAL else 'MISSED'} time grows with the pages: "
        f"{small['pages']} → {large['pages']} pages ({large['pages'] / small['pages']:.1f}×), "
        f"{small['seconds']} → {large['seconds']} s ({large['seconds'] / small['seconds']:.1f}×); "
        f"{growth:.2f}× the time per page (goal: at most {GROWTH_GOAL:g}×)"
    )
    ok = large["peak_memory_mb"] < MEMORY_GOAL_MB
    print(
        f"  {'met   ' if ok else 'MISSED'} synthetic 10×: the renderer's peak "
        f"{large['peak_memory_mb']} MB for {large['pages']} pages (goal: under {MEMORY_GOAL_MB} MB)"
    )
    for result in results:
        growth = result["worker_mb_after_render"] - result["worker_mb_before_render"]
        ok = growth < WORKER_GROWTH_MB
        print(
            f"  {'met   ' if ok else 'MISSED'} {result['stocktake']} {result['scale']}×: the worker "
            f"{result['worker_mb_before_render']} → {result['worker_mb_after_render']} MB around a "
            f"render (goal: less than {WORKER_GROWTH_MB} MB more)"
        )
    for result in results:
        ok = result["our_share"] < OUR_SHARE_GOAL
        name = f"{result['stocktake']} {result['scale']}×"
        print(
            f"  {'met   ' if ok else 'MISSED'} {name}: our share {result['our_share']:.1%} "
            f"(goal: under {OUR_SHARE_GOAL:.0%}); WeasyPrint {result['weasyprint_share']:.1%}"
        )


if __name__ == "__main__":
    sys.exit(main())
