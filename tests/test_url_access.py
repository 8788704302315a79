"""A meta-test: every URL pattern, and what each role gets from it.

Adding a URL without saying here what each role gets makes this test fail.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "other_director", "director", "lead", "board", "team"]
SIGN_IN = "sign-in"

# name: (method, kwargs from the world, {role: status}); 302 for anonymous means "to sign in".
ALL_200 = dict.fromkeys(ROLES, 200)
SIGNED_IN_200 = {**ALL_200, "anonymous": 302}
UPDATE = {
    "anonymous": 302,
    "other_director": 404,
    "director": 422,
    "lead": 422,
    "board": 403,
    "team": 422,
}

EXPECTED = {
    "home": ("get", {}, {**dict.fromkeys(ROLES, 302)}),
    "sign-in": ("get", {}, {**dict.fromkeys(ROLES, 302), "anonymous": 200}),  # signed in: sent home
    "sign-out": ("get", {}, dict.fromkeys(ROLES, 405)),
    "accessibility": ("get", {}, ALL_200),
    "my-actions": ("get", {}, SIGNED_IN_200),
    "action-detail": (
        "get",
        {"ref": "HOU-01"},
        {
            "anonymous": 302,
            "other_director": 404,
            "director": 200,
            "lead": 200,
            "board": 200,
            "team": 200,
        },
    ),
    "action-progress": ("post", {"ref": "HOU-01"}, UPDATE),
    "action-delegate": (
        "post",
        {"ref": "HOU-01"},
        {**UPDATE, "director": 422, "lead": 422, "team": 422},
    ),
    "target-progress": ("post", {"ref": "HOU-T01"}, UPDATE),
    "measurement-add": ("post", {"ref": "HOU-O01"}, UPDATE),
}

# Served by other means and checked elsewhere: the admin (staff only), govuk-frontend's assets.
SKIPPED_PREFIXES = ("admin/", "assets/", "static/", "media/")


def project_url_names():
    names = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.lstrip("^").startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"URL {route} has no name"
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_has_its_expectations_written_down():
    assert project_url_names() == set(EXPECTED)


def user_for(world, role):
    return {
        "anonymous": None,
        "other_director": world.other_director,
        "director": world.director,
        "lead": world.lead,
        "board": world.board,
        "team": world.team,
    }[role]


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_what_each_role_gets(client, world, name, role):
    method, kwargs, expected = EXPECTED[name]
    user = user_for(world, role)
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=kwargs)
    response = getattr(client, method)(url)
    assert response.status_code == expected[role], f"{role} {method.upper()} {url}"
    if role == "anonymous" and expected[role] == 302 and name not in ("home",):
        assert response.url.startswith(reverse(SIGN_IN))


def test_htmx_requests_without_a_session_are_sent_to_sign_in(client, world):
    response = client.post(
        reverse("action-progress", args=["HOU-01"]), headers={"HX-Request": "true"}
    )
    assert response.status_code in (200, 204, 401)
    assert response.headers["HX-Redirect"].startswith(reverse(SIGN_IN))


def test_posting_to_another_areas_action_changes_nothing(client, world):
    client.force_login(world.other_director)
    version = world.action.version
    response = client.post(
        reverse("action-progress", args=["HOU-01"]),
        {"version": version, "status": "on_track", "progress": "50"},
    )
    assert response.status_code == 404
    world.action.refresh_from_db()
    assert (world.action.status, world.action.version) == ("not_started", version)
