"""The programme's working rhythm in a real browser: filtering the framework and going back,
uploading a framework with errors and then a good one, opening a cycle, raising and answering a
challenge without a page reload, and axe-core on every new page."""

import datetime
import io
import re
import zipfile

from playwright.sync_api import expect

from actions import challenges
from actions.models import Action, Challenge, ReportingCycle
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import ANYTOWN

PASSWORD = "pw-for-tests"


def anytown_zip(broken: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(ANYTOWN.glob("*.csv")):
            text = path.read_text(encoding="utf-8")
            if broken and path.name == "actions.csv":
                text = text.replace("2025-04-01", "spring 2025", 1)
            if broken and path.name == "targets.csv":
                text = text.replace("milestone", "someday", 1)
            archive.writestr(path.name, text)
    return buffer.getvalue()


def set_status(ref: str, status: str) -> None:
    action = Action.objects.get(ref=ref)
    action.status = status
    action.save()


# --- The framework browser -------------------------------------------------------------------------


def test_filtering_swaps_the_results_pushes_the_url_and_back_restores_it(page, live_server, world):
    set_status("HOU-02", "at_risk")
    sign_in(page, live_server, world.board.email, PASSWORD)
    page.goto(f"{live_server.url}/framework/")
    results = page.locator("#framework-results")
    expect(results).to_contain_text("PH-01")
    assert_accessible(page)
    page.evaluate("window.__sameDocument = true")

    page.get_by_label("At risk").check()  # a change applies the filter at once
    expect(page).to_have_url(re.compile(r"/framework/\?.*status=at_risk"))
    expect(results).not_to_contain_text("PH-01")
    expect(results).to_contain_text("HOU-02")
    expect(page.locator("#framework-count")).to_contain_text("1 action")
    expect(page.locator("#framework-count")).to_contain_text("Status: At risk")
    assert page.evaluate("window.__sameDocument") is True  # no reload

    page.get_by_label("Search").fill("nothing matches this")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#framework-results")).to_contain_text("No actions match these filters")
    expect(page).to_have_url(re.compile(r"q=nothing"))
    assert_accessible(page)

    page.go_back()
    expect(page).to_have_url(re.compile(r"/framework/\?status=at_risk$"))
    expect(page.locator("#framework-results")).to_contain_text("HOU-02")
    expect(page.get_by_label("Search")).to_have_value("")
    expect(page.get_by_label("At risk")).to_be_checked()
    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/framework/")
    expect(page.locator("#framework-results")).to_contain_text("PH-01")
    expect(page.get_by_label("At risk")).not_to_be_checked()
    page.go_forward()
    expect(page.locator("#framework-results")).not_to_contain_text("PH-01")
    expect(page.get_by_label("At risk")).to_be_checked()


def test_a_bookmarked_filter_and_the_filters_without_javascript(browser, live_server, world):
    set_status("HOU-02", "at_risk")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, world.team.email, PASSWORD)
        page.goto(f"{live_server.url}/framework/?area=PH")
        expect(page.locator("#framework-results")).to_contain_text("PH-01")
        expect(page.locator("#framework-results")).not_to_contain_text("HOU-01")
        page.get_by_label("Service area").select_option("HOU")
        page.get_by_label("At risk").check()
        page.get_by_role("button", name="Apply filters").click()
        expect(page).to_have_url(re.compile(r"area=HOU.*status=at_risk"))
        expect(page.locator("#framework-results")).to_contain_text("HOU-02")
        expect(page.locator("#framework-results")).not_to_contain_text("HOU-01")
    finally:
        context.close()


def test_on_a_phone_each_action_stacks_with_its_labels_and_passes_axe(browser, live_server, world):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in(page, live_server, world.board.email, PASSWORD)
        page.goto(f"{live_server.url}/framework/")
        expect(page.get_by_role("link", name="Skip to the actions")).to_be_visible()
        owner = page.locator("#framework-results td[data-label='Owner']").first
        expect(owner).to_be_visible()
        assert (
            page.evaluate("el => getComputedStyle(el).display", owner.element_handle()) == "block"
        )
        assert (
            page.evaluate("el => getComputedStyle(el, '::before').content", owner.element_handle())
            == '"Owner: "'
        )
        # Nothing wider than the screen: the page does not scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert_accessible(page)
    finally:
        context.close()


# --- Loading a framework ---------------------------------------------------------------------------


