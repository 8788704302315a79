"""Emails when a challenge is raised, answered or followed up and when an action is delegated:
to the people who must act, plain text and HTML, linking to the page; a daily digest for those
who choose it; none sent twice."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from actions import challenges, notifications
from actions.models import Challenge, Notification
from tests.webforms import fill, form_to

pytestmark = pytest.mark.django_db
SITE = "https://outcomes.council.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what waits for the transaction to commit (the emails), as a real request would."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def post_rendered(app, page_url: str, action: str, **values):
    """Fill the page's form posting to action, naming each field without its prefix."""
    form = form_to(app.get(page_url), action)
    fields = {}
    for short, value in values.items():
        names = {n for n in form.fields if n and (n == short or n.endswith("-" + short))}
        assert len(names) == 1, (short, sorted(form.fields))
        fields[names.pop()] = value
    return fill(form, fields).submit()


def sent_to() -> list[tuple[str, str]]:
    return sorted((m.to[0], m.subject) for m in mail.outbox)


def raise_from_the_page(web, world, commits, question="Why is this behind?"):
    page = reverse("action-detail", args=["HOU-01"])
    response = commits(
        lambda: post_rendered(
            web(world.board),
            page,
            reverse("challenge-raise", args=["HOU-01"]),
            question=question,
        )
    )
    assert response.status_code == 302
    return Challenge.objects.get()


def test_a_challenge_raised_emails_the_owner_and_the_lead_officer(web, world, commits):
    raise_from_the_page(web, world, commits)
    subject = "Challenge on HOU-01: Diverse housing panels"
    assert sent_to() == [(world.director.email, subject), (world.lead.email, subject)]
    message = mail.outbox[0]
    link = f"{SITE}/actions/HOU-01/#challenges-panel"
    assert f"{world.board.display_name} asked: “Why is this behind?”" in message.body
    assert link in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert f'href="{link}"' in html and "Why is this behind?" in html
    assert f"{SITE}/account/emails/" in message.body  # how to choose a daily email instead


def test_an_answer_emails_the_board_member_and_a_follow_up_the_owner_and_lead(web, world, commits):
    challenge = raise_from_the_page(web, world, commits)
    mail.outbox.clear()
    page = reverse("action-detail", args=["HOU-01"])
    commits(
        lambda: post_rendered(
            web(world.director),
            page,
            reverse("challenge-answer", args=[challenge.pk]),
            response="Through the tenants' associations.",
        )
    )
    assert sent_to() == [(world.board.email, "Your challenge on HOU-01 has been answered")]
    assert "answered: “Through the tenants' associations.”" in mail.outbox[0].body
    mail.outbox.clear()
    commits(
        lambda: post_rendered(
            web(world.board),
            page,
            reverse("challenge-follow-up", args=[challenge.pk]),
            question="Which associations?",
        )
    )
    subject = "Follow-up question on HOU-01: Diverse housing panels"
    assert sent_to() == [(world.director.email, subject), (world.lead.email, subject)]
    assert "asked again: “Which associations?”" in mail.outbox[0].body


def test_delegating_an_action_emails_the_lead_officer(web, world, commits):
    ref = world.undelegated.ref
    page = reverse("action-detail", args=[ref])
    response = commits(
        lambda: post_rendered(
            web(world.director),
            page,
            reverse("action-delegate", args=[ref]),
            lead_officer=str(world.lead.pk),
        )
    )
    assert response.status_code == 302
    assert sent_to() == [(world.lead.email, f"{ref} has been delegated to you")]
    assert f"{SITE}/actions/{ref}/" in mail.outbox[0].body
    # Saving the same lead officer again is no new delegation.
    mail.outbox.clear()
    commits(
        lambda: post_rendered(
            web(world.director),
            page,
            reverse("action-delegate", args=[ref]),
            lead_officer=str(world.lead.pk),
        )
    )
    assert mail.outbox == []


def test_nobody_is_emailed_about_what_they_did_themselves(world, commits):
    world.action.owner = world.board  # unusual, but possible: the raiser owns the action
    world.action.save()
    commits(
        lambda: challenges.raise_challenge(action=world.action, user=world.board, question="Why?")
    )
    assert sent_to() == [(world.lead.email, "Challenge on HOU-01: Diverse housing panels")]


def test_none_is_sent_twice(world, commits):
    challenge = commits(
        lambda: challenges.raise_challenge(action=world.action, user=world.board, question="Why?")
    )
    assert len(mail.outbox) == 2
    commits(lambda: notifications.challenge_raised(challenge))  # the same event again
    assert len(mail.outbox) == 2
    assert Notification.objects.count() == 2
    call_command("send_notifications", stdout=io.StringIO())
    assert len(mail.outbox) == 2


def test_a_person_chooses_a_daily_digest_instead(web, world, commits):
    settings_page = reverse("email-settings")
    response = post_rendered(
        web(world.lead), settings_page, settings_page, notification_emails="daily"
    )
    assert response.status_code == 302
    shown = response.follow().text
    assert "Email settings saved: one email a day, listing everything." in shown
    world.lead.refresh_from_db()
    assert world.lead.notification_emails == "daily"
    assert world.lead.history.latest().history_change_reason == "Email settings changed"

    challenge = commits(
        lambda: challenges.raise_challenge(action=world.action, user=world.board, question="Why?")
    )
    commits(
        lambda: challenges.answer_challenge(challenge=challenge, user=world.director, response="So")
    )
    commits(
        lambda: challenges.follow_up(challenge=challenge, user=world.board, question="And then?")
    )
    assert world.lead.email not in {m.to[0] for m in mail.outbox}  # nothing yet for the lead
    mail.outbox.clear()

    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    assert out.getvalue() == f"Sent digest to {world.lead.email} (2)\n"
    assert sent_to() == [(world.lead.email, "2 updates on your actions and challenges")]
    digest = mail.outbox[0]
    assert digest.body.index("Challenge on HOU-01") < digest.body.index("Follow-up question")
    assert f"{SITE}/actions/HOU-01/#challenges-panel" in digest.body
    assert "Follow-up question on HOU-01" in digest.alternatives[0][0]

    mail.outbox.clear()
    out = io.StringIO()
    call_command("send_notifications", stdout=out)  # the next run: nothing new
    assert out.getvalue() == "Nothing to send.\n"
    assert mail.outbox == []


def test_an_email_the_server_refused_is_sent_by_the_next_run(world, commits):
    with override_settings(EMAIL_BACKEND="tests.actions.test_notifications.RefusingBackend"):
        commits(
            lambda: challenges.raise_challenge(action=world.action, user=world.board, question="?")
        )
    assert mail.outbox == []
    assert Notification.objects.filter(sent_at__isnull=True).count() == 2
    call_command("send_notifications", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_bad_input_on_the_email_settings_page_changes_nothing(as_user, world):
    lead = as_user(world.lead)
    response = lead.post(reverse("email-settings"), {"notification_emails": "hourly"})
    assert response.status_code == 422
    assert "Select how you want to hear about challenges and delegated actions" in response.text
    world.lead.refresh_from_db()
    assert world.lead.notification_emails == "each"
