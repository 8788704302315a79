"""Production settings, loaded as a deployment loads them: in a fresh Python, from the
environment. For tests of the settings' refusals, of `check --deploy` and of the headers."""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

# What a deployment must set (.env.example), with a real-looking secret key.
ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "outcomes.example.gov.uk",
    "SITE_URL": "https://outcomes.example.gov.uk",
    "DATABASE_URL": "sqlite:///:memory:",
}

# The settings production decides for itself, as opposed to those every environment shares.
SECURITY_SETTINGS = [
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
]


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run Python with the production environment, changed by `env` (a value of None unsets)."""
    # Nothing from the test run's own environment but what finds programs and files.
    environ = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    environ.update(ENVIRONMENT)
    environ.update(env)
    environ = {k: v for k, v in environ.items() if v is not None}
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def load(names: list[str], **env: str) -> dict:
    """The values of these production settings under this environment."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = run(["-c", script], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def security_settings(**env: str) -> dict:
    values = load(SECURITY_SETTINGS, **env)
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values
