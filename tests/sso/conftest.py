"""A real OpenID Connect provider (tests/idp: django-oauth-toolkit) on a free loopback port, for
the whole session; and a way to sign in at it as a person would, following its redirects."""

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings
from django.test import override_settings

from config.settings.base import csp_allowing_provider

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "outcomes-framework"
CLIENT_SECRET = "a-client-secret-for-the-tests-only"
PASSWORD = "idp-password"
TESTSERVER = "http://testserver"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Provider:
    issuer: str
    env: dict

    def add_redirect_uris(self, *uris: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "tests.idp.add_redirect", CLIENT_ID, *uris],
            cwd=ROOT,
            env=self.env,
            check=True,
        )

    def settings(self, **extra):
        return override_settings(
            CONTENT_SECURITY_POLICY=csp_allowing_provider(
                django_settings.CONTENT_SECURITY_POLICY, self.issuer
            ),
            OIDC_ISSUER=self.issuer,
            OIDC_CLIENT_ID=CLIENT_ID,
            OIDC_CLIENT_SECRET=CLIENT_SECRET,
            **extra,
        )


@pytest.fixture(scope="session")
def provider(tmp_path_factory):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.idp.settings",
        "IDP_DB": str(tmp_path_factory.mktemp("idp") / "idp.sqlite3"),
        "IDP_RSA_KEY": pem,
        "PYTHONPATH": str(ROOT),
    }
    uris = [f"{TESTSERVER}/sign-in/council/callback/", f"{TESTSERVER}/sign-in/"]
    subprocess.run(
        [sys.executable, "-m", "tests.idp.setup_idp", CLIENT_ID, CLIENT_SECRET, *uris],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                break
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            pytest.fail("The test identity provider did not start within 30 seconds")
        time.sleep(0.2)
    try:
        yield Provider(issuer=issuer, env=env)
    finally:
        server.terminate()
        server.wait(timeout=10)


def sign_in_at_provider(authorize_url: str, username: str, *, stop_at: str = TESTSERVER) -> str:
    """Follow the provider's redirects as a browser would, signing in on its page, until it
    sends the person back to us; return that address (with the code and state)."""
    browser = requests.Session()
    url = authorize_url
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and 'name="password"' in response.text:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)[1]
            response = browser.post(
                url,
                data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
                headers={"Referer": url},
                allow_redirects=False,
                timeout=10,
            )
        assert response.status_code in (301, 302), response.text[:500]
        url = urljoin(url, response.headers["Location"])
        if url.startswith(stop_at):
            return url
    raise AssertionError("The provider never sent the person back")
