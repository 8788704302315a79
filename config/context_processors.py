"""What every page needs: the council's and the programme's names, and the navigation."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from config.middleware import session_absolute_seconds_left, session_seconds_left
from config.roles import (
    is_board_member,
    is_lead_officer,
    is_programme_team,
    is_service_director,
    sees_everything,
)


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # a page another part of the product has not added yet
        return None


def _nav(request) -> list[tuple[str, str, bool]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    # Role-specific pages (config.roles: is_programme_team, is_board_member, ...) join here
    # as they are built. Only links are decided here: each view still checks who may see it.
    items = [("My actions", _url("my-actions"))]
    if sees_everything(user):
        items.insert(0, ("Dashboard", _url("dashboard")))
    elif is_service_director(user) or is_lead_officer(user):
        items.append(("My dashboard", _url("my-dashboard")))
    items.append(("Framework", _url("framework")))
    if is_board_member(user) or is_programme_team(user):
        items.append(("Challenges", _url("challenge-list")))
    if is_programme_team(user):
        items.append(("Reporting cycles", _url("cycle-list")))
        items.append(("Load framework", _url("framework-load")))
        items.append(("People", _url("people-list")))
    if is_programme_team(user):
        items.append(("Stocktake", _url("stocktake-list")))
    if user.is_staff:
        items.append(("Admin", _url("admin:index")))
    shown = [(label, url, _is_current(request.path, url)) for label, url in items if url]
    # Where one link's address starts another's (/framework/, /framework/load/), only the
    # longest that matches is the current page.
    longest = max((len(url) for _, url, current in shown if current), default=0)
    return [(label, url, current and len(url) == longest) for label, url, current in shown]


def _is_current(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def _session_timeout(request) -> dict | None:
    """What static/session-timeout.js needs to warn before the session ends."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return None
    return {
        "seconds_left": session_seconds_left(request),
        "absolute_seconds_left": session_absolute_seconds_left(request),
        "idle_seconds": settings.SESSION_COOKIE_AGE,
        "warning_seconds": settings.SESSION_WARNING_SECONDS,
    }


def site(request) -> dict:
    return {
        "council_name": settings.COUNCIL_NAME,
        "programme_name": settings.PROGRAMME_NAME,
        "nav": _nav(request),
        "session_timeout": _session_timeout(request),
    }
