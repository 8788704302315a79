"""Reminder emails: who gets which, on which day, never twice, and the escalation of late
delegated actions to the service director."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from actions import cycle_progress
from actions.models import ProgressUpdate, ReportingCycle
from reporting.models import ReminderSent
from reporting.reminders import send_reminders

pytestmark = pytest.mark.django_db
START, CLOSE = datetime.date(2026, 4, 1), datetime.date(2026, 4, 30)
SITE = "https://outcomes.example.gov.uk"


@pytest.fixture
def cycle(world, settings):
    settings.SITE_URL = SITE
    settings.REMINDER_DAYS_BEFORE_CLOSE = 5
    return ReportingCycle.objects.create(name="2026 Q1", start_date=START, close_date=CLOSE)


def run(day: datetime.date, *args) -> str:
    out = io.StringIO()
    call_command(
        "send_reminders", "--date", day.isoformat(), *args, stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


def sent() -> dict[str, list]:
    """Who got what in this run: {email: [message, ...]}, then clear the outbox."""
    by_person: dict[str, list] = {}
    for message in mail.outbox:
        assert len(message.to) == 1
        by_person.setdefault(message.to[0], []).append(message)
    mail.outbox.clear()
    return by_person


def html_of(message) -> str:
    ((content, kind),) = message.alternatives
    assert kind == "text/html"
    return content


LEAD, DIRECTOR, OTHER, TEAM, BOARD = (
    "lead@council.example",
    "housing.director@council.example",
    "health.director@council.example",
    "team@council.example",
    "board@council.example",
)


def test_nothing_is_sent_before_a_cycle_starts(cycle):
    run(START - datetime.timedelta(days=1))
    assert mail.outbox == []


def test_when_a_cycle_opens_each_person_gets_one_message_listing_what_they_owe(cycle):
    output = run(START)
    got = sent()
    assert set(got) == {DIRECTOR, OTHER, LEAD}  # not the Board, not the programme team
    assert all(len(messages) == 1 for messages in got.values())
    lead = got[LEAD][0]
    assert lead.subject == "Reporting cycle 2026 Q1 is open: 1 action update due by 30 April 2026"
    assert "HOU-01: Diverse housing panels" in lead.body
    assert "HOU-02" not in lead.body
    assert f"{SITE}/my-actions/" in lead.body and f"{SITE}/actions/HOU-01/" in lead.body
    assert f'href="{SITE}/my-actions/"' in html_of(lead)
    assert "HOU-01: Diverse housing panels" in html_of(lead)
    director = got[DIRECTOR][0]
    assert "HOU-02: Tenant engagement" in director.body
    assert "HOU-01" not in director.body  # delegated: the lead officer owes it
    assert "PH-01: Diabetes prevention" in got[OTHER][0].body
    assert "Sent cycle open: updates due to lead@council.example (HOU-01)" in output
    assert "2026-04-01: 3 reminders sent, 0 already sent." in output


def test_the_same_reminder_is_never_sent_twice(cycle):
    run(START)
    sent()
    output = run(START)
    assert mail.outbox == []
    assert "0 reminders sent, 3 already sent" in output
    run(START + datetime.timedelta(days=1))  # opening reminders go once per cycle
    run(START + datetime.timedelta(days=10))
    assert mail.outbox == []
    assert ReminderSent.objects.filter(kind="opening").count() == 3


def test_days_before_the_close_those_still_due_are_reminded_once(cycle, world):
    run(START)
    sent()
    ProgressUpdate.objects.create(
        action=world.undelegated,
        status="on_track",
        progress=30,
        author=world.director,
        created_at=cycle_progress.start_of(START + datetime.timedelta(days=3)),
    )
    run(CLOSE - datetime.timedelta(days=6))
    assert mail.outbox == []  # not yet in the closing window
    run(CLOSE - datetime.timedelta(days=5))
    got = sent()
    assert set(got) == {OTHER, LEAD}  # the director has updated everything they owe
    assert (
        got[LEAD][0].subject
        == "Reminder: 1 action update due by 30 April 2026 (2026 Q1 closes soon)"
    )
    assert "still waiting for a progress update" in got[LEAD][0].body
    run(CLOSE)  # the close date itself: nothing more
    assert mail.outbox == []


def test_after_the_close_late_owners_are_emailed_the_director_told_and_the_team_summarised(
    cycle, world
):
    ProgressUpdate.objects.create(
        action=world.undelegated,
        status="on_track",
        progress=30,
        author=world.director,
        created_at=cycle_progress.start_of(START),
    )
    run(CLOSE + datetime.timedelta(days=1))
    got = sent()
    assert set(got) == {DIRECTOR, OTHER, LEAD, TEAM}
    assert BOARD not in got
    lead = got[LEAD][0]
    assert lead.subject == "Late: 1 action update for 2026 Q1 is overdue"
    assert "HOU-01" in lead.body and "now late" in lead.body
    # The escalation: HOU-01 is delegated and late, so its area's director hears of it.
    director = got[DIRECTOR][0]
    assert director.subject == "Late: 1 delegated action not updated for 2026 Q1"
    assert "delegated to a lead officer and have not been updated" in director.body
    assert "HOU-01: Diverse housing panels (lead officer: lead@council.example)" in director.body
    assert "HOU-02" not in director.body  # updated
    other = got[OTHER][0]
    assert "PH-01" in other.body and "delegated" not in other.body
    summary = got[TEAM][0]
    assert summary.subject == "Reporting cycle 2026 Q1 closed: 2 actions late in 2 service areas"
    assert "Housing: 1 late" in summary.body and "Public Health: 1 late" in summary.body
    assert "HOU-01: Diverse housing panels (update owed by lead@council.example, lead officer)" in (
        summary.body
    )
    assert f"{SITE}/cycles/{cycle.pk}/" in summary.body
    assert "Housing: 1 late" in html_of(summary)
    run(CLOSE + datetime.timedelta(days=2))
    run(CLOSE + datetime.timedelta(days=30))
    assert mail.outbox == []


def test_a_director_with_late_actions_of_their_own_gets_one_message_with_both(cycle, world):
    run(CLOSE + datetime.timedelta(days=1))
    director = sent()[DIRECTOR]
    assert len(director) == 1
    assert "HOU-02: Tenant engagement" in director[0].body
    assert "Also, these actions in your service area are delegated" in director[0].body


def test_when_nothing_is_late_the_team_hears_so_and_owners_hear_nothing(cycle, world):
    for action in (world.action, world.undelegated, world.other_action):
        ProgressUpdate.objects.create(
            action=action,
            status="on_track",
            progress=10,
            author=world.director,
            created_at=cycle_progress.start_of(START),
        )
    run(CLOSE + datetime.timedelta(days=1))
    got = sent()
    assert list(got) == [TEAM]
    assert "every live action was updated" in got[TEAM][0].subject


def test_a_cycle_opened_late_in_its_window_sends_the_closing_reminder_only(cycle):
    run(CLOSE - datetime.timedelta(days=2))
    got = sent()
    assert all("closes soon" in m.subject for messages in got.values() for m in messages)
    assert not ReminderSent.objects.filter(kind="opening").exists()


def test_a_closed_action_and_a_person_without_an_email_get_nothing(cycle, world):
    world.other_action.status = "closed"
    world.other_action.save()
    world.lead.email = ""
    world.lead.save()
    run(START)
    assert set(sent()) == {DIRECTOR}


def test_a_newer_cycle_replaces_the_old_one(cycle, world):
    ReportingCycle.objects.create(
        name="2026 Q2", start_date=datetime.date(2026, 5, 10), close_date=datetime.date(2026, 6, 30)
    )
    run(datetime.date(2026, 5, 10))
    got = sent()
    assert all("2026 Q2 is open" in m.subject for messages in got.values() for m in messages)


def test_a_dry_run_sends_and_records_nothing(cycle):
    output = run(START, "--dry-run")
    assert mail.outbox == [] and not ReminderSent.objects.exists()
    assert "Would send cycle open: updates due to lead@council.example (HOU-01)" in output
    assert "3 reminders would be sent" in output


def test_a_reminder_the_mail_server_refuses_is_tried_again_next_time(cycle, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send

    def refuse_the_lead(message, *args, **kwargs):
        if message.to == [LEAD]:
            raise ConnectionRefusedError("mail server down")
        return original(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_the_lead)
    with pytest.raises(CommandError):
        run(START)
    assert set(sent()) == {DIRECTOR, OTHER}
    assert not ReminderSent.objects.filter(recipient__email=LEAD).exists()
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    run(START + datetime.timedelta(days=1))
    assert set(sent()) == {LEAD}


def test_the_log_refuses_a_second_reminder_of_a_kind_for_a_person_in_a_cycle(cycle, world):
    ReminderSent.objects.create(
        cycle=cycle, kind="late", recipient=world.lead, email=LEAD, sent_on=START
    )
    with pytest.raises(IntegrityError):
        ReminderSent.objects.create(
            cycle=cycle,
            kind="late",
            recipient=world.lead,
            email=LEAD,
            sent_on=START + datetime.timedelta(days=1),
        )


def test_a_bad_date_is_refused(cycle):
    with pytest.raises(CommandError, match='"31-04-2026" is not a date'):
        run_raw("--date", "31-04-2026")


def run_raw(*args):
    call_command("send_reminders", *args, stdout=io.StringIO(), stderr=io.StringIO())


def test_the_service_can_be_called_directly_for_today(cycle):
    outcome = send_reminders(on=START)
    assert len(outcome.sent) == 3 and not outcome.failed
