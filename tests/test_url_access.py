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
TEAM_ONLY = {**dict.fromkeys(ROLES, 403), "anonymous": 302, "team": 200}
NO_SUCH_CHALLENGE = {**dict.fromkeys(ROLES, 404), "anonymous": 302}

EXPECTED = {
    "home": ("get", {}, {**dict.fromkeys(ROLES, 302)}),
    "sign-in": ("get", {}, {**dict.fromkeys(ROLES, 302), "anonymous": 200}),  # signed in: sent home
    "sign-out": ("get", {}, dict.fromkeys(ROLES, 405)),
    "accessibility": ("get", {}, ALL_200),
    "email-settings": ("get", {}, SIGNED_IN_200),
    "healthz": ("get", {}, ALL_200),  # for load balancers: no sign-in, reveals nothing
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
    # The world holds no measurement: tests/targets/test_corrections.py checks each role against one.
    "measurement-correct": ("get", {"pk": 999999}, NO_SUCH_CHALLENGE),
    # The programme's working rhythm (issue 4). Pages for one object that the world does not
    # hold (an upload, a cycle, a challenge) answer 404 here; tests/strands/test_upload.py,
    # tests/reporting/test_cycles.py and tests/actions/test_challenges.py check each role
    # against a real one.
    "framework": ("get", {}, SIGNED_IN_200),
    "framework-load": ("get", {}, TEAM_ONLY),
    "framework-download": ("get", {"fmt": "xlsx"}, TEAM_ONLY),
    "framework-load-report": ("get", {"token": "no-such-upload"}, {**TEAM_ONLY, "team": 404}),
    "framework-load-confirm": ("post", {"token": "no-such-upload"}, {**TEAM_ONLY, "team": 404}),
    "framework-load-done": ("get", {"token": "no-such-upload"}, {**TEAM_ONLY, "team": 404}),
    "framework-load-invite": ("post", {"token": "no-such-upload"}, {**TEAM_ONLY, "team": 404}),
    "cycle-list": ("get", {}, TEAM_ONLY),
    "cycle-new": ("get", {}, TEAM_ONLY),
    "cycle-detail": ("get", {"pk": 999999}, {**TEAM_ONLY, "team": 404}),
    "challenge-list": ("get", {}, {**TEAM_ONLY, "board": 200}),
    "challenge-raise": (
        "post",
        {"ref": "HOU-01"},
        {
            "anonymous": 302,
            "other_director": 404,
            "director": 403,
            "lead": 403,
            "board": 422,
            "team": 403,
        },
    ),
    "challenge-answer": ("post", {"pk": 999999}, NO_SUCH_CHALLENGE),
    "challenge-accept": ("post", {"pk": 999999}, NO_SUCH_CHALLENGE),
    "challenge-follow-up": ("post", {"pk": 999999}, NO_SUCH_CHALLENGE),
    # The annual stocktake (issue 6). The world holds no stocktake, so pages for a year answer
    # 404 to the programme team (403 to everyone else signed in) and the public pages 404 to
    # all; tests/reporting/test_stocktake_views.py and tests/public/ check each role against a
    # real draft and a real published stocktake.
    "stocktake-list": ("get", {}, {**dict.fromkeys(ROLES, 403), "anonymous": 302, "team": 200}),
    **{
        name: (method, {"year": 2026}, {**dict.fromkeys(ROLES, 403), "anonymous": 302, "team": 404})
        for name, method in [
            ("stocktake-detail", "get"),
            ("stocktake-as-at", "post"),
            ("stocktake-preview", "get"),
            ("stocktake-render", "post"),
            ("stocktake-pdf", "get"),
            ("stocktake-publish", "get"),
            ("stocktake-next-year", "get"),
            ("stocktake-withdraw", "get"),
            ("stocktake-redact", "get"),
            ("stocktake-remake-pdf", "post"),
        ]
    },
    "public-stocktakes": ("get", {}, ALL_200),
    "public-stocktake": ("get", {"year": 2026}, dict.fromkeys(ROLES, 404)),
    "public-stocktake-pdf": ("get", {"year": 2026}, dict.fromkeys(ROLES, 404)),
    "public-stocktake-data": ("get", {"year": 2026}, dict.fromkeys(ROLES, 404)),
    "public-stocktake-csv": ("get", {"year": 2026, "name": "actions"}, dict.fromkeys(ROLES, 404)),
    "public-stocktake-datapackage": ("get", {"year": 2026}, dict.fromkeys(ROLES, 404)),
}

