"""The page an invitation's link opens: who invited you and to what, and your new password."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from config import invitations
from config.forms import NewPasswordForm, add_service_errors

TEMPLATE = "registration/invitation.html"


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """GET never uses the invitation up (mail scanners open links); only a valid POST does."""
    found = invitations.invitation_from_token(token)
    if found is None:
        raise Http404("No such invitation")
    context = {
        "invitation": found,
        "what_to": invitations.what_to(found.person),
    }
    refusal = invitations.refusal(found)
    if refusal:
        return render(request, TEMPLATE, {**context, "refusal": refusal}, status=410)
    if request.user.is_authenticated and request.user.pk != found.person_id:
        return render(request, TEMPLATE, {**context, "someone_else": True}, status=403)

    form = NewPasswordForm(found.person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = invitations.accept(invitation=found, password_form=form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, person, backend="config.auth.EmailBackend")
            messages.success(request, "Your password has been set and you are signed in")
            return redirect("home")
    return render(request, TEMPLATE, {**context, "form": form})
