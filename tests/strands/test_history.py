"""Every change is kept, with who made it and why: for an import and for an admin edit."""

import pytest
from django.urls import reverse

from actions.models import Action
from config import roles
from tests import factories
from tests.strands.helpers import rewrite, run_import

pytestmark = pytest.mark.django_db


def test_an_import_records_the_person_and_the_reason(anytown_copy):
    officer = factories.person("officer@council.example", role=roles.PROGRAMME_TEAM)
    run_import(anytown_copy, "--user", "officer@council.example", "--reason", "Annual refresh 2025")
    record = Action.objects.get(ref="LEIS-01").history.earliest()
    assert record.history_type == "+"
    assert record.history_user == officer
    assert record.history_change_reason == "Annual refresh 2025"

    rewrite(anytown_copy, "actions", ",on_track,40,", ",at_risk,40,")
    run_import(anytown_copy, "--user", "officer@council.example", "--reason", "Q2 update")
    latest = Action.objects.get(ref="LEIS-01").history.latest()
    assert (
        latest.history_type,
        latest.status,
        latest.history_user,
        latest.history_change_reason,
    ) == (
        "~",
        "at_risk",
        officer,
        "Q2 update",
    )
    assert latest.prev_record.status == "on_track"


def test_an_import_without_a_reason_records_the_file(anytown_dir):
    run_import(anytown_dir)
    assert (
        Action.objects.get(ref="LEIS-01").history.earliest().history_change_reason
        == "Imported from anytown"
    )


def test_an_unknown_importing_person_is_refused(anytown_dir):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match='no person with the email "ghost@council.example"'):
        call_command("import_framework", str(anytown_dir), "--user", "ghost@council.example")
    assert not Action.objects.exists()


def test_an_admin_edit_records_the_person_and_the_reason(client, anytown_dir):
    run_import(anytown_dir)
    officer = factories.person("officer@council.example", role=roles.PROGRAMME_TEAM)
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    action = Action.objects.get(ref="LEIS-02")
    url = reverse("admin:actions_action_change", args=[action.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Reason for this change" in page.text

    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["characteristics"] = [c for c in data.get("characteristics", [])]
    data.update({"title": "Library outreach on wheels", "change_reason": "Renamed by the Board"})
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )

    latest = Action.objects.get(pk=action.pk).history.latest()
    assert latest.title == "Library outreach on wheels"
    assert latest.history_user == officer
    assert latest.history_change_reason == "Renamed by the Board"

    history_page = client.get(reverse("admin:actions_action_history", args=[action.pk]))
    assert "Renamed by the Board" in history_page.text
