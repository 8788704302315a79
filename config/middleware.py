from django.conf import settings
from django.shortcuts import resolve_url
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
