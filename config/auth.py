"""Sign-in by email address, whatever its letter case."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

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

    def get_user(self, user_id):
        """The signed-in person, loaded on every request, with whether they have two-step
        sign-in (which config.two_step.TwoStepMiddleware asks on every page): one query."""
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        user = (
            get_user_model()
            ._default_manager.annotate(has_confirmed_two_step=Exists(confirmed))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
