import os
from pathlib import Path

import pytest

# Playwright runs an event loop in the test thread; the tests' own database calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
ISLINGTON = ROOT / "data" / "frameworks" / "islington-2021"
ANYTOWN = Path(__file__).resolve().parent / "fixtures" / "anytown"


@pytest.fixture
def islington_dir() -> Path:
    return ISLINGTON


@pytest.fixture
def anytown_dir() -> Path:
    return ANYTOWN


@pytest.fixture
def anytown_copy(tmp_path) -> Path:
    """A writable copy of the other council's framework, to break in tests."""
    target = tmp_path / "anytown"
    target.mkdir()
    for csv_file in ANYTOWN.glob("*.csv"):
        (target / csv_file.name).write_bytes(csv_file.read_bytes())
    return target


from tests.webforms import web  # noqa: E402, F401  (forms submitted as the page renders them)
from tests.world import as_user, world  # noqa: E402, F401  (fixtures shared by every test folder)
