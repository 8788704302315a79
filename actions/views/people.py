"""The People page, for the programme team: everyone, their roles, areas, invitations and
lockouts; adding people, changing roles and areas, inviting, deactivating."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import people
from actions.people_forms import (
    AddPersonForm,
    DeactivateForm,
    PeopleFilterForm,
    ReactivateForm,
    RolesAndAreasForm,
)
from config import invitations, two_step
from config.forms import add_service_errors
from config.models import AuthenticatedRequest, User
from config.roles import is_programme_team
from config.security import lift_lockout, locked_out_emails


def _team_only(request) -> None:
    if not is_programme_team(request.user):
        raise PermissionDenied("The People page is for the programme team.")


def _person(pk: int) -> User:
    return get_object_or_404(people.people_queryset(), pk=pk)


def _filters(form: PeopleFilterForm) -> dict:
    """The People page's filters as given; the password filter only counts when single sign-on
    is required (the page offers it then only)."""
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    if not settings.SSO_REQUIRED:
        filters.pop("password", None)
    return filters


def _rows(filters: dict) -> list[people.PersonRow]:
    return people.people_rows(
        q=filters.get("q", ""),
        role=filters.get("role", ""),
        state=filters.get("state", ""),
        password=filters.get("password", ""),
    )


@require_GET
@login_required
def people_list(request: AuthenticatedRequest) -> HttpResponse:
    _team_only(request)
    form = PeopleFilterForm(request.GET or None)
    filters = _filters(form)
    rows = _rows(filters)
    context = {
        "form": form,
        "rows": rows,
        "filtered": any(filters.values()),
        "not_invited": invitations.people_not_yet_invited().count(),
        "sso_required": settings.SSO_REQUIRED,
        "with_password": people.people_with_a_password().count() if settings.SSO_REQUIRED else 0,
        "locked": sorted(locked_out_emails()),
        "query": request.GET.urlencode(),
    }
    return render(request, "people/list.html", context)


@require_GET
@login_required
def people_download(request: AuthenticatedRequest) -> HttpResponse:
    _team_only(request)
    rows = _rows(_filters(PeopleFilterForm(request.GET or None)))
    response = HttpResponse(people.people_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="people.csv"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def person_add(request: AuthenticatedRequest) -> HttpResponse:
    _team_only(request)
    form = AddPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = people.add_person(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role_names=data["roles"],
                areas=list(data["areas"]),
                by=request.user,
                reason=data["reason"],
                invite=data["invite"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            sent = " and sent them an invitation" if data["invite"] else ""
            messages.success(request, f"You added {person.display_name}{sent}")
            return redirect("person-detail", pk=person.pk)
    return render(request, "people/add.html", {"form": form})


@require_GET
@login_required
def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _team_only(request)
    person = _person(pk)
    row = people.person_row(person)
    context = {
        "person": person,
        "row": row,
        "reactivate_form": ReactivateForm(),
        "history": people.person_history(person),
        "has_two_step": two_step.has_two_step(person),
        "two_step_required": two_step.required_for(person),
        "sso_required": settings.SSO_REQUIRED,
        "plan": people.deactivation_plan(person),
    }
    return render(request, "people/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def person_roles(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _team_only(request)
    person = _person(pk)
    initial = {
        "roles": [g.name for g in person.groups.all()],
        "areas": list(person.directed_service_areas.all()),
    }
    form = RolesAndAreasForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people.set_roles_and_areas(
            person=person,
            role_names=data["roles"],
            areas=list(data["areas"]),
            by=request.user,
            reason=data["reason"],
        )
        messages.success(request, f"Roles and areas of {person.display_name} saved")
        return redirect("person-detail", pk=person.pk)
    return render(request, "people/roles.html", {"person": person, "form": form})


@require_POST
@login_required
def person_invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Invite a person, or send them a fresh invitation (the old link stops working)."""
    _team_only(request)
    person = _person(pk)
    resend = invitations.pending_invitation(person) is not None
    try:
        invitations.invite(person=person, invited_by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        verb = "sent a new invitation to" if resend else "invited"
        messages.success(request, f"You {verb} {person.display_name}")
    return redirect(_back(request, person))


@require_POST
@login_required
def person_invitation_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _team_only(request)
    person = _person(pk)
    pending = invitations.pending_invitation(person)
    if pending is None:
        messages.error(request, f"{person.display_name} has no invitation waiting to be accepted")
    else:
        invitations.cancel(invitation=pending, by=request.user)
        messages.success(request, f"You cancelled the invitation to {person.display_name}")
    return redirect(_back(request, person))


@require_POST
@login_required
def people_invite_all(request: AuthenticatedRequest) -> HttpResponse:
    _team_only(request)
    sent = invitations.invite_everyone_not_yet_invited(invited_by=request.user)
    if sent:
        messages.success(
            request, f"You invited {len(sent)} {'person' if len(sent) == 1 else 'people'}"
        )
    else:
        messages.info(request, "Everyone without a password already has an invitation")
    return redirect("people-list")


@require_POST
@login_required
def people_unlock(request: AuthenticatedRequest) -> HttpResponse:
    _team_only(request)
    email = request.POST.get("email", "")
    if email and lift_lockout(email=email, by=request.user, request=request):
        messages.success(request, f"{email} can sign in again")
    else:
        messages.error(request, f"{email or 'That address'} was not locked")
    return redirect("people-list")


@require_http_methods(["GET", "POST"])
@login_required
def person_deactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _team_only(request)
    person = _person(pk)
    form = DeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people.deactivate(person=person, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.display_name} has been deactivated")
            return redirect("person-detail", pk=person.pk)
    context = {"person": person, "form": form, "plan": people.deactivation_plan(person)}
    return render(request, "people/deactivate.html", context)


@require_POST
@login_required
def person_reactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _team_only(request)
    person = _person(pk)
    form = ReactivateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter why you are reactivating them")
    elif person.is_active:
        messages.error(request, f"{person.display_name} can already sign in")
    else:
        people.reactivate(person=person, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"{person.display_name} can sign in again")
    return redirect("person-detail", pk=person.pk)


def _back(request, person) -> str:
    if request.POST.get("from") == "list":
        return reverse("people-list")
    return reverse("person-detail", args=[person.pk])
