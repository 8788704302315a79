"""Programme Board challenges: raised by a Board member, answered by the action's owner or lead
officer, then accepted, or followed up with another question (which opens it again).

Each step is checked here, whoever calls it, and kept: the challenge's history records who moved
it and why, and each answer, follow-up and acceptance is an entry in its thread.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actions import notifications
from actions.models import Action, Challenge, ChallengeEntry
from config.history import attribute
from config.roles import is_board_member

MAX_LENGTH = 5000
State = Challenge.State


class ChallengeConflict(Exception):
    """Someone else moved the challenge on since the form was opened; nothing was saved."""


def can_raise(user) -> bool:
    return is_board_member(user)


def can_answer(user, action: Action) -> bool:
    """The owner, the lead officer, and the director of the area (who owns it when no one is named)."""
    if not user.is_authenticated:
        return False
    return user.pk in {action.owner_id, action.lead_officer_id, action.service_area.director_id}


def can_review(user, challenge: Challenge) -> bool:
    """The Board member who raised a challenge accepts its answer or follows it up."""
    return user.is_authenticated and challenge.raised_by_id == user.pk and is_board_member(user)


def _text(value: str, *, field: str, missing: str, noun: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: missing})
    if len(value) > MAX_LENGTH:
        raise ValidationError({field: f"The {noun} must be 5,000 characters or fewer"})
    return value


def _check_due(due_date: datetime.date | None) -> None:
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationError({"due_date": "The date to answer by must be today or in the future"})


def _locked(challenge: Challenge) -> Challenge:
    return (
        Challenge.objects.select_for_update()
        .select_related("action__service_area")
        .get(pk=challenge.pk)
    )


def _conflict(challenge: Challenge) -> ChallengeConflict:
    if challenge.state == State.ACCEPTED:
        return ChallengeConflict("The Board member has already accepted the answer.")
    if challenge.state == State.ANSWERED:
        who = challenge.responded_by.display_name if challenge.responded_by else "Someone"
        when = timezone.localtime(challenge.responded_at) if challenge.responded_at else None
        at = f" on {when:%-d %B %Y at %H:%M}" if when else ""
        return ChallengeConflict(f"{who} answered this challenge{at}.")
    return ChallengeConflict("The challenge has been opened again with a follow-up question.")


@transaction.atomic
def raise_challenge(
    *, action: Action, user, question: str, due_date: datetime.date | None = None
) -> Challenge:
    if not can_raise(user):
        raise PermissionDenied("Only Programme Board members can raise challenges.")
    question = _text(question, field="question", missing="Enter your question", noun="question")
    _check_due(due_date)
    challenge = Challenge(action=action, question=question, due_date=due_date, raised_by=user)
    attribute(challenge, user=user, reason="Challenge raised")
    challenge.save()
    notifications.challenge_raised(challenge)
    return challenge


@transaction.atomic
def answer_challenge(*, challenge: Challenge, user, response: str) -> Challenge:
    challenge = _locked(challenge)
    if not can_answer(user, challenge.action):
        raise PermissionDenied("Only the action's owner or lead officer can answer a challenge.")
    response = _text(response, field="response", missing="Enter your answer", noun="answer")
    if challenge.state != State.OPEN:
        raise _conflict(challenge)
    now = timezone.now()
    entry = ChallengeEntry(
        challenge=challenge, kind=ChallengeEntry.Kind.ANSWER, text=response, author=user
    )
    entry.created_at = now
    attribute(entry, user=user)
    entry.save()
    challenge.response, challenge.responded_by, challenge.responded_at = response, user, now
    challenge.state = State.ANSWERED
    attribute(challenge, user=user, reason="Challenge answered")
    challenge.save()
    notifications.challenge_answered(challenge, entry)
    return challenge


@transaction.atomic
def accept_answer(*, challenge: Challenge, user) -> Challenge:
    challenge = _locked(challenge)
    if not can_review(user, challenge):
        raise PermissionDenied("Only the Board member who raised the challenge can accept it.")
    if challenge.state != State.ANSWERED:
        raise (
            _conflict(challenge)
            if challenge.state == State.ACCEPTED
            else ChallengeConflict("The challenge has not been answered yet.")
        )
    entry = ChallengeEntry(challenge=challenge, kind=ChallengeEntry.Kind.ACCEPTANCE, author=user)
    attribute(entry, user=user)
    entry.save()
    challenge.state = State.ACCEPTED
    attribute(challenge, user=user, reason="Answer accepted")
    challenge.save()
    return challenge


@transaction.atomic
def follow_up(
    *, challenge: Challenge, user, question: str, due_date: datetime.date | None = None
) -> Challenge:
    """Ask again after an answer: the challenge is open again, with the thread kept."""
    challenge = _locked(challenge)
    if not can_review(user, challenge):
        raise PermissionDenied("Only the Board member who raised the challenge can follow it up.")
    question = _text(
        question, field="question", missing="Enter your follow-up question", noun="question"
    )
    _check_due(due_date)
    if challenge.state != State.ANSWERED:
        raise (
            _conflict(challenge)
            if challenge.state == State.ACCEPTED
            else ChallengeConflict("The challenge has not been answered yet.")
        )
    entry = ChallengeEntry(
        challenge=challenge,
        kind=ChallengeEntry.Kind.FOLLOW_UP,
        text=question,
        due_date=due_date,
        author=user,
    )
    attribute(entry, user=user)
    entry.save()
    challenge.state = State.OPEN
    challenge.due_date = due_date
    attribute(challenge, user=user, reason=f"Follow-up question: {question[:80]}")
    challenge.save()
    notifications.challenge_followed_up(challenge, entry)
    return challenge
