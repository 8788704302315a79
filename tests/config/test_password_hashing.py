"""Passwords are hashed with Argon2 outside the tests (which keep a fast hasher for speed)."""

import pytest
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.urls import reverse

from config.settings import base, test
from tests import factories

PASSWORD = "a long enough password"


def test_base_settings_hash_new_passwords_with_argon2_and_still_check_pbkdf2():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in base.PASSWORD_HASHERS


def test_the_test_settings_keep_a_fast_hasher():
    assert test.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_a_new_password_is_stored_as_an_argon2_hash():
    person = factories.person("hana.osei@council.example", password=PASSWORD)
    assert person.password.startswith("argon2$argon2id$")
    assert person.check_password(PASSWORD)


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_an_older_pbkdf2_password_still_signs_in_and_is_rehashed_with_argon2(client):
    person = factories.person("hana.osei@council.example")
    person.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    person.save()
    response = client.post(
        reverse("sign-in"), {"username": "hana.osei@council.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.password.startswith("argon2$")
