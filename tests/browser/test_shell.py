"""The shell in a real browser: signing in and out, the statement, keyboard use, htmx responses."""

import re

import pytest
from django import forms
from django.template import Context, Template
from playwright.sync_api import expect

from config import roles
from config.forms import GovukDateField, GovukFormMixin
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "hana.osei@council.example"
PASSWORD = "pw-for-tests"


@pytest.fixture
def director(db):
    return factories.person(EMAIL, role=roles.SERVICE_DIRECTOR)


def test_the_sign_in_page_is_accessible_empty_and_with_errors(page, live_server):
    page.goto(f"{live_server.url}/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)

    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Sign in – "))
    assert_accessible(page)

    summary.get_by_role("link", name="Enter your password").click()
    expect(page.locator("#id_password")).to_be_focused()


def test_a_wrong_password_says_so_without_saying_which(page, live_server, director):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a correct email address and password"
    )
    assert_accessible(page)


def test_a_director_signs_in_sees_the_shell_and_signs_out(page, live_server, director):
    sign_in(page, live_server, EMAIL.upper(), PASSWORD)
    assert page.url == f"{live_server.url}/my-actions/"
    header = page.locator("header")
    expect(header).to_contain_text("Islington Council")
    expect(header).to_contain_text(EMAIL)
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="My actions")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Admin")).to_have_count(0)
    assert_accessible(page)

    nav.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}/sign-in/")
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("You have signed out")
    expect(banner).to_be_focused()
    assert_accessible(page)


