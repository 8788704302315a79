"""Local running and demos: SQLite by default, debug on, emails to the console."""

import os

from .base import *  # noqa: F403

ENVIRONMENT = "local"
DEBUG = os.environ.get("DJANGO_DEBUG", "true").lower() == "true"
SECRET_KEY = (
    os.environ.get("DJANGO_SECRET_KEY") or "local-only-insecure-key-do-not-use-in-production"
)
ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
