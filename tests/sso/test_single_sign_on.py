"""Single sign-on against a real OpenID Connect provider on loopback (tests/idp)."""

import time
from unittest import mock
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from config.roles import PROGRAMME_BOARD, PROGRAMME_TEAM, SERVICE_DIRECTOR
from tests import factories
from tests.conftest import SignedInClient
from tests.sso.conftest import TESTSERVER, sign_in_at_provider

pytestmark = pytest.mark.django_db


def start(client, **params):
    response = client.get(reverse("sso-start") + ("?" + urlencode(params) if params else ""))
    assert response.status_code == 302
    return response["Location"]


def come_back(client, returned_url: str):
    parts = urlsplit(returned_url)
    return client.get(parts.path + "?" + parts.query)


def test_the_sign_in_page_offers_the_councils_account_only_when_configured(client, provider):
    assert reverse("sso-start") not in client.get(reverse("sign-in")).text
    with provider.settings(OIDC_BUTTON_NAME="Anytown Council"):
        page = client.get(reverse("sign-in")).text
    assert "Sign in with your Anytown Council account" in page
    assert f'href="{reverse("sso-start")}"' in page


def test_a_known_person_signs_in_and_lands_on_my_actions(client, provider):
    person = factories.person("hana.osei@council.example", role=SERVICE_DIRECTOR)
    with provider.settings():
        authorize = start(client)
        query = parse_qs(urlsplit(authorize).query)
        # The authorisation code flow with PKCE, state and nonce.
        assert query["response_type"] == ["code"]
        assert query["code_challenge_method"] == ["S256"]
        assert query["state"] and query["nonce"] and query["code_challenge"]
        response = come_back(client, sign_in_at_provider(authorize, "hana"))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)
    assert client.get(response["Location"], follow=True).request["PATH_INFO"] == "/my-actions/"


def test_the_page_asked_for_is_where_the_person_lands(client, provider):
    factories.person("hana.osei@council.example", role=SERVICE_DIRECTOR)
    with provider.settings():
        authorize = start(client, next="/framework/")
        response = come_back(client, sign_in_at_provider(authorize, "hana"))
    assert response["Location"] == "/framework/"


def test_an_unknown_email_is_refused_with_a_clear_page(client, provider):
    with provider.settings():
        response = come_back(client, sign_in_at_provider(start(client), "stranger"))
    assert response.status_code == 403
    assert "Ask the programme team to add you" in response.text
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(email="stranger@council.example").exists()


def test_a_setting_lets_an_unknown_person_in_without_a_role(client, provider):
    with provider.settings(OIDC_CREATE_UNKNOWN=True):
        response = come_back(client, sign_in_at_provider(start(client), "stranger"))
    assert response.status_code == 302
    person = get_user_model().objects.get(email="stranger@council.example")
    assert person.get_full_name() == "Sam Stranger"
    assert not person.groups.exists()
    assert not person.has_usable_password()


def test_a_deactivated_person_is_refused(client, provider):
    person = factories.person("gone@council.example", role=SERVICE_DIRECTOR)
    person.is_active = False
    person.save()
    with provider.settings():
        response = come_back(client, sign_in_at_provider(start(client), "gone"))
    assert response.status_code == 403
    assert "Your account has been deactivated" in response.text
    assert "_auth_user_id" not in client.session


def test_an_unverified_email_is_refused(client, provider):
    factories.person("unsure@council.example", role=SERVICE_DIRECTOR)
    with provider.settings():
        response = come_back(client, sign_in_at_provider(start(client), "unsure"))
    assert response.status_code == 403
    assert "could not be confirmed" in response.text
    assert "_auth_user_id" not in client.session


def test_a_tampered_state_is_refused(client, provider):
    factories.person("hana.osei@council.example", role=SERVICE_DIRECTOR)
    with provider.settings():
        returned = sign_in_at_provider(start(client), "hana")
        tampered = returned.replace("state=", "state=x")
        response = come_back(client, tampered)
    assert response.status_code == 403
    assert "Sign-in did not work" in response.text
    assert "_auth_user_id" not in client.session


def test_a_replayed_answer_is_refused(client, provider):
    factories.person("hana.osei@council.example", role=SERVICE_DIRECTOR)
    with provider.settings():
        returned = sign_in_at_provider(start(client), "hana")
        assert come_back(client, returned).status_code == 302
        client.logout()
        assert come_back(client, returned).status_code == 403


def test_a_wrong_nonce_is_refused(client, provider):
    factories.person("hana.osei@council.example", role=SERVICE_DIRECTOR)
    with provider.settings():
        authorize = start(client)
        state = parse_qs(urlsplit(authorize).query)["state"][0]
        session = client.session
        key = next(k for k in session.keys() if k.endswith(state))
        saved = session[key]
        saved["data"]["nonce"] = "not-the-nonce-the-provider-saw"
        session[key] = saved
        session.save()
        response = come_back(client, sign_in_at_provider(authorize, "hana"))
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_an_expired_token_is_refused(client, provider):
    factories.person("hana.osei@council.example", role=SERVICE_DIRECTOR)
    with provider.settings():
        returned = sign_in_at_provider(start(client), "hana")
        later = time.time() + 3600  # the provider's ID tokens last 300 s (leeway 120 s)
        with mock.patch("time.time", return_value=later):
            response = come_back(client, returned)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_roles_can_come_from_the_directory(client, provider):
    person = factories.person("board.member@council.example")
    with provider.settings(
        OIDC_ROLE_CLAIM="roles", OIDC_ROLE_MAP={"Outcomes.Board": PROGRAMME_BOARD}
    ):
        come_back(client, sign_in_at_provider(start(client), "board"))
    assert set(person.groups.values_list("name", flat=True)) == {PROGRAMME_BOARD}
    latest = person.history.order_by("-history_date", "-history_id").first()
    assert "council's directory" in latest.history_change_reason
    # The People page says where the role came from.
    team = SignedInClient()
    team.force_login(factories.person("team.member@council.example", role=PROGRAMME_TEAM))
    listed = team.get(reverse("people-list")).text
    assert "Programme Board (from your council&#x27;s directory)" in listed
    page = team.get(reverse("person-detail", args=[person.pk])).text
    assert "Programme Board (from your council&#x27;s directory)" in page
    assert listed.count("from your council") == 1  # the team member's role is not


def test_signing_out_ends_the_providers_session_too(client, provider):
    factories.person("hana.osei@council.example", role=SERVICE_DIRECTOR)
    with provider.settings():
        come_back(client, sign_in_at_provider(start(client), "hana"))
        response = client.post(reverse("sign-out"))
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    logout = urlsplit(response["Location"])
    assert f"{logout.scheme}://{logout.netloc}{logout.path}".startswith(provider.issuer)
    query = parse_qs(logout.query)
    assert query["post_logout_redirect_uri"] == [f"{TESTSERVER}/sign-in/"]
    assert query["id_token_hint"]


def test_after_single_sign_on_the_second_step_is_the_providers(provider):
    factories.person("hana.osei@council.example", role=PROGRAMME_TEAM)
    client = Client()  # the plain client: no second step done by the test
    with provider.settings():
        come_back(client, sign_in_at_provider(start(client), "hana"))
    assert client.get("/dashboard/").status_code == 200
