"""Invitations: the email, the link's page, using it, and each way it stops working."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from config import invitations, roles
from config.models import Invitation, User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet-harbour-lantern-42"


@pytest.fixture
def newcomer(world):
    """A director named by a framework: no password yet; directs Public Health."""
    person = User.objects.create_user("amara.boateng@council.example", first_name="Amara")
    person.groups.add(*roles_named(roles.SERVICE_DIRECTOR))
    world.health.director = person
    world.health.save()
    return person


def roles_named(*names):
    return Group.objects.filter(name__in=names)


def link_in(message) -> str:
    return re.search(r"https?://\S+/invitation/\S+/", message.body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_an_invitation_email_says_who_invited_them_to_what_with_a_link(world, newcomer):
    invitations.invite(person=newcomer, invited_by=world.team)
    [message] = mail.outbox
    assert message.to == ["amara.boateng@council.example"]
    assert message.subject == "You are invited to the Challenging Inequality Programme"
    assert "Dear Amara," in message.body
    assert (
        "team@council.example has invited you to the Challenging Inequality Programme at "
        "Islington Council as a service director for Public Health." in message.body
    )
    assert link_in(message)


def test_opening_the_link_never_uses_it_up_and_setting_the_password_does(
    django_app, world, newcomer
):
    invitations.invite(person=newcomer, invited_by=world.team)
    path = path_of(link_in(mail.outbox[0]))
    for _ in range(3):  # a mail scanner, a preview, the person
        page = django_app.get(path)
    assert "Set your password" in page.text
    assert "team@council.example has invited you" in page.text
    assert "as a service director for Public Health" in page.text

    form = page.forms["set-password"]
    form["new_password1"] = form["new_password2"] = NEW_PASSWORD
    home = form.submit().follow().follow()
    assert "Your password has been set and you are signed in" in home.text
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    assert newcomer.invitations.get().state == Invitation.State.ACCEPTED

    django_app.reset()
    reused = django_app.get(path, status=410)
    assert "This invitation has already been used to set a password." in reused.text


def test_the_password_must_meet_the_validators(django_app, world, newcomer):
    invitations.invite(person=newcomer, invited_by=world.team)
    form = django_app.get(path_of(link_in(mail.outbox[0]))).forms["set-password"]
    form["new_password1"] = form["new_password2"] = "12345678"
    page = form.submit()
    assert "This password is entirely numeric." in page.text
    assert "<title>Error: Set your password" in page.text
    form = page.forms["set-password"]
    form["new_password1"], form["new_password2"] = NEW_PASSWORD, NEW_PASSWORD + "x"
    assert "The passwords do not match" in form.submit().text
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    assert newcomer.invitations.get().state == Invitation.State.PENDING


def test_a_resend_sends_a_fresh_link_and_ends_the_old_one(django_app, world, newcomer):
    invitations.invite(person=newcomer, invited_by=world.team)
    invitations.invite(person=newcomer, invited_by=world.team)
    old, new = (path_of(link_in(message)) for message in mail.outbox)
    assert old != new
    page = django_app.get(old, status=410)
    assert "This invitation has been replaced by a newer one." in page.text
    assert "Set your password" in django_app.get(new).text
    states = list(newcomer.invitations.order_by("id").values_list("state", flat=True))
    assert states == [Invitation.State.REPLACED, Invitation.State.PENDING]


def test_an_expired_link_says_who_to_ask(django_app, world, newcomer):
    invitation = invitations.invite(person=newcomer, invited_by=world.team)
    invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    invitation.save()
    page = django_app.get(path_of(link_in(mail.outbox[0])), status=410)
    assert "This invitation has expired. Ask team@council.example to send you a new one." in (
        page.text
    )


def test_a_cancelled_invitation_no_longer_works(django_app, world, newcomer):
    invitation = invitations.invite(person=newcomer, invited_by=world.team)
    invitations.cancel(invitation=invitation, by=world.team)
    page = django_app.get(path_of(link_in(mail.outbox[0])), status=410)
    assert "This invitation has been cancelled." in page.text
    record = invitation.history.first()
    assert (record.history_user, record.history_change_reason) == (
        world.team,
        "Invitation cancelled",
    )


def test_a_deactivated_persons_invitation_does_not_work(django_app, world, newcomer):
    invitations.invite(person=newcomer, invited_by=world.team)
    newcomer.is_active = False
    newcomer.save()
    page = django_app.get(path_of(link_in(mail.outbox[0])), status=410)
    assert "This invitation is for an account that has been deactivated." in page.text


def test_a_forged_link_is_not_found(django_app, world, newcomer):
    invitation = invitations.invite(person=newcomer, invited_by=world.team)
    django_app.get(reverse("invitation", args=[f"{invitation.pk}:forged"]), status=404)


def test_someone_signed_in_as_someone_else_is_told_whose_invitation_it_is(
    django_app, world, newcomer
):
    invitations.invite(person=newcomer, invited_by=world.team)
    page = django_app.get(path_of(link_in(mail.outbox[0])), user=world.director, status=403)
    assert "This invitation is for someone else" in page.text
    assert "You are signed in as housing.director@council.example." in page.text
    assert "This invitation is for amara.boateng@council.example." in page.text
    assert newcomer.invitations.get().state == Invitation.State.PENDING


def test_inviting_someone_who_already_has_an_account_says_so(world):
    with pytest.raises(ValidationError) as refused:
        invitations.invite(person=world.director, invited_by=world.team)
    assert (
        "Hana Osei already has an account with a password, so no invitation was sent."
        in (refused.value.messages[0])
    )
    [message] = mail.outbox  # the person is told too, not left waiting for nothing
    assert message.to == [world.director.email]
    assert message.subject == "You already have an account for the Challenging Inequality Programme"
    assert "/sign-in/forgotten-password/" in message.body
    assert not world.director.invitations.exists()


def test_inviting_everyone_not_yet_invited_skips_those_with_passwords_or_live_invitations(
    world, newcomer
):
    second = User.objects.create_user("second@council.example")
    third = User.objects.create_user("third@council.example")
    invitations.invite(person=third, invited_by=world.team)
    mail.outbox.clear()
    sent = invitations.invite_everyone_not_yet_invited(invited_by=world.team)
    assert sorted(i.person.email for i in sent) == [newcomer.email, second.email]
    assert sorted(m.to[0] for m in mail.outbox) == [newcomer.email, second.email]
    assert list(invitations.people_not_yet_invited()) == []


def test_the_new_director_signs_in_afterwards_with_their_password(client, world, newcomer):
    invitations.invite(person=newcomer, invited_by=world.team)
    path = path_of(link_in(mail.outbox[0]))
    client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.post(reverse("sign-out"))
    response = client.post(
        reverse("sign-in"), {"username": newcomer.email, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
