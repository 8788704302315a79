"""Every main page, as each role sees it, uses each element id once.

A repeated id breaks a label (clicking "Met" under a target once selected "At risk" in Record
progress, because both radios were id_status_0), an error summary's link, or an HTMX target. The walk
also fails if an in-page link ("#id") points at nothing, and runs each action-page form's error
state, where the error summary adds links.
"""

import datetime

import pytest
from django.urls import reverse

from actions import challenges
from actions.models import ReportingCycle
from tests.html_ids import broken_links, duplicate_ids, element_ids
from tests.reporting.stocktake_world import draft, published, stocktake_world_fixture  # noqa: F401
from tests.webforms import HX, assert_links_resolve, form_to

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def busy_world(stocktake_world):
    """The test world with something on every page: progress and values (stocktake_world), an
    open cycle, an answered challenge and an open one, a published 2026 stocktake and a 2027 draft."""
    world = stocktake_world.world
    cycle = ReportingCycle.objects.create(
        name="2026 Q3",
        start_date=TODAY - datetime.timedelta(days=10),
        close_date=TODAY + datetime.timedelta(days=10),
    )
    answered = challenges.raise_challenge(
        action=world.action, user=world.board, question="Who sits on the panels?"
    )
    challenges.answer_challenge(challenge=answered, user=world.lead, response="Tenants.")
    challenges.raise_challenge(
        action=world.action, user=world.board, question="And the older tenants?"
    )
    baseline = published(2026, by=world.team)
    draft(2027, baseline=baseline)
    world.cycle = cycle
    return world


def pages_for(world) -> dict[str, tuple[object, list[str]]]:
    action, outcome = "/actions/HOU-01/", f"/outcomes/{world.outcome.ref}/"
    return {
        "public": (
            None,
            [
                "/sign-in/",
                "/accessibility/",
                "/public/stocktakes/",
                "/public/stocktakes/2026/",
                "/public/stocktakes/2026/data/",
            ],
        ),
        "director": (
            world.director,
            ["/my-actions/", action, "/actions/HOU-02/", outcome, "/framework/"],
        ),
        "lead officer": (world.lead, ["/my-actions/", action, "/framework/"]),
        "board": (
            world.board,
            ["/dashboard/", "/challenges/", action, outcome, "/framework/", "/accessibility/"],
        ),
        "programme team": (
            world.team,
            [
                "/dashboard/",
                "/framework/",
                "/framework/load/",
                "/cycles/",
                "/cycles/new/",
                reverse("cycle-detail", args=[world.cycle.pk]),
                "/challenges/",
                action,
                outcome,
                "/stocktakes/",
                "/stocktakes/2026/",
                "/stocktakes/2027/",
                "/stocktakes/2027/preview/",
                "/stocktakes/2027/publish/",
            ],
        ),
    }


def test_every_main_page_uses_each_id_once_for_every_role(web, busy_world):
    walked = 0
    problems = []
    for role, (person, urls) in pages_for(busy_world).items():
        app = web(person)
        for url in urls:
            page = app.get(url)
            assert page.status_code == 200, f"{role} {url}: {page.status_code}"
            assert "main-content" in element_ids(page.text), f"{role} {url} is not a page"
            if duplicate_ids(page.text):
                problems.append(f"{role} {url}: ids used twice or more {duplicate_ids(page.text)}")
            if broken_links(page.text):
                problems.append(f"{role} {url}: links to no one element {broken_links(page.text)}")
            walked += 1
    assert not problems, "\n".join(problems)
    assert walked == 33


def test_the_action_page_shows_every_form_to_its_editor(web, busy_world):
    """The walk above covers the forms: the director's action page holds all of them."""
    page = web(busy_world.director).get("/actions/HOU-01/")
    actions = {form.action.partition("#")[0] for form in page.forms.values()}  # as sent
    assert {
        "/actions/HOU-01/progress/",
        "/actions/HOU-01/lead-officer/",
        "/targets/HOU-T01/progress/",
        "/targets/HOU-T02/progress/",
        "/indicators/HOU-T02/measurements/",
        f"/indicators/{busy_world.outcome.ref}/measurements/",
        "/sign-out/",
    } <= actions
    assert any(url.startswith("/challenges/") and url.endswith("/answer/") for url in actions)


# Each form of the action page sent empty, without JavaScript (the whole page) and with HTMX.
EMPTY_SUBMISSIONS = [
    ("director", "/actions/HOU-01/progress/", {"progress": ""}),
    ("director", "/targets/HOU-T01/progress/", {"t-HOU-T01-status": "met"}),
    ("director", "/targets/HOU-T02/progress/", {"t-HOU-T02-current_value": "lots"}),
    ("director", "/indicators/HOU-T02/measurements/", {}),
    ("director", "/indicators/HOU-O01/measurements/", {"m-HOU-O01-value": ""}),
    ("board", "/actions/HOU-01/challenges/", {}),
]


@pytest.mark.parametrize("headers", [{}, HX], ids=["whole-page", "htmx"])
@pytest.mark.parametrize(("role", "url", "data"), EMPTY_SUBMISSIONS)
def test_an_action_page_form_in_error_keeps_ids_unique_and_links_to_its_fields(
    web, busy_world, role, url, data, headers
):
    person = busy_world.director if role == "director" else busy_world.board
    form = form_to(web(person).get("/actions/HOU-01/"), url)
    for name, value in data.items():
        form[name] = value
    response = form.submit(headers=headers, status=422)
    assert "govuk-error-summary" in response.text
    assert ("<html" in response.text) is not bool(headers)
    assert_links_resolve(response)
