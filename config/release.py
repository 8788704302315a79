"""Which version of the product this is, named from its own code.

What is drawn is kept in a cache that outlives a process (files every process of a server
shares, or a shared Redis): after an upgrade, a page kept by the previous version must never be
served. The cache's keys begin with this name (``CACHES["default"]["KEY_PREFIX"]``), taken from
the contents of the code, templates, stylesheets, scripts and locked dependencies, so servers
running the same version share their entries and a changed file starts afresh. ``RELEASE`` in the
environment names it instead (a deployment that knows its version).
"""

import hashlib
import os
from pathlib import Path

FOLDERS = ("config", "strands", "actions", "targets", "reporting", "templates", "static")
SUFFIXES = {".py", ".html", ".css", ".js", ".txt"}
FILES = ("uv.lock", "package-lock.json")


def code_version(root: Path) -> str:
    """A short name for this version of the code under ``root`` (about 15 ms to work out)."""
    if os.environ.get("RELEASE"):
        return os.environ["RELEASE"]
    content = hashlib.sha256()
    paths = [root / name for name in FILES if (root / name).is_file()]
    for folder in FOLDERS:
        paths += sorted(p for p in (root / folder).rglob("*") if p.suffix in SUFFIXES)
    for path in paths:
        if "__pycache__" in path.parts or not path.is_file():
            continue
        content.update(str(path.relative_to(root)).encode() + b"\0")
        content.update(path.read_bytes() + b"\0")
    return content.hexdigest()[:12]
