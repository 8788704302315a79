"""Where people decide, in a real browser: the action page's outcome charts and "Correct" links,
a director correcting a value (history keeps both; an earlier stocktake keeps the first), the
direction-aware flag on every page that shows it, and a director's own dashboard."""

import datetime
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reporting.models import Stocktake
from targets.models import Measurement, Outcome
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in
from tests.reporting.stocktake_world import measure

PASSWORD = "pw-for-tests"
MARCH = datetime.date(2026, 3, 31)
BLACK = "Black, Asian and Minority Ethnic"
# Set SCREENSHOTS=/some/folder to keep pictures of the pages at 1280 and 375 px wide.
SCREENSHOTS = os.environ.get("SCREENSHOTS")


def screenshot(page, name: str) -> None:
    if not SCREENSHOTS:
        return
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def exclusions(world):
    """An outcome where over-representation is the problem: Black pupils should be at most 18%
    of exclusions (their share of pupils); in March they were 31%."""
    outcome = factories.outcome(
        "HOU-O02",
        area=world.housing,
        description="Fewer exclusions of Black pupils",
        indicator="Exclusions from school",
        unit="count",
        direction="decrease",
        dimension="ethnicity",
        group="Black pupils",
        benchmark_share=Decimal(18),
        share_comparison=Outcome.ShareComparison.AT_MOST,
    )
    outcome.targets.add(world.numeric)
    measure(outcome, world.director, MARCH, 100, [("Black pupils", 31), ("White pupils", 60)])
    return outcome


def test_a_director_corrects_a_value_from_the_action_page(page, live_server, world):
    measure(world.outcome, world.director, datetime.date(2025, 3, 31), 90, [(BLACK, 30)])
    measure(world.outcome, world.director, MARCH, 100, [(BLACK, 31), ("White", 60)])
    team = world.team
    before = Stocktake.objects.create(year=2026, as_at=timezone.now(), created_by=team)
    recorded = Measurement.objects.get(outcome=world.outcome, period_end=MARCH, group=BLACK)

    sign_in(page, live_server, world.director.email, PASSWORD)
    page.goto(f"{live_server.url}/actions/HOU-01/")
    outcome = page.locator(".app-outcome", has_text="HOU-O01")
    expect(outcome.locator("#trend-chart-HOU-O01")).to_have_text("HOU-O01: People into work")
    expect(outcome.locator("figure svg")).to_have_count(2)
    expect(outcome.get_by_role("table", name="The numbers in the chart").first).to_contain_text(
        "31 March 2025"
    )
    expect(outcome.get_by_role("link", name="Outcome HOU-O01")).to_have_attribute(
        "href", "/outcomes/HOU-O01/"
    )
    assert_accessible(page)
    screenshot(page, "action-page")

    outcome.get_by_role("link", name=f"Correct the value for {BLACK}, HOU-O01").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Correct the value for {BLACK}")
    # The error path: no reason given; the summary's link puts the cursor in the field.
    page.get_by_label("Corrected value").fill("13")
    page.get_by_role("button", name="Save the correction").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter why the value is being corrected")
    assert page.title().startswith("Error: ")
    summary.get_by_role("link", name="Enter why the value is being corrected").click()
    expect(page.get_by_label("Why are you correcting it?")).to_be_focused()
    assert_accessible(page)
    page.get_by_label("Why are you correcting it?").fill("Typed 31 for 13")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"The {BLACK} for HOU-O01, period ending 31 March 2026, corrected to 13."
    )
    recorded.refresh_from_db()
    assert recorded.value == Decimal(13)

    # The history shows both values, who recorded each and why.
    page.goto(f"{live_server.url}/measurements/{recorded.pk}/correct/")
    history = page.get_by_role("table", name="Every value recorded, oldest first")
    rows = history.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("31")
    expect(rows.nth(0)).to_contain_text("Measurement recorded")
    expect(rows.nth(1)).to_contain_text("13")
    expect(rows.nth(1)).to_contain_text("Correction: Typed 31 for 13")
    assert_accessible(page)

    # The action page now shows the corrected value; the stocktake made before still shows 31.
    page.goto(f"{live_server.url}/actions/HOU-01/")
    latest = page.locator("#indicator-HOU-O01 tbody tr", has_text=BLACK)
    expect(latest).to_contain_text("13")
    page.context.clear_cookies()  # signed out
    sign_in(page, live_server, team.email, PASSWORD)
    page.goto(f"{live_server.url}/stocktakes/{before.year}/preview/")
    row = page.locator("tr", has_text=BLACK).first
    expect(row).to_contain_text("31")
    expect(row).not_to_contain_text("13")


def test_an_at_most_outcome_is_over_represented_everywhere(page, live_server, world, exclusions):
    sign_in(page, live_server, world.board.email, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    outcomes = page.get_by_role("table", name=re.compile("^Outcomes against target"))
    row = outcomes.locator("tr", has_text="HOU-O02")
    expect(row).to_contain_text("Black pupils: 31.0% against 18% population benchmark")
    expect(row.locator(".govuk-tag--red")).to_have_text("Over-represented")
    assert_accessible(page)

    page.goto(f"{live_server.url}/outcomes/HOU-O02/")
    breakdown = page.get_by_role(
        "table", name="Breakdown by ethnicity, period ending 31 March 2026"
    )
    row = breakdown.locator("tr", has_text="Black pupils")
    expect(row.locator(".govuk-tag--red")).to_have_text("Over-represented")
    expect(row).to_contain_text("should be at most 18%")
    assert_accessible(page)

    page.goto(f"{live_server.url}/actions/HOU-01/")
    outcome = page.locator(".app-outcome", has_text="HOU-O02")
    expect(outcome.locator("#indicator-HOU-O02 .govuk-tag--red")).to_have_text("Over-represented")
    chart_table = outcome.locator("figure", has_text="each group's share").get_by_role("table")
    expect(chart_table).to_contain_text("Over-represented")
    assert_accessible(page)


def test_a_director_sees_the_dashboard_of_their_own_area(page, live_server, world, exclusions):
    measure(world.outcome, world.director, MARCH, 100, [(BLACK, 31)])
    factories.outcome("PH-O09", area=world.health, indicator="Hospital admissions")
    sign_in(page, live_server, world.director.email, PASSWORD)
    page.get_by_role("link", name="My dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard for Housing")
    expect(page.locator("#reach")).to_contain_text("only the service areas you direct")
    expect(page.locator("main")).to_contain_text("HOU-O02")
    expect(page.locator("main")).not_to_contain_text("PH-01")
    expect(page.locator("main")).not_to_contain_text("PH-O09")
    # Filtering stays within the director's areas (htmx swaps the body in).
    page.get_by_role("checkbox", name="Not started").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/mine/?status=not_started")
    expect(page.locator("#summary + p")).to_contain_text("For the 2 actions that match the filters")
    expect(page.locator("main")).not_to_contain_text("Public Health")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard for Housing")
    page.get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/mine/")
    assert_accessible(page)
    screenshot(page, "director-dashboard")
