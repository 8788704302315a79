"""The challenges panel of the action page: its forms, each challenge's thread, and the
challenges' steps as change-history entries. Used by the action page and the challenge views."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby

from django import forms
from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from actions import challenges as services
from actions.models import Action, Challenge, ChallengeEntry
from config.data_state import digest, latest_changes
from config.forms import GovukDateField, GovukFormMixin
from config.history_display import HistoryEntry, entries_for
from config.htmx import is_partial
from config.kept_sections import CSRF_MARK, kept_section, with_token
from config.models import User

State = Challenge.State
CHALLENGE_FORMS = ("answer", "follow_up")


# --- Forms ---------------------------------------------------------------------------------------


class RaiseForm(GovukFormMixin, forms.Form):
    question = forms.CharField(
        label="Your question",
        help_text="What you want the owner to explain or evidence",
        max_length=services.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter your question",
            "max_length": "The question must be 5,000 characters or fewer",
        },
    )
    due_date = GovukDateField(
        label="Answer by (optional)", help_text="For example, 30 6 2026", required=False
    )


class FollowUpForm(RaiseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].label = "Your follow-up question"
        self.fields["question"].help_text = "The challenge opens again until this is answered"
        self.fields["question"].error_messages["required"] = "Enter your follow-up question"


class AnswerForm(GovukFormMixin, forms.Form):
    response = forms.CharField(
        label="Your answer",
        max_length=services.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter your answer",
            "max_length": "The answer must be 5,000 characters or fewer",
        },
    )


# --- The panel on the action page ----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of a challenge's thread: its question, an answer, a follow-up, the acceptance."""

    kind: str
    text: str
    author: User | None
    created_at: datetime.datetime | None
    due_date: datetime.date | None = None
    label: str = ""


@dataclass(frozen=True)
class PanelChallenge:
    """A challenge as the panel shows it to one person: its thread and the forms they may use."""

    challenge: Challenge
    thread: list[Step]
    answer_form: forms.Form | None = None
    follow_up_form: forms.Form | None = None
    reviewable: bool = False  # they may accept the answer or follow it up


# The forms a challenge view passes back, bound and with their errors: "raise", or
# ("answer" or "follow_up", the challenge's id). The action page's other forms may be among them.
PanelForms = Mapping[object, forms.Form]


def challenge_panel_context(
    request: HttpRequest, action: Action, *, forms: PanelForms | None = None
) -> dict[str, object]:
    """The action's challenges, newest first, each with its thread and the forms the person may
    use (two queries, however many challenges and entries)."""
    forms = forms or {}
    user = request.user
    items = list(
        action.challenges.select_related("raised_by", "responded_by")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=ChallengeEntry.objects.select_related("author").order_by(
                    "created_at", "id"
                ),
            )
        )
        .order_by("-raised_at", "-id")
    )
    answerer = services.can_answer(user, action)
    shown = []
    for challenge in items:
        answer_form = follow_up_form = None
        reviewable = False
        if challenge.state == State.OPEN and answerer:
            answer_form = forms.get(("answer", challenge.pk)) or AnswerForm(
                prefix=f"answer-{challenge.pk}"
            )
        if challenge.state == State.ANSWERED and services.can_review(user, challenge):
            reviewable = True
            follow_up_form = forms.get(("follow_up", challenge.pk)) or FollowUpForm(
                prefix=f"follow-up-{challenge.pk}"
            )
        shown.append(
            PanelChallenge(challenge, _thread(challenge), answer_form, follow_up_form, reviewable)
        )
    raise_form = None
    if services.can_raise(user):
        raise_form = forms.get("raise") or RaiseForm(prefix="raise")
    mine = [
        f
        for k, f in forms.items()
        if k == "raise" or (isinstance(k, tuple) and k[0] in CHALLENGE_FORMS)
    ]
    error_form = next((f for f in mine if f.errors), None)
    return {
        "challenges": shown,
        "challenge_raise_form": raise_form,
        "challenge_error_form": error_form,
        "open_challenge_count": sum(1 for c in items if c.state == State.OPEN),
    }


def _thread(challenge: Challenge) -> list[Step]:
    """The question, then each answer, follow-up and acceptance, oldest first. The challenge's
    due date is that of its latest question, so the first question shows it only until a
    follow-up is asked."""
    entries = list(challenge.entries.all())
    followed_up = any(e.kind == ChallengeEntry.Kind.FOLLOW_UP for e in entries)
    steps = [
        Step(
            "question",
            challenge.question,
            challenge.raised_by,
            challenge.raised_at,
            None if followed_up else challenge.due_date,
            "Question",
        )
    ]
    if challenge.response and not any(e.kind == ChallengeEntry.Kind.ANSWER for e in entries):
        # Answered before threads were kept (or in the admin): show the answer it holds.
        steps.append(
            Step(
                "answer",
                challenge.response,
                challenge.responded_by,
                challenge.responded_at,
                label="Answer",
            )
        )
    for entry in entries:
        steps.append(
            Step(
                entry.kind,
                entry.text,
                entry.author,
                entry.created_at,
                entry.due_date,
                entry.get_kind_display(),
            )
        )
    return steps


PANEL = "actions/challenges/panel.html"


def challenges_section(request: HttpRequest, action: Action, *, forms: PanelForms) -> dict:
    """The action page's challenges: the panel and, as ``history``, the challenges' steps.

    A progress save, the commonest change, leaves them as they were, so for a plain view of the
    page the panel is drawn once for each state of the challenges, their threads and the people
    (whose roles say which forms they see), for each person and day, and kept. Forms that answer
    a save (bound, with errors) are always drawn afresh, with the page's other forms."""
    if forms or request.method != "GET" or is_partial(request):
        return {
            **challenge_panel_context(request, action, forms=forms),
            "history": challenge_history(action),
        }
    state = latest_changes((Challenge, ChallengeEntry, User))
    # Who may answer: the action's owner, lead officer and its area's director.
    parts = (
        action.pk,
        action.ref,
        action.title,
        action.owner_id,
        action.lead_officer_id,
        action.service_area.director_id,
        request.user.pk,
        timezone.localdate(),
        state.ids,
    )

    def draw() -> dict:
        context = {
            **challenge_panel_context(request, action),
            "action": action,
            "csrf_token": CSRF_MARK,
        }
        html = render_to_string(PANEL, context, request=request)
        return {"html": html, "history": challenge_history(action)}

    kept = kept_section(
        f"action-challenges:{digest(parts)}",
        settled=state.settled,
        seconds=settings.ACTION_PAGE_CACHE_SECONDS,
        draw=draw,
    )
    return {"challenges_html": with_token(kept["html"], request), "history": kept["history"]}


SHOWN_IN_HISTORY = {"State", "Due date"}


def challenge_history(action: Action) -> list[HistoryEntry]:
    """Each step of the action's challenges as change-history entries: who moved which challenge
    from what state to what, when, and why (one query)."""
    records = list(
        Challenge.history.filter(action_id=action.id)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    entries = []
    for _, group in groupby(records, key=lambda record: record.id):
        for entry in entries_for(list(group), Challenge, what="Board challenge"):
            entry.changes = [c for c in entry.changes if c.label in SHOWN_IN_HISTORY]
            entries.append(entry)
    return entries
