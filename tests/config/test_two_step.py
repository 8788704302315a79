"""Two-step sign-in for passwords (django-otp): enforced for the programme team, optional for
others, recovery codes once each, a reset by the programme team. Uses Django's plain Client, so
nothing is skipped: every step is done as a person does it."""

import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.roles import PROGRAMME_TEAM, SERVICE_DIRECTOR
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests"


def code_for(email: str) -> str:
    device = TOTPDevice.objects.filter(user__email=email).order_by("-id").first()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def wait_out_the_throttle(user) -> None:
    """django-otp slows retries after a wrong code (1 s, then 2 s, ...): as if the person waited."""
    TOTPDevice.objects.filter(user=user).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def rendered_fields(html: str) -> set[str]:
    return set(re.findall(r'<input[^>]+name="([^"]+)"', html))


def sign_in(client, email: str):
    page = client.get("/sign-in/")
    assert {"username", "password"} <= rendered_fields(page.text)
    return client.post("/sign-in/", {"username": email, "password": PASSWORD})


def set_up(client, email: str):
    page = client.get("/two-step/set-up/")
    assert page.status_code == 200
    assert '<svg role="img" aria-label="QR code' in page.text
    assert "code" in rendered_fields(page.text)
    return client.post("/two-step/set-up/", {"code": code_for(email), "next": "/dashboard/"})


@pytest.fixture
def team():
    return factories.person("team@council.example", role=PROGRAMME_TEAM)


def test_the_programme_team_cannot_reach_their_pages_before_setting_up_two_step(team):
    client = Client()
    response = sign_in(client, team.email)
    assert response.status_code == 302
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 302
    assert dashboard["Location"].startswith("/two-step/set-up/?next=%2Fdashboard%2F")
    assert client.get("/framework/load/").status_code == 302
    # HTMX requests are sent to the set-up page as a whole page.
    htmx = client.get("/dashboard/", headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"].startswith("/two-step/set-up/")


def test_setting_up_two_step_shows_ten_recovery_codes_once_and_opens_the_pages(team):
    client = Client()
    sign_in(client, team.email)
    wrong = client.post("/two-step/set-up/", {"code": "000000"})
    assert "The code is not right or has expired" in wrong.text
    wait_out_the_throttle(team)
    done = set_up(client, team.email)
    assert done.status_code == 302 and done["Location"].startswith("/two-step/recovery-codes/")
    codes_page = client.get(done["Location"])
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", codes_page.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/two-step/recovery-codes/").status_code == 302  # shown once only
    assert client.get("/dashboard/").status_code == 200
    latest = team.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "Two-step sign-in set up"
    assert latest.history_user_id == team.pk


def test_next_time_the_code_is_asked_for_and_a_wrong_one_refused(team):
    first = Client()
    sign_in(first, team.email)
    set_up(first, team.email)
    device = TOTPDevice.objects.get(user=team)
    device.last_t = -1  # a new sign-in in the same 30 seconds may use the same code again
    device.save()

    client = Client()
    sign_in(client, team.email)
    assert client.get("/dashboard/")["Location"].startswith("/sign-in/code/")
    page = client.get("/sign-in/code/?next=/dashboard/")
    assert "Enter the code from your authenticator app" in page.text
    assert {"code", "next"} <= rendered_fields(page.text)
    wrong = client.post("/sign-in/code/", {"code": "123456", "next": "/dashboard/"})
    assert "The code is not right or has expired" in wrong.text
    wait_out_the_throttle(team)
    right = client.post("/sign-in/code/", {"code": code_for(team.email), "next": "/dashboard/"})
    assert right["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_a_recovery_code_works_once_and_is_recorded(team):
    first = Client()
    sign_in(first, team.email)
    set_up(first, team.email)
    code = StaticToken.objects.filter(device__user=team).first().token

    client = Client()
    sign_in(client, team.email)
    used = client.post("/sign-in/code/", {"code": code.upper(), "next": "/dashboard/"}, follow=True)
    assert "You used a recovery code. You have 9 left." in used.text
    latest = team.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "Signed in with a recovery code"

    again = Client()
    sign_in(again, team.email)
    refused = again.post("/sign-in/code/", {"code": code, "next": "/dashboard/"})
    assert "The code is not right or has expired" in refused.text


def test_two_step_is_optional_for_a_director_unless_required_for_all():
    director = factories.person("dir@council.example", role=SERVICE_DIRECTOR)
    client = Client()
    sign_in(client, director.email)
    assert client.get("/my-actions/").status_code == 200
    with override_settings(TWO_STEP_REQUIRED_FOR_ALL=True):
        assert client.get("/my-actions/")["Location"].startswith("/two-step/set-up/")
    # A director may choose to set it up.
    set_up(client, director.email)
    assert TOTPDevice.objects.filter(user=director, confirmed=True).exists()


def test_the_programme_team_resets_a_lost_phone_and_others_cannot(team):
    director = factories.person("dir@council.example", role=SERVICE_DIRECTOR)
    own = Client()
    sign_in(own, director.email)
    set_up(own, director.email)

    other = Client()
    other.force_login(factories.person(role=SERVICE_DIRECTOR))
    assert other.post(f"/people/{director.pk}/two-step/reset/").status_code == 403

    client = Client()
    sign_in(client, team.email)
    set_up(client, team.email)
    page = client.get(f"/people/{director.pk}/two-step/reset/")
    assert "Reset two-step sign-in for" in page.text
    done = client.post(f"/people/{director.pk}/two-step/reset/", {"next": "/"}, follow=True)
    assert "Two-step sign-in reset for" in done.text
    assert not TOTPDevice.objects.filter(user=director).exists()
    assert not StaticToken.objects.filter(device__user=director).exists()
    latest = director.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "Two-step sign-in reset (lost phone)"
    assert latest.history_user_id == team.pk


def test_when_single_sign_on_is_required_no_password_is_accepted(team):
    client = Client()
    with override_settings(SSO_REQUIRED=True):
        page = client.get("/sign-in/")
        assert 'name="password"' not in page.text
        response = client.post("/sign-in/", {"username": team.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_the_qr_code_is_drawn_in_html_svg(team):
    """<svg:rect> elements (django-otp's own QR writer) are not drawn inline in HTML: one path."""
    client = Client()
    sign_in(client, team.email)
    page = client.get("/two-step/set-up/").text
    svg = page[page.index("<svg role=") : page.index("</svg>")]
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert "<path " in svg and "svg:rect" not in svg


def test_each_page_learns_who_is_signed_in_and_whether_they_have_two_step_in_one_query():
    director = factories.person("dir@council.example", role=SERVICE_DIRECTOR)
    client = Client()
    sign_in(client, director.email)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/my-actions/").status_code == 200
    asking = [q["sql"] for q in queries if "otp_totp_totpdevice" in q["sql"]]
    assert len(asking) == 1 and 'FROM "config_user"' in asking[0]
    # Once the director sets up two-step, their next sign-in asks for the code before any page.
    set_up(client, director.email)
    client.post("/sign-out/")
    sign_in(client, director.email)
    assert client.get("/my-actions/")["Location"].startswith(reverse("two-step-verify"))
