"""Single sign-on with the council's identity provider (OpenID Connect, e.g. Microsoft Entra ID).

Authlib does the protocol: discovery from the issuer, the authorisation code flow with PKCE (S256),
state and nonce kept in the session and checked, the ID token verified against the provider's
published keys (issuer, audience, expiry). This module only decides who may come in: a person is
matched by the email the provider vouches for; an unknown email is refused (unless a setting lets
them be created without a role) and so is a deactivated person. Settings: ``OIDC_*`` in
config/settings/base.py; docs/single-sign-on.md says how to register the app with a provider.
"""

import functools
import logging
from dataclasses import dataclass

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from joserfc.errors import JoseError

from config.history import attribute
from config.models import User, normalise_email

log = logging.getLogger("outcomes.auth")

PROVIDER = "council"
# Why a sign-in was refused, in words the person can act on.
UNKNOWN = "unknown"
DEACTIVATED = "deactivated"
UNVERIFIED = "unverified"
FAILED = "failed"
# The reason recorded in a person's history when the directory's claim gives them roles.
DIRECTORY_REASON = "Roles from the council's directory: "


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def client():
    """The provider's client, from the settings (one per configuration, made on first use)."""
    return _client(
        settings.OIDC_ISSUER.rstrip("/"),
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_SECRET,
        settings.OIDC_SCOPES,
        settings.OIDC_TIMEOUT,
    )


@functools.cache
def _client(issuer: str, client_id: str, secret: str, scopes: str, timeout: float):
    return OAuth().register(
        PROVIDER,
        client_id=client_id,
        client_secret=secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": scopes, "code_challenge_method": "S256", "timeout": timeout},
    )


@dataclass
class Outcome:
    person: User | None = None
    refusal: str = ""
    email: str = ""


def complete(request) -> Outcome:
    """Finish the authorisation code flow and decide who this is (nothing is signed in here)."""
    provider = client()
    try:
        token = provider.authorize_access_token(request)
    except (AuthlibBaseError, JoseError, requests.RequestException, KeyError, ValueError) as error:
        # A tampered or replayed state, a wrong nonce, a bad signature, an expired token, or the
        # provider saying no: all refused the same way, with the reason in the log.
        log.warning("sso_refused reason=%s detail=%s", FAILED, error)
        return Outcome(refusal=FAILED)
    claims = token.get("userinfo") or {}
    email = normalise_email(str(claims.get(settings.OIDC_EMAIL_CLAIM, "")))
    if not email or claims.get("email_verified") is False:
        log.warning("sso_refused reason=%s email=%s", UNVERIFIED, email)
        return Outcome(refusal=UNVERIFIED, email=email)
    User = get_user_model()
    person = User.objects.filter(email=email).first()
    if person is None and settings.OIDC_CREATE_UNKNOWN:
        person = User(email=email, first_name=str(claims.get("given_name", ""))[:150])
        person.last_name = str(claims.get("family_name", ""))[:150]
        person.set_unusable_password()
        attribute(
            person,
            user=_sso_account(),
            reason="Added at their first single sign-on, without a role",
        )
        person.save()
        log.info("sso_person_created email=%s", email)
    if person is None:
        log.warning("sso_refused reason=%s email=%s", UNKNOWN, email)
        return Outcome(refusal=UNKNOWN, email=email)
    if not person.is_active:
        log.warning("sso_refused reason=%s email=%s", DEACTIVATED, email)
        return Outcome(refusal=DEACTIVATED, email=email)
    _apply_directory_roles(person, claims)
    request.session["sso_id_token"] = token.get("id_token", "")
    return Outcome(person=person, email=email)


def roles_from_directory() -> dict[int, set[str]]:
    """The roles the council's directory gave each person (by id) at single sign-on, read from
    their history; one query for everyone."""
    given: dict[int, set[str]] = {}
    records = get_user_model().history.filter(history_change_reason__startswith=DIRECTORY_REASON)
    for pk, reason in records.values_list("id", "history_change_reason"):
        given.setdefault(pk, set()).update(reason.removeprefix(DIRECTORY_REASON).split(", "))
    return given


def _apply_directory_roles(person, claims: dict) -> None:
    """Optional: roles from a claim (groups or app roles), mapped by OIDC_ROLE_MAP."""
    if not settings.OIDC_ROLE_CLAIM or not settings.OIDC_ROLE_MAP:
        return
    values = claims.get(settings.OIDC_ROLE_CLAIM) or []
    values = [values] if isinstance(values, str) else list(values)
    wanted = {settings.OIDC_ROLE_MAP[v] for v in values if v in settings.OIDC_ROLE_MAP}
    held = set(person.groups.values_list("name", flat=True))
    missing = wanted - held
    if missing:
        attribute(
            person,
            user=_sso_account(),
            reason=DIRECTORY_REASON + ", ".join(sorted(missing)),
        )
        person.save()
        person.groups.add(*Group.objects.filter(name__in=missing))
        log.info("role_change email=%s added=%s source=directory", person.email, sorted(missing))


def logout_url(request, id_token: str, after: str) -> str | None:
    """The provider's end-session address, if it publishes one, to end their session too."""
    if not enabled() or not id_token:
        return None
    provider = client()
    metadata = provider.load_server_metadata()
    if not metadata.get("end_session_endpoint"):
        return None
    return provider.create_logout_url(post_logout_redirect_uri=after, id_token_hint=id_token)["url"]


def _sso_account():
    """Changes single sign-on makes by itself are recorded against this named account."""
    return get_user_model().objects.system_person("Single sign-on")
