"""Every main page, as each role sees it, in a real browser: axe (best practices included) finds
nothing at 1280 px and at 375 px, and the pages people use most on a phone fit 320 px.

The pages are tests/test_page_ids.py's walk (a world with something on every page); an empty
world and the product's own error pages are walked too.
"""

import pytest
from django.conf import settings
from django.http import HttpRequest

from config import errors, roles
from tests import factories, test_page_ids
from tests.browser.conftest import assert_accessible, sign_in_as
from tests.reporting.stocktake_world import stocktake_world_fixture  # noqa: F401
from tests.test_page_ids import pages_for

busy_world = test_page_ids.busy_world  # the fixture

NARROWEST = {"width": 320, "height": 800}


def visit(page, live_server, url: str) -> None:
    response = page.goto(f"{live_server.url}{url}")
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"


def test_every_main_page_is_clean_for_every_role_at_desktop_and_phone_widths(
    page, live_server, busy_world
):
    walked, problems = 0, []
    for role, (person, urls) in pages_for(busy_world).items():
        page.context.clear_cookies()
        if person is not None:
            sign_in_as(page, live_server, person)
        for url in urls:
            visit(page, live_server, url)
            try:
                assert_accessible(page)  # at 1280 px and at 375 px
            except pytest.fail.Exception as failure:
                problems.append(f"As {role}: {failure.msg}")
            walked += 1
    assert not problems, "\n".join(problems)
    assert walked == 33


def test_the_pages_are_clean_when_there_is_nothing_to_show(page, live_server):
    """A new council: no framework yet, no cycle, no stocktake."""
    people = {
        "director": factories.person("new.director@council.example", role=roles.SERVICE_DIRECTOR),
        "board": factories.person("new.board@council.example", role=roles.PROGRAMME_BOARD),
        "programme team": factories.person("new.team@council.example", role=roles.PROGRAMME_TEAM),
    }
    urls = {
        "director": ["/my-actions/", "/framework/"],
        "board": ["/dashboard/", "/challenges/", "/framework/"],
        "programme team": ["/dashboard/", "/cycles/", "/stocktakes/", "/challenges/"],
    }
    page.goto(f"{live_server.url}/public/stocktakes/")
    assert_accessible(page)
    for role, person in people.items():
        page.context.clear_cookies()
        sign_in_as(page, live_server, person)
        for url in urls[role]:
            visit(page, live_server, url)
            assert_accessible(page)


def test_the_page_not_found_and_no_permission_pages_are_clean(page, live_server, world):
    assert not settings.DEBUG  # the product's own pages, as a council's users see them
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert_accessible(page)

    sign_in_as(page, live_server, world.director)
    response = page.goto(f"{live_server.url}/stocktakes/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == (
        "You do not have permission to see this page"
    )
    assert_accessible(page)


def test_the_expired_page_and_the_problem_page_are_clean(page, live_server):
    page.goto(f"{live_server.url}/sign-in/")
    page.context.clear_cookies()  # the form's token no longer matches anything
    page.get_by_label("Email address").fill("someone@council.example")
    page.get_by_label("Password", exact=True).fill("a password")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "The page you were using has expired"
    )
    assert_accessible(page)

    # The 500 page as the server sends it, shown at an address of the live server (so its
    # stylesheets load): it is drawn without a request, so it has no script and needs no nonce.
    problem = errors.server_error(HttpRequest())
    page.route(
        f"{live_server.url}/broken/",
        lambda route: route.fulfill(
            status=500, body=problem.content, content_type="text/html; charset=utf-8"
        ),
    )
    page.goto(f"{live_server.url}/broken/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Sorry, there is a problem with the service"
    )
    assert_accessible(page)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("director", "/my-actions/"),
        ("director", "/actions/HOU-01/"),
        ("board", "/dashboard/"),
        ("board", "/framework/"),
        ("programme team", "/framework/"),
    ],
)
def test_the_pages_people_use_on_a_phone_fit_320_px_without_scrolling_sideways(
    page, live_server, busy_world, role, url
):
    person = {
        "director": busy_world.director,
        "board": busy_world.board,
        "programme team": busy_world.team,
    }[role]
    page.set_viewport_size(NARROWEST)
    sign_in_as(page, live_server, person)
    visit(page, live_server, url)
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > 320.5
                         && !e.closest('[role=region][tabindex="0"]'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))"""
    )
    assert width <= NARROWEST["width"], f"{url} is {width} px wide at 320 px: {wide}"
    assert_accessible(page)
