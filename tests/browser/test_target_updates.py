"""A director updates targets from the action page in a real browser, with HTMX: a milestone marked
met with its date, a numeric target's latest value, each panel showing what was saved."""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from targets.models import Target
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "pw-for-tests"
# Set SCREENSHOTS=/some/folder to keep a picture of the page after saving, to look at.
SCREENSHOTS = os.environ.get("SCREENSHOTS")


@pytest.fixture
def action_page(page, live_server, world):
    sign_in(page, live_server, world.director.email, PASSWORD)
    page.goto(f"{live_server.url}/actions/HOU-01/")
    page.evaluate("window.__sameDocument = true")
    return page


def open_target_form(page, ref: str):
    panel = page.locator(f"#target-{ref}")
    panel.get_by_text(f"Update target {ref}").click()
    return panel


def test_a_director_marks_a_milestone_met_in_place(action_page, world):
    page = action_page
    panel = open_target_form(page, "HOU-T01")
    panel.get_by_label("Met", exact=True).check()
    # The label belongs to the target's own radio: Record progress is left as it was.
    expect(page.locator("#progress-panel input[name=status]:checked")).to_have_value("not_started")
    panel.get_by_label("Day").fill("1")
    panel.get_by_label("Month").fill("7")
    panel.get_by_label("Year").fill("2021")
    panel.get_by_role("button", name="Save target HOU-T01").click()
    panel = page.locator("#target-HOU-T01")
    expect(panel.locator(".govuk-notification-banner--success")).to_contain_text(
        "Target HOU-T01 saved: met on 1 July 2021."
    )
    expect(panel.locator(".govuk-summary-list")).to_contain_text("Met on 1 July 2021")
    assert page.evaluate("window.__sameDocument") is True  # swapped in, no reload
    target = Target.objects.get(ref="HOU-T01")
    assert (target.status, target.met_on) == ("met", datetime.date(2021, 7, 1))
    assert_accessible(page)


def test_a_director_records_a_numeric_targets_latest_value_in_place(action_page, world):
    page = action_page
    panel = open_target_form(page, "HOU-T02")
    panel.get_by_label("In progress").check()
    panel.get_by_label("Latest value (staff)").fill("18")
    panel.get_by_role("button", name="Save target HOU-T02").click()
    panel = page.locator("#target-HOU-T02")
    expect(panel.locator(".govuk-notification-banner--success")).to_contain_text(
        "Target HOU-T02 saved: in progress, latest value 18."
    )
    latest = panel.locator(".govuk-summary-list__row", has_text="Latest value")
    expect(latest).to_contain_text("18 staff")
    expect(panel.locator(".govuk-summary-list")).to_contain_text("In progress")
    assert page.evaluate("window.__sameDocument") is True
    target = Target.objects.get(ref="HOU-T02")
    assert (target.status, target.current_value) == ("in_progress", 18)
    assert_accessible(page)

    # Then the milestone, on the same page: both panels show what was saved.
    milestone = open_target_form(page, "HOU-T01")
    milestone.get_by_label("Met", exact=True).check()
    milestone.get_by_label("Day").fill("30")
    milestone.get_by_label("Month").fill("6")
    milestone.get_by_label("Year").fill("2021")
    milestone.get_by_role("button", name="Save target HOU-T01").click()
    expect(page.locator("#target-HOU-T01 .govuk-summary-list")).to_contain_text(
        "Met on 30 June 2021"
    )
    expect(page.locator("#target-HOU-T02 .govuk-summary-list")).to_contain_text("18 staff")
    if SCREENSHOTS:  # the Targets section, from its heading to the Outcomes heading
        top, bottom = page.evaluate(
            "['#targets', '#outcomes'].map(s => document.querySelector(s)"
            ".getBoundingClientRect().top + window.scrollY)"
        )
        top -= 20
        page.screenshot(
            path=str(Path(SCREENSHOTS) / "targets-saved.png"),
            full_page=True,
            clip={"x": 0, "y": top, "width": 1280, "height": bottom - top},
        )
    assert_accessible(page)


def test_a_milestone_met_without_a_date_is_explained_and_the_link_reaches_the_day(
    action_page, world
):
    page = action_page
    panel = open_target_form(page, "HOU-T01")
    panel.get_by_label("Met", exact=True).check()
    panel.get_by_role("button", name="Save target HOU-T01").click()
    summary = page.locator("#target-HOU-T01 .govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Enter the date the milestone was met").click()
    expect(page.locator("#id_t-HOU-T01-met_on_day")).to_be_focused()
    assert Target.objects.get(ref="HOU-T01").status == "not_started"
    assert_accessible(page)
