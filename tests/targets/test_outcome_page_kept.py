"""The outcome page's charts and breakdowns are drawn once for each state of their data and kept
(targets/views/outcome.py): a second look costs fewer queries, and any change shows at once."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Status
from targets import services as target_services
from targets.models import Measurement
from tests.reporting.stocktake_world import html_text, measure, progress
from tests.webforms import clock_moved_on, without_per_request

pytestmark = pytest.mark.django_db

PAGE = reverse("outcome-detail", args=["HOU-O01"])
MARCH = datetime.date(2026, 3, 31)
JUNE = datetime.date(2026, 6, 30)


def queries_for(client, url=PAGE):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries]


def test_a_second_look_reads_no_values_and_shows_the_same_page(client, world, monkeypatch):
    measure(world.outcome, world.director, MARCH, 100, [("White", 60)])
    client.force_login(world.board)
    first, first_sql = queries_for(client)
    clock_moved_on(monkeypatch, 1.5)  # a slow run: the second look comes seconds later
    second, second_sql = queries_for(client)
    assert any('FROM "targets_measurement"' in sql for sql in first_sql)
    assert not any('FROM "targets_measurement"' in sql for sql in second_sql)
    assert len(second_sql) < len(first_sql)
    assert without_per_request(second.content) == without_per_request(first.content)
    assert "Period ending 31 March 2026" in html_text(second.content.decode())


def test_a_value_added_shows_on_the_next_look(client, world):
    measure(world.outcome, world.director, MARCH, 100, [("White", 60)])
    client.force_login(world.board)
    assert "Period ending 30 June 2026" not in html_text(client.get(PAGE).content.decode())
    measure(world.outcome, world.director, JUNE, 321, [("White", 200)])
    shown = html_text(client.get(PAGE).content.decode())
    assert "Period ending 30 June 2026" in shown and "321" in shown


def test_a_corrected_value_shows_on_the_next_look(client, world):
    measure(world.outcome, world.director, MARCH, 100)
    client.force_login(world.board)
    assert "Total 100, with no breakdown" in html_text(client.get(PAGE).content.decode())
    target_services.correct_measurement(
        measurement=Measurement.objects.get(outcome=world.outcome),
        user=world.director,
        value=Decimal(140),
        reason="Miscounted",
    )
    assert "Total 140, with no breakdown" in html_text(client.get(PAGE).content.decode())


def test_a_progress_save_leaves_the_kept_breakdowns_and_shows_the_action(client, world):
    measure(world.outcome, world.director, MARCH, 100, [("White", 60)])
    client.force_login(world.board)
    client.get(PAGE)
    progress(world.action, world.director, Status.AT_RISK, 20)
    response, sql = queries_for(client)
    assert "At risk" in html_text(response.content.decode())
    assert not any('FROM "targets_measurement"' in q for q in sql)


def test_what_one_person_may_correct_is_never_shown_to_another(client, world):
    measure(world.outcome, world.director, MARCH, 100)
    correct = reverse("measurement-correct", args=[Measurement.objects.get().pk])
    client.force_login(world.director)
    assert correct in client.get(PAGE).content.decode()
    client.force_login(world.lead)  # did not record the value
    assert correct not in client.get(PAGE).content.decode()
    client.force_login(world.board)
    assert correct not in client.get(PAGE).content.decode()
    client.force_login(world.team)
    assert correct in client.get(PAGE).content.decode()


def test_nothing_is_kept_while_another_transaction_is_writing(client, world, monkeypatch):
    from config import data_state
    from targets.views import outcome

    real = data_state.latest_changes
    monkeypatch.setattr(
        outcome, "latest_changes", lambda tracked: real(tracked)._replace(settled=False)
    )
    measure(world.outcome, world.director, MARCH, 100)
    client.force_login(world.board)
    queries_for(client)
    _, sql = queries_for(client)
    assert any('FROM "targets_measurement"' in q for q in sql)
