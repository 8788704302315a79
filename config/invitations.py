"""Inviting people to set their password: invite (or resend), cancel, accept.

The link carries the invitation's id signed with the site's secret (django.core.signing); what
the invitation may still do is decided by the database row: pending and not expired. Opening the
link changes nothing; setting the password accepts it, after which it never works again; a new
invitation replaces the old one, whose link stops working.
"""

import datetime

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from config import roles
from config.history import attribute
from config.models import Invitation, User

SALT = "config.invitation"

ROLE_WORDS = {
    roles.PROGRAMME_TEAM: "a member of the programme team",
    roles.SERVICE_DIRECTOR: "a service director",
    roles.LEAD_OFFICER: "a lead officer",
    roles.PROGRAMME_BOARD: "a member of the Programme Board",
}


def token_for(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT)


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link names, or None when the link was not made by this site."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return Invitation.objects.select_related("person", "invited_by").filter(pk=pk).first()


def link_for(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("invitation", args=[token_for(invitation)])


def what_to(person: User) -> str:
    """What a person is invited to be, in words: "a service director for Housing"."""
    names = [g.name for g in person.groups.all() if g.name in ROLE_WORDS]
    parts = [ROLE_WORDS[name] for name in roles.ROLES if name in names]
    areas = [area.name for area in person.directed_service_areas.all()]
    if areas and roles.SERVICE_DIRECTOR in names:
        index = parts.index(ROLE_WORDS[roles.SERVICE_DIRECTOR])
        parts[index] += " for " + _and(areas)
    return _and(parts)


def _and(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def pending_invitation(person: User) -> Invitation | None:
    return person.invitations.filter(state=Invitation.State.PENDING).first()


def _refuse_unless_invitable(person: User, *, invited_by: User) -> None:
    if not person.is_active:
        raise ValidationError(
            f"{person.display_name} has been deactivated. Reactivate them before inviting them."
        )
    if person.has_usable_password():
        # Not silence: the person hears they already have an account, and how to get in.
        _send_already_have_account(person, invited_by=invited_by)
        raise ValidationError(
            f"{person.display_name} already has an account with a password, so no invitation "
            "was sent. We have emailed them to say so, with a link to the sign-in page and to "
            "“Forgotten your password?”."
        )


def _end(invitation: Invitation, state: str, *, by: User, reason: str) -> None:
    invitation.state = state
    invitation.ended_at = timezone.now()
    attribute(invitation, user=by, reason=reason)
    invitation.save()


@transaction.atomic
def invite(*, person: User, invited_by: User) -> Invitation:
    """Send a person an invitation; a pending one is replaced (its link stops working)."""
    person = User.objects.select_for_update().get(pk=person.pk)
    _refuse_unless_invitable(person, invited_by=invited_by)
    previous = pending_invitation(person)
    if previous is not None:
        _end(previous, Invitation.State.REPLACED, by=invited_by, reason="A new invitation was sent")
    invitation = Invitation(
        person=person,
        invited_by=invited_by,
        expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_EXPIRY_DAYS),
    )
    attribute(
        invitation, user=invited_by, reason="Invitation resent" if previous else "Invitation sent"
    )
    invitation.save()
    _send(invitation)
    return invitation


def people_not_yet_invited():
    """Active people with no password and no pending invitation (expired ones count as none)."""
    live = Invitation.objects.filter(state=Invitation.State.PENDING, expires_at__gt=timezone.now())
    return (
        User.objects.filter(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .exclude(pk__in=live.values("person"))
        .order_by("email")
    )


def invite_everyone_not_yet_invited(*, invited_by: User, among=None) -> list[Invitation]:
    """Invite everyone not yet invited (or only those of them in `among`, a queryset of people).
    Never twice: each is checked again under a lock, so a second click, or a colleague's at the
    same moment, sends nothing more."""
    waiting = people_not_yet_invited()
    if among is not None:
        waiting = waiting.filter(pk__in=among.values("pk"))
    sent = []
    for person in waiting:
        with transaction.atomic():
            User.objects.select_for_update().get(pk=person.pk)  # wait for anyone inviting them
            if people_not_yet_invited().filter(pk=person.pk).exists():
                sent.append(invite(person=person, invited_by=invited_by))
    return sent


@transaction.atomic
def cancel(*, invitation: Invitation, by: User) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError("This invitation has already been accepted, cancelled or replaced.")
    _end(invitation, Invitation.State.CANCELLED, by=by, reason="Invitation cancelled")


@transaction.atomic
def accept(*, invitation: Invitation, password_form) -> User:
    """Set the person's password from a valid NewPasswordForm and use up the invitation."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable or not invitation.person.is_active:
        raise ValidationError(refusal(invitation) or "This link cannot be used")
    person = password_form.user
    attribute(person, user=person, reason="Set their password from an invitation")
    password_form.save()
    _end(invitation, Invitation.State.ACCEPTED, by=person, reason="Invitation accepted")
    return person


def refusal(invitation: Invitation) -> str | None:
    """Why an invitation's link no longer works, in words; None while it does."""
    who = invitation.invited_by.display_name
    if not invitation.person.is_active:
        return "This invitation is for an account that has been deactivated."
    if invitation.state == Invitation.State.ACCEPTED:
        return (
            "This invitation has already been used to set a password. Sign in with that "
            "password, or use “Forgotten your password?” on the sign-in page."
        )
    if invitation.state == Invitation.State.REPLACED:
        return (
            "This invitation has been replaced by a newer one. Use the link in the most recent "
            "invitation email."
        )
    if invitation.state == Invitation.State.CANCELLED:
        return f"This invitation has been cancelled. Ask {who} if you think you should have one."
    if invitation.has_expired:
        return f"This invitation has expired. Ask {who} to send you a new one."
    return None


def _send_already_have_account(person: User, *, invited_by: User) -> None:
    context = {
        "person": person,
        "invited_by": invited_by,
        "sign_in": settings.SITE_URL + reverse("sign-in"),
        "reset": settings.SITE_URL + reverse("password-reset"),
        "programme_name": settings.PROGRAMME_NAME,
        "council_name": settings.COUNCIL_NAME,
    }
    send_mail(
        subject=f"You already have an account for the {settings.PROGRAMME_NAME}",
        message=render_to_string("emails/already_have_account.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[person.email],
    )


def _send(invitation: Invitation) -> None:
    context = {
        "invitation": invitation,
        "link": link_for(invitation),
        "what_to": what_to(invitation.person),
        "programme_name": settings.PROGRAMME_NAME,
        "council_name": settings.COUNCIL_NAME,
    }
    send_mail(
        subject=f"You are invited to the {settings.PROGRAMME_NAME}",
        message=render_to_string("emails/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.person.email],
    )
