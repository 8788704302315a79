"""Emails about challenges and delegated actions: to the people who must act on them.

A challenge raised or followed up goes to the action's owner (its area's director when none is
named) and lead officer; an answer goes to the Board member who raised the challenge; a
delegation goes to the new lead officer. Nobody is told of what they did themselves.

Each is owed once: a ``Notification`` row per event and person, under a unique constraint, is
claimed before its email goes. A person whose ``notification_emails`` is "daily" gets one digest
a day instead (``send_pending``, which the background worker's daily run calls: see
reporting/reminders.py; ``manage.py send_notifications`` sends by hand); everyone else gets an
email when the change is committed. Emails link to the page at ``SITE_URL`` and come as plain
text and HTML.
"""

import logging
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Challenge, ChallengeEntry, Notification

logger = logging.getLogger(__name__)
Kind = Notification.Kind


def challenge_raised(challenge: Challenge) -> None:
    action = challenge.action
    _owe(
        Kind.CHALLENGE_RAISED,
        f"challenge-{challenge.pk}",
        _answerers(action),
        by=challenge.raised_by,
        subject=f"Challenge on {action.ref}: {action.title}",
        summary=f"{challenge.raised_by.display_name} asked: “{challenge.question}”"
        + _due(challenge.due_date),
        url=_challenges_of(action),
    )


def challenge_answered(challenge: Challenge, entry: ChallengeEntry) -> None:
    action = challenge.action
    _owe(
        Kind.CHALLENGE_ANSWERED,
        f"entry-{entry.pk}",
        [challenge.raised_by],
        by=entry.author,
        subject=f"Your challenge on {action.ref} has been answered",
        summary=f"{entry.author.display_name} answered: “{entry.text}”",
        url=_challenges_of(action),
    )


def challenge_followed_up(challenge: Challenge, entry: ChallengeEntry) -> None:
    action = challenge.action
    _owe(
        Kind.CHALLENGE_FOLLOWED_UP,
        f"entry-{entry.pk}",
        _answerers(action),
        by=entry.author,
        subject=f"Follow-up question on {action.ref}: {action.title}",
        summary=f"{entry.author.display_name} asked again: “{entry.text}”" + _due(entry.due_date),
        url=_challenges_of(action),
    )


def action_delegated(action: Action, *, by) -> None:
    if action.lead_officer is None:
        return
    _owe(
        Kind.ACTION_DELEGATED,
        f"{action.ref}-v{action.version}",
        [action.lead_officer],
        by=by,
        subject=f"{action.ref} has been delegated to you",
        summary=f"{by.display_name} delegated {action.ref}: {action.title} to you. You now "
        "record its progress updates and answer its challenges.",
        url=reverse("action-detail", args=[action.ref]),
    )


def _answerers(action: Action) -> list:
    return [action.responsible_owner, action.lead_officer]


def _challenges_of(action: Action) -> str:
    return reverse("action-detail", args=[action.ref]) + "#challenges-panel"


def _due(due_date) -> str:
    return f" An answer is asked for by {due_date:%-d %B %Y}." if due_date else ""


def _owe(kind, event: str, people, *, by, subject: str, summary: str, url: str) -> None:
    """Record what each person is owed; an email each time goes once the change is committed."""
    seen = set()
    for person in people:
        if person is None or person.pk in seen or person.pk == getattr(by, "pk", None):
            continue
        seen.add(person.pk)
        if not person.is_active or not person.email:
            continue
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    kind=kind,
                    event=event,
                    recipient=person,
                    email=person.email,
                    subject=subject,
                    summary=summary,
                    url=url,
                    in_digest=person.notification_emails == person.EmailChoice.DAILY,
                )
        except IntegrityError:  # owed already: never twice
            continue
        if not note.in_digest:
            transaction.on_commit(partial(send_one, note.pk))


def _claim(pks) -> list[int]:
    """Mark each as sent before sending it; a second sender finds it claimed and leaves it."""
    now = timezone.now()
    return [
        pk
        for pk in pks
        if Notification.objects.filter(pk=pk, sent_at__isnull=True).update(sent_at=now)
    ]


def _release(pks) -> None:
    Notification.objects.filter(pk__in=pks).update(sent_at=None)


def _context(person) -> dict:
    return {
        "name": person.display_name,
        "site_url": settings.SITE_URL,
        "settings_url": settings.SITE_URL + reverse("email-settings"),
        "programme_name": settings.PROGRAMME_NAME,
        "council_name": settings.COUNCIL_NAME,
    }


def _send(person, subject: str, template: str, context: dict) -> None:
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    message.send()


def send_one(pk: int) -> bool:
    """Send one notification now, unless it was sent already. False if it was not sent."""
    if not _claim([pk]):
        return False
    note = Notification.objects.select_related("recipient").get(pk=pk)
    try:
        _send(
            note.recipient, note.subject, "notification", _context(note.recipient) | {"note": note}
        )
    except Exception:  # the mail server refused: free the claim, to try again later
        logger.exception("Could not send a %s notification to %s", note.kind, note.email)
        _release([pk])
        return False
    return True


@dataclass
class Sent:
    emails: list[str] = field(default_factory=list)  # one line each: "digest to …", "… to …"
    failed: list[str] = field(default_factory=list)


def send_pending() -> Sent:
    """Every notification not yet sent: digests (one per person) and any single email whose first
    try failed. Running it again sends nothing new."""
    sent = Sent()
    pending = Notification.objects.filter(sent_at__isnull=True).select_related("recipient")
    singles = [n.pk for n in pending if not n.in_digest]
    for pk in singles:
        (sent.emails if send_one(pk) else sent.failed).append(f"notification {pk}")
    digests = pending.filter(in_digest=True).order_by("recipient_id", "created_at", "id")
    for person, group in groupby(digests, key=lambda n: n.recipient):
        claimed = set(_claim([n.pk for n in group]))
        if not claimed:
            continue
        notes = list(Notification.objects.filter(pk__in=claimed).order_by("created_at", "id"))
        subject = (
            f"{len(notes)} update{'s' if len(notes) != 1 else ''} on your actions and challenges"
        )
        try:
            _send(person, subject, "digest", _context(person) | {"notes": notes})
        except Exception:
            logger.exception("Could not send the daily digest to %s", person.email)
            _release(claimed)
            sent.failed.append(f"digest to {person.email}")
            continue
        sent.emails.append(f"digest to {person.email} ({len(notes)})")
    return sent
