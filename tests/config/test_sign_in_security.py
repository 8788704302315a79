"""Sign-in that resists attack: lockouts, the security log, session limits, HTMX and sessions."""

import datetime
import json
import logging
import re
import time

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config import roles
from config.security import RENEWED_AT, SIGNED_IN_AT, forget_old_failures
from tests import factories

pytestmark = pytest.mark.django_db

EMAIL = "hana.osei@council.example"
PASSWORD = "pw-for-tests"
LOCKED = "There have been too many attempts to sign in with this email address."


def sign_in(client, email, password, **extra):
    return client.post(reverse("sign-in"), {"username": email, "password": password}, **extra)


def security_lines(caplog) -> list[dict]:
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "outcomes.security"
    ]


def test_ten_failures_lock_the_account_and_the_right_password_is_then_refused(client):
    factories.person(EMAIL, role=roles.SERVICE_DIRECTOR)
    for _ in range(9):
        response = sign_in(client, EMAIL, "wrong")
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.content.decode()
    response = sign_in(client, EMAIL, "wrong")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()

    response = sign_in(client, EMAIL, PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert LOCKED in html
    assert "You cannot sign in with it for 15 minutes." in html
    assert "<title>Error: Sign in" in html
    assert "_auth_user_id" not in client.session


def test_changing_the_letter_case_does_not_get_round_the_lock(client):
    factories.person(EMAIL)
    for n in range(10):
        sign_in(client, EMAIL.upper() if n % 2 else EMAIL, "wrong")
    assert sign_in(client, "Hana.Osei@Council.Example", PASSWORD).status_code == 429


def test_a_lock_says_the_same_whether_or_not_the_account_exists(client):
    factories.person(EMAIL)
    for _ in range(10):
        sign_in(client, EMAIL, "wrong")
        sign_in(client, "nobody@council.example", "wrong")
    real = sign_in(client, EMAIL, "wrong")
    unknown = sign_in(client, "nobody@council.example", "wrong")
    assert real.status_code == unknown.status_code == 429
    assert main_content(real, EMAIL) == main_content(unknown, "nobody@council.example")


def main_content(response, email: str) -> str:
    """The page's main content without what differs by request: the address typed, the token."""
    html = response.content.decode().split("<main")[1].split("</main>")[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.replace(email, ""))


def test_the_lock_lifts_after_15_minutes(client, settings):
    factories.person(EMAIL)
    for _ in range(10):
        sign_in(client, EMAIL, "wrong")
    attempt = AccessAttempt.objects.get(username=EMAIL)
    attempt.attempt_time -= settings.AXES_COOLOFF_TIME
    attempt.save()
    response = sign_in(client, EMAIL, PASSWORD)
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=EMAIL).exists()  # success resets the count


def test_sign_ins_failures_lockouts_and_sign_outs_are_logged_with_person_address_and_time(
    client, caplog
):
    caplog.set_level(logging.INFO, logger="outcomes.security")
    factories.person(EMAIL)
    sign_in(client, EMAIL.upper(), "wrong", REMOTE_ADDR="10.0.0.7")
    sign_in(client, EMAIL, PASSWORD, REMOTE_ADDR="10.0.0.7")
    client.post(reverse("sign-out"), REMOTE_ADDR="10.0.0.7")
    for _ in range(10):
        sign_in(client, EMAIL, "wrong", REMOTE_ADDR="10.0.0.8")

    lines = security_lines(caplog)
    events = [line["event"] for line in lines]
    assert events[:3] == ["sign_in_failed", "sign_in", "sign_out"]
    assert "locked_out" in events
    for line in lines:
        assert line["person"] == EMAIL
        assert line["address"] in ("10.0.0.7", "10.0.0.8")
        assert line["time"].startswith("20")
    locked = next(line for line in lines if line["event"] == "locked_out")
    assert locked["address"] == "10.0.0.8"


