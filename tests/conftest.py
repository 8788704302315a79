import os
from pathlib import Path

import pytest
from django.conf import settings
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


class SignedInApp:
    """django-webtest's app, whose ``user=`` signs the person in as SignedInClient does (with
    two-step sign-in done where their role needs it) by giving the app that session's cookie.
    Forms are still fetched, filled and submitted as the page renders them."""

    def __init__(self, app):
        self._app = app
        self._signed_in_as = None

    def _sign_in(self, user) -> None:
        if user is None or user.pk == self._signed_in_as:
            return
        client = SignedInClient()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        self._app.set_cookie(name, client.cookies[name].value)
        self._signed_in_as = user.pk

    def get(self, *args, user=None, **kwargs):
        self._sign_in(user)
        return self._app.get(*args, **kwargs)

    def post(self, *args, user=None, **kwargs):
        self._sign_in(user)
        return self._app.post(*args, **kwargs)

    def reset(self) -> None:
        self._signed_in_as = None
        self._app.reset()

    def __getattr__(self, name):
        return getattr(self._app, name)


@pytest.fixture
def django_app(django_app):
    return SignedInApp(django_app)


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


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (published stocktakes are served from it)."""
    from django.core.cache import cache  # noqa: PLC0415 (settings are configured by now)

    cache.clear()
    yield
    cache.clear()
