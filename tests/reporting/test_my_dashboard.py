"""A director's dashboard: the service areas they direct, and nothing of any other area. A lead
officer's: the actions they own or lead. (The Programme Board dashboard: test_dashboard_views.)"""

import re

import pytest
from django.urls import reverse

from reporting.dashboard.tables import TABLES
from tests.reporting import dashboard_world as programme

pytestmark = pytest.mark.django_db
dashboard_world = programme.dashboard_world  # the fixture
URL = "/dashboard/mine/"

HEALTH = ["PH-01", "PH-T01", "PH-T02", "PH-O01", "PH-O02", "Public Health", "Diabetes prevention"]
HEALTH += ["When will it recover?"]  # the challenge open on PH-01
EMPLOYER = ["EMP-01", "EMP-T01", "EMP-T02", "Recruitment", "Fair shortlisting"]
HOUSING = ["HOU-01", "HOU-02", "HOU-T01", "HOU-T02", "HOU-O01"]


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def every_download(client, query="") -> str:
    """Every table the dashboard offers, as CSV, in one string."""
    parts = []
    for table in TABLES:
        response = client.get(f"{URL}?{query}&format=csv&table={table}")
        assert response.status_code == 200, table
        parts.append(
            b"".join(response.streaming_content).decode()
            if response.streaming
            else response.content.decode()
        )
    return "\n".join(parts)


def test_the_url_is_that_of_my_dashboard():
    assert reverse("my-dashboard") == URL


def test_a_director_sees_their_own_areas_with_a_heading_saying_so(as_user, dashboard_world):
    response = as_user(dashboard_world.world.director).get(URL)
    assert response.status_code == 200
    shown = text(response)
    assert "<title>Dashboard for Housing" in response.content.decode()
    assert re.search(r"<h1[^>]*>\s*Dashboard for Housing\s*</h1>", response.content.decode())
    assert "This dashboard shows only the service areas you direct" in shown
    assert "For all 2 actions in the service area you direct" in shown
    for ref in HOUSING:
        assert ref in shown, ref
    for words in HEALTH + EMPLOYER:
        assert words not in shown, words


def test_no_figure_of_another_area_is_in_any_download(as_user, dashboard_world):
    downloads = every_download(as_user(dashboard_world.world.director))
    assert "HOU-01" in downloads and "HOU-O01" in downloads
    for words in HEALTH + EMPLOYER:
        assert words not in downloads, words


def test_filters_cannot_reach_another_area(as_user, dashboard_world):
    client = as_user(dashboard_world.world.director)
    for query in ("area=PH", "strand=EMP", "outcome=PH-O01", "q=Diabetes", "owner=1"):
        shown = text(client.get(f"{URL}?{query}"))
        for words in HEALTH + EMPLOYER:
            assert words not in shown, (query, words)
        assert "PH-O01" not in every_download(client, query)


def test_the_other_director_sees_only_public_health(as_user, dashboard_world):
    w = dashboard_world.world
    as_user(w.director).get(URL)  # drawn and kept for Housing first
    shown = text(as_user(w.other_director).get(URL))
    assert "Dashboard for Public Health" in shown
    assert "PH-01" in shown and "PH-O01" in shown and "When will it recover?" in shown
    for words in HOUSING + EMPLOYER:
        assert words not in shown, words


def test_the_boards_dashboard_is_never_served_to_a_director(as_user, dashboard_world):
    w = dashboard_world.world
    assert "PH-01" in text(as_user(w.board).get("/dashboard/"))
    shown = text(as_user(w.director).get(URL))
    assert "PH-01" not in shown


def test_a_lead_officer_sees_the_actions_they_own_or_lead(as_user, dashboard_world):
    response = as_user(dashboard_world.world.lead).get(URL)
    shown = text(response)
    assert "Dashboard for your actions in Recruitment and Housing" in shown
    assert "This dashboard shows only the actions you own or lead" in shown
    assert "HOU-01" in shown and "EMP-01" in shown
    assert "HOU-O01" in shown  # served by HOU-01's target HOU-T02
    for words in ["HOU-02", *HEALTH]:
        assert words not in shown, words


@pytest.mark.parametrize("who", ["board", "team"])
def test_someone_with_no_area_or_action_of_their_own_is_refused(as_user, world, who):
    response = as_user(getattr(world, who)).get(URL)
    assert response.status_code == 403


def test_my_dashboard_is_in_the_navigation_of_directors_and_lead_officers(as_user, world):
    for person, shown in [
        (world.director, True),
        (world.lead, True),
        (world.board, False),
        (world.team, False),
    ]:
        nav = as_user(person).get(reverse("my-actions")).context["nav"]
        assert ("My dashboard", URL) in [(label, url) for label, url, _ in nav] or not shown
        assert ("My dashboard" in [label for label, *_ in nav]) is shown


def test_filtering_my_dashboard_with_htmx_answers_its_body(as_user, dashboard_world):
    client = as_user(dashboard_world.world.director)
    response = client.get(f"{URL}?status=not_started", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert response["HX-Push-Url"] == f"{URL}?status=not_started"
    shown = text(response)
    assert "HOU-02" in shown and "PH-01" not in shown
