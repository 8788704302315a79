"""Challenges on the action page (raise, answer, accept, follow up) and the list for the Board.

Each form posts with HTMX and swaps the challenges panel, or posts plainly and redirects. Who may
do what is checked by actions.challenges, whatever the page showed.
"""

from itertools import groupby

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from actions import challenges as services
from actions.models import Action, Challenge, ChallengeEntry
from config.forms import GovukDateField, GovukFormMixin
from reporting.roles import is_board_member, sees_everything
from strands.history_display import entries_for

PANEL = "actions/challenges/panel.html"
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


def challenge_panel_context(request, action: Action, *, forms: dict | None = None) -> dict:
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
    for challenge in items:
        challenge.thread = _thread(challenge)
        challenge.answer_form = None
        challenge.follow_up_form = None
        challenge.reviewable = False
        if challenge.state == State.OPEN and answerer:
            challenge.answer_form = forms.get(("answer", challenge.pk)) or AnswerForm(
                prefix=f"answer-{challenge.pk}"
            )
        if challenge.state == State.ANSWERED and services.can_review(user, challenge):
            challenge.reviewable = True
            challenge.follow_up_form = forms.get(("follow_up", challenge.pk)) or FollowUpForm(
                prefix=f"follow-up-{challenge.pk}"
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
        "challenges": items,
        "challenge_raise_form": raise_form,
        "challenge_error_form": error_form,
        "open_challenge_count": sum(1 for c in items if c.state == State.OPEN),
    }


class _Step:
    def __init__(self, kind, text, author, when, due_date=None, label=""):
        self.kind, self.text, self.author, self.created_at = kind, text, author, when
        self.due_date, self.label = due_date, label


def _thread(challenge):
    """The question, then each answer, follow-up and acceptance, oldest first. The challenge's
    due date is that of its latest question, so the first question shows it only until a
    follow-up is asked."""
    entries = list(challenge.entries.all())
    followed_up = any(e.kind == ChallengeEntry.Kind.FOLLOW_UP for e in entries)
    steps = [
        _Step(
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
            _Step(
                "answer",
                challenge.response,
                challenge.responded_by,
                challenge.responded_at,
                label="Answer",
            )
        )
    for entry in entries:
        steps.append(
            _Step(
                entry.kind,
                entry.text,
                entry.author,
                entry.created_at,
                entry.due_date,
                entry.get_kind_display(),
            )
        )
    return steps


SHOWN_IN_HISTORY = {"State", "Due date"}


def challenge_history(action: Action) -> list:
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


def _visible_challenge(request, pk: int) -> Challenge:
    """404 for a challenge on an action the person may not see."""
    return get_object_or_404(
        Challenge.objects.select_related("action__service_area", "raised_by", "responded_by"),
        pk=pk,
        action__in=Action.objects.visible_to(request.user),
    )


def _visible_action(request, ref: str) -> Action:
    return get_object_or_404(
        Action.objects.visible_to(request.user).select_related("service_area"), ref=ref
    )


def _respond(request, action, *, forms=None, status=200, success="", conflict=""):
    """A swapped panel for HTMX; otherwise a redirect (success) or the whole page (errors)."""
    if success and not request.htmx:
        messages.success(request, success)
        return redirect(reverse("action-detail", args=[action.ref]) + "#challenges-panel")
    from actions.views.context import action_page_context, get_action

    has_errors = status in (409, 422)
    if request.htmx and not request.htmx.boosted:
        context = {
            "action": action,
            **challenge_panel_context(request, action, forms=forms),
            "success": success,
            "conflict": conflict,
            "has_errors": has_errors,
        }
        return render(request, PANEL, context, status=status)
    action = get_action(Action.objects.visible_to(request.user), action.ref)
    can_edit = Action.objects.editable_by(request.user).filter(pk=action.pk).exists()
    context = action_page_context(request, action, can_edit=can_edit, forms=forms)
    context.update({"conflict": conflict, "has_errors": has_errors})
    return render(request, "actions/detail.html", context, status=status)


def _add_errors(form, error: ValidationError) -> None:
    for field, texts in error.message_dict.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)


