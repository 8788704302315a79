"""People and sign-in in a real browser: inviting a new director through to their first update,
the lockout, forgotten and changed passwords, deactivation, and the timeout warning; axe on each
new page and state."""

import csv
import re

from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from actions.models import Action
from config.models import User
from targets.spreadsheet.exporter import workbook_bytes
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import ANYTOWN

PASSWORD = "pw-for-tests"
NEW_PASSWORD = "violet-harbour-lantern-42"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def invitation_link(email: str) -> str:
    [message] = [m for m in mail.outbox if m.to == [email]]
    return re.search(r"https?://\S+/invitation/\S+/", message.body).group(0)


def test_the_team_invites_a_new_director_who_sets_a_password_and_records_progress(
    browser, page, live_server, world
):
    mail.outbox.clear()
    sign_in(page, live_server, world.team.email, PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    assert_accessible(page)

    page.get_by_role("link", name="Add a person").click()
    page.get_by_role("button", name="Add person").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter their email address")
    assert_accessible(page)
    page.get_by_label("Email address").fill("amara.boateng@council.example")
    page.get_by_label("First name").fill("Amara")
    page.get_by_label("Last name").fill("Boateng")
    page.get_by_label(re.compile(r"^Public Health")).check()
    page.get_by_role("button", name="Add person").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You added Amara Boateng and sent them an invitation"
    )
    expect(page.locator("main")).to_contain_text("Invited, not accepted yet")
    assert_accessible(page)

    # The new director, in their own browser, opens the link from the email.
    context = browser.new_context()
    director = context.new_page()
    director.goto(
        invitation_link("amara.boateng@council.example").replace(
            "http://127.0.0.1:8000", live_server.url
        )
    )
    expect(director.get_by_role("heading", level=1)).to_have_text("Set your password")
    expect(director.locator("main")).to_contain_text(
        "team@council.example has invited you to the Challenging Inequality Programme at "
        "Islington Council as a service director for Public Health."
    )
    assert_accessible(director)
    director.get_by_label("New password", exact=True).fill("password")
    director.get_by_label("Confirm new password").fill("password")
    director.get_by_role("button", name="Set password and sign in").click()
    expect(director.locator(".govuk-error-summary")).to_contain_text("This password is too common.")
    assert_accessible(director)
    director.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    director.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    director.get_by_role("button", name="Set password and sign in").click()
    expect(director.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your password has been set and you are signed in"
    )
    director.get_by_role("link", name=re.compile("PH-01")).first.click()
    panel = director.locator("#progress-panel")
    panel.get_by_label("On track").check()
    panel.get_by_label("% complete").fill("30")
    panel.get_by_label("Progress this quarter").fill("Screening sessions booked")
    panel.get_by_role("button", name="Save progress").click()
    expect(panel.locator(".govuk-notification-banner--success")).to_contain_text(
        "Progress saved: on track, 30% complete."
    )
    update = Action.objects.get(ref="PH-01").updates.get()
    assert update.author.email == "amara.boateng@council.example"
    context.close()

    page.reload()
    expect(page.locator("main")).to_contain_text("Accepted")


def anytown_workbook() -> bytes:
    """The other council's framework as one .xlsx workbook, a sheet per CSV."""
    rows = {}
    for path in sorted(ANYTOWN.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows[path.stem] = list(csv.DictReader(handle))
    return workbook_bytes(rows)


def test_a_director_named_in_an_imported_framework_is_invited_and_records_progress(
    browser, page, live_server, world
):
    """Go-live as a new council would: the programme officer uploads the workbook, confirms,
    invites everyone it added; its new director sets a password from the email and updates."""
    mail.outbox.clear()
    sign_in(page, live_server, world.team.email, PASSWORD)
    page.goto(f"{live_server.url}/framework/load/")
    page.get_by_label("Upload a framework file").set_input_files(
        {"name": "anytown.xlsx", "mimeType": XLSX, "buffer": anytown_workbook()}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import of anytown.xlsx")
    expect(page.locator("main")).to_contain_text(
        "dana.director@anytown.example will be added as a service director"
    )
    page.get_by_label("Why are you importing this file?").fill("Anytown goes live")
    page.get_by_role("button", name="Import the framework").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Framework imported from anytown.xlsx"
    )
    added = page.get_by_role("region", name="People added by this import, table")
    director_row = added.get_by_role("row", name=re.compile("dana.director@anytown.example"))
    expect(director_row).to_contain_text("Service director")
    expect(director_row).to_contain_text("Leisure and culture")
    expect(director_row).to_contain_text("Not invited")
    assert mail.outbox == []  # importing invites nobody by itself
    assert_accessible(page)

    page.get_by_role("button", name="Invite everyone just added").click()
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("people added by this import")
    expect(director_row).to_contain_text("Invited, not accepted yet")
    expect(page.get_by_role("button", name="Invite everyone just added")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Everyone this import added has been invited.")
    assert_accessible(page)
    invited = sorted(m.to[0] for m in mail.outbox)
    assert "dana.director@anytown.example" in invited
    assert len(invited) == len(set(invited))  # one email each

    # The new director, in their own browser, opens the link from the email.
    context = browser.new_context()
    director = context.new_page()
    director.goto(
        invitation_link("dana.director@anytown.example").replace(
            "http://127.0.0.1:8000", live_server.url
        )
    )
    expect(director.get_by_role("heading", level=1)).to_have_text("Set your password")
    expect(director.locator("main")).to_contain_text(
        "as a service director for Leisure and culture."
    )
    director.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    director.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    director.get_by_role("button", name="Set password and sign in").click()
    expect(director.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your password has been set and you are signed in"
    )
    director.get_by_role("link", name=re.compile("LEIS-01")).first.click()
    panel = director.locator("#progress-panel")
    panel.get_by_label("At risk").check()
    panel.get_by_label("% complete").fill("45")
    panel.get_by_label("Progress this quarter").fill("Two pools signed up; a third is closed")
    panel.get_by_role("button", name="Save progress").click()
    expect(panel.locator(".govuk-notification-banner--success")).to_contain_text(
        "Progress saved: at risk, 45% complete."
    )
    assert_accessible(director)
    update = Action.objects.get(ref="LEIS-01").updates.get()
    assert update.author.email == "dana.director@anytown.example"
    context.close()

    page.reload()
    expect(director_row).to_contain_text("Accepted")


def test_with_single_sign_on_required_the_team_sees_who_has_a_password_and_resets_two_step(
    page, live_server, world, settings
):
    sign_in(page, live_server, world.team.email, PASSWORD)
    settings.SSO_REQUIRED = True  # after signing in: no password is accepted from now on
    TOTPDevice.objects.create(user=world.director, name="Phone", confirmed=True)
    page.goto(f"{live_server.url}/people/")
    expect(page.locator("#passwords")).to_contain_text("people still have passwords from before")
    assert_accessible(page)
    page.get_by_role("link", name="Show who has a password").click()
    table = page.get_by_role("region", name="People, table")
    expect(table.get_by_role("row", name=re.compile("Hana Osei"))).to_contain_text("Yes")
    expect(page.get_by_label("Password")).to_have_value("yes")
    assert_accessible(page)

    table.get_by_role("link", name="Hana Osei").click()
    page.get_by_role("link", name="Reset two-step sign-in for Hana Osei").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Reset two-step sign-in for Hana Osei"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Reset two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hana Osei")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Two-step sign-in reset for Hana Osei"
    )
    expect(page.locator("main")).to_contain_text("Not set up")
    assert_accessible(page)
    assert not TOTPDevice.objects.filter(user=world.director).exists()


