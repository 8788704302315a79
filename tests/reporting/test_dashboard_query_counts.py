"""The dashboard and the outcome page make the same number of queries whatever the size."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions import services
from actions.models import Action, Challenge, Characteristic, ReportingCycle
from config import roles
from targets import services as target_services
from targets.models import Outcome, Target
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return (
        factories.person("d@council.example", role=roles.SERVICE_DIRECTOR),
        factories.person("b@council.example", role=roles.PROGRAMME_BOARD),
    )


def build(scale: int, director, board):
    """`scale` areas, each with 4 actions (updated, late, overdue targets, challenges) and two
    measured outcomes with breakdowns over `scale` + 1 periods; every change with history."""
    today = timezone.localdate()
    strand = factories.strand(ref=f"S{Action.objects.count()}")
    race = Characteristic.objects.get(code="race")
    for _ in range(scale):
        area = factories.service_area(strand_=strand, director=director)
        shared = factories.outcome(
            area=area,
            indicator="People helped",
            unit="count",
            direction="increase",
            dimension="ethnicity",
            group="Black",
            group_share=Decimal(40),
            target_value=Decimal(100),
        )
        plain = factories.outcome(area=area, indicator="Visits", unit="count")
        factories.outcome(area=area)  # described in words only
        for n in range(4):
            action = factories.action(area=area)
            action.characteristics.add(race)
            target = factories.target(
                action_=action,
                kind="numeric",
                target_value=Decimal(10),
                due_date=today + datetime.timedelta(days=30 * n - 40),
            )
            shared.targets.add(target)
            if n % 2:
                target_services.update_target(
                    target=target,
                    user=director,
                    status=Target.Status.MET,
                    met_on=today,
                    current_value=Decimal(10),
                    seen_version=target.version,
                )
            if n != 3:
                services.record_progress(
                    action=action,
                    user=director,
                    status="on_track",
                    progress=10 * n,
                    narrative="Going well",
                    seen_version=action.version,
                    when=timezone.now() - datetime.timedelta(days=20 * n),
                )
            Challenge.objects.create(action=action, question="Why?", raised_by=board)
        for k in range(scale + 1):
            period = datetime.date(2020 + k, 3, 31)
            for outcome in (shared, plain):
                target_services.add_measurement(
                    indicator=outcome,
                    user=director,
                    period_end=period,
                    total=Decimal(100 + k),
                    dimension="ethnicity",
                    breakdown=[("Black", Decimal(30 + k)), ("White", Decimal(70))],
                )
    ReportingCycle.objects.get_or_create(
        name="Now",
        defaults={
            "start_date": today - datetime.timedelta(days=30),
            "close_date": today - datetime.timedelta(days=1),
        },
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


URLS = [
    "/dashboard/",
    "/dashboard/?status=on_track&characteristic=race",
    "/dashboard/?update=late&since=2020-01-01",
]


@pytest.mark.parametrize("url", URLS)
def test_the_dashboard_makes_the_same_queries_at_two_sizes(client, people, url):
    director, board = people
    client.force_login(board)
    build(1, director, board)
    small = count_queries(client, url)
    build(4, director, board)
    assert Action.objects.count() == 20 and Outcome.objects.count() == 15
    large = count_queries(client, url)
    assert small == large
    # Drawing: the cache's one version query, the session renewed (three statements), then the
    # figures.
    assert small <= 28


def test_the_outcome_page_makes_the_same_queries_at_two_sizes(client, people):
    director, board = people
    client.force_login(board)
    build(1, director, board)
    first = Outcome.objects.exclude(group="").order_by("id").first()
    small = count_queries(client, f"/outcomes/{first.ref}/")
    build(4, director, board)
    last = Outcome.objects.exclude(group="").order_by("id").last()  # more periods and targets
    assert last.measurements.count() > first.measurements.count()
    large = count_queries(client, f"/outcomes/{last.ref}/")
    assert small == large
    # including the session's renewal on every request (the idle limit), and the category lists
    assert small <= 11


@pytest.mark.parametrize("url", ["/dashboard/mine/", "/dashboard/mine/?status=on_track"])
def test_a_directors_dashboard_makes_the_same_queries_at_two_sizes(client, people, url):
    director, board = people
    client.force_login(director)
    build(1, director, board)
    small = count_queries(client, url)
    build(4, director, board)
    large = count_queries(client, url)
    assert small == large
    assert small <= 30  # the Board's figures, and the director's areas read once
