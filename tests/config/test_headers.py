"""What every response says about itself: a Content-Security-Policy whose scripts need this
response's nonce, Permissions-Policy, Referrer-Policy, no caching of signed-in pages; and under
production settings HTTPS only, HSTS, and __Host- cookies."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.config.production import security_settings
from tests.reporting.stocktake_world import published

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r"<script\b([^>]*)>")


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize(
    "role, page",
    [
        (None, "sign-in"),
        (None, "public-stocktakes"),
        ("director", "my-actions"),
        ("board", "dashboard"),
        ("team", "framework"),
    ],
)
def test_no_script_runs_unless_it_is_this_sites_file_or_carries_this_responses_nonce(
    client, world, role, page
):
    if role:
        client.force_login(getattr(world, role))
    response = client.get(reverse(page))
    assert response.status_code == 200
    policy = directives(response)
    nonces = [v for v in policy["script-src"] if v.startswith("'nonce-")]
    assert policy["script-src"] == ["'self'", *nonces] and len(nonces) == 1
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == policy["base-uri"] == policy["frame-ancestors"] == ["'none'"]
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    scripts = SCRIPT.findall(response.content.decode())
    assert scripts
    for attributes in scripts:
        src = re.search(r'src="([^"]+)"', attributes)
        if src:
            assert src.group(1).startswith("/static/"), attributes
        else:
            assert f'nonce="{nonce}"' in attributes, f"<script{attributes}> has no nonce"


def test_each_response_has_a_new_nonce(client):
    first, second = client.get(reverse("sign-in")), client.get(reverse("sign-in"))
    assert directives(first)["script-src"] != directives(second)["script-src"]


def test_every_response_limits_referrers_and_browser_features(client):
    response = client.get(reverse("accessibility"))
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in permissions


def test_signed_in_pages_are_never_stored_and_public_pages_may_be(client, world):
    public = client.get(reverse("accessibility"))
    assert "no-store" not in public.get("Cache-Control", "")
    client.force_login(world.director)
    for url in (reverse("my-actions"), reverse("accessibility")):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_an_htmx_fragment_for_a_signed_in_person_is_not_stored_either(client, world):
    client.force_login(world.team)
    response = client.get(reverse("framework"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# --- under production settings ---------------------------------------------------------------


@pytest.fixture(scope="module")
def production():
    return security_settings()


@pytest.fixture
def production_client(production):
    with override_settings(**production):
        yield Client()  # built after the override, so its middleware reads production's settings


def test_plain_http_is_redirected_to_https(production_client):
    response = production_client.get("/sign-in/")
    assert response.status_code == 301
    assert response.url == "https://testserver/sign-in/"


def test_healthz_answers_over_plain_http_for_load_balancers(production_client):
    assert production_client.get("/healthz").status_code == 200


def test_https_responses_carry_hsts_for_subdomains_too(production_client):
    response = production_client.get("/sign-in/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_cookies_are_host_only_secure_and_for_the_whole_site(production_client, world):
    response = production_client.get("/sign-in/", secure=True)
    csrf = response.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["path"] == "/" and not csrf["domain"]
    response = production_client.post(
        "/sign-in/",
        {"username": world.director.email, "password": "pw-for-tests"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["path"] == "/"
    assert not session["domain"]
    assert "no-store" in production_client.get("/", secure=True)["Cache-Control"]


def test_a_pdf_shown_in_the_browser_has_no_policy_that_would_stop_chromes_viewer(client):
    published(2026, pdf=b"%PDF-1.7 test")
    response = client.get(reverse("public-stocktake-pdf", args=[2026]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in response
    assert response["X-Content-Type-Options"] == "nosniff"  # still never read as anything else


def test_json_has_no_policy_either(client):
    assert "Content-Security-Policy" not in client.get("/healthz")