def test_a_permission_refusal_is_logged(as_user, world, caplog):
    caplog.set_level(logging.INFO, logger="outcomes.security")
    client = as_user(world.director)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 403
    [line] = [line for line in security_lines(caplog) if line["event"] == "permission_refused"]
    assert line["person"] == world.director.email
    assert line["path"] == reverse("dashboard")


def test_a_role_change_is_logged_with_who_made_it(db, caplog):
    caplog.set_level(logging.INFO, logger="outcomes.security")
    person = factories.person(EMAIL)
    person.groups.add(Group.objects.get(name=roles.LEAD_OFFICER))
    person.groups.remove(Group.objects.get(name=roles.LEAD_OFFICER))
    lines = [line for line in security_lines(caplog) if line["event"] == "role_changed"]
    assert [line.get("added") or line.get("removed") for line in lines] == [
        [roles.LEAD_OFFICER],
        [roles.LEAD_OFFICER],
    ]
    assert {line["person"] for line in lines} == {EMAIL}


def test_a_session_ends_after_10_hours_however_active(client, settings):
    person = factories.person(EMAIL)
    client.force_login(person)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("my-actions"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("sign-in"))
    page = client.get(response.url)
    assert "You have been signed out because you signed in more than 10 hours ago" in (
        page.content.decode()
    )


def session_writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    writes = [
        q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]
    return response, writes


def renewed_ago(client, seconds: float) -> None:
    session = client.session
    session[RENEWED_AT] = time.time() - seconds
    session.save()


