"""Single sign-on through a real provider, and two-step sign-in with an authenticator app, in a
real browser, with axe on every page of ours."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from config import roles
from tests import factories
from tests.browser.conftest import assert_accessible, current_code
from tests.sso.conftest import PASSWORD as IDP_PASSWORD
from tests.sso.conftest import provider  # noqa: F401 (the test provider, started once)

PASSWORD = "pw-for-tests"


def test_single_sign_on_round_trip(page, live_server, provider):  # noqa: F811
    factories.person("hana.osei@council.example", role=roles.SERVICE_DIRECTOR)
    provider.add_redirect_uris(
        f"{live_server.url}/sign-in/council/callback/", f"{live_server.url}/sign-in/"
    )
    with provider.settings(OIDC_BUTTON_NAME="Islington Council"):
        page.goto(f"{live_server.url}/sign-in/")
        assert_accessible(page)
        page.get_by_role("button", name="Sign in with your Islington Council account").click()
        # The provider's own sign-in page.
        page.get_by_label("Username").fill("hana")
        page.get_by_label("Password").fill(IDP_PASSWORD)
        with page.expect_navigation(url=f"{live_server.url}/my-actions/"):
            page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
        assert_accessible(page)

        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{live_server.url}/sign-in/**")
        expect(page.locator("body")).to_contain_text("You have signed out")

        # Signed out at the provider too: signing in again asks for the provider's password.
        page.get_by_role("button", name="Sign in with your Islington Council account").click()
        expect(page.get_by_label("Username")).to_be_visible()


def test_an_unknown_person_is_told_to_ask_the_programme_team(page, live_server, provider):  # noqa: F811
    provider.add_redirect_uris(f"{live_server.url}/sign-in/council/callback/")
    with provider.settings():
        page.goto(f"{live_server.url}/sign-in/council/")
        page.get_by_label("Username").fill("stranger")
        page.get_by_label("Password").fill(IDP_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("You do not have an account yet")
        expect(page.locator("main")).to_contain_text("Ask the programme team to add you")
        assert_accessible(page)


def test_the_programme_team_sets_up_and_uses_two_step_sign_in(page, live_server):
    team = factories.person("team@council.example", role=roles.PROGRAMME_TEAM)
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(team.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
    assert_accessible(page)

    page.goto(f"{live_server.url}/dashboard/")  # the pages stay shut until it is done
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")

    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)
    page.get_by_text("I cannot scan the QR code").click()
    expect(page.locator(".app-secret-key")).to_be_visible()
    page.get_by_label("Code", exact=True).fill(current_code(team.email))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step sign-in is on")
    expect(page.locator(".app-recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme Board dashboard")

    page.get_by_role("button", name="Sign out").click()
    # A new sign-in in the same 30 seconds would otherwise need the next code.
    TOTPDevice.objects.filter(user=team).update(last_t=-1)
    page.get_by_label("Email address").fill(team.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    assert_accessible(page)
    page.keyboard.press("Tab")  # keyboard only from here
    page.get_by_label("Code", exact=True).fill(current_code(team.email))
    page.get_by_label("Code", exact=True).press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme Board dashboard")
