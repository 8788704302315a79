"""Backing up and restoring the whole service: the PostgreSQL database and the media folder.

A backup is a folder holding

- ``database.dump``: ``pg_dump --format=custom`` of the whole database (every row, every history
  row, and the stocktake PDFs, which are kept in the database);
- ``media.tar.gz``: everything under ``MEDIA_ROOT``, if there is anything;
- ``manifest.json``: what was there: each table's number of rows and a checksum of its rows, and
  each media file's SHA-256.

A restore goes into an empty database only, then checks every table and file against the
manifest, so a restore that did not bring everything back says so rather than seeming to work.
"""

import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from glob import glob
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction

DUMP, MEDIA, MANIFEST = "database.dump", "media.tar.gz", "manifest.json"


class BackupError(Exception):
    """Something an operator must put right, said in a sentence."""


def _database(alias: str = "default") -> dict:
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise BackupError(
            f"Backups here are of PostgreSQL; this database is {connection.vendor}. For SQLite, "
            'copy the database file with `sqlite3 db.sqlite3 ".backup backup.sqlite3"`.'
        )
    return connection.settings_dict


def tool(name: str) -> str:
    """pg_dump or pg_restore: from PG_BIN, else the PATH, else the newest installed PostgreSQL."""
    if os.environ.get("PG_BIN"):
        return str(Path(os.environ["PG_BIN"]) / name)
    found = shutil.which(name)
    if found:
        return found
    installed = sorted(
        glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4])
    )
    if installed:
        return installed[-1]
    raise BackupError(f"{name} was not found: install the PostgreSQL client, or set PG_BIN.")


def _connection_args(db: dict) -> tuple[list[str], dict]:
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def tables(alias: str = "default") -> list[str]:
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
        return [name for (name,) in cursor.fetchall()]


def table_figures(alias: str = "default") -> dict[str, dict]:
    """Each table's rows: how many, and a checksum of all their values (in any order)."""
    figures = {}
    quote = connections[alias].ops.quote_name
    with connections[alias].cursor() as cursor:
        for table in tables(alias):
            cursor.execute(
                f"SELECT COUNT(*), COALESCE(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') "
                f"FROM {quote(table)} AS t"
            )
            rows, checksum = cursor.fetchone()
            figures[table] = {"rows": rows, "checksum": checksum}
    return figures


def media_figures(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def backup(folder: Path) -> dict:
    """Back everything up into ``folder`` (made; it must not hold a backup already)."""
    db = _database()
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / MANIFEST).exists():
        raise BackupError(f"{folder} already holds a backup: choose a new folder.")
    args, env = _connection_args(db)
    # The checksums and the dump see the same moment: pg_dump is given this transaction's
    # snapshot, so a change made meanwhile is in neither.
    with transaction.atomic(), connections["default"].cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        figures = table_figures()
        dump = [tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
        _run([*dump, f"--snapshot={snapshot}", "--file", str(folder / DUMP), *args], env)
    media_root = Path(settings.MEDIA_ROOT)
    media = media_figures(media_root)
    if media:
        with tarfile.open(folder / MEDIA, "w:gz") as archive:
            archive.add(media_root, arcname=".")
    manifest = {
        "made_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": db["NAME"],
        "tables": figures,
        "media": media,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def restore(folder: Path) -> dict:
    """Restore a backup into the (empty) database and MEDIA_ROOT, then check it all came back."""
    db = _database()
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}.") from None
    if tables():
        raise BackupError(
            f"The database {db['NAME']} is not empty: restore into a new, empty database "
            "(createdb), then point DATABASE_URL at it. Nothing was changed."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if manifest["media"] and media_figures(media_root):
        raise BackupError(
            f"{media_root} is not empty: restore into an empty MEDIA_ROOT. Nothing was changed."
        )
    args, env = _connection_args(db)
    _run(
        [
            tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *args,
            str(folder / DUMP),
        ],
        env,
    )
    if manifest["media"]:
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA, "r:gz") as archive:
            archive.extractall(media_root, filter="data")
    connections["default"].close()  # see the restored tables afresh
    # What was kept drawn is named by ids the restored database will hand out again.
    cache.clear()
    problems = compare(manifest, table_figures(), media_figures(media_root))
    if problems:
        raise BackupError("The restore did not bring everything back:\n" + "\n".join(problems))
    return manifest


def compare(manifest: dict, restored_tables: dict, restored_media: dict) -> list[str]:
    problems = []
    for table, was in manifest["tables"].items():
        now = restored_tables.get(table)
        if now is None:
            problems.append(f"- table {table} is missing")
        elif now["rows"] != was["rows"]:
            problems.append(f"- table {table} has {now['rows']} rows; the backup had {was['rows']}")
        elif now["checksum"] != was["checksum"]:
            problems.append(f"- table {table} has the same number of rows but different values")
    for name, digest in manifest["media"].items():
        if restored_media.get(name) != digest:
            problems.append(f"- media file {name} is missing or different")
    return problems
