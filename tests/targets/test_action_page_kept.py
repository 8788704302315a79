"""The action page's targets and outcomes are drawn once for each state of their data and kept
(targets/action_page.py): a second look costs fewer queries, and any change shows at once."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from targets import services as target_services
from targets.models import Measurement, Target
from tests import factories
from tests.reporting.stocktake_world import html_text, measure
from tests.webforms import clock_moved_on, form_to, without_per_request

pytestmark = pytest.mark.django_db

PAGE = reverse("action-detail", args=["HOU-01"])
MARCH = datetime.date(2026, 3, 31)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def record_latest_value(world, value: Decimal) -> None:
    """The director records the numeric target's latest value (HOU-T02, in staff)."""
    target = Target.objects.get(pk=world.numeric.pk)
    target_services.update_target(
        target=target,
        user=world.director,
        status=target.status,
        current_value=value,
        met_on=None,
        seen_version=target.version,
    )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries]


def test_a_second_look_reads_no_targets_and_shows_the_same_page(client, world, monkeypatch):
    measure(world.outcome, world.director, MARCH, 100, [("White", 60)])
    client.force_login(world.director)
    first, first_sql = queries_for(client, PAGE)
    clock_moved_on(monkeypatch, 1.5)  # a slow run: the second look comes seconds later
    second, second_sql = queries_for(client, PAGE)
    assert any('"targets_measurement"' in sql for sql in first_sql)
    assert not any('FROM "targets_measurement"' in sql for sql in second_sql)
    assert len(second_sql) < len(first_sql)

    assert without_per_request(second.content) == without_per_request(first.content)
    # Each page carries a token of its own, never the text that stands for it while kept.
    assert "csrf-token-of-this-request" not in second.content.decode()
    assert len(TOKEN.findall(second.content.decode())) == len(TOKEN.findall(first.content.decode()))


def test_a_value_added_from_a_kept_page_is_saved_and_shown(web, world):
    app = web(world.director)
    app.get(PAGE)
    kept = app.get(PAGE)  # drawn from what was kept: its forms must still post (CSRF)
    form = form_to(kept, reverse("measurement-add", args=["HOU-O01"]))
    form["m-HOU-O01-period_end_day"] = "31"
    form["m-HOU-O01-period_end_month"] = "3"
    form["m-HOU-O01-period_end_year"] = "2026"
    form["m-HOU-O01-value"] = "321"
    response = form.submit().follow()
    assert "321" in html_text(response.text)
    assert "321" in html_text(app.get(PAGE).text)


def test_a_target_saved_from_a_kept_page_is_shown_at_once(web, world):
    app = web(world.director)
    app.get(PAGE)
    form = form_to(app.get(PAGE), reverse("target-progress", args=["HOU-T01"]))
    form["t-HOU-T01-status"] = "met"
    form["t-HOU-T01-met_on_day"] = "1"
    form["t-HOU-T01-met_on_month"] = "7"
    form["t-HOU-T01-met_on_year"] = "2021"
    form.submit().follow()
    assert Target.objects.get(pk=world.milestone.pk).status == "met"
    assert "Met on 1 July 2021" in html_text(app.get(PAGE).text)


def test_a_change_made_elsewhere_shows_on_the_next_look(client, world):
    client.force_login(world.board)
    assert "Not recorded yet" in html_text(client.get(PAGE).content.decode())
    record_latest_value(world, Decimal(12))
    assert "12 staff" in html_text(client.get(PAGE).content.decode())


def test_a_progress_save_leaves_the_kept_targets_and_shows_the_progress(client, world):
    client.force_login(world.director)
    client.get(PAGE)
    factories.progress_saved(world.action, world.director, "Half the panels are running")
    response, sql = queries_for(client, PAGE)
    assert "Half the panels are running" in html_text(response.content.decode())
    assert not any('FROM "targets_measurement"' in q for q in sql)


def test_what_one_person_may_correct_is_never_shown_to_another(client, world):
    measure(world.outcome, world.director, MARCH, 100)
    recorded = Measurement.objects.get(outcome=world.outcome)
    correct = reverse("measurement-correct", args=[recorded.pk])
    client.force_login(world.director)
    assert correct in client.get(PAGE).content.decode()
    # The lead officer may update the action too, but did not record the value.
    client.force_login(world.lead)
    page = client.get(PAGE).content.decode()
    assert reverse("measurement-add", args=["HOU-O01"]) in page and correct not in page
    client.force_login(world.board)
    assert correct not in client.get(PAGE).content.decode()
    client.force_login(world.team)
    assert correct in client.get(PAGE).content.decode()


def test_a_person_renamed_shows_by_their_new_name(client, world):
    measure(world.outcome, world.director, MARCH, 100)
    record_latest_value(world, Decimal(3))
    client.force_login(world.board)
    assert "Hana Osei" in html_text(client.get(PAGE).content.decode())
    world.director.first_name = "Hannah"
    world.director.save()
    shown = html_text(client.get(PAGE).content.decode())
    assert "Hannah Osei" in shown and "Hana Osei" not in shown


def test_nothing_is_kept_while_another_transaction_is_writing(client, world, monkeypatch):
    from config import data_state
    from targets import action_page

    real = data_state.latest_changes
    monkeypatch.setattr(
        action_page, "latest_changes", lambda tracked: real(tracked)._replace(settled=False)
    )
    measure(world.outcome, world.director, MARCH, 100)
    client.force_login(world.director)
    queries_for(client, PAGE)
    _, sql = queries_for(client, PAGE)
    assert any('FROM "targets_measurement"' in q for q in sql)
