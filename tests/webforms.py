"""Forms as the page renders them, through django-webtest.

A test fetches the page, picks the form that posts to a view, fills its fields by the names the page
gives them and submits it, CSRF token and hidden fields included. A field the page does not render
(a renamed field, a missing prefix) fails the test at ``form[name] = value``.

  web(person)              a django-webtest app, signed in as the person (None: signed out)
  form_to(page, url)       the one form on the page (or HTMX fragment) that posts to url
  fill(form, data)         set each named field the page rendered; returns the form
  assert_links_resolve(page)   every link to "#id" on the page (the error summary's) has its element
  without_per_request(html)    the page less what each request draws afresh (to compare two looks)
  clock_moved_on(monkeypatch, seconds)   time.time() runs that much ahead from now on in the test
"""

import re
import time

import django_webtest
import pytest
from django.conf import settings

from tests.html_ids import broken_links, duplicate_ids

HX = {"HX-Request": "true"}
# What each request draws afresh: CSRF tokens, the nonces of the page's own scripts and the
# session's seconds left (a second may tick between two looks).
PER_REQUEST = re.compile(r'[A-Za-z0-9]{64}|nonce="[^"]+"|data-(?:absolute-)?seconds-left="\d+"')


def without_per_request(html: str | bytes) -> str:
    """The page with its per-request parts removed, so two looks at one state compare equal."""
    text = html.decode() if isinstance(html, bytes) else html
    return PER_REQUEST.sub("", text)


def clock_moved_on(monkeypatch, seconds: float) -> None:
    """Run time.time() the given seconds ahead for the rest of the test: two looks at a page are
    then seconds apart, as they may be in a slow run (a countdown on the page must not differ)."""
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


@pytest.fixture
def web(django_app, client):
    """A new django-webtest app per call, signed in as the person (None: signed out).

    The person is signed in as tests/conftest.py's client signs them in (after the whole sign-in,
    two-step included), and the webtest app carries that session cookie: what the person then
    does, they do through the pages. django_app is asked for only for django-webtest's settings.
    """

    def as_person(person):
        app = django_webtest.DjangoTestApp()
        if person is not None:
            signed_in = type(client)()
            signed_in.force_login(person)
            name = settings.SESSION_COOKIE_NAME
            app.set_cookie(name, signed_in.cookies[name].value)
        return app

    return as_person


def form_to(page, url: str):
    """The form whose action is url; fails naming the forms there are if there is not exactly one.

    An action may end in ``#id`` (where the page that answers a plain post is to be shown): the
    browser never sends it, and the page must have that element.
    """
    forms = list({id(form): form for form in page.forms.values()}.values())
    matching = [form for form in forms if form.action.partition("#")[0] == url]
    assert len(matching) == 1, (
        f"expected one form posting to {url}, found {len(matching)} among "
        f"{[form.action for form in forms]}"
    )
    form = matching[0]
    fragment = form.action.partition("#")[2]
    if fragment:
        assert f'id="{fragment}"' in page.text, f"{form.action}: the page has no #{fragment}"
        form.action = url  # as the browser sends it
    return form


def fill(form, data: dict):
    """Type each value into the field of that name (which the page must have rendered)."""
    for name, value in data.items():
        form[name] = str(value)
    return form


def assert_links_resolve(page) -> None:
    """Each in-page link (the error summary's links to fields) points at exactly one element, and
    no id is used twice."""
    assert not broken_links(page.text), (
        f"links to no element or to several: {broken_links(page.text)}"
    )
    assert not duplicate_ids(page.text), f"ids used more than once: {duplicate_ids(page.text)}"
