"""The Board member's dashboard in a real browser: filter in place, go back, open an outcome, axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.reporting import dashboard_world as programme

PASSWORD = "pw-for-tests"
dashboard_world = programme.dashboard_world  # the fixture


@pytest.fixture
def board_page(page, live_server, dashboard_world):
    sign_in(page, live_server, dashboard_world.world.board.email, PASSWORD)
    return page


def summary(page):
    return page.locator("#summary + p")


def test_the_board_filters_goes_back_and_opens_an_outcome(board_page, live_server):
    page = board_page
    expect(page).to_have_url(re.compile(r"/dashboard/$"))  # the Board starts here
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme Board dashboard")
    expect(summary(page)).to_contain_text("For all 4 actions in the framework")
    assert_accessible(page)

    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Service area", exact=True).select_option(label="Housing")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/dashboard/\?area=HOU$"))
    expect(summary(page)).to_contain_text("For the 2 actions that match the filters")

    filters = page.locator("form.app-filters")
    filters.get_by_label("At risk", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/dashboard/\?area=HOU&status=at_risk$"))
    expect(summary(page)).to_contain_text("For the 1 action that matches the filters")
    assert page.evaluate("window.__sameDocument") is True  # filtered in place, no reload
    expect(page.locator("#apply-filters")).to_be_focused()  # focus stays on the button
    expect(page.locator("#dashboard-announcement")).to_contain_text("1 action matches the filters")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/dashboard/\?area=HOU$"))
    expect(summary(page)).to_contain_text("For the 2 actions that match the filters")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(summary(page)).to_contain_text("For all 4 actions in the framework")

    # A shared link opens the same view.
    page.goto(f"{live_server.url}/dashboard/?area=HOU&status=at_risk")
    expect(summary(page)).to_contain_text("For the 1 action that matches the filters")
    expect(page.locator("form.app-filters").get_by_label("At risk", exact=True)).to_be_checked()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^HOU-O01")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People into work")
    expect(page.locator("svg[role=img]")).to_have_count(2)
    assert_accessible(page)


def test_a_bad_filter_shows_an_error_summary_that_passes_axe(board_page, live_server):
    page = board_page
    page.goto(f"{live_server.url}/dashboard/?since_day=31&since_month=2&since_year=2026")
    summary_box = page.locator(".govuk-error-summary")
    expect(summary_box).to_contain_text("Date must be a real date")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)


def test_the_filters_work_without_javascript(browser, live_server, dashboard_world):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, dashboard_world.world.board.email, PASSWORD)
        page.goto(f"{live_server.url}/dashboard/")
        page.get_by_label("Service area", exact=True).select_option(label="Public Health")
        page.get_by_role("button", name="Apply filters").click()
        expect(page).to_have_url(re.compile(r"/dashboard/\?area=PH$"))
        expect(summary(page)).to_contain_text("For the 1 action that matches the filters")
    finally:
        context.close()
