"""The dashboards: the Programme Board's (the whole programme) and a director's or lead officer's
(their own areas). One page, its filters in the URL, every table downloadable."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET
from django_htmx.http import push_url

from config.db_router import reads_from_replica
from config.htmx import is_partial
from config.models import AuthenticatedRequest
from config.roles import sees_everything
from reporting.dashboard import cache, downloads, selectors
from reporting.dashboard.figures import Figures
from reporting.dashboard.filters import read_filters
from reporting.dashboard.reach import Reach, reach_of
from reporting.dashboard.tables import TABLES

DOWNLOAD_PARAMS = ("format", "table")


def _canonical_query(request: HttpRequest) -> str:
    """The filters as they belong in an address: without blanks or download parameters."""
    pairs = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in DOWNLOAD_PARAMS
        for value in values
        if value.strip()
    ]
    return urlencode(pairs)


@require_GET
@login_required
@reads_from_replica
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    if not sees_everything(request.user):
        raise PermissionDenied(
            "The Programme Board dashboard is for the Board and the programme team. "
            "A service director or lead officer has a dashboard of their own areas: "
            "choose My dashboard."
        )
    return _dashboard(request, name="dashboard", title="Programme Board dashboard", reach=None)


@require_GET
@login_required
@reads_from_replica
def my_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """The dashboard of the service areas a director directs, or of the actions a lead officer
    owns or leads: nothing of any other area."""
    reach = reach_of(request.user)
    if reach is None:
        raise PermissionDenied(
            "You direct no service area and own or lead no action, so you have no dashboard "
            "of your own."
        )
    return _dashboard(request, name="my-dashboard", title=reach.heading, reach=reach)


def _dashboard(
    request: AuthenticatedRequest, *, name: str, title: str, reach: Reach | None
) -> HttpResponse:
    today = timezone.localdate()
    fmt, table_name = request.GET.get("format", ""), request.GET.get("table", "")
    query = _canonical_query(request)
    page_url = reverse(name)
    url = page_url + (f"?{query}" if query else "")
    partial = is_partial(request)
    has_blanks = any(not v.strip() for _key, values in request.GET.lists() for v in values)
    if not fmt and not request.htmx and has_blanks:
        return redirect(url)  # a plain form submission: drop its blank fields from the address

    if fmt or table_name:
        if fmt not in downloads.FORMATS or table_name not in TABLES:
            raise Http404("No such download")
        _, _, filters = read_filters(request.GET, today=today, reach=reach)
        scope = selectors.build_scope(filters, today=today)
        table = TABLES[table_name](Figures(scope, limit=None))
        return downloads.download(table, fmt, today=today)

    template = "reporting/dashboard.html"
    state = cache.versions()
    # One person's dashboard is never served to another: the reach is part of the key.
    keyed = f"{reach!r}|{query}" if reach else query
    key = cache.key(version=cache.data_version(state), today=today, query=keyed, partial=partial)
    drawn = cache.get(key)
    if drawn is None:
        extra = {"reach": reach, "page_title": title, "page_url": page_url}
        drawn = _draw(
            request, today=today, partial=partial, template=template, state=state, **extra
        )
        if state[cache.SETTLED]:
            cache.put(key, drawn)
    body, has_errors = drawn
    if partial:
        return push_url(HttpResponse(body), url)
    context = {"body": mark_safe(body), "has_errors": has_errors, "page_title": title}
    return render(request, template, context)


def _draw(
    request: HttpRequest, *, today, partial: bool, template: str, state: dict, reach, **extra
) -> tuple[str, bool]:
    """The dashboard's body for the filters asked for, and whether any filter was in error."""
    action_filter, form, filters = read_filters(request.GET, today=today, reach=reach)
    scope = selectors.build_scope(filters, today=today)
    context = {
        "form": form,
        "action_form": action_filter.form,
        "filters": filters,
        "scope": scope,
        "figures": Figures(scope, state=state),
        "query": _canonical_query(request),
        "is_partial": partial,
        "cache_seconds": settings.DASHBOARD_CACHE_SECONDS,
        "reach": reach,
        **extra,
    }
    body = render_to_string(f"{template}#dashboard-body", context, request=request)
    return body, bool(form.errors)