@require_POST
@login_required
def challenge_raise(request, ref: str):
    action = _visible_action(request, ref)
    if not services.can_raise(request.user):
        raise PermissionDenied("Only Programme Board members can raise challenges.")
    form = RaiseForm(request.POST, prefix="raise")
    if form.is_valid():
        try:
            services.raise_challenge(
                action=action,
                user=request.user,
                question=form.cleaned_data["question"],
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _respond(request, action, success=f"Challenge raised on {action.ref}.")
    return _respond(request, action, forms={"raise": form}, status=422)


@require_POST
@login_required
def challenge_answer(request, pk: int):
    challenge = _visible_challenge(request, pk)
    action = challenge.action
    if not services.can_answer(request.user, action):
        raise PermissionDenied("Only the action's owner or lead officer can answer a challenge.")
    form = AnswerForm(request.POST, prefix=f"answer-{challenge.pk}")
    key = ("answer", challenge.pk)
    if form.is_valid():
        try:
            services.answer_challenge(
                challenge=challenge, user=request.user, response=form.cleaned_data["response"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        except services.ChallengeConflict as conflict:
            return _respond(
                request, action, status=409, conflict=f"Your answer has not been saved. {conflict}"
            )
        else:
            return _respond(
                request,
                action,
                success="Answer sent. The Board member can now accept it or follow it up.",
            )
    return _respond(request, action, forms={key: form}, status=422)


@require_POST
@login_required
def challenge_accept(request, pk: int):
    challenge = _visible_challenge(request, pk)
    try:
        services.accept_answer(challenge=challenge, user=request.user)
    except services.ChallengeConflict as conflict:
        return _respond(request, challenge.action, status=409, conflict=str(conflict))
    return _respond(request, challenge.action, success="Answer accepted. The challenge is closed.")


@require_POST
@login_required
def challenge_follow_up(request, pk: int):
    challenge = _visible_challenge(request, pk)
    action = challenge.action
    if not services.can_review(request.user, challenge):
        raise PermissionDenied("Only the Board member who raised the challenge can follow it up.")
    form = FollowUpForm(request.POST, prefix=f"follow-up-{challenge.pk}")
    key = ("follow_up", challenge.pk)
    if form.is_valid():
        try:
            services.follow_up(
                challenge=challenge,
                user=request.user,
                question=form.cleaned_data["question"],
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except services.ChallengeConflict as conflict:
            return _respond(
                request,
                action,
                status=409,
                conflict=f"Your follow-up has not been saved. {conflict}",
            )
        else:
            return _respond(request, action, success="Follow-up sent. The challenge is open again.")
    return _respond(request, action, forms={key: form}, status=422)


# --- The list for the Board and the programme team -----------------------------------------------

LIST_STATES = [
    (State.OPEN, "Awaiting an answer"),
    (State.ANSWERED, "Answered, to review"),
    (State.ACCEPTED, "Accepted"),
]


@require_GET
@login_required
def challenge_list(request):
    if not sees_everything(request.user):
        raise PermissionDenied(
            "Only the Programme Board and the programme team see all challenges."
        )
    state = request.GET.get("state") or State.OPEN
    if state not in dict(LIST_STATES):
        state = State.OPEN
    counts = dict(
        Challenge.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    challenges = (
        Challenge.objects.filter(state=state)
        .select_related(
            "action__service_area__director",
            "action__owner",
            "action__lead_officer",
            "raised_by",
            "responded_by",
        )
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=ChallengeEntry.objects.filter(kind=ChallengeEntry.Kind.FOLLOW_UP).order_by(
                    "created_at", "id"
                ),
                to_attr="follow_ups",
            )
        )
        .order_by("due_date", "raised_at", "id")
    )
    if state != State.OPEN:
        challenges = challenges.order_by("-responded_at", "-raised_at", "-id")
    paginator = Paginator(challenges, settings.FRAMEWORK_BROWSER_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    for challenge in page.object_list:
        challenge.latest_question = (
            challenge.follow_ups[-1].text if challenge.follow_ups else challenge.question
        )
        challenge.mine_to_review = (
            challenge.state == State.ANSWERED and challenge.raised_by_id == request.user.pk
        )
    return render(
        request,
        "actions/challenges/list.html",
        {
            "state": state,
            "state_label": dict(LIST_STATES)[state],
            "tabs": [(value, label, counts.get(value, 0)) for value, label in LIST_STATES],
            "page": page,
            "page_numbers": list(
                paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
            ),
            "is_board": is_board_member(request.user),
        },
    )
