from csp.middleware import CSPMiddleware
from django.conf import settings
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers
from django_htmx.http import HttpResponseClientRedirect


class HtmxLoginRedirectMiddleware:
    """An HTMX request whose session has expired gets HX-Redirect to the sign-in page, so the whole
    page goes there instead of the sign-in form being swapped into a panel."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "htmx", False) and response.status_code == 302:
            login_url = resolve_url(settings.LOGIN_URL)
            if response.url.startswith(login_url):
                return HttpResponseClientRedirect(response.url)
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
