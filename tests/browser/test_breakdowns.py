"""A director records a 19-category ethnicity breakdown and an ethnicity × sex cross-table from
the action page in a real browser (HTMX), then sees them charted and tabled on the outcome page."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from targets.models import CategoryList, Measurement
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "pw-for-tests"
# Set SCREENSHOTS=/some/folder to keep pictures of the form and the outcome page, to look at.
SCREENSHOTS = os.environ.get("SCREENSHOTS")


def snap(page, name):
    if not SCREENSHOTS:
        return
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def fill_period(panel, total):
    panel.get_by_label("Day").fill("30")
    panel.get_by_label("Month").fill("6")
    panel.get_by_label("Year").fill("2021")
    panel.get_by_label("Total", exact=True).fill(str(total))


def test_a_director_records_breakdowns_and_sees_them_on_the_outcome_page(page, live_server, world):
    sign_in(page, live_server, world.director.email, PASSWORD)
    page.goto(f"{live_server.url}/actions/HOU-01/")
    page.evaluate("window.__sameDocument = true")
    panel = page.locator("#indicator-HOU-O01")
    panel.get_by_text("Add a value for HOU-O01").click()
    panel.get_by_label("Break the total down by").select_option(
        label="Ethnicity: 2021 Census, 19 categories"
    )
    panel.get_by_role("button", name="Show the categories").click()
    panel = page.locator("#indicator-HOU-O01")
    expect(panel.get_by_label("White: Roma", exact=True)).to_be_visible()
    census = CategoryList.objects.get(name="2021 Census, 19 categories")
    names = list(census.categories.values_list("name", flat=True))
    assert len(names) == 21
    fill_period(panel, 400)
    for i, name in enumerate(names, start=1):
        panel.get_by_label(name, exact=True).fill(str(i))  # 1 to 21: 231 in all
    snap(page, "breakdown-form")
    panel.get_by_role("button", name="Save value for HOU-O01").click()
    panel = page.locator("#indicator-HOU-O01")
    expect(panel.locator(".govuk-notification-banner--success")).to_contain_text(
        "Value for the period ending 30 June 2021 saved for HOU-O01."
    )
    assert Measurement.objects.filter(outcome=world.outcome).count() == 22

    # The same quarter crossed by ethnicity and sex: a grid of cells.
    panel.get_by_text("Add a value for HOU-O01").click()
    panel.get_by_label("Break the total down by").select_option(
        label="Ethnicity: 2021 Census, 5 high-level groups"
    )
    panel.get_by_label("And at the same time by (optional)").select_option(
        label="Sex: Female and male"
    )
    panel.get_by_role("button", name="Show the categories").click()
    panel = page.locator("#indicator-HOU-O01")
    expect(
        panel.get_by_role("region", name="Values by ethnicity and sex, table to fill in")
    ).to_be_visible()
    fill_period(panel, 400)
    cells = {("White", "Female"): 100, ("White", "Male"): 90, ("Other ethnic group", "Female"): 3}
    for (row, column), value in cells.items():
        panel.get_by_label(f"{row}, {column}", exact=True).fill(str(value))
    panel.get_by_label("White, all", exact=True).fill("190")  # "Not known" cells left blank
    panel.get_by_label("All ethnicity, Female", exact=True).fill("210")
    snap(page, "cross-form")
    panel.get_by_role("button", name="Save value for HOU-O01").click()
    expect(page.locator("#indicator-HOU-O01 .govuk-notification-banner--success")).to_contain_text(
        "saved for HOU-O01"
    )
    assert page.evaluate("window.__sameDocument") is True
    crossed = Measurement.objects.filter(outcome=world.outcome).exclude(dimension_2="")
    assert crossed.exclude(group_2="").count() == 3
    assert crossed.get(dimension="Ethnicity", group="White", group_2="").value == 190
    assert_accessible(page)

    page.goto(f"{live_server.url}/outcomes/HOU-O01/")
    breakdown = page.get_by_role(
        "region", name="Breakdown by ethnicity, period ending 30 June 2021, table"
    )
    expect(breakdown).to_contain_text("White: Roma")
    expect(breakdown).to_contain_text("Prefer not to say")
    expect(
        page.locator("figure").filter(has_text="each group's share, period ending 30 June 2021")
    ).to_have_count(1)
    cross = page.get_by_role("region", name="Ethnicity by sex, period ending 30 June 2021, table")
    expect(cross.locator("caption")).to_contain_text("Ethnicity by sex")
    expect(cross.locator("th[scope=row]", has_text="White")).to_have_count(1)
    expect(cross).to_contain_text("190")
    snap(page, "outcome-page")
    assert_accessible(page)


def test_without_javascript_the_categories_open_where_the_person_was(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, world.director.email, PASSWORD)
        page.goto(f"{live_server.url}/actions/HOU-01/")
        panel = page.locator("#indicator-HOU-O01")
        panel.get_by_text("Add a value for HOU-O01").click()
        panel.get_by_label("Break the total down by").select_option(
            label="Ethnicity: 2021 Census, 19 categories"
        )
        panel.get_by_role("button", name="Show the categories").click()
        # The whole page comes back, opened at the panel: the next thing to fill in is in view.
        assert page.url.endswith("#indicator-HOU-O01")
        panel = page.locator("#indicator-HOU-O01")
        expect(panel.get_by_label("Day")).to_be_in_viewport()
        fill_period(panel, 10)
        panel.get_by_label("White: Roma", exact=True).fill("10")
        panel.get_by_role("button", name="Save value for HOU-O01").click()
        banner = page.locator(".govuk-notification-banner--success")
        expect(banner).to_contain_text(
            "Value for the period ending 30 June 2021 saved for HOU-O01."
        )
        expect(banner).to_be_in_viewport()
    finally:
        context.close()