def test_upload_a_file_with_errors_see_them_then_load_a_good_one(page, live_server, world):
    sign_in(page, live_server, world.team.email, PASSWORD)
    page.goto(f"{live_server.url}/framework/load/")
    assert_accessible(page)
    page.get_by_label("Upload a framework file").set_input_files(
        {"name": "anytown-broken.zip", "mimeType": "application/zip", "buffer": anytown_zip(True)}
    )
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("anytown-broken.zip has 2 problems. Nothing was imported")
    expect(page).to_have_title(re.compile(r"^Error: Load the framework"))
    problems = page.locator(".app-problems li")
    expect(problems).to_have_count(2)
    expect(problems.first).to_contain_text(
        'actions row 2, column start: "spring 2025" is not a date'
    )
    assert_accessible(page)
    assert not Action.objects.filter(ref__startswith="LEIS").exists()

    page.get_by_label("Upload a framework file").set_input_files(
        {"name": "anytown.zip", "mimeType": "application/zip", "buffer": anytown_zip()}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import of anytown.zip")
    expect(page.get_by_role("row", name=re.compile(r"^actions 4 0 0"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import the framework").click()  # no reason yet
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are importing this file"
    )
    assert_accessible(page)
    page.locator(".govuk-error-summary").get_by_role("link").click()
    expect(page.get_by_label("Why are you importing this file?")).to_be_focused()
    page.get_by_label("Why are you importing this file?").fill("Anytown's framework")
    page.get_by_role("button", name="Import the framework").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Framework imported from anytown.zip"
    )
    assert Action.objects.filter(ref__startswith="LEIS").count() == 2
    assert_accessible(page)


# --- Reporting cycles ------------------------------------------------------------------------------


def test_the_team_opens_a_cycle_and_sees_who_has_updated(page, live_server, world):
    sign_in(page, live_server, world.team.email, PASSWORD)
    page.goto(f"{live_server.url}/cycles/")
    expect(page.get_by_text("No reporting cycle has been opened yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Open a reporting cycle").click()
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    page.get_by_label("Name").fill("2026 Q4")
    start = datetime.date.today()
    close = start + datetime.timedelta(days=60)
    for legend, day in (("Start date", start), ("Close date", close)):
        group = page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Reporting cycle 2026 Q4 opened"
    )
    expect(page.get_by_role("heading", name="Housing")).to_be_visible()
    expect(page.locator("#area-HOU + p")).to_contain_text("0 updated, 2 due, 0 late")
    assert ReportingCycle.objects.get().name == "2026 Q4"
    assert_accessible(page)


# --- Challenges ------------------------------------------------------------------------------------


def test_the_board_raises_a_challenge_in_place(page, live_server, world):
    sign_in(page, live_server, world.board.email, PASSWORD)
    page.goto(f"{live_server.url}/actions/HOU-01/")
    page.evaluate("window.__sameDocument = true")
    panel = page.locator("#challenges-panel")
    panel.get_by_text("Raise a challenge on HOU-01").click()
    panel.get_by_role("button", name="Raise the challenge").click()
    expect(page.locator("#challenges-panel .govuk-error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: HOU-01"))
    assert_accessible(page)
    page.locator("#challenges-panel").get_by_label("Your question").fill("Who sits on the panels?")
    page.locator("#challenges-panel").get_by_role("button", name="Raise the challenge").click()
    expect(page.locator("#challenges-panel .govuk-notification-banner--success")).to_contain_text(
        "Challenge raised on HOU-01."
    )
    expect(page.locator("#challenges-panel")).to_contain_text("Who sits on the panels?")
    assert page.evaluate("window.__sameDocument") is True
    assert Challenge.objects.get().question == "Who sits on the panels?"
    assert_accessible(page)
    page.goto(f"{live_server.url}/challenges/")
    expect(page.get_by_role("link", name=re.compile("HOU-01"))).to_be_visible()
    assert_accessible(page)


def test_the_director_answers_a_challenge_without_a_page_reload(page, live_server, world):
    challenge = challenges.raise_challenge(
        action=world.action, user=world.board, question="How will older tenants be reached?"
    )
    sign_in(page, live_server, world.director.email, PASSWORD)
    page.goto(f"{live_server.url}/my-actions/")
    link = page.get_by_role("link", name=re.compile("1 Board challenge to answer"))
    expect(link).to_be_visible()
    assert_accessible(page)
    link.click()
    page.evaluate("window.__sameDocument = true")
    panel = page.locator("#challenges-panel")
    expect(panel).to_contain_text("How will older tenants be reached?")
    panel.get_by_label("Your answer").fill("Through the tenants' associations.")
    panel.get_by_role("button", name="Send answer").click()
    banner = page.locator("#challenges-panel .govuk-notification-banner--success")
    expect(banner).to_contain_text("Answer sent.")
    expect(banner).to_be_focused()
    expect(page.locator("#challenges-panel")).to_contain_text("Through the tenants' associations.")
    assert page.evaluate("window.__sameDocument") is True
    challenge.refresh_from_db()
    assert (challenge.state, challenge.responded_by) == ("answered", world.director)
    assert_accessible(page)


def test_the_board_member_follows_up_then_accepts(page, live_server, world):
    challenge = challenges.raise_challenge(action=world.action, user=world.board, question="Why?")
    challenges.answer_challenge(challenge=challenge, user=world.lead, response="Because.")
    sign_in(page, live_server, world.board.email, PASSWORD)
    page.goto(f"{live_server.url}/actions/HOU-01/")
    panel = page.locator("#challenges-panel")
    panel.get_by_text("Ask a follow-up question").click()
    panel.get_by_label("Your follow-up question").fill("Because of what?")
    panel.get_by_role("button", name="Send follow-up question").click()
    expect(page.locator("#challenges-panel")).to_contain_text("Follow-up sent.")
    expect(page.locator("#challenges-panel")).to_contain_text("Awaiting an answer")
    challenges.answer_challenge(
        challenge=Challenge.objects.get(), user=world.lead, response="The budget."
    )
    page.reload()
    page.locator("#challenges-panel").get_by_role("button", name="Accept the answer").click()
    expect(page.locator("#challenges-panel")).to_contain_text(
        "Answer accepted. The challenge is closed."
    )
    assert Challenge.objects.get().state == "accepted"
    assert_accessible(page)