def test_a_locked_account_is_told_plainly_and_the_team_unlocks_it(
    browser, page, live_server, world
):
    page.goto(f"{live_server.url}/sign-in/")
    for _ in range(10):
        page.get_by_label("Email address").fill(world.lead.email)
        page.get_by_label("Password", exact=True).fill("wrong")
        page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        "There have been too many attempts to sign in with this email address."
    )
    expect(summary).to_be_focused()
    assert_accessible(page)

    context = browser.new_context()
    team = context.new_page()
    sign_in(team, live_server, world.team.email, PASSWORD)
    team.goto(f"{live_server.url}/people/")
    expect(team.locator("main")).to_contain_text("Locked after failed sign-ins")
    assert_accessible(team)
    team.get_by_role("button", name=f"Unlock {world.lead.email}").click()
    expect(team.locator(".govuk-notification-banner--success")).to_contain_text(
        "lead@council.example can sign in again"
    )
    context.close()
    sign_in(page, live_server, world.lead.email, PASSWORD)


def test_forgotten_and_changed_passwords(page, live_server, world):
    mail.outbox.clear()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    assert_accessible(page)
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    assert_accessible(page)
    page.get_by_label("Email address").fill(world.lead.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    path = re.search(r"http://[^/]+(/sign-in/reset-password/\S+/)", mail.outbox[0].body).group(1)
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set a new password")
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your password has been changed"
    )
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    assert_accessible(page)

    sign_in(page, live_server, world.lead.email, NEW_PASSWORD)
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    assert_accessible(page)
    page.get_by_label("Current password").fill("wrong")
    page.get_by_label("New password", exact=True).fill(PASSWORD + "-new-2026")
    page.get_by_label("Confirm new password").fill(PASSWORD + "-new-2026")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Your current password is not right"
    )
    assert_accessible(page)


def test_deactivating_shows_what_will_happen_first(page, live_server, world):
    sign_in(page, live_server, world.team.email, PASSWORD)
    page.goto(f"{live_server.url}/people/{world.lead.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Change roles and areas").click()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Deactivate").click()
    expect(page.locator("main")).to_contain_text("HOU-01 Diverse housing panels")
    assert_accessible(page)
    page.get_by_role("button", name="Deactivate").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are deactivating them"
    )
    assert_accessible(page)
    page.get_by_label("Why are you deactivating them?").fill("Left the council")
    page.get_by_role("button", name="Deactivate").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "has been deactivated"
    )
    assert not User.objects.get(pk=world.lead.pk).is_active
    expect(page.get_by_role("button", name="Reactivate")).to_be_visible()
    assert_accessible(page)


def test_the_timeout_warning_opens_before_the_session_ends_and_stay_signed_in_renews_it(
    page, live_server, world, settings
):
    settings.SESSION_COOKIE_AGE = 123  # the warning comes 120 seconds before the end
    sign_in(page, live_server, world.director.email, PASSWORD)
    dialog = page.locator("#app-timeout-dialog")
    expect(dialog).to_be_visible(timeout=10_000)
    expect(dialog).to_contain_text("You’re about to be signed out")
    expect(page.locator("#app-timeout-heading")).to_be_focused()
    assert_accessible(page)
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