def test_sessions_end_after_30_idle_minutes_renewed_at_most_once_a_minute(client, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(factories.person(EMAIL))
    renewed_ago(client, 61)
    response, writes = session_writes(client, reverse("accessibility"))
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert len(writes) == 1
    assert response["X-Session-Seconds-Left"] == str(30 * 60)
    # Within the minute a page is served without writing the session or sending the cookie.
    response, writes = session_writes(client, reverse("accessibility"))
    assert writes == [] and "sessionid" not in response.cookies
    assert 30 * 60 - 5 <= int(response["X-Session-Seconds-Left"]) <= 30 * 60
    renewed_ago(client, 600)  # say the last renewal was long ago: the next request renews it
    response, writes = session_writes(client, reverse("accessibility"))
    assert len(writes) == 1 and response.cookies["sessionid"]["max-age"] == 30 * 60


def test_the_page_says_what_is_left_since_the_last_renewal(client, settings):
    settings.SESSION_RENEW_SECONDS = 3600  # no renewal during this test
    client.force_login(factories.person(EMAIL))
    renewed_ago(client, 300)
    html = client.get(reverse("accessibility")).content.decode()
    left = int(re.search(r'data-seconds-left="(\d+)"', html).group(1))
    assert 30 * 60 - 300 - 5 <= left <= 30 * 60 - 300


def test_the_idle_limit_ends_the_session_when_nothing_renewed_it(client, settings):
    client.force_login(factories.person(EMAIL))
    session = client.session
    session.set_expiry(-1)  # as the database holds it 30 minutes after the last renewal
    session.save()
    response = client.get(reverse("my-actions"))
    assert response.status_code == 302 and response.url.startswith(reverse("sign-in"))


def test_the_timeout_warning_is_on_every_signed_in_page_and_says_how_long_is_left(client):
    client.force_login(factories.person(EMAIL))
    html = client.get(reverse("accessibility")).content.decode()
    assert 'id="app-timeout-dialog"' in html
    left = int(re.search(r'data-seconds-left="(\d+)"', html).group(1))
    assert 30 * 60 - 5 <= left <= 30 * 60  # a slow run may take a second or two
    assert 'data-warning-seconds="120"' in html
    assert "/static/session-timeout.js" in html
    assert "You’re about to be signed out" in html
    anonymous = client.__class__().get(reverse("accessibility")).content.decode()
    assert "app-timeout-dialog" not in anonymous


def test_staying_signed_in_renews_the_session_and_says_what_is_left(client, settings):
    client.force_login(factories.person(EMAIL))
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS + 600
    session.save()
    response = client.post(reverse("stay-signed-in"))
    assert response.status_code == 200
    assert 590 <= response.json()["seconds_left"] <= 600
    # Within the minute of the last renewal too: staying signed in always renews.
    settings.SESSION_RENEW_SECONDS = 3600
    session = client.session
    session[SIGNED_IN_AT] = time.time()
    session.save()
    renewed_ago(client, 1000)
    response = client.post(reverse("stay-signed-in"))
    assert response.json()["seconds_left"] == 30 * 60
    assert response.cookies["sessionid"]["max-age"] == 30 * 60


def test_an_htmx_request_after_the_session_ended_goes_to_sign_in_and_back_to_the_page(client):
    response = client.post(
        reverse("action-progress", args=["HOU-01"]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/actions/HOU-01/?tab=updates",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/sign-in/?next=/actions/HOU-01/%3Ftab%3Dupdates"


def test_the_timed_out_sign_in_page_says_why(client):
    html = client.get(reverse("sign-in") + "?timed-out&next=/my-actions/").content.decode()
    assert "You were signed out because you had not used the service for 30 minutes." in html
    assert 'name="next" value="/my-actions/"' in html


HELD_BACK = "There have been too many failed attempts to sign in from your network."


def test_many_failures_from_one_address_slow_that_address_whatever_the_accounts(
    client, settings, caplog
):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 4
    factories.person(EMAIL)
    for n in range(4):  # four accounts, one failure each: no account is near its own limit
        assert sign_in(client, f"guess{n}@council.example", "wrong").status_code == 200
    caplog.set_level(logging.INFO, logger="outcomes.security")
    caplog.clear()
    response = sign_in(client, EMAIL, PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert HELD_BACK in html and "<title>Error: Sign in" in html
    assert "_auth_user_id" not in client.session
    assert [line["event"] for line in security_lines(caplog)] == ["address_held_back"]
    # The same person from another address signs in: only the address waits.
    assert sign_in(client, EMAIL, PASSWORD, REMOTE_ADDR="192.0.2.7").status_code == 302


def test_an_office_s_ordinary_mistakes_do_not_slow_its_address(client, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 4
    factories.person(EMAIL)
    for n in range(3):
        sign_in(client, f"colleague{n}@council.example", "wrong")
    assert sign_in(client, EMAIL, PASSWORD).status_code == 302


def test_an_address_is_slowed_only_for_the_lockout_time(client, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 2
    factories.person(EMAIL)
    for n in range(2):
        sign_in(client, f"guess{n}@council.example", "wrong")
    assert sign_in(client, EMAIL, PASSWORD).status_code == 429
    AccessFailureLog.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert sign_in(client, EMAIL, PASSWORD).status_code == 302


def test_failures_older_than_the_kept_days_are_forgotten(client, settings):
    settings.SIGN_IN_FAILURE_LOG_DAYS = 90
    sign_in(client, "guess@council.example", "wrong")
    sign_in(client, "guess2@council.example", "wrong")
    AccessFailureLog.objects.filter(username="guess@council.example").update(
        attempt_time=timezone.now() - datetime.timedelta(days=91)
    )
    assert forget_old_failures() == 1
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == [
        "guess2@council.example"
    ]


def test_behind_a_proxy_the_person_s_address_is_slowed_not_the_proxy_s(client, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 2
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    factories.person(EMAIL)
    attacker = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 10.0.0.1"}
    colleague = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.4, 10.0.0.1"}
    for n in range(2):
        sign_in(client, f"guess{n}@council.example", "wrong", **attacker)
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    assert sign_in(client, EMAIL, PASSWORD, **attacker).status_code == 429
    assert sign_in(client, EMAIL, PASSWORD, **colleague).status_code == 302
