"""The four roles, as auth groups, and the model permissions each holds.

Model permissions say what kind of thing a role may touch; which items a person may touch
(their own service area's actions, say) is decided by querysets and views.
"""

import functools

from django.contrib.auth.decorators import login_required
from django.contrib.auth.management import create_permissions
from django.core.exceptions import PermissionDenied

PROGRAMME_TEAM = "Programme team"
SERVICE_DIRECTOR = "Service director"
LEAD_OFFICER = "Lead officer"
PROGRAMME_BOARD = "Programme Board"

ROLES = [PROGRAMME_TEAM, SERVICE_DIRECTOR, LEAD_OFFICER, PROGRAMME_BOARD]

FRAMEWORK_MODELS = {
    "strands": ["strand", "servicearea"],
    "actions": ["action", "characteristic", "progressupdate", "challenge", "reportingcycle"],
    "targets": ["target", "outcome", "measurement"],
}


def _view_everything() -> set[tuple[str, str]]:
    return {(app, f"view_{model}") for app, models in FRAMEWORK_MODELS.items() for model in models}


def _add_and_change_everything() -> set[tuple[str, str]]:
    return {
        (app, f"{verb}_{model}")
        for app, models in FRAMEWORK_MODELS.items()
        for model in models
        for verb in ("add", "change", "view")
    }


_UPDATERS = _view_everything() | {
    ("actions", "change_action"),
    ("actions", "add_progressupdate"),
    ("actions", "change_challenge"),
    ("targets", "change_target"),
    ("targets", "add_measurement"),
}

# Nobody but a superuser holds a delete permission: actions are closed or superseded, not removed.
ROLE_PERMISSIONS: dict[str, set[tuple[str, str]]] = {
    PROGRAMME_TEAM: _add_and_change_everything()
    | {
        ("config", "view_user"),
        ("config", "add_user"),
        ("config", "change_user"),
        ("auth", "view_group"),
    },
    SERVICE_DIRECTOR: _UPDATERS,
    LEAD_OFFICER: _UPDATERS,
    PROGRAMME_BOARD: _view_everything() | {("actions", "add_challenge")},
}


def sync_roles(apps) -> None:
    """Create the groups and give each exactly its permissions (used by migrations)."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for app_label, codename in sorted(wanted):
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


def _in(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names  # one query per request, however often roles are asked
    return role in names


def is_programme_team(user) -> bool:
    return user.is_authenticated and (user.is_superuser or _in(user, PROGRAMME_TEAM))


def is_board_member(user) -> bool:
    return _in(user, PROGRAMME_BOARD)


def is_service_director(user) -> bool:
    return _in(user, SERVICE_DIRECTOR)


def is_lead_officer(user) -> bool:
    return _in(user, LEAD_OFFICER)


def sees_everything(user) -> bool:
    """The programme team and the Board see the whole framework."""
    return is_programme_team(user) or is_board_member(user)


def start_page(user) -> str:
    """The name of the page a signed-in person starts at, and where a page's back link takes them
    by default: the Board and the programme team at the dashboard; everyone else at their actions."""
    return "dashboard" if sees_everything(user) else "my-actions"


def programme_team_required(doing: str):
    """A view only the programme team may use: sign-in first, then 403 for anyone else, saying
    what only the programme team can do ("Only the programme team can load the framework.")."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not is_programme_team(request.user):
                raise PermissionDenied(f"Only the programme team can {doing}.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
