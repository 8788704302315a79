"""config.history's two workarounds for django-simple-history: the history manager's class is
made once, and a save's many-to-many history rows are written from one light query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action, Characteristic
from config.history import attribute
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_history_manager_class_is_made_once_and_still_reads_each_objects_history():
    first, second = factories.action(), factories.action()
    assert type(Action.history) is type(first.history) is type(second.history)
    assert list(first.history.values_list("id", flat=True)) == [first.id]
    assert list(second.history.values_list("id", flat=True)) == [second.id]
    assert Action.history.filter(id__in=[first.id, second.id]).count() == 2


def test_each_saves_history_keeps_the_characteristics_it_had_then():
    race, sex = Characteristic.objects.get(code="race"), Characteristic.objects.get(code="sex")
    action = factories.action()
    action.characteristics.set([race, sex])
    user = factories.person("d@council.example")
    attribute(action, user=user, reason="Both")
    action.title = "Both named"
    action.save()
    action.characteristics.remove(sex)
    attribute(action, user=user, reason="One")
    action.title = "One named"
    with CaptureQueriesContext(connection) as queries:
        action.save()
    # The update, its history row, the characteristics' ids, their history rows.
    assert len(queries) == 4
    kept = {
        record.title: sorted(row.characteristic_id for row in record.characteristics.all())
        for record in action.history.all()
    }
    assert kept["Both named"] == ["race", "sex"]
    assert kept["One named"] == ["race"]
    latest = action.history.latest()
    assert latest.history_user == user and latest.history_change_reason == "One"
    row = latest.characteristics.get()
    assert (row.action_id, row.characteristic_id) == (action.id, "race")
    assert row.id == Action.characteristics.through.objects.get(action=action).id