def test_the_accessibility_statement_is_public_and_accessible(page, live_server):
    page.goto(f"{live_server.url}/accessibility/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
    assert_accessible(page)


def test_the_skip_link_is_the_first_tab_stop_and_goes_to_the_content(page, live_server):
    page.goto(f"{live_server.url}/sign-in/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()


def test_text_is_set_in_arial_not_the_govuk_only_typeface(page, live_server):
    # GDS Transport is licensed for GOV.UK only; a council service uses Arial.
    fonts = []
    page.on("response", lambda r: ".woff" in r.url and fonts.append(r.url))
    page.goto(f"{live_server.url}/sign-in/")
    family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert family.lower().startswith("arial"), family
    page.evaluate("document.fonts.ready")
    assert fonts == []


def test_on_a_phone_the_menu_opens_to_show_sign_out(browser, live_server, director):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in(page, live_server, EMAIL, PASSWORD)
        sign_out = page.get_by_role("button", name="Sign out")
        expect(sign_out).to_be_hidden()
        page.get_by_role("button", name="Menu").click()
        expect(sign_out).to_be_visible()
        assert_accessible(page)
    finally:
        context.close()


def test_sign_in_works_without_javascript(browser, live_server, director):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, EMAIL, PASSWORD)
        assert page.url == f"{live_server.url}/my-actions/"
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(f"{live_server.url}/sign-in/")
    finally:
        context.close()


# htmx as configured by static/app.js, against responses made up in the browser.

FRAGMENT = (
    '<div id="panel"><div class="govuk-error-summary" data-module="govuk-error-summary">'
    '<div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2>'
    '<div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">'
    '<li><a href="#id_x">{text}</a></li></ul></div></div></div>'
    '<label class="govuk-label" for="id_x">X</label><input class="govuk-input" id="id_x"></div>'
)


@pytest.fixture
def htmx_page(page, live_server):
    """The statement page with a panel that posts with htmx to /made-up/, answered by `answer`."""
    answer = {"status": 200, "body": ""}
    page.route(
        "**/made-up/",
        lambda route: route.fulfill(
            status=answer["status"], body=answer["body"], content_type="text/html"
        ),
    )
    page.goto(f"{live_server.url}/accessibility/")
    page.evaluate(
        """() => {
          const panel = document.createElement('div');
          panel.id = 'panel';
          panel.innerHTML = '<button class="govuk-button" hx-post="/made-up/" hx-target="#panel"'
            + ' hx-swap="outerHTML">Save</button>';
          document.querySelector('main').appendChild(panel);
          htmx.process(panel);
        }"""
    )
    page.answer = answer
    return page


@pytest.mark.parametrize("status", [200, 422, 409])
def test_a_swapped_in_error_summary_takes_focus(htmx_page, status):
    htmx_page.answer.update(status=status, body=FRAGMENT.format(text=f"Answered {status}"))
    htmx_page.get_by_role("button", name="Save").click()
    summary = htmx_page.locator("#panel .govuk-error-summary")
    expect(summary).to_contain_text(f"Answered {status}")
    expect(summary).to_be_focused()
    # govuk-frontend started on the fragment: its link moves focus to the field.
    summary.get_by_role("link").click()
    expect(htmx_page.locator("#id_x")).to_be_focused()


def test_a_server_error_is_not_swapped_in_but_explained(htmx_page):
    htmx_page.answer.update(status=500, body="<p>Traceback</p>")
    htmx_page.get_by_role("button", name="Save").click()
    message = htmx_page.locator("#app-request-error")
    expect(message).to_contain_text("Something went wrong; your changes were not saved. Try again.")
    expect(message).to_be_focused()
    expect(htmx_page.get_by_text("Traceback")).to_have_count(0)
    expect(htmx_page.get_by_role("button", name="Save")).to_be_visible()
    assert_accessible(htmx_page)

    htmx_page.answer.update(status=200, body=FRAGMENT.format(text="Fixed"))
    htmx_page.get_by_role("button", name="Save").click()
    expect(htmx_page.locator("#panel .govuk-error-summary")).to_contain_text("Fixed")
    expect(message).to_have_count(0)


def test_no_content_swaps_nothing(htmx_page):
    htmx_page.answer.update(status=204, body="")
    htmx_page.get_by_role("button", name="Save").click()
    htmx_page.wait_for_timeout(300)
    expect(htmx_page.get_by_role("button", name="Save")).to_be_visible()
    expect(htmx_page.locator("#app-request-error")).to_have_count(0)


def test_a_title_inside_a_swapped_fragment_becomes_the_page_title(htmx_page):
    body = FRAGMENT.format(text="Titled").replace(
        '<div id="panel">', '<div id="panel"><title>Error: Made up – Service</title>', 1
    )
    htmx_page.answer.update(status=422, body=body)
    htmx_page.get_by_role("button", name="Save").click()
    expect(htmx_page).to_have_title("Error: Made up – Service")
    expect(htmx_page.locator("#panel title")).to_have_count(0)


class EveryComponentForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", help_text="As it appears in the framework")
    email = forms.EmailField(label="Email address")
    password = forms.CharField(label="Password", widget=forms.PasswordInput)
    count = forms.IntegerField(
        label="Count", widget=forms.TextInput(attrs={"class": "govuk-input--width-3"})
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("on_track", "On track"), ("at_risk", "At risk")],
        widget=forms.RadioSelect,
    )
    groups = forms.MultipleChoiceField(
        label="Groups",
        choices=[("a", "Age"), ("b", "Disability")],
        widget=forms.CheckboxSelectMultiple,
    )
    area = forms.ChoiceField(label="Area", choices=[("", "Choose an area"), ("HOU", "Housing")])
    note = forms.CharField(label="Note", help_text="Optional", widget=forms.Textarea)
    public = forms.BooleanField(label="Show publicly")
    due = GovukDateField(label="Due date", help_text="For example, 31 3 2026")
    version = forms.IntegerField(widget=forms.HiddenInput)


@pytest.mark.parametrize("with_errors", [False, True], ids=["empty", "with errors"])
def test_every_form_component_passes_axe(page, live_server, with_errors):
    form = EveryComponentForm(data={"due_day": "31", "due_month": "2"} if with_errors else None)
    form.is_valid()
    html = Template(
        '{% include "components/error_summary.html" with form=form %}'
        '<h1 class="govuk-heading-xl">Every component</h1>'
        '<form method="post" novalidate>{{ form }}'
        '<button class="govuk-button" data-module="govuk-button">Save</button></form>'
        '{% status_tag "at_risk" %}'
        '{% include "components/notification_banner.html" with heading="Saved" only %}'
    ).render(Context({"form": form}))
    page.goto(f"{live_server.url}/accessibility/")
    page.evaluate(
        "html => { const main = document.querySelector('main'); main.innerHTML = html;"
        " window.GOVUKFrontend.initAll({ scope: main }); }",
        html,
    )
    if with_errors:
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the year")
        page.get_by_role("link", name="Enter the year").click()
        expect(page.locator("#id_due_year")).to_be_focused()
    assert_accessible(page)
