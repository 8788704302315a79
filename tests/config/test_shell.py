"""The page shell: signing in and out, the header and navigation, the public pages, the assets."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from config import roles
from tests import factories
from tests.webforms import assert_links_resolve, form_to

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def sign_in_form(app, url=None):
    """The sign-in page's form, as the page renders it (app: django-webtest, signed out)."""
    return form_to(app.get(url or reverse("sign-in")), reverse("sign-in"))


def test_a_person_signs_in_with_their_email_address_in_any_case(django_app):
    factories.person("hana.osei@council.example", role=roles.SERVICE_DIRECTOR)
    form = sign_in_form(django_app)
    form["username"] = "Hana.Osei@Council.example"
    form["password"] = PASSWORD
    response = form.submit()
    assert response.status_code == 302
    assert response.location == reverse("home")
    assert response.follow().location == reverse("my-actions")


def test_signing_in_goes_on_to_the_page_asked_for(django_app):
    factories.person("hana.osei@council.example")
    # Asking for a page while signed out leads to the sign-in page, which carries the page on.
    asked = django_app.get("/my-actions/").follow()
    form = form_to(asked, reverse("sign-in"))
    assert form["next"].value == "/my-actions/"
    form["username"] = "hana.osei@council.example"
    form["password"] = PASSWORD
    assert form.submit().location == "/my-actions/"


def test_a_wrong_password_shows_the_error_summary_and_an_error_title(django_app):
    factories.person("hana.osei@council.example")
    form = sign_in_form(django_app)
    form["username"] = "hana.osei@council.example"
    form["password"] = "wrong"
    response = form.submit()
    assert response.status_code == 200
    html = response.text
    assert title(response).startswith("Error: Sign in – ")
    assert 'class="govuk-error-summary" data-module="govuk-error-summary"' in html
    assert "Enter a correct email address and password" in html
    assert "_auth_user_id" not in django_app.session
    # The email address is kept; the password is not.
    form = form_to(response, reverse("sign-in"))
    assert (form["username"].value, form["password"].value) == ("hana.osei@council.example", "")


def test_empty_sign_in_names_each_missing_field_and_links_to_it(django_app):
    response = sign_in_form(django_app).submit()
    assert response.status_code == 200
    html = response.text
    assert '<a href="#id_username">Enter your email address</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert title(response).startswith("Error: ")
    assert_links_resolve(response)


def test_the_sign_in_page_has_no_error_title_before_anything_is_sent(client):
    response = client.get(reverse("sign-in"))
    assert title(response) == (f"Sign in – {settings.PROGRAMME_NAME} – {settings.COUNCIL_NAME}")
    assert "govuk-error-summary" not in response.content.decode()


def test_a_signed_in_person_who_opens_sign_in_goes_home(client):
    client.force_login(factories.person())
    assert client.get(reverse("sign-in")).url == reverse("home")


def test_home_sends_anonymous_people_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("sign-in")


@pytest.mark.parametrize(
    "role, page",
    [
        (roles.SERVICE_DIRECTOR, "my-actions"),
        (roles.LEAD_OFFICER, "my-actions"),
        (roles.PROGRAMME_BOARD, "dashboard"),
        (roles.PROGRAMME_TEAM, "dashboard"),
    ],
)
def test_home_sends_the_board_and_team_to_the_dashboard_and_others_to_their_actions(
    client, role, page
):
    client.force_login(factories.person(role=role))
    assert client.get(reverse("home")).url == reverse(page)


def test_sign_out_refuses_get(client):
    client.force_login(factories.person())
    assert client.get(reverse("sign-out")).status_code == 405
    assert "_auth_user_id" in client.session


def test_sign_out_by_post_signs_out_and_says_so(web):
    app = web(factories.person())
    page = app.get(reverse("accessibility"))
    # The header's form (the session-timeout dialog holds another, for when it is open).
    header_form = next(f for f in page.forms.values() if f.action == reverse("sign-out"))
    response = header_form.submit()
    assert response.location == reverse("sign-in")
    assert "_auth_user_id" not in app.session
    assert "You have signed out" in response.follow().text


def test_the_accessibility_statement_is_public(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "WCAG" in html and "2.2" in html
    assert "Equality Advisory and Support Service" in html
    assert settings.COUNCIL_NAME in html
    assert title(response).startswith("Accessibility statement – ")


def test_the_header_names_the_council_and_the_service_and_shows_no_crown(client):
    html = client.get(reverse("sign-in")).content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert settings.COUNCIL_NAME in header
    assert settings.PROGRAMME_NAME in html
    assert "GOV.UK" not in html
    assert "govuk-header__logotype" not in html
    assert "govuk-crest" not in html and "Crown copyright" not in html
    assert f"© {settings.COUNCIL_NAME}" in html
    assert 'href="/accessibility/"' in html


def test_the_header_shows_who_is_signed_in_and_a_sign_out_button(client):
    client.force_login(factories.person("hana.osei@council.example"))
    html = client.get(reverse("accessibility")).content.decode()
    assert "hana.osei@council.example" in html
    assert re.search(
        r'<form method="post" action="/sign-out/"[^>]*>\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken"[^>]*>\s*<button type="submit"[^>]*>Sign out</button>',
        html,
    )


def nav_labels(client) -> list[str]:
    response = client.get(reverse("accessibility"))
    return [label for label, _, _ in response.context["nav"]]


def test_nothing_in_the_navigation_before_signing_in(client):
    assert nav_labels(client) == []
    assert "Sign out" not in client.get(reverse("accessibility")).content.decode()


def test_staff_see_the_admin_in_the_navigation_and_others_do_not(client):
    client.force_login(factories.person(role=roles.SERVICE_DIRECTOR))
    labels = nav_labels(client)
    assert "My actions" in labels and "Admin" not in labels
    staff = factories.person(role=roles.PROGRAMME_TEAM)
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    labels = nav_labels(client)
    assert "My actions" in labels and labels[-1] == "Admin"


def test_the_current_page_is_marked_in_the_navigation(client):
    client.force_login(factories.person(role=roles.SERVICE_DIRECTOR))
    response = client.get(reverse("my-actions"))
    assert ("My actions", reverse("my-actions"), True) in response.context["nav"]
    assert 'aria-current="page"' in response.content.decode()


def test_pages_carry_the_csrf_token_for_htmx_and_load_htmx_locally(client):
    html = client.get(reverse("sign-in")).content.decode()
    assert re.search(r"""hx-headers='\{"X-CSRFToken": "[A-Za-z0-9]+"\}'""", html)
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in html
    assert 'import { initAll } from "/static/govuk/govuk-frontend.min.js"' in html
    assert '<html lang="en-GB" class="govuk-template">' in html


def test_messages_show_as_a_success_banner_that_takes_focus(client):
    client.force_login(factories.person())
    html = client.post(reverse("sign-out"), follow=True).content.decode()
    assert re.search(
        r'class="govuk-notification-banner govuk-notification-banner--success" role="alert"'
        r'[^>]*data-module="govuk-notification-banner"',
        html,
    )
