"""A director's quarter in a real browser: update in place, see errors take focus, and without JS."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import Action
from targets.models import Measurement
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "pw-for-tests"


@pytest.fixture
def director_page(page, live_server, world):
    sign_in(page, live_server, world.director.email, PASSWORD)
    return page


def test_a_director_updates_status_without_a_page_reload(director_page, live_server, world):
    page = director_page
    page.goto(f"{live_server.url}/actions/HOU-01/")
    page.evaluate("window.__sameDocument = true")
    panel = page.locator("#progress-panel")
    panel.get_by_label("On track").check()
    panel.get_by_label("% complete").fill("45")
    panel.get_by_label("Progress this quarter").fill("Panels recruited in all areas")
    panel.get_by_role("button", name="Save progress").click()
    expect(page.locator("#progress-panel .govuk-notification-banner--success")).to_contain_text(
        "Progress saved: on track, 45% complete."
    )
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    expect(page.locator("#progress-panel")).to_contain_text("Panels recruited in all areas")
    action = Action.objects.get(ref="HOU-01")
    assert (action.status, action.progress) == ("on_track", 45)
    assert_accessible(page)


def test_a_director_adds_a_measurement_and_sees_the_shares(director_page, live_server, world):
    page = director_page
    page.goto(f"{live_server.url}/actions/HOU-01/")
    page.evaluate("window.__sameDocument = true")
    panel = page.locator("#indicator-HOU-O01")
    panel.get_by_text("Add a value for HOU-O01").click()
    panel.get_by_label("Break the total down by").select_option(
        label="Ethnicity: 2021 Census, 5 high-level groups"
    )
    panel.get_by_role("button", name="Show the categories").click()
    form = page.locator("#indicator-HOU-O01 form")
    expect(form.get_by_label("White", exact=True)).to_be_visible()  # the rows are swapped in
    form.get_by_label("Day").fill("30")
    form.get_by_label("Month").fill("6")
    form.get_by_label("Year").fill("2021")
    form.get_by_label("Total", exact=True).fill("200")
    form.get_by_label("Black, Black British, Black Welsh, Caribbean or African").fill("80")
    form.get_by_label("White", exact=True).fill("120")
    form.get_by_role("button", name="Save value for HOU-O01").click()
    expect(page.locator("#indicator-HOU-O01")).to_contain_text(
        "Value for the period ending 30 June 2021 saved"
    )
    expect(page.locator("#indicator-HOU-O01 table")).to_contain_text("40.0%")
    assert page.evaluate("window.__sameDocument") is True
    assert Measurement.objects.filter(outcome__ref="HOU-O01").count() == 3
    assert_accessible(page)


def test_bad_input_shows_an_error_summary_that_takes_focus(director_page, live_server, world):
    page = director_page
    page.goto(f"{live_server.url}/actions/HOU-01/")
    panel = page.locator("#progress-panel")
    panel.get_by_label("Off track").check()
    panel.get_by_label("% complete").fill("lots")
    panel.get_by_role("button", name="Save progress").click()
    summary = page.locator("#progress-panel .govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary).to_contain_text("Enter % complete as a whole number from 0 to 100")
    expect(summary).to_contain_text("Explain why the action is off track")
    assert_accessible(page)
    summary.get_by_role("link", name="Explain why the action is off track").click()
    expect(page.locator("#id_narrative")).to_be_focused()
    assert Action.objects.get(ref="HOU-01").status == "not_started"


def test_the_same_update_works_without_javascript(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, world.director.email, PASSWORD)
        page.goto(f"{live_server.url}/actions/HOU-01/")
        panel = page.locator("#progress-panel")
        panel.get_by_label("At risk").check()
        panel.get_by_label("% complete").fill("30")
        panel.get_by_role("button", name="Save progress").click()
        banner = page.locator(".govuk-notification-banner--success")
        expect(banner).to_contain_text("Progress saved: at risk, 30% complete.")
        # Shown where the person is looking: not scrolled past, to the panel.
        expect(banner).to_be_in_viewport()
        assert page.url.endswith("/actions/HOU-01/#main-content")
        assert Action.objects.get(ref="HOU-01").status == "at_risk"
    finally:
        context.close()


def test_without_javascript_a_mistake_opens_the_page_at_the_panel_and_its_errors(
    browser, live_server, world
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, world.director.email, PASSWORD)
        page.goto(f"{live_server.url}/actions/HOU-01/")
        panel = page.locator("#progress-panel")
        panel.get_by_label("Off track").check()
        panel.get_by_label("% complete").fill("150")
        panel.get_by_role("button", name="Save progress").click()
        summary = page.locator("#progress-panel .govuk-error-summary")
        expect(summary).to_contain_text("There is a problem")
        expect(summary).to_be_in_viewport()  # not the top of a long page, out of sight of it
        assert page.url.endswith("/progress/#progress-panel")
        assert Action.objects.get(ref="HOU-01").status == "not_started"
    finally:
        context.close()


def test_my_actions_and_the_action_page_pass_axe(director_page, live_server, world):
    page = director_page
    page.goto(f"{live_server.url}/my-actions/")
    expect(page.get_by_role("heading", name="My actions")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("HOU-01")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diverse housing panels")
    assert_accessible(page)
    # The error state of the measurement form.
    panel = page.locator("#indicator-HOU-O01")
    panel.get_by_text("Add a value for HOU-O01").click()
    panel.get_by_role("button", name="Save value for HOU-O01").click()
    expect(page.locator("#indicator-HOU-O01 .govuk-error-summary")).to_be_focused()
    assert_accessible(page)


def test_two_people_editing_the_same_action_the_second_is_told_and_keeps_their_words(
    browser, live_server, world
):
    contexts = [browser.new_context(), browser.new_context()]
    try:
        director, lead = (context.new_page() for context in contexts)
        sign_in(director, live_server, world.director.email, PASSWORD)
        sign_in(lead, live_server, world.lead.email, PASSWORD)
        for page in (director, lead):
            page.goto(f"{live_server.url}/actions/HOU-01/")
        director_panel = director.locator("#progress-panel")
        director_panel.get_by_label("At risk").check()
        director_panel.get_by_label("% complete").fill("30")
        director_panel.get_by_role("button", name="Save progress").click()
        expect(
            director.locator("#progress-panel .govuk-notification-banner--success")
        ).to_be_visible()

        lead_panel = lead.locator("#progress-panel")
        lead_panel.get_by_label("On track").check()
        lead_panel.get_by_label("% complete").fill("55")
        lead_panel.get_by_label("Progress this quarter").fill("My careful words")
        lead_panel.get_by_role("button", name="Save progress").click()
        banner = lead.locator("#progress-panel .govuk-notification-banner")
        expect(banner).to_contain_text("someone else saved this while you were editing")
        expect(banner).to_contain_text("Hana Osei changed status from Not started to At risk")
        expect(lead.locator("#id_narrative")).to_have_value("My careful words")
        expect(lead.locator("#id_progress")).to_have_value("55")
        action = Action.objects.get(ref="HOU-01")
        assert (action.status, action.progress) == ("at_risk", 30)
        assert_accessible(lead)
    finally:
        for context in contexts:
            context.close()


def test_the_board_sees_the_action_read_only_and_it_passes_axe(page, live_server, world):
    sign_in(page, live_server, world.board.email, PASSWORD)
    page.goto(f"{live_server.url}/my-actions/")
    expect(page.get_by_text("You have no actions to update yet")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/actions/PH-01/")
    expect(page.get_by_role("button", name="Save progress")).to_have_count(0)
    assert_accessible(page)
