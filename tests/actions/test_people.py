"""The People page, through its pages as rendered (django-webtest)."""

import csv
import io
import json
import logging
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions import people as people_service
from actions.models import Action
from config import invitations, roles
from config.models import Invitation, User
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(world):
    person = User.objects.create_user("amara.boateng@council.example", first_name="Amara")
    return person


def people_page(django_app, world, **params):
    return django_app.get(reverse("people-list"), params, user=world.team)


def test_only_the_programme_team_sees_the_people_page(client, world):
    for person in (world.director, world.lead, world.board):
        client.force_login(person)
        assert client.get(reverse("people-list")).status_code == 403
        assert client.get(reverse("people-download")).status_code == 403
        assert client.post(reverse("people-invite-all")).status_code == 403
    client.logout()
    assert client.get(reverse("people-list")).url.startswith("/sign-in/")


def test_the_people_page_lists_roles_areas_last_sign_in_and_invitation_state(
    django_app, world, newcomer
):
    invitations.invite(person=newcomer, invited_by=world.team)
    page = people_page(django_app, world)
    rows = {
        row.select_one("td a").text: [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in page.html.select("tbody tr")
    }
    assert rows["Hana Osei"][1:] == ["Service director", "Housing", "Never", "Has a password"]
    assert rows["Amara"][1:] == ["No role", "None", "Never", "Invited, not accepted yet"]
    assert page.html.select_one("#people-count").get_text(" ", strip=True) == "6 people."


def test_filter_and_search(django_app, world, newcomer):
    form = people_page(django_app, world).forms["people-filter"]
    form["role"] = roles.SERVICE_DIRECTOR
    page = form.submit()
    names = [a.text for a in page.html.select("tbody tr td a")]
    assert names == ["health.director@council.example", "Hana Osei"]  # no name sorts first
    form = page.forms["people-filter"]
    form["role"] = ""
    form["q"] = "amara"
    page = form.submit()
    assert [a.text for a in page.html.select("tbody tr td a")] == ["Amara"]
    form = page.forms["people-filter"]
    form["q"] = ""
    form["state"] = "not-invited"
    assert [a.text for a in form.submit().html.select("tbody tr td a")] == ["Amara"]


def test_the_list_downloads_as_csv(django_app, world, newcomer):
    response = people_page(django_app, world).click("Download this list")
    assert response.content_type == "text/csv"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == [
        "Name",
        "Email",
        "Roles",
        "Service areas directed",
        "Last signed in",
        "Invitation",
    ]
    assert ["Hana Osei", "housing.director@council.example", "Service director", "Housing",
            "Never", "Has a password"] in rows  # fmt: skip
    assert len(rows) == 7


def test_adding_a_person_gives_their_roles_and_areas_and_invites_them(django_app, world):
    page = people_page(django_app, world).click("Add a person")
    form = page.forms["person-form"]
    form["email"] = "Kofi.Mensah@council.example"
    form["first_name"] = "Kofi"
    form["last_name"] = "Mensah"
    form["areas"] = [str(world.health.pk)]
    page = form.submit().follow()
    assert "You added Kofi Mensah and sent them an invitation" in page.text
    kofi = User.objects.get(email="kofi.mensah@council.example")
    assert list(kofi.groups.values_list("name", flat=True)) == [roles.SERVICE_DIRECTOR]
    world.health.refresh_from_db()
    assert world.health.director == kofi
    [message] = mail.outbox
    assert message.to == [kofi.email]
    assert "as a service director for Public Health" in message.body


def test_adding_someone_already_here_is_refused(django_app, world):
    form = people_page(django_app, world).click("Add a person").forms["person-form"]
    form["email"] = "HOUSING.director@council.example"
    page = form.submit()
    assert "Someone with this email address is already here" in page.text
    assert '<a href="#id_email">' in page.text
    assert mail.outbox == []


def test_changing_roles_and_making_someone_director_is_in_their_history(django_app, world):
    page = django_app.get(reverse("person-detail", args=[world.lead.pk]), user=world.team)
    form = page.click("Change roles and areas").forms["person-form"]
    form["roles"] = [roles.SERVICE_DIRECTOR]
    form["areas"] = [str(world.housing.pk)]
    page = form.submit()
    assert "Enter why you are making this change" in page.text
    form = page.forms["person-form"]
    form["reason"] = "New director of Housing from April"
    page = form.submit().follow()
    assert "Roles and areas of lead@council.example saved" in page.text
    world.housing.refresh_from_db()
    assert world.housing.director == world.lead
    history = page.html.select_one(".app-history").get_text(" ", strip=True)
    assert "team@council.example" in history
    assert "Why: New director of Housing from April" in history
    assert "Roles: Lead officer → Service director" in history
    assert "Director of Housing: No → Yes" in history
    area_record = world.housing.history.first()
    assert (area_record.history_user, area_record.history_change_reason) == (
        world.team,
        "New director of Housing from April",
    )


def test_resend_and_cancel_from_the_persons_page(django_app, world, newcomer):
    page = django_app.get(reverse("person-detail", args=[newcomer.pk]), user=world.team)
    page = page.forms["send-invitation"].submit().follow()
    assert "You invited Amara" in page.text
    page = page.forms["send-invitation"].submit().follow()
    assert "You sent a new invitation to Amara" in page.text
    assert len(mail.outbox) == 2
    page = page.forms["cancel-invitation"].submit().follow()
    assert "You cancelled the invitation to Amara" in page.text
    assert list(newcomer.invitations.values_list("state", flat=True)) == [
        Invitation.State.CANCELLED,
        Invitation.State.REPLACED,
    ]
    history = page.html.select_one(".app-history").get_text(" ", strip=True)
    assert "Why: Invitation cancelled Invitation: Cancelled" in history
    assert "Why: Invitation resent" in history
    assert "Why: Invitation sent" in history


def test_inviting_someone_with_a_password_tells_the_inviter(client, world):
    client.force_login(world.team)
    response = client.post(reverse("person-invite", args=[world.director.pk]), follow=True)
    assert "Hana Osei already has an account with a password, so no invitation was sent." in (
        response.content.decode()
    )
    assert [m.to for m in mail.outbox] == [[world.director.email]]


def test_invite_everyone_not_yet_invited(django_app, world, newcomer):
    User.objects.create_user("second@council.example")
    page = people_page(django_app, world)
    assert "2 people have no password and no invitation waiting." in page.text
    page = page.forms["invite-everyone"].submit().follow()
    assert "You invited 2 people" in page.text
    assert sorted(m.to[0] for m in mail.outbox) == [newcomer.email, "second@council.example"]


def test_deactivating_says_what_will_happen_then_moves_their_actions(django_app, world):
    owner = factories.person("owner@council.example", role=roles.LEAD_OFFICER)
    owned = factories.action("HOU-03", area=world.housing, title="Panels", owner=owner)
    world.action.lead_officer = owner
    world.action.save()
    page = django_app.get(reverse("person-detail", args=[owner.pk]), user=world.team)
    page = page.click("Deactivate", index=0)
    text = page.html.select_one("main").get_text(" ", strip=True)
    assert "HOU-03 Panels: to Hana Osei" in text
    assert "HOU-01 Diverse housing panels" in text  # loses its lead officer
    form = page.forms["person-form"]
    page = form.submit()
    assert "Enter why you are deactivating them" in page.text
    form = page.forms["person-form"]
    form["reason"] = "Left the council"
    page = form.submit().follow()
    assert "owner@council.example has been deactivated" in page.text
    owner.refresh_from_db()
    assert not owner.is_active
    assert User.objects.filter(pk=owner.pk).exists()  # never deleted
    owned.refresh_from_db()
    assert owned.owner is None and owned.responsible_owner == world.director
    assert Action.objects.get(pk=world.action.pk).lead_officer is None
    record = owned.history.first()
    assert record.history_user == world.team
    assert record.history_change_reason == "owner@council.example deactivated: Left the council"
    assert "Why: Deactivated: Left the council" in page.text


def test_a_deactivated_person_cannot_sign_in(client, world):
    world.lead.is_active = False
    world.lead.save()
    response = client.post(
        reverse("sign-in"), {"username": world.lead.email, "password": "pw-for-tests"}
    )
    assert "_auth_user_id" not in client.session
    assert "Enter a correct email address and password" in response.content.decode()


def test_you_cannot_deactivate_yourself(django_app, world):
    page = django_app.get(reverse("person-deactivate", args=[world.team.pk]), user=world.team)
    form = page.forms["person-form"]
    form["reason"] = "Testing"
    page = form.submit()
    assert "You cannot deactivate yourself." in page.text
    world.team.refresh_from_db()
    assert world.team.is_active


def test_the_team_sees_and_lifts_a_lockout(django_app, client, world):
    for _ in range(10):
        client.post(reverse("sign-in"), {"username": world.lead.email, "password": "wrong"})
    page = people_page(django_app, world)
    assert "Locked after failed sign-ins" in page.text
    page = page.forms["unlock-1"].submit().follow()
    assert "lead@council.example can sign in again" in page.text
    response = client.post(
        reverse("sign-in"), {"username": world.lead.email, "password": "pw-for-tests"}
    )
    assert response.status_code == 302


def test_the_people_page_makes_the_same_number_of_queries_for_more_people(django_app, world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            people_page(django_app, world)
        return len(queries)

    people_page(django_app, world)  # signs the team member in first
    few = count()
    for n in range(10):
        person = User.objects.create_user(f"extra{n}@council.example")
        person.groups.add(Group.objects.get(name=roles.LEAD_OFFICER))
        invitations.invite(person=person, invited_by=world.team)
    assert count() == few


def test_a_deactivated_persons_open_session_ends(client, world):
    client.force_login(world.lead)
    assert client.get(reverse("my-actions")).status_code == 200
    people_service.deactivate(person=world.lead, by=world.team, reason="Left the council")
    response = client.get(reverse("my-actions"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("sign-in"))


def test_a_role_change_on_the_people_page_is_logged_with_who_made_it(django_app, world, caplog):
    caplog.set_level(logging.INFO, logger="outcomes.security")
    page = django_app.get(reverse("person-roles", args=[world.lead.pk]), user=world.team)
    form = page.forms["person-form"]
    form["roles"] = [roles.PROGRAMME_BOARD]
    form["reason"] = "Joined the Board"
    form.submit()
    lines = [
        json.loads(r.getMessage())
        for r in caplog.records
        if r.name == "outcomes.security" and '"role_changed"' in r.getMessage()
    ]
    assert lines and all(line["changed_by"] == world.team.email for line in lines)
    assert all(line["person"] == world.lead.email for line in lines)


def test_a_deactivated_person_is_reactivated_with_a_reason(django_app, world):
    people_service.deactivate(person=world.lead, by=world.team, reason="Left the council")
    page = django_app.get(reverse("person-detail", args=[world.lead.pk]), user=world.team)
    page = page.forms["reactivate"].submit().follow()
    assert "Enter why you are reactivating them" in page.text
    world.lead.refresh_from_db()
    assert not world.lead.is_active
    form = page.forms["reactivate"]
    form["reactivate-reason"] = "Came back in May"
    page = form.submit().follow()
    assert "lead@council.example can sign in again" in page.text
    assert "Why: Reactivated: Came back in May" in page.text
    world.lead.refresh_from_db()
    assert world.lead.is_active


def test_the_system_accounts_changes_are_recorded_against_are_not_people(django_app, world):
    User.objects.system_person("Framework import")
    page = people_page(django_app, world)
    assert world.director.email in page.text
    assert "framework-import@system.invalid" not in page.text
    assert "Framework import" not in page.text


# --- Single sign-on required: who still has a password (issue 11) ------------------------------


def password_column(page) -> dict[str, str]:
    heads = [th.get_text(strip=True) for th in page.html.select("thead th")]
    at = heads.index("Password")
    return {
        row.select_one("td a").text: row.select("td")[at].get_text(strip=True)
        for row in page.html.select("tbody tr")
    }


def test_with_single_sign_on_required_the_people_page_lists_who_still_has_a_password(
    django_app, world, newcomer, settings
):
    settings.SSO_REQUIRED = True
    gone = factories.person("gone@council.example")  # a password, but cannot sign in at all
    gone.is_active = False
    gone.save()
    page = people_page(django_app, world)
    with_password = User.objects.filter(is_active=True, email__endswith="@council.example")
    count = sum(1 for person in with_password if person.has_usable_password())
    assert count >= 4
    words = page.html.select_one("#passwords").get_text(" ", strip=True)
    assert "Single sign-on is required, so nobody can sign in with a password." in words
    assert f"{count} people still have passwords from before." in words
    column = password_column(page)
    assert column["Amara"] == "No" and column["gone@council.example"] == "No"
    assert column["Hana Osei"] == "Yes"

    form = page.forms["people-filter"]
    form["password"] = "yes"
    shown = password_column(form.submit())
    assert len(shown) == count and set(shown.values()) == {"Yes"}
    assert (
        page.click(description="Show who has a password")
        .html.select_one("#people-count")
        .get_text(" ", strip=True)
        == f"{count} people match these filters."
    )
    form["password"] = "no"
    assert set(password_column(form.submit())) == {"Amara", "gone@council.example"}


def test_without_single_sign_on_required_passwords_are_not_singled_out(django_app, world):
    page = people_page(django_app, world)
    assert page.html.select_one("#passwords") is None
    assert "password" not in page.forms["people-filter"].fields
    assert "Password" not in [th.get_text(strip=True) for th in page.html.select("thead th")]
    # A password filter typed into the address is not applied when passwords are allowed.
    everyone = people_page(django_app, world).html.select("tbody tr")
    typed = people_page(django_app, world, password="no")
    assert len(typed.html.select("tbody tr")) == len(everyone)
    assert "Clear the filters" not in typed.text


# --- Two-step sign-in reset from the person's page (issue 11) ----------------------------------


def test_the_persons_page_links_the_two_step_reset_for_a_lost_phone(django_app, world):
    TOTPDevice.objects.create(user=world.director, name="Phone", confirmed=True)
    page = django_app.get(reverse("person-detail", args=[world.director.pk]), user=world.team)
    row = summary_value(page, "Two-step sign-in")
    assert row.startswith("Set up")
    reset = page.click(description=re.compile("Reset two-step sign-in"))
    assert "Reset two-step sign-in for Hana Osei" in reset.text
    form = next(f for f in reset.forms.values() if f.action.endswith("/two-step/reset/"))
    done = form.submit().follow()
    assert done.request.path == reverse("person-detail", args=[world.director.pk])
    assert "Two-step sign-in reset for Hana Osei" in done.text
    assert not TOTPDevice.objects.filter(user=world.director).exists()
    assert summary_value(done, "Two-step sign-in").startswith("Not set up")
    assert "Two-step sign-in reset (lost phone)" in done.text  # in their history


def test_the_persons_page_says_when_two_step_sign_in_is_not_set_up(django_app, world):
    page = django_app.get(reverse("person-detail", args=[world.lead.pk]), user=world.team)
    assert summary_value(page, "Two-step sign-in") == "Not set up (optional for them)"
    assert "Reset two-step sign-in" not in page.text
    colleague = factories.person("colleague@council.example", role=roles.PROGRAMME_TEAM)
    team_page = django_app.get(reverse("person-detail", args=[colleague.pk]), user=world.team)
    assert summary_value(team_page, "Two-step sign-in").startswith(
        "Not set up: they will be asked to set it up"
    )


def summary_value(page, key: str) -> str:
    for row in page.html.select(".govuk-summary-list__row"):
        if row.select_one("dt").get_text(strip=True) == key:
            return row.select_one("dd").get_text(" ", strip=True)
    raise AssertionError(f"no summary row {key!r}")
