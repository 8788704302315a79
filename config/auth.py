"""Sign-in by email address, whatever its letter case."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from config.models import normalise_email


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if settings.SSO_REQUIRED:
            return None  # the council signs everyone in with its own accounts: no password works
        if username is None:
            username = kwargs.get("email")
        if username is None:
            return None
        return super().authenticate(request, username=normalise_email(username), password=password)
