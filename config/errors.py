"""The product's own error pages, in GOV.UK design, used whenever DEBUG is off.

404.html and 403.html are rendered by Django's own handlers, with the request (so the header knows
who is signed in). The 500 page and the "page has expired" page (a failed CSRF check) have views
here: Django renders its 500 without any context, and its CSRF page without the request.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme


def server_error(request: HttpRequest) -> HttpResponse:
    """Something broke: say sorry without touching the request, the session or the database, any
    of which may be what broke. The page needs only the council's and the programme's names."""
    context = {"council_name": settings.COUNCIL_NAME, "programme_name": settings.PROGRAMME_NAME}
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page that had expired (CSRF_FAILURE_VIEW): usually one left open while
    the person signed out or in again, or with cookies off. Nothing was saved; say how to go on."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    return render(request, "403_csrf.html", {"back_href": back}, status=403)
