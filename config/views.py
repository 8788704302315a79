"""The pages of the shell: signing in and out, home, and the accessibility statement."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import engines
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config import sso
from config.forms import (
    ChangePasswordForm,
    EmailSettingsForm,
    ForgottenPasswordForm,
    NewPasswordForm,
    SignInForm,
)
from config.health import health
from config.middleware import renew_session, session_seconds_left
from config.roles import start_page
from config.security import address_held_back, attempted_email, lift_lockout, log_event

# When the accessibility statement was prepared (by the product team, with the product).
STATEMENT_PREPARED = datetime.date(2026, 11, 22)

_PLACEHOLDER_HOME = """{% extends "base.html" %}{% block title %}Home{% endblock %}
{% block content %}<h1 class="govuk-heading-xl">{{ programme_name }}</h1>
<p class="govuk-body">You are signed in. There is nothing here for you yet.</p>{% endblock %}"""


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if address_held_back(request):
            # No password is checked: the answer costs nothing, whoever keeps asking.
            log_event("address_held_back", request, person=attempted_email(request, None))
            context = self.get_context_data(form=self.get_form(), address_held_back=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **sso_context(),
            "lockout_minutes": lockout_minutes(),
            # static/session-timeout.js comes here with ?timed-out when the idle limit has passed.
            "timed_out": "timed-out" in self.request.GET,
            "timed_out_text": (
                "You were signed out because you had not used the service for "
                f"{settings.SESSION_COOKIE_AGE // 60} minutes. Sign in again to continue."
            ),
        }


def sso_context() -> dict:
    return {
        "sso_enabled": sso.enabled(),
        "sso_required": settings.SSO_REQUIRED,
        "sso_name": settings.OIDC_BUTTON_NAME,
    }


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a sign-in for a locked account (AXES_LOCKOUT_CALLABLE): the sign-in
    page, saying so in plain words. The same whether or not the account exists."""
    form = SignInForm(request, initial={"username": (credentials or {}).get("username", "")})
    return render(
        request,
        "registration/login.html",
        {
            **sso_context(),
            "form": form,
            "locked_out": True,
            "lockout_minutes": lockout_minutes(),
            "next": request.POST.get("next", ""),
        },
        status=429,
    )


@require_POST
@login_required
def keep_signed_in(request: HttpRequest) -> JsonResponse:
    """ "Stay signed in" in the timeout warning: the session is renewed whenever it last was."""
    renew_session(request)
    return JsonResponse({"seconds_left": session_seconds_left(request)})


class ForgottenPasswordView(auth_views.PasswordResetView):
    """Sends a reset link to an account's address; says the same whether or not there is one."""

    form_class = ForgottenPasswordForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "emails/password_reset.txt"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("password-reset-sent")

    @property
    def extra_email_context(self):
        return {
            "site_url": settings.SITE_URL,
            "programme_name": settings.PROGRAMME_NAME,
            "reset_hours": reset_hours(),
        }


class ForgottenPasswordSentView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(reset_hours=reset_hours(), **kwargs)


def reset_hours() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // 3600


class ResetPasswordView(auth_views.PasswordResetConfirmView):
    """The link from the email. Opening it does not use it up; setting the password does (the
    token depends on the password). Other sessions of the person end with the old password."""

    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("sign-in")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever has the reset link has the mailbox: a lock on the account has done its job.
        lift_lockout(email=form.user.email, by=form.user, request=self.request)
        messages.success(self.request, "Your password has been changed. Sign in with it now.")
        return response


class ChangePasswordView(auth_views.PasswordChangeView):
    """Change your own password. Django keeps this session (update_session_auth_hash); every
    other session of the person ends, because it was signed with the old password."""

    form_class = ChangePasswordForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            "Your password has been changed. You have been signed out everywhere else.",
        )
        return response


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET with 405); says so on the sign-in page. After
    single sign-on, the provider's session is ended too where it offers that."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        id_token = request.session.get("sso_id_token", "")
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, "You have signed out")
        after = request.build_absolute_uri(reverse("sign-in"))
        provider_logout = sso.logout_url(request, id_token, after) if id_token else None
        return redirect(provider_logout) if provider_logout else response


SSO_REFUSALS = {
    sso.UNKNOWN: (
        "You do not have an account yet",
        "Your {council} account is not known to this service. Ask the programme team to add you.",
    ),
    sso.DEACTIVATED: (
        "Your account has been deactivated",
        "You can no longer sign in to this service. Ask the programme team if you think this "
        "is wrong.",
    ),
    sso.UNVERIFIED: (
        "Your email address could not be confirmed",
        "Your {council} account did not confirm your email address, so we cannot tell who you "
        "are. Ask your IT service desk to check your account.",
    ),
    sso.FAILED: (
        "Sign-in did not work",
        "Your {council} sign-in could not be completed, or it took too long. Try signing in again.",
    ),
}


@require_GET
def sso_start(request: HttpRequest) -> HttpResponse:
    """Send the person to the council's identity provider (authorisation code flow with PKCE)."""
    if not sso.enabled():
        return redirect("sign-in")
    after = request.GET.get("next", "")
    if after and url_has_allowed_host_and_scheme(after, {request.get_host()}):
        request.session["sso_next"] = after
    callback = request.build_absolute_uri(reverse("sso-callback"))
    return sso.client().authorize_redirect(request, callback)


@require_GET
def sso_callback(request: HttpRequest) -> HttpResponse:
    if not sso.enabled():
        return redirect("sign-in")
    outcome = sso.complete(request)
    if outcome.person is None:
        title, text = SSO_REFUSALS[outcome.refusal]
        context = {"title": title, "text": text.format(council=settings.COUNCIL_NAME)}
        return render(request, "registration/sso_refused.html", context, status=403)
    id_token = request.session.get("sso_id_token", "")
    after = request.session.pop("sso_next", "")
    login(request, outcome.person, backend="config.auth.EmailBackend")
    # login() starts a new session: keep the ID token for sign-out, and that this was single
    # sign-on (the second factor is then the council's provider's, not ours).
    request.session["sso_id_token"] = id_token
    request.session["sso"] = True
    sso.log.info("sso_sign_in email=%s", outcome.person.email)
    return redirect(after or "home")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The Board and the programme team start at the dashboard; everyone else signed in at their
    actions. Anyone else signs in first."""
    if not request.user.is_authenticated:
        return redirect("sign-in")
    try:
        return redirect(reverse(start_page(request.user)))
    except NoReverseMatch:  # before the actions pages exist
        page = engines["django"].from_string(_PLACEHOLDER_HOME)
        return HttpResponse(page.render({}, request))


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html", {"prepared": STATEMENT_PREPARED})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: 200 when the app and its database work, 503 when the
    database does not; no sign-in needed. Shows the background worker's last sign of life."""
    ok, report = health()
    return JsonResponse(report, status=200 if ok else 503)


@require_http_methods(["GET", "POST"])
@login_required
def email_settings(request: HttpRequest) -> HttpResponse:
    """Each person chooses an email each time, or one a day listing everything."""
    form = EmailSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        person._history_user = request.user
        person._change_reason = "Email settings changed"
        person.save(update_fields=["notification_emails"])
        messages.success(
            request,
            "Email settings saved: "
            f"{person.get_notification_emails_display()[0].lower()}"
            f"{person.get_notification_emails_display()[1:]}.",
        )
        return redirect("email-settings")
    return render(
        request, "config/email_settings.html", {"form": form}, status=422 if form.errors else 200
    )
