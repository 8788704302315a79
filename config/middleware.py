import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers
from django_htmx.http import HttpResponseClientRedirect

from config.security import RENEWED_AT, SIGNED_IN_AT, log_event


class HtmxLoginRedirectMiddleware:
    """An HTMX request whose session has expired gets HX-Redirect to the sign-in page, so the whole
    page goes there instead of the sign-in form being swapped into a panel. After signing in, the
    person returns to the page they were on (HX-Current-URL), not to the fragment's address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "htmx", False) and response.status_code == 302:
            login_url = resolve_url(settings.LOGIN_URL)
            if response.url.startswith(login_url):
                page = request.htmx.current_url_abs_path
                if page:
                    return HttpResponseClientRedirect(redirect_to_login(page, login_url).url)
                return HttpResponseClientRedirect(response.url)
        return response


def session_absolute_seconds_left(request) -> int:
    """How long until this session reaches its absolute limit (SESSION_ABSOLUTE_SECONDS)."""
    started = request.session.get(SIGNED_IN_AT, time.time())
    return max(0, int(started + settings.SESSION_ABSOLUTE_SECONDS - time.time()))


def session_seconds_left(request) -> int:
    """How long this session has before it ends, if the person does nothing more: what is left of
    the idle limit since it was last renewed, or of the absolute limit if that is sooner."""
    renewed = request.session.get(RENEWED_AT, time.time())
    idle_left = max(0, round(renewed + settings.SESSION_COOKIE_AGE - time.time()))
    return min(idle_left, session_absolute_seconds_left(request))


def renew_session(request) -> None:
    """Start the idle limit again: the session is saved with a new expiry at the end of the
    request (Django's SessionMiddleware), and the cookie sent again with it."""
    request.session[RENEWED_AT] = time.time()


class SessionLimitsMiddleware:
    """Ends a session 10 hours (SESSION_ABSOLUTE_SECONDS) after its sign-in, however active.
    The idle limit is Django's own SESSION_COOKIE_AGE, renewed by a request once the last renewal
    is SESSION_RENEW_SECONDS old: a session is written at most once a minute, not on every page,
    and the page is told what is left (X-Session-Seconds-Left, read by static/session-timeout.js
    after each htmx request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in:
            started = request.session.get(SIGNED_IN_AT)
            renewed = request.session.get(RENEWED_AT)
            if renewed is None or time.time() - renewed >= settings.SESSION_RENEW_SECONDS:
                renew_session(request)
            if started is None:
                request.session[SIGNED_IN_AT] = time.time()
            elif time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                log_event("session_ended", request, reason="absolute limit")
                logout(request)
                hours = settings.SESSION_ABSOLUTE_SECONDS // 3600
                messages.info(
                    request,
                    f"You have been signed out because you signed in more than {hours} hours "
                    "ago. Sign in again to continue.",
                )
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            response["X-Session-Seconds-Left"] = str(session_seconds_left(request))
        return response


class RefusalLogMiddleware:
    """Every permission refusal (a 403, however the view made it) goes in the security log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            log_event("permission_refused", request, path=request.path, method=request.method)
        return response


# Browser features the product never uses, switched off for every page (Permissions-Policy).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    """What Django's SecurityMiddleware does not send: Permissions-Policy on every response, and
    Cache-Control: no-store on every response to a signed-in person, so that nothing they saw
    stays in a shared computer's cache or in a proxy. After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, for HTML only. On a PDF shown in the browser a policy stops
    Chrome's PDF viewer, whose <embed> falls under object-src 'none' (crbug.com/271452); on a CSV,
    a spreadsheet or JSON it means nothing."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
