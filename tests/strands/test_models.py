"""The rules the data obeys, held by the database where it can hold them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actions.models import Action, Challenge, ProgressUpdate, ReportingCycle, Status
from targets.models import Measurement, Outcome, Target
from tests import factories

pytestmark = pytest.mark.django_db


def refused(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_refs_are_unique():
    factories.strand("LEAD")
    refused(lambda: factories.strand("LEAD"))


def test_progress_must_be_between_0_and_100():
    action = factories.action()
    action.progress = 101
    refused(action.save)
    action.refresh_from_db()
    action.progress = 100
    action.save()
    assert Action.objects.get(pk=action.pk).progress == 100


def test_status_must_be_a_known_code():
    action = factories.action()
    action.status = "green"
    refused(action.save)


def test_due_date_cannot_be_before_start_date():
    import datetime

    refused(
        lambda: factories.action(
            start_date=datetime.date(2021, 6, 1), due_date=datetime.date(2021, 5, 1)
        )
    )


def test_a_numeric_target_needs_a_target_value():
    refused(lambda: factories.target(kind=Target.Kind.NUMERIC))
    numeric = factories.target(kind=Target.Kind.NUMERIC, target_value=Decimal("25"))
    assert numeric.is_numeric


def test_a_qualitative_outcome_has_no_unit_or_target():
    refused(lambda: factories.outcome(unit="count"))
    refused(lambda: factories.outcome(target_value=Decimal("5")))
    assert factories.outcome(indicator="People into work", unit="count", target_value=1000)


def test_shares_are_percentages_for_a_named_group():
    refused(lambda: factories.outcome(indicator="x", group="BAME", group_share=Decimal("120")))
    refused(lambda: factories.outcome(indicator="x", benchmark_share=Decimal("30")))
    ok = factories.outcome(indicator="x", group="BAME", group_share=50, benchmark_share=30)
    assert Outcome.objects.get(pk=ok.pk).group_share == 50


def test_a_measurement_belongs_to_exactly_one_indicator():
    import datetime

    outcome = factories.outcome(indicator="x", unit="count")
    target = factories.target(kind="numeric", target_value=10)
    day = datetime.date(2021, 3, 31)
    refused(lambda: Measurement.objects.create(period_end=day, value=1))
    refused(
        lambda: Measurement.objects.create(outcome=outcome, target=target, period_end=day, value=1)
    )
    Measurement.objects.create(outcome=outcome, period_end=day, value=10)
    refused(lambda: Measurement.objects.create(outcome=outcome, period_end=day, value=11))
    Measurement.objects.create(
        outcome=outcome, period_end=day, value=4, dimension="ethnicity", group="Black"
    )
    assert outcome.measurements.count() == 2


def test_turning_off_track_needs_a_narrative():
    action = factories.action()
    author = factories.person()
    refused(
        lambda: ProgressUpdate.objects.create(
            action=action, status=Status.OFF_TRACK, progress=10, narrative="", author=author
        )
    )
    ProgressUpdate.objects.create(
        action=action,
        status=Status.OFF_TRACK,
        progress=10,
        narrative="Supplier failed",
        author=author,
    )


def test_an_answered_challenge_has_a_response():
    action = factories.action()
    board = factories.person()
    refused(
        lambda: Challenge.objects.create(
            action=action, question="Why?", raised_by=board, state="answered"
        )
    )


def test_a_cycle_closes_after_it_starts():
    import datetime

    refused(
        lambda: ReportingCycle.objects.create(
            name="Q1", start_date=datetime.date(2021, 4, 1), close_date=datetime.date(2021, 3, 1)
        )
    )


def test_model_validation_explains_a_bad_ref():
    action = factories.action()
    action.ref = "HOU 03"
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "letters, numbers, hyphens" in str(error.value)


def test_an_action_without_an_owner_belongs_to_its_area_director():
    director = factories.person()
    area = factories.service_area(director=director)
    action = factories.action(area=area)
    assert action.responsible_owner == director
    other = factories.person()
    action.owner = other
    assert action.responsible_owner == other
