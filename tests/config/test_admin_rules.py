"""The admin keeps the rules: no escalation, no rewriting of status or authorship, no saving over
someone else's newer save. Forms are filled as the admin renders them (django-webtest)."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from actions import challenges
from actions import services as action_services
from actions.models import Action, Status
from config import roles
from config.models import User
from tests import factories

pytestmark = pytest.mark.django_db

STALE = "after you opened this form. Nothing has been saved."


@pytest.fixture
def team_admin(world):
    """A programme-team member with the admin (staff), not a superuser."""
    world.team.is_staff = True
    world.team.save()
    return world.team


@pytest.fixture
def superuser(db):
    user = factories.person("root@council.example")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def change_page(django_app, person, model: str, obj):
    return django_app.get(reverse(f"admin:{model}_change", args=[obj.pk]), user=person)


def test_the_programme_team_cannot_make_anyone_a_superuser_or_staff_or_give_permissions(
    django_app, team_admin
):
    page = change_page(django_app, team_admin, "config_user", team_admin)
    form = page.forms["user_form"]
    for name in ("is_superuser", "is_staff", "user_permissions"):
        assert name not in form.fields, name

    # Added to the rendered form by hand, they are ignored: read-only for this person.
    fields = list(form.submit_fields())
    fields += [("is_superuser", "on"), ("is_staff", "on"), ("first_name", "Tess")]
    response = django_app.post(page.request.url, fields, user=team_admin)
    assert response.status_code == 302
    team_admin.refresh_from_db()
    assert team_admin.first_name == "Tess"
    assert not team_admin.is_superuser


def test_the_programme_team_still_gives_people_their_roles(django_app, team_admin, world):
    form = change_page(django_app, team_admin, "config_user", world.lead).forms["user_form"]
    director = Group.objects.get(name=roles.SERVICE_DIRECTOR)
    form["groups"] = [str(director.pk)]
    assert form.submit().status_code == 302
    assert list(world.lead.groups.values_list("name", flat=True)) == [roles.SERVICE_DIRECTOR]


def test_only_a_superuser_sets_another_persons_password(django_app, team_admin, world):
    url = reverse("admin:auth_user_password_change", args=[world.lead.pk])
    response = django_app.get(url, user=team_admin).follow()
    assert "Only a superuser can set another person’s password." in response.text
    assert "Send a password reset link" in response.text
    world.lead.refresh_from_db()
    assert world.lead.check_password("pw-for-tests")


def test_a_superuser_can_set_a_password(django_app, superuser, world):
    url = reverse("admin:auth_user_password_change", args=[world.lead.pk])
    form = django_app.get(url, user=superuser).forms["user_form"]
    form["password1"] = form["password2"] = "a-long-new-passphrase-2026"
    assert form.submit().status_code == 302
    world.lead.refresh_from_db()
    assert world.lead.check_password("a-long-new-passphrase-2026")


def test_the_programme_team_cannot_change_a_superuser(django_app, team_admin, superuser):
    page = change_page(django_app, team_admin, "config_user", superuser)
    assert 'name="_save"' not in page.text  # view only
    response = django_app.post(
        page.request.url, {"email": "me@council.example"}, user=team_admin, expect_errors=True
    )
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.email == "root@council.example"


def test_the_programme_team_adds_a_person_without_a_password(django_app, team_admin):
    form = django_app.get(reverse("admin:config_user_add"), user=team_admin).forms["user_form"]
    assert "password1" not in form.fields
    form["email"] = "New.Person@Council.example"
    form["first_name"] = "New"
    assert form.submit().status_code == 302
    person = User.objects.get(email="new.person@council.example")
    assert not person.has_usable_password()
    assert not person.is_staff


def test_others_send_a_reset_link_from_the_list(django_app, team_admin, world):
    page = django_app.get(reverse("admin:config_user_changelist"), user=team_admin)
    form = page.forms["changelist-form"]
    form["action"] = "send_password_reset_link"
    for checkbox in form.fields["_selected_action"]:
        if checkbox._value == str(world.lead.pk):
            checkbox.checked = True
    response = form.submit().follow()
    assert "Password reset link sent to lead@council.example." in response.text
    [email] = mail.outbox
    assert email.to == ["lead@council.example"]
    assert "/sign-in/reset-password/" in email.body


def test_status_and_progress_are_read_only_in_the_admin(django_app, team_admin, world):
    page = change_page(django_app, team_admin, "actions_action", world.action)
    form = page.forms["action_form"]
    assert "status" not in form.fields and "progress" not in form.fields
    form["title"] = "Diverse housing panels (renamed)"
    assert form.submit().status_code == 302
    target_form = change_page(django_app, team_admin, "targets_target", world.milestone).forms[
        "target_form"
    ]
    for name in ("status", "met_on", "current_value"):
        assert name not in target_form.fields, name


def test_authorship_and_dates_of_updates_challenges_and_entries_are_read_only(
    django_app, team_admin, superuser, world
):
    update = action_services.record_progress(
        action=world.action,
        user=world.director,
        status=Status.ON_TRACK,
        progress=20,
        narrative="Panel recruited",
        seen_version=world.action.version,
    )
    form = change_page(django_app, team_admin, "actions_progressupdate", update).forms[
        "progressupdate_form"
    ]
    for name in ("author", "created_at", "status", "progress", "action"):
        assert name not in form.fields, name
    form["narrative"] = "Panel recruited in May"
    assert form.submit().status_code == 302
    update.refresh_from_db()
    assert update.author == world.director

    challenge = challenges.raise_challenge(
        action=world.action, user=world.board, question="Who is on the panel?"
    )
    challenge_form = change_page(django_app, team_admin, "actions_challenge", challenge).forms[
        "challenge_form"
    ]
    for name in ("raised_by", "raised_at", "responded_by", "responded_at", "state"):
        assert name not in challenge_form.fields, name
    challenges.answer_challenge(challenge=challenge, user=world.director, response="Residents")
    entry = challenge.entries.get()
    entry_form = change_page(django_app, superuser, "actions_challengeentry", entry).forms[
        "challengeentry_form"
    ]
    for name in ("author", "created_at", "kind", "challenge"):
        assert name not in entry_form.fields, name
    assert (
        django_app.get(
            reverse("admin:actions_progressupdate_add"), user=team_admin, expect_errors=True
        ).status_code
        == 403
    )


def test_a_measurement_records_who_added_it_in_the_admin(django_app, team_admin, world):
    form = django_app.get(reverse("admin:targets_measurement_add"), user=team_admin).forms[
        "measurement_form"
    ]
    assert "recorded_by" not in form.fields
    form["outcome"].force_value(str(world.outcome.pk))
    form["period_end"] = "2026-03-31"
    form["value"] = "120"
    assert form.submit().status_code == 302
    assert world.outcome.measurements.get().recorded_by == team_admin


def test_an_admin_form_opened_before_someone_elses_save_is_refused(django_app, team_admin, world):
    page = change_page(django_app, team_admin, "actions_action", world.action)
    form = page.forms["action_form"]

    # The director records progress after the admin form was opened.
    action_services.record_progress(
        action=world.action,
        user=world.director,
        status=Status.AT_RISK,
        progress=45,
        narrative="Recruitment slow",
        seen_version=world.action.version,
    )
    form["title"] = "Overwritten"
    response = form.submit()
    assert response.status_code == 200
    assert "Hana Osei saved this action on" in response.text
    assert STALE in response.text
    action = Action.objects.get(pk=world.action.pk)
    assert (action.status, action.progress, action.title) == (
        Status.AT_RISK,
        45,
        "Diverse housing panels",
    )


def test_a_person_form_opened_before_someone_elses_save_is_refused(
    django_app, team_admin, superuser, world
):
    form = change_page(django_app, team_admin, "config_user", world.lead).forms["user_form"]
    other = change_page(django_app, superuser, "config_user", world.lead).forms["user_form"]
    other["last_name"] = "Mensah"
    assert other.submit().status_code == 302
    form["first_name"] = "Overwritten"
    response = form.submit()
    assert STALE in response.text
    world.lead.refresh_from_db()
    assert (world.lead.first_name, world.lead.last_name) == ("", "Mensah")


def test_signing_in_does_not_make_an_open_admin_form_stale(django_app, client, team_admin, world):
    form = change_page(django_app, team_admin, "config_user", world.lead).forms["user_form"]
    client.post(reverse("sign-in"), {"username": world.lead.email, "password": "pw-for-tests"})
    form["first_name"] = "Kofi"
    assert form.submit().status_code == 302
