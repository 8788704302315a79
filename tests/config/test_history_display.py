"""What the history says a change was: numbers as typed, not as stored."""

from decimal import Decimal

import pytest

from config.history_display import entries_for
from targets.models import Target
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_number_is_shown_as_typed_not_with_four_decimal_places():
    target = factories.target(kind=Target.Kind.NUMERIC, target_value=Decimal("24"))
    target.current_value = Decimal("14")
    target.save()
    target.current_value = Decimal("12.5")
    target.save()
    records = list(target.history.order_by("history_date", "history_id"))
    changes = [
        (change.old, change.new)
        for entry in entries_for(records, Target, what=target.ref)
        for change in entry.changes
        if change.label == "Latest value"
    ]
    assert changes == [("(blank)", "14"), ("14", "12.5")]
