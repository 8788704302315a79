"""The action page shows each linked outcome's charts (the outcome page's own, with their tables),
links to the outcome page, and offers "Correct" beside a value to whoever may correct it."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from targets.models import Measurement
from tests import factories
from tests.reporting.stocktake_world import html_text, measure

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 31)
BLACK = "Black, Asian and Minority Ethnic"


def action_page(client, ref="HOU-01") -> str:
    response = client.get(reverse("action-detail", args=[ref]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_linked_outcome_shows_its_trend_and_group_shares_with_their_tables(as_user, world):
    measure(world.outcome, world.director, datetime.date(2025, 3, 31), 80, [(BLACK, 20)])
    measure(world.outcome, world.director, MARCH, 100, [(BLACK, 31), ("White", 60)])
    page = action_page(as_user(world.board))
    text = html_text(page)
    assert 'id="trend-chart-HOU-O01"' in page
    assert "HOU-O01: People into work" in text
    assert 'id="shares-chart-HOU-O01"' in page
    assert "HOU-O01: each group's share, period ending 31 March 2026" in text
    # The tables of the charts' numbers: both periods of the trend, each group's share.
    assert text.count("The numbers in the chart") == 2
    assert "31 March 2025 80" in text and "31 March 2026 100" in text
    assert f"{BLACK} 31% at least 50% Under-represented" in text
    link = reverse("outcome-detail", args=["HOU-O01"])
    assert f'href="{link}"' in page
    assert as_user(world.board).get(link).status_code == 200


def test_an_outcome_without_values_has_no_chart_but_still_its_link(as_user, world):
    page = action_page(as_user(world.director))
    assert 'id="trend-chart-HOU-O01"' not in page
    assert "No values have been recorded yet." in html_text(page)
    assert f'href="{reverse("outcome-detail", args=["HOU-O01"])}"' in page


def test_the_charts_are_those_of_the_outcome_page(as_user, world):
    measure(world.outcome, world.director, MARCH, 100, [(BLACK, 31), ("White", 60)])
    client = as_user(world.board)
    action = action_page(client)
    outcome = client.get(reverse("outcome-detail", args=["HOU-O01"])).content.decode()
    for chart_id in ("trend", "shares"):
        start = outcome.index("<svg", outcome.index(f'id="{chart_id}-chart-title"'))
        svg = outcome[start : outcome.index("</svg>", start)]
        assert svg in action


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_action_page_makes_the_same_queries_however_many_outcomes_it_serves(as_user, world):
    measure(world.outcome, world.director, MARCH, 100, [(BLACK, 31), ("White", 60)])
    client = as_user(world.director)
    url = reverse("action-detail", args=["HOU-01"])
    client.get(url)  # roles and the session read once
    one = queries_of(client, url)
    for n in range(4):
        outcome = factories.outcome(
            area=world.housing,
            indicator=f"Measure {n}",
            unit="count",
            dimension="ethnicity",
            group=BLACK,
            group_share=Decimal(40),
        )
        outcome.targets.add(world.numeric)
        measure(outcome, world.director, MARCH, 50 + n, [(BLACK, 10 + n)])
        measure(outcome, world.director, datetime.date(2025, 3, 31), 40 + n, [(BLACK, 9)])
    page = action_page(client)
    assert page.count('id="trend-chart-') == 5
    assert page.count('id="shares-chart-') == 5
    assert queries_of(client, url) == one


@pytest.fixture
def recorded(world):
    measure(world.outcome, world.director, MARCH, 100, [(BLACK, 31), ("White", 60)])
    return Measurement.objects.get(outcome=world.outcome, group=BLACK)


@pytest.mark.parametrize(
    "who, offered",
    [("director", True), ("team", True), ("board", False), ("lead", False)],
)
def test_correct_is_offered_beside_a_value_to_who_recorded_it_and_the_team(
    as_user, world, recorded, who, offered
):
    page = action_page(as_user(getattr(world, who)))
    correct = reverse("measurement-correct", args=[recorded.pk])
    total = Measurement.objects.get(outcome=world.outcome, group="")
    assert (f'href="{correct}"' in page) is offered
    assert (f'href="{reverse("measurement-correct", args=[total.pk])}"' in page) is offered


def test_the_correct_link_leads_to_the_correction_of_that_value(web, world, recorded):
    app = web(world.director)
    page = app.get(reverse("action-detail", args=["HOU-01"]))
    correction = page.click(href=reverse("measurement-correct", args=[recorded.pk]))
    assert "The value recorded now is 31" in html_text(correction.text)
