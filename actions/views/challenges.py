"""Challenges on the action page (raise, answer, accept, follow up) and the list for the Board.

Each form posts with HTMX and swaps the challenges panel, or posts plainly and redirects. Who may
do what is checked by actions.challenges, whatever the page showed.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from actions import challenges as services
from actions.challenge_panel import (
    AnswerForm,
    FollowUpForm,
    RaiseForm,
    challenge_panel_context,
)
from actions.models import Action, Challenge, ChallengeEntry
from actions.page import TEMPLATE, action_page_context, get_action
from config.forms import add_service_errors
from config.htmx import back_with_message, is_partial
from config.roles import is_board_member, sees_everything

PANEL = "actions/challenges/panel.html"
State = Challenge.State


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
        return back_with_message(request, reverse("action-detail", args=[action.ref]), success)
    has_errors = status in (409, 422)
    if is_partial(request):
        context = {
            "action": action,
            **challenge_panel_context(request, action, forms=forms),
            "success": success,
            "conflict": conflict,
            "has_errors": has_errors,
        }
        return render(request, PANEL, context, status=status)
    action = get_action(Action.objects.visible_to(request.user), action.ref)
    can_edit = action.is_editable_by(request.user)
    context = action_page_context(request, action, can_edit=can_edit, forms=forms)
    context.update({"conflict": conflict, "has_errors": has_errors})
    return render(request, TEMPLATE, context, status=status)


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
            add_service_errors(form, error)
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
            add_service_errors(form, error)
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
            add_service_errors(form, error)
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
