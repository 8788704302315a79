"""The annual stocktake in a real browser: the programme team builds it, makes the PDF (the task runs
at once under the test settings), publishes it; then someone signed out reads it."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from reporting.models import Stocktake
from tests.browser.conftest import assert_accessible, sign_in
from tests.reporting.stocktake_world import stocktake_world_fixture  # noqa: F401

PASSWORD = "pw-for-tests"


@pytest.fixture
def team_page(page, live_server, stocktake_world):
    sign_in(page, live_server, stocktake_world.world.team.email, PASSWORD)
    return page


def test_the_team_builds_and_publishes_and_anyone_reads_it(
    team_page, browser, live_server, stocktake_world
):
    page = team_page
    page.get_by_role("link", name="Stocktake").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stocktakes")
    assert_accessible(page)
    page.get_by_role("button", name="Start the stocktake").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The 2026 stocktake has been started."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Stocktake 2026")
    expect(page.locator("#pdf-status")).to_contain_text("No PDF has been made yet")
    assert_accessible(page)

    # The PDF is asked for with HTMX: the status panel is swapped in, the page stays.
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="Make the PDF").click()
    expect(page.locator("#pdf-status")).to_contain_text("Ready", timeout=60_000)
    assert page.evaluate("window.__sameDocument") is True
    download = page.get_by_role("link", name="Download the draft PDF of the 2026 stocktake")
    response = page.request.get(live_server.url + download.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Diverse housing panels" in text
    assert "Confidential pilot" not in text
    assert_accessible(page)

    page.get_by_role("button", name="Publish the stocktake").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish the 2026 stocktake")
    assert_accessible(page)
    page.get_by_role("button", name="Publish the stocktake").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The 2026 stocktake is published."
    )
    assert Stocktake.objects.get(year=2026).published_by == stocktake_world.world.team

    # Someone who has not signed in.
    public = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    public.goto(f"{live_server.url}/public/stocktakes/")
    public.get_by_role("link", name="Annual stocktake 2026").click()
    expect(public.get_by_role("heading", level=1)).to_have_text(
        "Challenging Inequality Programme: annual stocktake 2026"
    )
    expect(public.locator("body")).to_contain_text("HOU-01: Diverse housing panels")
    expect(public.locator("body")).not_to_contain_text("Confidential pilot")
    expect(public.locator("body")).to_contain_text("fewer than 5")
    expect(public.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(public.get_by_role("navigation", name="Menu")).to_have_count(0)
    assert_accessible(public)
    pdf = public.request.get(
        live_server.url
        + public.get_by_role("link", name="The stocktake as a PDF").get_attribute("href")
    )
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    public.get_by_role("link", name="Open data").first.click()
    expect(public.get_by_role("heading", level=1)).to_have_text("Open data")
    assert_accessible(public)
    actions_csv = public.request.get(
        live_server.url
        + public.get_by_role("link", name="Actions (actions.csv)").get_attribute("href")
    )
    assert actions_csv.text().startswith("ref,strand,service_area_ref")
    public.context.close()


def test_without_javascript_the_pdf_is_asked_for_with_a_plain_form(
    browser, live_server, stocktake_world
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, stocktake_world.world.team.email, PASSWORD)
    page.goto(f"{live_server.url}/stocktakes/")
    page.get_by_role("button", name="Start the stocktake").click()
    page.get_by_role("button", name="Make the PDF").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The PDF is being made."
    )
    expect(page.locator("#pdf-status")).to_contain_text("Ready")
    context.close()


def test_the_team_removes_an_item_then_withdraws_the_stocktake(
    team_page, browser, live_server, stocktake_world
):
    from tests.reporting.stocktake_world import published  # noqa: PLC0415 (beside its use)

    published(2026, by=stocktake_world.world.team)
    page = team_page
    page.goto(f"{live_server.url}/stocktakes/2026/")
    page.get_by_role("button", name="Remove an item").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Remove an item from the published stocktake"
    )
    page.get_by_role("button", name="Remove the item").click()  # nothing chosen: errors
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose the action, target or outcome to remove"
    )
    assert_accessible(page)
    page.get_by_label("Which item should be removed?").select_option("HOU-01")
    page.get_by_label("Why is it being removed?").fill("It described a named tenant.")
    page.get_by_role("button", name="Remove the item").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "HOU-01 has been removed"
    )
    assert_accessible(page)

    public = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    public.goto(f"{live_server.url}/public/stocktakes/2026/")
    expect(public.locator("#action-HOU-01")).to_contain_text(
        "This item was removed on", ignore_case=False
    )
    expect(public.locator("body")).not_to_contain_text("Diverse housing panels")
    assert_accessible(public)

    page.get_by_role("button", name="Withdraw the stocktake").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw the 2026 stocktake")
    assert_accessible(page)
    page.get_by_label("Why is it being withdrawn?").fill("It named a tenant by mistake.")
    page.get_by_role("button", name="Withdraw the stocktake").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The 2026 stocktake has been withdrawn"
    )

    public.reload()
    expect(public.locator("body")).to_contain_text("This stocktake was withdrawn on")
    expect(public.locator("body")).to_contain_text("It named a tenant by mistake.")
    expect(public.locator("body")).not_to_contain_text("HOU-01")
    assert_accessible(public)
    public.context.close()


def test_on_a_phone_each_table_caption_reads_in_full_and_wide_tables_scroll(
    browser, live_server, stocktake_world
):
    from tests.browser.conftest import PHONE  # noqa: PLC0415 (beside its use)
    from tests.reporting.stocktake_world import published  # noqa: PLC0415

    published(2026, by=stocktake_world.world.team)
    public = browser.new_context(viewport=PHONE).new_page()
    public.goto(f"{live_server.url}/public/stocktakes/2026/")
    expect(public.get_by_role("region", name="HOU-O01: values by ethnicity")).to_be_visible()
    tables = public.evaluate(
        """() => [...document.querySelectorAll('.app-stocktake__table-wrap')].map(wrap => ({
            caption: wrap.querySelector('caption').textContent.trim(),
            right: wrap.querySelector('caption').getBoundingClientRect().right,
            scrolls: wrap.scrollWidth > wrap.clientWidth,
        }))"""
    )
    assert any(table["scrolls"] for table in tables)  # a wide table is here to try it on
    clipped = [t["caption"] for t in tables if t["right"] > PHONE["width"] - 15 + 0.5]
    assert not clipped, f"Captions running off the screen: {clipped}"
    assert public.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    public.context.close()
