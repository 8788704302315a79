"""The cache's keys name the version of the code: an upgrade never serves what the old one drew."""

from pathlib import Path

from django.conf import settings

from config.release import code_version


def _checkout(tmp_path: Path) -> Path:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>One</p>")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "views.py").write_text("x = 1\n")
    return tmp_path


def test_the_same_code_has_the_same_name_and_any_change_a_new_one(tmp_path, monkeypatch):
    monkeypatch.delenv("RELEASE", raising=False)
    root = _checkout(tmp_path)
    first = code_version(root)
    assert code_version(root) == first
    (root / "templates" / "page.html").write_text("<p>Two</p>")
    second = code_version(root)
    assert second != first
    (root / "config" / "views.py").write_text("x = 2\n")
    assert code_version(root) not in (first, second)


def test_compiled_files_and_other_files_do_not_count(tmp_path, monkeypatch):
    monkeypatch.delenv("RELEASE", raising=False)
    root = _checkout(tmp_path)
    first = code_version(root)
    (root / "config" / "__pycache__").mkdir()
    (root / "config" / "__pycache__" / "views.cpython-311.pyc").write_bytes(b"\0")
    (root / "config" / "notes.orig").write_text("scratch")
    assert code_version(root) == first


def test_a_deployment_may_name_its_release(tmp_path, monkeypatch):
    monkeypatch.setenv("RELEASE", "2026.12.1")
    assert code_version(_checkout(tmp_path)) == "2026.12.1"


def test_the_cache_keys_begin_with_it():
    from config.settings import base

    assert base.CACHES["default"]["KEY_PREFIX"] == code_version(Path(settings.BASE_DIR))
