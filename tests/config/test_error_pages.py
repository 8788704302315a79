"""The product's own error pages, as a council's users see them with DEBUG off: page not found,
no permission, a problem with the service (drawn without the request or the database) and a form
sent from a page that had expired (a failed CSRF check)."""

import pytest
from django.conf import settings
from django.http import HttpRequest
from django.test import Client
from django.urls import path

from config import errors, roles
from config.urls import urlpatterns as product_urlpatterns
from tests import factories
from tests.html_ids import element_ids

pytestmark = pytest.mark.django_db


def broken(request: HttpRequest):
    raise RuntimeError("the database went away")


# This module is also the URLconf of the 500 tests: the product's pages and one that breaks.
urlpatterns = [path("broken/", broken), *product_urlpatterns]
handler500 = "config.errors.server_error"


def heading(response) -> str:
    text = response.content.decode()
    start = text.index('<h1 class="govuk-heading-l">') + len('<h1 class="govuk-heading-l">')
    return text[start : text.index("</h1>", start)]


def assert_product_page(response) -> None:
    text = response.content.decode()
    assert "govuk-template" in text and settings.COUNCIL_NAME in text
    assert "main-content" in element_ids(text)
    assert "URLconf" not in text and "Traceback" not in text  # no debug page


def test_debug_is_off_in_the_tests_as_in_production():
    assert settings.DEBUG is False


def test_an_address_that_is_not_there_gets_page_not_found(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert heading(response) == "Page not found"
    assert_product_page(response)
    assert "check you copied the entire address" in response.content.decode()


def test_a_signed_in_person_sees_page_not_found_with_their_menu(client, world):
    client.force_login(world.director)
    response = client.get("/actions/NO-SUCH-ACTION/")
    assert response.status_code == 404
    assert heading(response) == "Page not found"
    assert 'aria-label="Menu"' in response.content.decode()


def test_a_page_for_another_role_says_who_may_use_it(client):
    director = factories.person("d@council.example", role=roles.SERVICE_DIRECTOR)
    client.force_login(director)
    response = client.get("/stocktakes/")
    assert response.status_code == 403
    assert heading(response) == "You do not have permission to see this page"
    assert_product_page(response)
    assert "Only the programme team can" in response.content.decode()


@pytest.mark.urls(__name__)
def test_a_problem_with_the_service_gets_an_apology_not_a_traceback():
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert heading(response) == "Sorry, there is a problem with the service"
    assert_product_page(response)
    assert "the database went away" not in response.content.decode()


def test_the_problem_page_needs_neither_the_request_nor_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = errors.server_error(HttpRequest())
    assert response.status_code == 500
    assert heading(response) == "Sorry, there is a problem with the service"
    assert_product_page(response)
    assert "<script nonce" not in response.content.decode()  # no nonce without a request


def test_a_form_sent_from_an_expired_page_says_nothing_was_saved(world):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/sign-in/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    del client.cookies[settings.CSRF_COOKIE_NAME]  # cleared, as by the browser
    response = client.post(
        "/sign-in/",
        {"csrfmiddlewaretoken": token, "username": world.director.email, "password": "pw"},
        HTTP_REFERER="http://testserver/sign-in/",
    )
    assert response.status_code == 403
    assert heading(response) == "The page you were using has expired"
    assert_product_page(response)
    text = response.content.decode()
    assert "Nothing you sent from it has been saved" in text
    assert 'href="http://testserver/sign-in/">Go back to the page</a>' in text
    assert "_auth_user_id" not in client.session


def test_the_expired_page_links_back_only_to_this_site(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {}, HTTP_REFERER="https://elsewhere.example/phish/")
    assert response.status_code == 403
    assert "elsewhere.example" not in response.content.decode()
