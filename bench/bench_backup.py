#!/usr/bin/env python
"""How long a backup and a checked restore take at 10× the Islington framework (the recovery
time of docs/operations.md), on a throwaway PostgreSQL (.ci/with-postgres).

Builds the synthetic framework (bench/synthetic.py) with its history, then times
`manage.py backup` and `manage.py restore` into an empty database. One JSON object per line:

    {"bench": "backup", "what": "restore (checked)", "seconds": 4.2, "rows": 61000, "dump_bytes": 1800000}
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SCALE = int(os.environ.get("BACKUP_SCALE", 10))


def main() -> int:
    if sys.argv[1:] == ["--build"]:
        import django

        django.setup()
        import synthetic
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        synthetic.build(SCALE)
        return 0
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        process = subprocess.run([str(ROOT / ".ci/with-postgres"), sys.executable, __file__])
        if process.returncode == 3 and os.environ.get("CI") != "true":
            print("# backup bench skipped: no PostgreSQL on this machine (see above)")
            return 0
        return process.returncode
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE DATABASE restored")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}",
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="bench-media-"),
    }
    subprocess.run([sys.executable, __file__, "--build"], env=env, cwd=ROOT, check=True)
    folder = Path(tempfile.mkdtemp(prefix="bench-backup-")) / "backup"
    restored = {
        **env,
        "DATABASE_URL": urlunsplit(urlsplit(url)._replace(path="/restored")),
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="bench-media-restored-"),
    }
    for what, command, environment in [
        ("backup", ["backup", str(folder)], env),
        ("restore (checked)", ["restore", str(folder)], restored),
    ]:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", *command],
            env=environment,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - started
        manifest = json.loads((folder / "manifest.json").read_text())
        result = {
            "bench": "backup",
            "what": what,
            "scale": SCALE,
            "seconds": round(seconds, 2),
            "tables": len(manifest["tables"]),
            "rows": sum(t["rows"] for t in manifest["tables"].values()),
            "dump_bytes": (folder / "database.dump").stat().st_size,
        }
        print(json.dumps(result), flush=True)
        print(
            f"  {what:18} {SCALE}×  {seconds:6.2f} s  ({result['rows']:,} rows in "
            f"{result['tables']} tables, dump {result['dump_bytes'] / 1e6:.1f} MB)",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
