"""The security log: one structured line (JSON) for each sign-in, failure, lockout, sign-out,
permission refusal, role change and session ended, naming the person, their address and the time.

    {"event": "sign_in_failed", "person": "hana.osei@council.example", "address": "10.0.0.7",
     "time": "2026-12-01T10:42:00+00:00"}

Written to the "outcomes.security" logger; the deployment decides where log lines go.
"""

import datetime
import json
import logging

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt, AccessFailureLog
from axes.signals import user_locked_out
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords

from config.models import User, normalise_email

logger = logging.getLogger("outcomes.security")

SIGNED_IN_AT = "signed_in_at"  # session key: when this session signed in (for the 10-hour limit)
RENEWED_AT = "renewed_at"  # session key: when its idle limit last started again


def attempted_email(request, credentials) -> str:
    """The account a sign-in attempt is for, as django-axes counts failures: the email address as
    config.User stores it, so "Hana.Osei@" and "hana.osei@" are one account."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return normalise_email(username or "")


def _address(request) -> str | None:
    if request is None:
        return None
    return get_client_ip_address(request)


def _person(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.email


def log_event(event: str, request=None, *, person: str | None = None, **details) -> None:
    """Write one line to the security log. `person` defaults to whoever is signed in."""
    if person is None and request is not None:
        person = _person(getattr(request, "user", None))
    line = {
        "event": event,
        "person": person,
        "address": _address(request),
        "time": timezone.now().isoformat(timespec="seconds"),
        **details,
    }
    logger.info(json.dumps(line), extra={"security": line})


def locked_out_emails() -> set[str]:
    """Email addresses that cannot sign in now because of repeated failures (django-axes)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
        ).values_list("username", flat=True)
    )


def address_held_back(request) -> bool:
    """Whether sign-ins from this address wait: SIGN_IN_ADDRESS_FAILURE_LIMIT failures from it
    within the lockout time, read from django-axes' log of failures."""
    address = _address(request)
    if not address:
        return False
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessFailureLog.objects.filter(ip_address=address, attempt_time__gte=since)
    return failures.count() >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT


def forget_old_failures(*, now=None) -> int:
    """Drop django-axes' records of failed sign-ins older than SIGN_IN_FAILURE_LOG_DAYS (the
    worker's daily run does this), so the log of every failure does not grow for ever."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.SIGN_IN_FAILURE_LOG_DAYS)
    deleted, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted


def lift_lockout(*, email: str, by, request=None) -> int:
    """Let an address sign in again at once: by the programme team from the People page, or
    by the person themselves by setting a new password from a reset link."""
    lifted = axes_reset(username=normalise_email(email))
    if lifted:
        log_event("lockout_lifted", request, person=normalise_email(email), changed_by=by.email)
    return lifted


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[RENEWED_AT] = timezone.now().timestamp()
    log_event("sign_in", request, person=user.email)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    log_event("sign_in_failed", request, person=attempted_email(request, credentials))


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    log_event("locked_out", request, person=normalise_email(username or ""))


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    log_event("sign_out", request, person=_person(user))


@receiver(m2m_changed, sender=User.groups.through)
def _roles_changed(sender, instance, action, pk_set, reverse, **kwargs):
    """A person's roles (auth groups) changed, however it was done: the People page, the admin,
    an import. Who did it comes from the request simple_history keeps, when there is one."""
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    request = getattr(HistoricalRecords.context, "request", None)
    changed_by = _person(getattr(request, "user", None)) if request is not None else None
    names = []
    if pk_set:
        names = sorted(
            instance.groups.model.objects.filter(pk__in=pk_set).values_list("name", flat=True)
        )
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    log_event(
        "role_changed",
        request,
        person=instance.email,
        changed_by=changed_by,
        **{verb: names},
    )
