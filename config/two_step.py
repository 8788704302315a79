"""Two-step sign-in for passwords: an authenticator app (TOTP) and ten single-use recovery codes,
with django-otp. Required for the programme team (and for everyone when TWO_STEP_REQUIRED_FOR_ALL
is set), optional for others. Single sign-on leaves the second factor to the council's provider.
"""

import base64
import io
import logging
from urllib.parse import urlencode

import django_otp
import qrcode
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from config.forms import GovukFormMixin
from config.history import attribute
from config.models import User
from config.roles import is_programme_team, programme_team_required

log = logging.getLogger("outcomes.auth")

RECOVERY_CODES = 10
APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"


def required_for(user) -> bool:
    return settings.TWO_STEP_REQUIRED_FOR_ALL or is_programme_team(user)


def has_two_step(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def signed_in_with_sso(request) -> bool:
    return bool(request.session.get("sso"))


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": "Enter the code"},
    )

    def __init__(self, *args, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = help_text

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


def _next(request) -> str:
    after = request.POST.get("next") or request.GET.get("next") or ""
    if after and url_has_allowed_host_and_scheme(after, {request.get_host()}):
        return after
    return reverse("home")


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step: a code from the app, or a recovery code."""
    user = request.user
    if user.is_verified() or not has_two_step(user):
        return redirect(_next(request))
    form = CodeForm(
        request.POST or None,
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes",
    )
    if request.method == "POST" and form.is_valid():
        device = django_otp.match_token(user, form.cleaned_data["code"])
        if device is None:
            log.warning(
                "two_step_failed email=%s ip=%s", user.email, request.META.get("REMOTE_ADDR")
            )
            form.add_error("code", "The code is not right or has expired. Enter the latest code")
        else:
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                _record(user, by=user, reason="Signed in with a recovery code")
                log.info("recovery_code_used email=%s left=%s", user.email, left)
                messages.warning(
                    request,
                    f"You used a recovery code. You have {left} left. "
                    "If you have lost your phone, ask the programme team to reset two-step sign-in.",
                )
            return redirect(_next(request))
    return render(
        request, "registration/two_step_verify.html", {"form": form, "next": _next(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def set_up(request):
    """Set up the authenticator app: scan the QR code (or type the key), then type a code."""
    user = request.user
    if has_two_step(user):
        return redirect("two-step-verify" if not user.is_verified() else "home")
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": APP_DEVICE}
    )
    form = CodeForm(
        request.POST or None, help_text="The 6-digit code your authenticator app shows now"
    )
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = _confirm(user, device)
            django_otp.login(request, device)
            log.info("two_step_set_up email=%s", user.email)
            request.session["recovery_codes"] = codes
            return redirect(reverse("two-step-codes") + "?" + urlencode({"next": _next(request)}))
        form.add_error("code", "The code is not right or has expired. Enter the latest code")
    # One <path> in the default SVG namespace: django-otp's write_qrcode_image draws <svg:rect>
    # elements, which HTML (the code goes inline, CSP allows no other way) does not draw.
    buffer = io.BytesIO()
    qrcode.make(device.config_url, image_factory=SvgPathImage).save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :].replace(
        "<svg", '<svg role="img" aria-label="QR code to scan with your authenticator app"', 1
    )
    context = {
        "form": form,
        "qr_svg": mark_safe(svg),  # made here from the device's own key: no user input in it
        "key": _grouped(device.key),
        "required": required_for(user),
        "next": _next(request),
    }
    return render(request, "registration/two_step_set_up.html", context)


@transaction.atomic
def _confirm(user, device) -> list[str]:
    device.confirmed = True
    device.save()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    for code in codes:
        recovery.token_set.create(token=code)
    _record(user, by=user, reason="Two-step sign-in set up")
    return codes


def _grouped(hex_key: str) -> str:
    """The key as an app asks for it when typed: base32, in groups of four."""
    text = base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
def recovery_codes(request):
    """The recovery codes, shown once, straight after set-up."""
    codes = request.session.pop("recovery_codes", None)
    if not codes:
        return redirect(_next(request))
    return render(
        request, "registration/two_step_codes.html", {"codes": codes, "next": _next(request)}
    )


@require_http_methods(["GET", "POST"])
@programme_team_required("reset two-step sign-in")
def reset(request, pk: int):
    """The programme team resets a person's two-step sign-in (a lost phone)."""
    person = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        with transaction.atomic():
            TOTPDevice.objects.filter(user=person).delete()
            StaticDevice.objects.filter(user=person).delete()
            _record(person, by=request.user, reason="Two-step sign-in reset (lost phone)")
        log.info("two_step_reset email=%s by=%s", person.email, request.user.email)
        messages.success(
            request,
            f"Two-step sign-in reset for {person.display_name}. They will set it up again "
            "the next time they sign in.",
        )
        return redirect(_next(request))
    return render(
        request,
        "registration/two_step_reset.html",
        {"person": person, "has_two_step": has_two_step(person), "next": _next(request)},
    )


def _record(person, *, by, reason: str) -> None:
    """Put the change in the person's history (django-otp's devices keep none)."""
    attribute(person, user=by, reason=reason)
    person.save()


class TwoStepMiddleware:
    """A person signed in with a password who has two-step sign-in, or must have it, reaches no
    page but sign-out and the two-step pages until the second step is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not signed_in_with_sso(request)
            and not user.is_verified()
            and not request.path.startswith(_exempt_prefixes())
        ):
            # Known from when the person was loaded for this request (config.auth.EmailBackend).
            known = getattr(user, "has_confirmed_two_step", None)
            if known if known is not None else has_two_step(user):
                return _go(request, "two-step-verify")
            if required_for(user):
                return _go(request, "two-step-set-up")
        return self.get_response(request)


def _exempt_prefixes() -> tuple[str, ...]:
    return (
        reverse("two-step-verify"),
        reverse("two-step-set-up"),
        reverse("two-step-codes"),
        reverse("sign-out"),
        reverse("accessibility"),
        "/" + settings.STATIC_URL.lstrip("/"),
        "/assets/",
    )


def _go(request, name: str):
    url = reverse(name) + "?" + urlencode({"next": request.get_full_path()})
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)
