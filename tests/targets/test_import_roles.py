"""Importing a framework gives each person named in it the role their column says, and says so."""

import pytest
from django.contrib.auth import get_user_model

from config.roles import LEAD_OFFICER, PROGRAMME_TEAM, SERVICE_DIRECTOR
from strands.models import ServiceArea
from tests import factories
from tests.strands.helpers import rewrite, run_import

pytestmark = pytest.mark.django_db


def roles_of(email: str) -> set[str]:
    person = get_user_model().objects.get(email=email)
    return set(person.groups.values_list("name", flat=True))


def test_each_column_gives_its_role(anytown_dir):
    run_import(anytown_dir)
    # director_email: the service director of that area
    assert roles_of("dana.director@anytown.example") == {SERVICE_DIRECTOR}
    assert ServiceArea.objects.get(ref="LEIS").director.email == "dana.director@anytown.example"
    # owner_email: an action's owner is a service director
    assert roles_of("pat.partner@anytown.example") == {SERVICE_DIRECTOR}
    # lead_email: a lead officer
    assert roles_of("lee.lead@anytown.example") == {LEAD_OFFICER}


def test_the_dry_run_says_who_will_be_added_and_with_which_role(anytown_dir):
    output = run_import(anytown_dir, "--dry-run", "-v", "2")
    assert "people: 4 people will be added: 3 service directors, 1 lead officer" in output
    assert (
        "people: lee.lead@anytown.example will be added as a lead officer "
        "(without a password until invited)"
    ) in output
    assert not get_user_model().objects.filter(email__endswith="@anytown.example").exists()


def test_someone_already_known_gains_the_role_and_the_report_says_so(anytown_dir):
    factories.person("lee.lead@anytown.example", role=SERVICE_DIRECTOR)
    output = run_import(anytown_dir, "--dry-run", "-v", "2")
    assert (
        "people: lee.lead@anytown.example will also be a lead officer (now service director)"
        in output
    )
    run_import(anytown_dir)
    assert roles_of("lee.lead@anytown.example") == {SERVICE_DIRECTOR, LEAD_OFFICER}
    person = get_user_model().objects.get(email="lee.lead@anytown.example")
    latest = person.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason.endswith("given the lead officer role")


def test_the_programme_team_is_not_given_a_role_it_does_not_need(anytown_dir):
    factories.person("lee.lead@anytown.example", role=PROGRAMME_TEAM)
    output = run_import(anytown_dir, "--dry-run", "-v", "2")
    assert "lee.lead@anytown.example" not in output
    run_import(anytown_dir)
    assert roles_of("lee.lead@anytown.example") == {PROGRAMME_TEAM}


def test_roles_never_shrink_silently_a_director_replaced_is_listed(anytown_copy):
    run_import(anytown_copy)
    rewrite(
        anytown_copy, "service_areas", "Dana.Director@Anytown.example", "new.head@anytown.example"
    )
    output = run_import(anytown_copy, "--dry-run", "-v", "2")
    assert (
        "people: dana.director@anytown.example will no longer be the director of Leisure and "
        "culture (LEIS); they keep their roles until the programme team changes them"
    ) in output
    run_import(anytown_copy)
    assert roles_of("dana.director@anytown.example") == {SERVICE_DIRECTOR}
    assert roles_of("new.head@anytown.example") == {SERVICE_DIRECTOR}


def test_a_command_line_import_is_recorded_against_the_framework_import_account(anytown_dir):
    run_import(anytown_dir)
    area = ServiceArea.objects.get(ref="LEIS")
    record = area.history.earliest("history_date")
    assert record.history_user is not None
    assert record.history_user.display_name == "Framework import"
    assert not record.history_user.is_active
    assert not record.history_user.has_usable_password()
    person = get_user_model().objects.get(email="dana.director@anytown.example")
    assert person.history.earliest("history_date").history_user == record.history_user


def test_a_new_director_can_update_their_action_after_import(anytown_dir, client):
    run_import(anytown_dir)
    person = get_user_model().objects.get(email="jo.jobs@anytown.example")
    person.set_password("a-long-enough-password")
    person.save()
    client.force_login(person)
    page = client.get("/actions/JOBS-01/")
    assert page.status_code == 200
    assert "Record progress" in page.text
