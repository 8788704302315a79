"""Production: PostgreSQL, secrets and hosts from the environment, HTTPS only, secure cookies.

It refuses to start without what a council's deployment must decide (a long random secret key,
the hosts, the address people reach it at), rather than running with a guess.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from config.observability import init_sentry

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY

ENVIRONMENT = "production"
DEBUG = False


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in ("true", "false"):
        raise ImproperlyConfigured(f"Set {name} to true or false, not {value!r}.")
    return value == "true"


if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY in the environment.")
# The same test as Django's security.W009, made a refusal, plus the placeholders people leave in.
if (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
    or any(word in SECRET_KEY.lower() for word in ("change-me", "changeme", "placeholder"))
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be a long random value, at least 50 characters, not a placeholder. "
        'Make one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS (comma-separated) in the environment.")
# Every link in a reminder email starts with SITE_URL: never guess it in production.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "Set SITE_URL to the address people use to reach the service, "
        "for example https://outcomes.example.gov.uk (reminder emails link to it)."
    )

# HTTPS only. Behind a proxy or load balancer that ends TLS, it must set X-Forwarded-Proto (and
# strip any sent by the browser). A proxy that itself redirects http to https can take that over:
# SECURE_SSL_REDIRECT=false (the deployment check about it is then silenced, as decided).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
if not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W008"]  # noqa: F405
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = _flag("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True

# __Host- cookies: sent only over HTTPS, only to this host, for the whole site.
SESSION_COOKIE_NAME = "__Host-sessionid"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True  # pages carry the token themselves (forms, hx-headers)

# Mail: reminders and the late summary, through the council's SMTP relay.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = _flag("EMAIL_USE_SSL", False)  # TLS from the start, usually port 465
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Errors to Sentry when SENTRY_DSN is set (pip install ".[sentry]").
if os.environ.get("SENTRY_DSN"):
    init_sentry(os.environ["SENTRY_DSN"], environment="production")
