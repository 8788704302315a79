"""`manage.py backup` and `manage.py restore`: a populated PostgreSQL database backed up and
restored into an empty one brings back every row, every history row, every published PDF and
every media file, checked here independently of the commands' own manifest.

Runs on PostgreSQL: the tests' own server, else a throwaway one (.ci/with-postgres); skipped
only off CI on a machine without PostgreSQL.
"""

import pytest

from tests.support.deployment import Deployment

EVERY_ROW = (
    "SELECT COUNT(*), COALESCE(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {} AS t"
)


def contents(deployment: Deployment) -> dict[str, tuple]:
    names = deployment.query(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
    )
    return {name: deployment.query(EVERY_ROW.format(f'"{name}"'))[0] for (name,) in names}


def published_pdfs(deployment: Deployment) -> list[tuple]:
    return deployment.query(
        "SELECT s.year, sha256(r.pdf) FROM reporting_stocktake s "
        "JOIN reporting_stocktakerender r ON r.id = s.published_render_id ORDER BY s.year"
    )


@pytest.fixture
def populated(tmp_path, postgres_server):
    media = tmp_path / "media-live"
    (media / "uploads").mkdir(parents=True)
    (media / "uploads" / "framework-2026.xlsx").write_bytes(b"PK\x03\x04 a workbook" * 100)
    live = Deployment(tmp_path, server=postgres_server, MEDIA_ROOT=str(media))
    live.support("setup")
    live.support("progress")
    live.support("request-pdf")
    worker = live.worker("--batch")
    assert worker.wait(timeout=300) == 0, live.logs()
    live.support("publish")
    yield live
    live.drop()


@pytest.fixture
def empty(tmp_path, postgres_server):
    fresh = Deployment(
        tmp_path, server=postgres_server, migrate=False, MEDIA_ROOT=str(tmp_path / "media-new")
    )
    yield fresh
    fresh.drop()


def test_a_backup_restored_into_an_empty_database_brings_everything_back(
    tmp_path, populated, empty
):
    before = contents(populated)
    history = {name: n for name, (n, _) in before.items() if "_historical" in name}
    assert history["actions_historicalaction"] > 3 and history["actions_historicalprogressupdate"]
    pdfs = published_pdfs(populated)
    assert len(pdfs) == 1 and pdfs[0][1] is not None

    folder = tmp_path / "backup-2026-12-01"
    made = populated.manage("backup", str(folder))
    assert "Backed up" in made.stdout
    keep = "from django.core.cache import cache; cache.set('drawn', 'before the restore', None)"
    populated.manage("shell", "-c", keep)
    restored = empty.manage("restore", str(folder))
    assert "every table and file matches the backup" in restored.stdout
    # What was kept drawn went with it: the restored database hands out the same ids again.
    kept = empty.manage(
        "shell", "-c", "from django.core.cache import cache; print(cache.get('drawn'))"
    )
    assert kept.stdout.strip().splitlines()[-1] == "None"

    assert contents(empty) == before  # every row of every table, history included
    assert published_pdfs(empty) == pdfs
    live_file = tmp_path / "media-live" / "uploads" / "framework-2026.xlsx"
    new_file = tmp_path / "media-new" / "uploads" / "framework-2026.xlsx"
    assert new_file.read_bytes() == live_file.read_bytes()
    # And the restored service works: it serves the published PDF to the public.
    check = empty.manage("check", "--database", "default")
    assert check.returncode == 0


def test_a_restore_into_a_database_in_use_is_refused_and_changes_nothing(tmp_path, populated):
    folder = tmp_path / "backup"
    populated.manage("backup", str(folder))
    before = contents(populated)
    refused = populated.manage("restore", str(folder), check=False)
    assert refused.returncode == 1
    assert "is not empty: restore into a new, empty database" in refused.stderr
    assert contents(populated) == before


def test_a_folder_that_is_not_a_backup_is_named(tmp_path, empty):
    refused = empty.manage("restore", str(tmp_path), check=False)
    assert refused.returncode == 1
    assert "is not a backup: it has no manifest.json" in refused.stderr
