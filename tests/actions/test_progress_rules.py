"""The progress rules, stated once (actions.services.progress_problems): the form the page shows
and the service that saves an update say the same thing for the same input."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actions import services
from actions.forms import ProgressForm
from actions.models import ProgressUpdate, Status

pytestmark = pytest.mark.django_db

CASES = [
    (Status.OFF_TRACK, 40, "  ", "", {"narrative": "Explain why the action is off track"}),
    (Status.CLOSED, 40, "", " ", {"closed_reason": "Enter the reason for closing the action"}),
    (Status.COMPLETE, 90, "", "", {"progress": "An action that is complete must be 100% complete"}),
]


@pytest.mark.parametrize(("status", "progress", "narrative", "closed_reason", "problems"), CASES)
def test_each_rule_names_its_field_and_says_what_to_do(
    status, progress, narrative, closed_reason, problems
):
    found = services.progress_problems(
        status=status, progress=progress, narrative=narrative, closed_reason=closed_reason
    )
    assert found == problems


def test_an_update_that_keeps_the_rules_has_no_problems():
    for status, progress, narrative, reason in [
        (Status.OFF_TRACK, 40, "Contractor left", ""),
        (Status.CLOSED, 40, "", "Superseded by HOU-07"),
        (Status.COMPLETE, 100, "", ""),
        (Status.ON_TRACK, 0, "", ""),
    ]:
        assert not services.progress_problems(
            status=status, progress=progress, narrative=narrative, closed_reason=reason
        )


def test_per_cent_complete_outside_0_to_100_is_refused_and_values_not_given_are_not_checked():
    assert services.progress_problems(status=Status.ON_TRACK, progress=101) == {
        "progress": "Enter % complete as a whole number from 0 to 100"
    }
    assert services.progress_problems(status=Status.COMPLETE, progress=None) == {}
    assert services.progress_problems(status=None, progress=None) == {}


@pytest.mark.parametrize(("status", "progress", "narrative", "closed_reason", "problems"), CASES)
def test_the_form_and_the_service_refuse_alike(
    world, status, progress, narrative, closed_reason, problems
):
    action = world.action
    action.status = Status.ON_TRACK  # from which each of the cases' statuses may follow
    action.save()
    form = ProgressForm(
        {
            "version": action.version,
            "status": status,
            "progress": progress,
            "narrative": narrative,
            "closed_reason": closed_reason,
        },
        action=action,
    )
    assert not form.is_valid()
    assert {field: errors for field, errors in form.errors.items()} == {
        field: [message] for field, message in problems.items()
    }
    with pytest.raises(ValidationError) as error:
        services.record_progress(
            action=action,
            user=world.director,
            status=status,
            progress=progress,
            narrative=narrative,
            closed_reason=closed_reason,
            seen_version=action.version,
        )
    assert error.value.message_dict == {field: [message] for field, message in problems.items()}
    assert not ProgressUpdate.objects.exists()


def test_the_database_backs_up_the_off_track_rule(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.create(
            action=world.action, status=Status.OFF_TRACK, progress=10, narrative=""
        )
