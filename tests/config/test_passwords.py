"""Forgotten passwords and changing a password, through the pages as rendered."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from config import roles
from tests import factories

pytestmark = pytest.mark.django_db

EMAIL = "hana.osei@council.example"
NEW_PASSWORD = "violet-harbour-lantern-42"


@pytest.fixture
def director(db):
    return factories.person(EMAIL, role=roles.SERVICE_DIRECTOR)


def ask_for_reset(django_app, email: str):
    page = django_app.get(reverse("sign-in")).click("Forgotten your password?")
    form = page.forms[0]
    form["email"] = email
    return form.submit().follow()


def reset_path(message) -> str:
    return re.search(r"http://[^/]+(/sign-in/reset-password/\S+/)", message.body).group(1)


def signed_in_elsewhere(person) -> Client:
    other = Client()
    other.force_login(person)
    assert other.get(reverse("my-actions")).status_code == 200
    return other


def test_forgotten_password_answers_the_same_whether_or_not_the_email_has_an_account(
    django_app, director
):
    known = ask_for_reset(django_app, "Hana.Osei@council.example")
    unknown = ask_for_reset(django_app, "nobody@council.example")
    assert known.request.path == unknown.request.path == reverse("password-reset-sent")
    assert "If the email address you entered has an account" in known.text
    main = lambda page: page.text.split("<main")[1].split("</main>")[0]  # noqa: E731
    assert main(known) == main(unknown)
    [message] = mail.outbox
    assert message.to == [EMAIL]


def test_an_empty_or_malformed_email_is_explained(django_app):
    form = django_app.get(reverse("password-reset")).forms[0]
    page = form.submit()
    assert '<a href="#id_email">Enter your email address</a>' in page.text
    form = page.forms[0]
    form["email"] = "not an email"
    page = form.submit()
    assert "Enter an email address in the correct format, like name@council.gov.uk" in page.text
    assert mail.outbox == []


def test_the_reset_link_survives_being_opened_and_works_once_and_ends_other_sessions(
    django_app, director
):
    other = signed_in_elsewhere(director)
    ask_for_reset(django_app, EMAIL)
    path = reset_path(mail.outbox[0])
    django_app.get(path)  # a mail scanner opens it first
    page = django_app.get(path).follow()
    assert "Set a new password" in page.text
    form = page.forms[0]
    form["new_password1"] = form["new_password2"] = NEW_PASSWORD
    signed_in = form.submit().follow()
    assert "Your password has been changed. Sign in with it now." in signed_in.text
    director.refresh_from_db()
    assert director.check_password(NEW_PASSWORD)

    assert other.get(reverse("my-actions")).status_code == 302  # signed out there
    again = django_app.get(path)
    assert "This link does not work" in again.text


def test_changing_your_password_keeps_you_signed_in_and_ends_your_other_sessions(
    django_app, director
):
    other = signed_in_elsewhere(director)
    sign_in = django_app.get(reverse("sign-in")).forms[0]
    sign_in["username"], sign_in["password"] = EMAIL, "pw-for-tests"
    page = sign_in.submit().follow().follow().click("Change password")
    form = next(f for f in page.forms.values() if "old_password" in f.fields)
    form["old_password"] = "wrong"
    form["new_password1"] = form["new_password2"] = NEW_PASSWORD
    page = form.submit()
    assert "Your current password is not right" in page.text
    form = next(f for f in page.forms.values() if "old_password" in f.fields)
    form["old_password"] = "pw-for-tests"
    form["new_password1"] = form["new_password2"] = NEW_PASSWORD
    page = form.submit().follow().follow()
    assert "You have been signed out everywhere else." in page.text
    assert page.request.path == reverse("my-actions")  # still signed in here
    assert django_app.get(reverse("my-actions")).status_code == 200
    assert other.get(reverse("my-actions")).status_code == 302


def test_setting_a_new_password_from_a_reset_link_lifts_a_lockout(django_app, client, director):
    for _ in range(10):
        client.post(reverse("sign-in"), {"username": EMAIL, "password": "wrong"})
    assert (
        client.post(reverse("sign-in"), {"username": EMAIL, "password": "pw-for-tests"}).status_code
        == 429
    )
    ask_for_reset(django_app, EMAIL)
    form = django_app.get(reset_path(mail.outbox[0])).follow().forms[0]
    form["new_password1"] = form["new_password2"] = NEW_PASSWORD
    form.submit()
    response = client.post(reverse("sign-in"), {"username": EMAIL, "password": NEW_PASSWORD})
    assert response.status_code == 302
