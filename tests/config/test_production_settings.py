"""Production settings refuse to start without what a deployment must decide, and pass Django's
deployment checks with nothing to report."""

import json

import pytest

from tests.config.production import load, run

CHECK_DEPLOY = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]


def refusal(**env) -> str:
    result = run(["-c", "import django; django.setup()"], **env)
    assert result.returncode != 0, "production settings started"
    return result.stderr.strip().splitlines()[-1]


def test_the_deployment_checks_find_nothing():
    result = run(CHECK_DEPLOY)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_checks_find_nothing_when_the_proxy_redirects_to_https_itself():
    result = run(CHECK_DEPLOY, SECURE_SSL_REDIRECT="false")
    assert result.returncode == 0, result.stderr
    assert load(["SECURE_SSL_REDIRECT"], SECURE_SSL_REDIRECT="false") == {
        "SECURE_SSL_REDIRECT": False
    }


def test_production_refuses_to_start_without_site_url():
    assert "Set SITE_URL" in refusal(SITE_URL=None)
    assert "Set SITE_URL" in refusal(SITE_URL="outcomes.example.gov.uk")


def test_site_url_is_used_without_a_trailing_slash():
    assert load(["SITE_URL"], SITE_URL="https://outcomes.example.gov.uk/") == {
        "SITE_URL": "https://outcomes.example.gov.uk"
    }


@pytest.mark.parametrize(
    "key",
    [
        "change-me",  # what .env.example used to hold
        "short-but-random-9f8e7d6c5b4a",
        "django-insecure-" + "k3j4h5g6f7d8s9a0" * 3,
        "change-me-" * 6,
        "ab" * 30,
    ],
)
def test_production_refuses_a_placeholder_or_short_secret_key(key):
    assert "DJANGO_SECRET_KEY must be a long random value" in refusal(DJANGO_SECRET_KEY=key)


def test_production_refuses_to_start_without_a_secret_key_or_hosts():
    assert "Set DJANGO_SECRET_KEY" in refusal(DJANGO_SECRET_KEY=None)
    assert "Set DJANGO_ALLOWED_HOSTS" in refusal(DJANGO_ALLOWED_HOSTS=None)


def test_mail_comes_from_the_environment():
    names = [
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "EMAIL_USE_SSL",
        "EMAIL_TIMEOUT",
        "DEFAULT_FROM_EMAIL",
    ]
    env = {
        "EMAIL_HOST": "smtp.council.example",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "outcomes",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": "true",
        "EMAIL_TIMEOUT": "15",
        "DEFAULT_FROM_EMAIL": "equalities@council.example",
    }
    assert load(names, **env) == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.council.example",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "outcomes",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 15,
        "DEFAULT_FROM_EMAIL": "equalities@council.example",
    }


def test_mail_refuses_tls_and_ssl_together_and_a_flag_that_is_not_true_or_false():
    assert "not both" in refusal(EMAIL_USE_TLS="true", EMAIL_USE_SSL="true")
    assert "Set EMAIL_USE_SSL to true or false" in refusal(EMAIL_USE_SSL="yes please")


def test_sentry_is_on_when_sentry_dsn_is_set_and_sends_nothing_personal():
    script = (
        "import json, django; django.setup(); import sentry_sdk; c = sentry_sdk.get_client(); "
        "print(json.dumps({'active': c.is_active(), 'dsn': c.dsn, "
        "'pii': c.options['send_default_pii'], 'environment': c.options['environment'], "
        "'django': 'django' in c.integrations}))"
    )
    dsn = "https://public@127.0.0.1:9/1"  # nothing is sent: no error happens
    result = run(["-c", script], SENTRY_DSN=dsn)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "active": True,
        "dsn": dsn,
        "pii": False,
        "environment": "production",
        "django": True,
    }


def test_sentry_is_off_without_sentry_dsn():
    script = "import django; django.setup(); import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    result = run(["-c", script])
    assert result.stdout.strip() == "False", result.stderr
