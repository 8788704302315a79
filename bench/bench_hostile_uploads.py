#!/usr/bin/env python
"""How fast, and in how little memory, hostile framework files are refused (default settings).

Each file is built here, then read by the framework reader as an upload is. One JSON object per
file is printed:

    {"file": "1 GB cell in a workbook", "bytes": 1043210, "refused_ms": 3.1, "peak_mb": 0.2, ...}

then the goal, checked: every hostile file is refused in under a second and under 50 MB of memory
(the Islington framework, read in full for comparison, is not held to it).
"""

import io
import json
import os
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from targets.spreadsheet import FrameworkFileError  # noqa: E402
from targets.spreadsheet.reader import read_framework_bytes  # noqa: E402
from tests.strands.hostile import SHEETS, csv_rows, workbook_from_csvs  # noqa: E402

MS_GOAL = 1000.0
MB_GOAL = 50.0
GIGABYTE = 1024**3
ISLINGTON = ROOT / "data" / "frameworks" / "islington-2021"


def workbook_with_a_huge_cell() -> bytes:
    """The Islington workbook with one 1 GB cell added to its strands sheet, written in streams."""
    normal = zipfile.ZipFile(io.BytesIO(workbook_from_csvs(ISLINGTON)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in normal.infolist():
            data = normal.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with archive.open(info.filename, "w", force_zip64=True) as member:
                member.write(head + b'<row r="99"><c r="B99" t="inlineStr"><is><t>')
                chunk = b"x" * (16 * 1024 * 1024)
                for _ in range(GIGABYTE // len(chunk)):
                    member.write(chunk)
                member.write(b"</t></is></c></row></sheetData>" + tail)
    return buffer.getvalue()


def workbook_reaching_the_last_cell() -> bytes:
    def far_cell(workbook):
        workbook["strands"]["XFD1048576"] = "far away"

    return workbook_from_csvs(ISLINGTON, far_cell)


def zip_of_many_files() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(200_000):
            archive.writestr(f"{number}.csv", b"")
    return buffer.getvalue()


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sheet in SHEETS:
            archive.write(ISLINGTON / f"{sheet}.csv", f"{sheet}.csv")
        with archive.open("padding.csv", "w", force_zip64=True) as member:
            chunk = b"\0" * (16 * 1024 * 1024)
            for _ in range(GIGABYTE // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def measure(label: str, name: str, data: bytes, *, hostile: bool = True) -> dict:
    tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        read_framework_bytes(name, data)
        outcome = "read"
    except FrameworkFileError as error:
        outcome = str(error.problems[0])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "file": label,
        "bytes": len(data),
        "refused_ms" if hostile else "read_ms": round(elapsed * 1000, 1),
        "cpu_ms": round(cpu * 1000, 1),
        "peak_mb": round(peak / 1024 / 1024, 1),
        "outcome": outcome[:120],
        "hostile": hostile,
    }


def main() -> int:
    assert csv_rows(ISLINGTON, "strands"), "the Islington framework is there"
    results = [
        measure(
            "Islington framework (normal)",
            "islington.xlsx",
            workbook_from_csvs(ISLINGTON),
            hostile=False,
        ),
        measure("1 GB cell in a workbook", "huge-cell.xlsx", workbook_with_a_huge_cell()),
        measure("a cell at XFD1048576", "far.xlsx", workbook_reaching_the_last_cell()),
        measure("zip of 200,000 files", "many.zip", zip_of_many_files()),
        measure("zip unzipping to 1 GB", "bomb.zip", zip_bomb()),
    ]
    for result in results:
        print(json.dumps(result))
    failed = [
        r["file"]
        for r in results
        if r["hostile"]
        and (r["refused_ms"] > MS_GOAL or r["peak_mb"] > MB_GOAL or r["outcome"] == "read")
    ]
    print(
        f"goal: every hostile file refused in under {MS_GOAL:.0f} ms and {MB_GOAL:.0f} MB: "
        + ("met" if not failed else f"NOT met by {', '.join(failed)}")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
