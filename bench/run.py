#!/usr/bin/env python
"""Run every benchmark in bench/ (files named bench_*.py), one after another.

Each benchmark prints human-readable figures and one JSON object per line (lines starting "{").
All JSON lines are also written to bench/results/latest.jsonl so two runs can be compared.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    json_lines: list[str] = []
    status = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name} ==", flush=True)
        process = subprocess.run(
            [sys.executable, str(script)], cwd=HERE.parent, capture_output=True, text=True
        )
        sys.stdout.write(process.stdout)
        sys.stderr.write(process.stderr)
        json_lines += [line for line in process.stdout.splitlines() if line.startswith("{")]
        status = status or process.returncode
    (results / "latest.jsonl").write_text("\n".join(json_lines) + "\n")
    print(f"{len(json_lines)} results written to {results / 'latest.jsonl'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
