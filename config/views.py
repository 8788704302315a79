"""The pages of the shell: signing in and out, home, and the accessibility statement."""

import datetime

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import engines
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from config.forms import SignInForm
from config.roles import sees_everything

# When the accessibility statement was prepared (by the product team, with the product).
STATEMENT_PREPARED = datetime.date(2026, 11, 22)

_PLACEHOLDER_HOME = """{% extends "base.html" %}{% block title %}Home{% endblock %}
{% block content %}<h1 class="govuk-heading-xl">{{ programme_name }}</h1>
<p class="govuk-body">You are signed in. There is nothing here for you yet.</p>{% endblock %}"""


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET with 405); says so on the sign-in page."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, "You have signed out")
        return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The Board and the programme team start at the dashboard; everyone else signed in at their
    actions. Anyone else signs in first."""
    if not request.user.is_authenticated:
        return redirect("sign-in")
    if sees_everything(request.user):
        return redirect("dashboard")
    try:
        return redirect(reverse("my-actions"))
    except NoReverseMatch:  # before the actions pages exist
        page = engines["django"].from_string(_PLACEHOLDER_HOME)
        return HttpResponse(page.render({}, request))


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html", {"prepared": STATEMENT_PREPARED})