# The Programme Board dashboard (issue 5): the Board and the programme team only; an outcome's
# page for whoever may see the outcome (the Board and team all; a director their areas').
EXPECTED["dashboard"] = (
    "get",
    {},
    {**dict.fromkeys(ROLES, 403), "anonymous": 302, "board": 200, "team": 200},
)
# A director's or lead officer's own dashboard (issue 14): their areas' or actions' figures only
# (tests/reporting/test_my_dashboard.py); the Board and team have none of their own.
EXPECTED["my-dashboard"] = (
    "get",
    {},
    {**dict.fromkeys(ROLES, 200), "anonymous": 302, "board": 403, "team": 403},
)
EXPECTED["outcome-detail"] = (
    "get",
    {"ref": "HOU-O01"},
    {
        "anonymous": 302,
        "other_director": 404,
        "director": 200,
        "lead": 200,  # HOU-01, which they lead, serves it (Outcome.objects.visible_to)
        "board": 200,
        "team": 200,
    },
)

# People and passwords (issue 10). An invitation's page for a link the world holds none of is
# 404 to all; tests/config/test_invitations.py checks real links, used and unused.
EXPECTED["password-reset"] = ("get", {}, ALL_200)
EXPECTED["password-reset-sent"] = ("get", {}, ALL_200)
EXPECTED["password-reset-confirm"] = ("get", {"uidb64": "MQ", "token": "no-such-token"}, ALL_200)
EXPECTED["password-change"] = ("get", {}, SIGNED_IN_200)
EXPECTED["stay-signed-in"] = ("post", {}, SIGNED_IN_200)
EXPECTED["invitation"] = ("get", {"token": "no-such-invitation"}, dict.fromkeys(ROLES, 404))

# The People page (issue 10): the programme team only. Pages for one person use the director's
# record; tests/actions/test_people.py checks each change through the rendered forms.
EXPECTED["people-list"] = ("get", {}, TEAM_ONLY)
EXPECTED["people-download"] = ("get", {}, TEAM_ONLY)
EXPECTED["person-add"] = ("get", {}, TEAM_ONLY)
EXPECTED["people-invite-all"] = ("post", {}, {**TEAM_ONLY, "team": 302})
EXPECTED["people-unlock"] = ("post", {}, {**TEAM_ONLY, "team": 302})
EXPECTED["person-detail"] = ("get", {"pk": "director"}, TEAM_ONLY)
EXPECTED["person-roles"] = ("get", {"pk": "director"}, TEAM_ONLY)
EXPECTED["person-invite"] = ("post", {"pk": "director"}, {**TEAM_ONLY, "team": 302})
EXPECTED["person-invitation-cancel"] = ("post", {"pk": "director"}, {**TEAM_ONLY, "team": 302})
EXPECTED["person-deactivate"] = ("get", {"pk": "director"}, TEAM_ONLY)
EXPECTED["person-reactivate"] = ("post", {"pk": "director"}, {**TEAM_ONLY, "team": 302})

# Single sign-on (off in the world: both send everyone back to sign in) and two-step sign-in
# (tests/sso/ and tests/config/test_two_step.py check each step against a real provider and real
# codes). The world's programme team has done its second step; nobody else has a device.
EXPECTED["sso-start"] = ("get", {}, dict.fromkeys(ROLES, 302))
EXPECTED["sso-callback"] = ("get", {}, dict.fromkeys(ROLES, 302))
EXPECTED["two-step-verify"] = ("get", {}, dict.fromkeys(ROLES, 302))
EXPECTED["two-step-set-up"] = ("get", {}, {**SIGNED_IN_200, "team": 302})
EXPECTED["two-step-codes"] = ("get", {}, dict.fromkeys(ROLES, 302))
EXPECTED["two-step-reset"] = ("get", {"pk": 999999}, {**TEAM_ONLY, "team": 404})

# Served by other means and checked elsewhere: the admin (staff only); static files (WhiteNoise,
# tests/config/test_static_files.py).
SKIPPED_PREFIXES = ("admin/", "static/", "media/")


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
    # A person's page names the person by role: {"pk": "director"} is the director's id.
    kwargs = {key: user_for(world, v).pk if v in ROLES else v for key, v in kwargs.items()}
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
