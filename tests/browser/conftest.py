"""Real-browser tests: Playwright driving Debian's Chromium, with axe-core for accessibility.

Fixtures and helpers for every browser test:
  browser                              one Chromium for the session
  page                                 a fresh context and page per test (1280 wide); the test
                                       fails if the page throws a JavaScript error, the
                                       Content-Security-Policy blocks something, or a file under
                                       /static/ is missing
  sign_in(page, live_server, email, password)   signs in through the real sign-in page
  sign_in_as(page, live_server, user)  gives the page a signed-in session (two-step done), for
                                       tests about what comes after signing in
  assert_accessible(page)              runs axe-core (WCAG 2.0, 2.1 and 2.2, A and AA, and axe's
                                       best practices) on the page at its width and at 375 px

Every test in this folder is marked `browser` and django_db(transaction=True,
serialized_rollback=True), so data the test makes is visible to live_server and the roles made by
migrations are there in every test. Without /usr/bin/chromium the tests are skipped, except under
CI=true, where they fail.
"""

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import SignedInClient

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            # The live server reads the database from its own thread, so each test commits
            # (transaction=True) and the database is emptied afterwards; serialized_rollback puts
            # back what migrations made (the four roles' groups and their permissions) first.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not os.path.exists(CHROMIUM):
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"Browser tests cannot run under CI: {reason}", pytrace=False)
        pytest.skip(reason)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        # While Playwright runs, the tests run in a new contextvars context, where Django's
        # connections are new objects; give them the database as migrations left it, or
        # serialized_rollback silently restores nothing and the roles' groups are lost.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

    def check_console(message):
        # The browser reports what the Content-Security-Policy blocked on the console.
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"Blocked by the Content-Security-Policy: {message.text}")

    page.on("console", check_console)

    def check_response(response):
        path = urlparse(response.url).path
        if response.status >= 400 and path.startswith("/static/"):
            problems.append(f"{response.status} for {path}")

    page.on("response", check_response)
    yield page
    context.close()
    if problems:
        pytest.fail("The page had problems:\n  " + "\n  ".join(problems), pytrace=False)


def sign_in(page, live_server, email: str, password: str) -> None:
    """Sign in through the sign-in page, as a person would; fails with the page's message."""
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if urlparse(page.url).path == "/sign-in/":
        summary = page.locator(".govuk-error-summary")
        said = summary.inner_text() if summary.count() else page.title()
        raise AssertionError(f"Signing in as {email} failed: {said}")
    if urlparse(page.url).path in ("/two-step/set-up/", "/sign-in/code/"):
        complete_two_step(page, email)


def sign_in_as(page, live_server, user) -> None:
    """Sign the page in as the person, as after the whole sign-in (see tests/conftest.py's
    SignedInClient), without the sign-in pages: each PBKDF2 check costs a third of a second."""
    client = SignedInClient()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    page.context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )


def current_code(email: str) -> str:
    """The code the person's authenticator app would show now (computed from their device)."""
    device = TOTPDevice.objects.filter(user__email=email).order_by("-id").first()
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


def complete_two_step(page, email: str) -> None:
    """The second step, as a person with the app on their phone would do it."""
    setting_up = urlparse(page.url).path == "/two-step/set-up/"
    page.get_by_label("Code", exact=True).fill(current_code(email))
    button = "Turn on two-step sign-in" if setting_up else "Continue"
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    if setting_up:
        with page.expect_navigation():
            page.get_by_role("link", name="Continue").click()


def assert_accessible(page) -> None:
    """Run axe-core on the page as it is now, at its width and again at a phone's (375 px);
    fail listing each violation, where it is and at which width."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not added as a <script>: the page's
        # Content-Security-Policy rightly refuses an inline script without its nonce.
        page.evaluate(AXE.read_text() + "\n;undefined")
    viewport = page.viewport_size
    widths = [viewport] if viewport["width"] <= PHONE["width"] else [viewport, PHONE]
    violations = []
    for size in widths:
        page.set_viewport_size(size)
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        for violation in results["violations"]:
            violation["width"] = size["width"]
            violations.append(violation)
    page.set_viewport_size(viewport)
    if not violations:
        return
    lines = [f"axe found {len(violations)} accessibility problem(s) on {page.url}:"]
    for violation in violations:
        lines.append(
            f"- at {violation['width']} px, {violation['id']} ({violation['impact']}): "
            f"{violation['help']}"
        )
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " >> ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
    pytest.fail("\n".join(lines), pytrace=False)
