import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from config import two_step

# Playwright runs an event loop in the test thread; the tests' own database calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
ISLINGTON = ROOT / "data" / "frameworks" / "islington-2021"
ANYTOWN = Path(__file__).resolve().parent / "fixtures" / "anytown"


class SignedInClient(Client):
    """Django's test client, whose ``force_login`` signs a person in as they would be after the
    whole sign-in, including two-step sign-in where their role needs it. The two-step tests
    (tests/config/test_two_step.py) use Django's plain Client to prove the step is enforced."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if two_step.required_for(user) or two_step.has_two_step(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            device = device or TOTPDevice.objects.create(user=user, name="App", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client() -> Client:
    return SignedInClient()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing cached: ids restart when a test's data is rolled back."""
    cache.clear()


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


from tests.support.deployment import postgres_server  # noqa: E402, F401
from tests.webforms import web  # noqa: E402, F401  (forms submitted as the page renders them)
from tests.world import as_user, world  # noqa: E402, F401  (fixtures shared by every test folder)


@pytest.fixture
def admin_client(admin_user) -> Client:
    """pytest-django's admin client, signed in as after the whole sign-in (see SignedInClient)."""
    client = SignedInClient()
    client.force_login(admin_user)
    return client
