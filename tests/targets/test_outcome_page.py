"""An outcome's page: its indicator over time, its breakdown by group, its targets and actions."""

import re
from decimal import Decimal

import pytest

from targets import services as target_services
from tests import factories
from tests.reporting import dashboard_world as programme

pytestmark = pytest.mark.django_db
dashboard_world = programme.dashboard_world  # the fixture


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_page_shows_the_indicator_over_time_and_each_periods_breakdown(
    as_user, dashboard_world
):
    response = as_user(dashboard_world.world.board).get("/outcomes/HOU-O01/")
    assert response.status_code == 200
    page = text(response)
    html = response.content.decode()
    assert "Outcome HOU-O01 · Housing" in page
    assert "Black, Asian and Minority Ethnic should make up 50%" in page
    # The trend chart and the table of its numbers.
    assert html.count('role="img"') == 2  # the trend, and the latest period's shares
    assert "31 December 2025 200 1,000" in page
    assert "31 March 2026 300 1,000" in page
    # Each period's breakdown, newest first, with the share it should have.
    march = page.index("Period ending 31 March 2026")
    december = page.index("Period ending 31 December 2025")
    assert march < december
    assert "Black, Asian and Minority Ethnic 120 40.0% 50% Falls short" in page
    assert "White 180 60.0% – No share set" in page
    assert "Black, Asian and Minority Ethnic 80 40.0% 50% Falls short" in page[december:]


def test_the_page_links_its_targets_and_actions(as_user, dashboard_world):
    page = as_user(dashboard_world.world.board).get("/outcomes/HOU-O01/").content.decode()
    assert 'href="/actions/HOU-01/#target-HOU-T02"' in page
    assert 'href="/actions/HOU-01/"' in page
    assert "HOU-T02" in page and "24 staff trained" in page


def test_an_action_the_person_may_not_see_is_named_but_not_linked(as_user, dashboard_world):
    w = dashboard_world.world
    w.outcome.targets.add(factories.target("PH-T09", action_=w.other_action))
    page = as_user(w.director).get("/outcomes/HOU-O01/").content.decode()
    assert "PH-01" in page
    assert 'href="/actions/PH-01/' not in page
    assert 'href="/actions/HOU-01/' in page


@pytest.mark.parametrize(
    "who, status",
    [("board", 200), ("team", 200), ("director", 200), ("other_director", 404), ("lead", 200)],
)
def test_who_may_see_an_outcome(as_user, world, who, status):
    response = as_user(getattr(world, who)).get("/outcomes/HOU-O01/")
    assert response.status_code == status


def test_a_director_sees_the_outcomes_of_their_own_areas_only(as_user, world):
    factories.outcome("PH-O05", area=world.health, description="Healthier")
    client = as_user(world.director)
    assert client.get("/outcomes/PH-O05/").status_code == 404
    assert as_user(world.other_director).get("/outcomes/PH-O05/").status_code == 200


def test_an_unknown_outcome_is_not_found(as_user, world):
    assert as_user(world.board).get("/outcomes/NOPE/").status_code == 404


def test_anyone_signed_out_is_sent_to_sign_in(client, world):
    response = client.get("/outcomes/HOU-O01/")
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_an_outcome_without_values_or_indicator_says_so(as_user, world):
    client = as_user(world.board)
    page = text(client.get("/outcomes/HOU-O01/"))
    assert "No values have been recorded yet." in page
    assert "No breakdown by group has been recorded yet." in page
    factories.outcome("HOU-O02", area=world.housing, description="A fairer housing register")
    page = text(client.get("/outcomes/HOU-O02/"))
    assert "This outcome has no indicator" in page
    assert "No target is linked to this outcome yet." in page
    assert "No action serves this outcome through a target yet." in page


def test_a_total_without_a_breakdown_is_shown_as_a_total(as_user, world):
    target_services.add_measurement(
        indicator=world.outcome,
        user=world.director,
        period_end=programme.DEC,
        total=Decimal("1234.5"),
    )
    page = text(as_user(world.board).get("/outcomes/HOU-O01/"))
    assert "Total 1,234.5, with no breakdown by group." in page
