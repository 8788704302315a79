"""The worker sends the reminders every day by itself: one next run booked, never two, each
reminder sent once, and a run cut short made good by its retry."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from actions import challenges
from actions.models import Notification, ReportingCycle
from reporting import reminders
from reporting.models import ReminderSent
from reporting.tasks import send_daily_reminders

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
START = datetime.date(2026, 4, 1)
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def worker_queue(settings):
    """The database worker's queue, as in production (the tests otherwise run tasks at once)."""
    settings.TASKS = DB_TASKS
    settings.REMINDER_SEND_AT = "07:00"
    settings.REMINDER_RETRY_SECONDS = 900
    return settings


@pytest.fixture
def cycle(world):
    return ReportingCycle.objects.create(
        name="2026 Q1", start_date=START, close_date=datetime.date(2026, 4, 30)
    )


def booked() -> list[datetime.datetime]:
    waiting = DBTaskResult.objects.filter(
        task_path=send_daily_reminders.module_path, status=TaskResultStatus.READY
    )
    return sorted(timezone.localtime(r.run_after, LONDON) for r in waiting)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(START, 6, 59), at(START, 7)),
        (at(START, 7), at(START + datetime.timedelta(days=1), 7)),
        (at(START, 23, 30), at(START + datetime.timedelta(days=1), 7)),
        # The clocks went forward on 29 March 2026: still 07:00 local time, in summer time.
        (at(datetime.date(2026, 3, 28), 8), at(datetime.date(2026, 3, 29), 7)),
    ],
)
def test_the_next_run_is_the_next_seven_oclock_local_time(worker_queue, now, expected):
    assert reminders.next_run(now) == expected


def test_migrating_books_the_next_run_once_however_often_it_is_done(worker_queue):
    call_command("migrate", verbosity=0, interactive=False)
    call_command("migrate", verbosity=0, interactive=False)
    assert booked() == [reminders.next_run(timezone.now())]


def test_a_daily_run_sends_books_tomorrow_and_cancels_its_retry(worker_queue, cycle):
    now = at(START, 7)
    result = reminders.run_daily(now=now)
    assert result == {
        "day": "2026-04-01",
        "sent": 3,
        "already_sent": 0,
        "failed": 0,
        "notifications_sent": 0,
        "notifications_failed": 0,
    }
    assert len(mail.outbox) == 3
    assert booked() == [at(START + datetime.timedelta(days=1), 7)]
    # The same day again (say the task was delivered twice): nothing sent, nothing more booked.
    again = reminders.run_daily(now=now + datetime.timedelta(minutes=5))
    assert (again["sent"], again["already_sent"]) == (0, 3)
    assert len(mail.outbox) == 3
    assert booked() == [at(START + datetime.timedelta(days=1), 7)]
    assert ReminderSent.objects.count() == 3


def test_a_run_the_mail_server_partly_refuses_keeps_its_retry(worker_queue, cycle, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send

    def refuse_the_lead(message, *args, **kwargs):
        if message.to == ["lead@council.example"]:
            raise ConnectionRefusedError("mail server down")
        return original(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_the_lead)
    result = reminders.run_daily(now=at(START, 7))
    assert (result["sent"], result["failed"]) == (2, 1)
    assert booked() == [at(START, 7, 15), at(START + datetime.timedelta(days=1), 7)]
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    DBTaskResult.objects.filter(run_after=at(START, 7, 15)).update(  # the worker takes it
        status=TaskResultStatus.RUNNING
    )
    retry = reminders.run_daily(now=at(START, 7, 15))
    assert (retry["sent"], retry["already_sent"]) == (1, 2)
    assert [m.to for m in mail.outbox].count(["lead@council.example"]) == 1
    assert booked() == [at(START + datetime.timedelta(days=1), 7)]


def test_two_runs_booked_at_the_same_moment_collapse_into_one(worker_queue):
    when = reminders.next_run(timezone.now())
    send_daily_reminders.using(run_after=when).enqueue()
    send_daily_reminders.using(run_after=when).enqueue()  # a race between two workers
    assert len(booked()) == 2
    reminders.schedule()
    assert booked() == [when]


def test_without_the_database_worker_nothing_is_booked(cycle):
    # The tests' own backend runs tasks at once and keeps nothing for later.
    assert reminders.schedule() is None
    assert send_daily_reminders.enqueue().return_value["failed"] == 0
    assert booked() == []


# --- the daily digest of notifications rides the same run ----------------------------------


@pytest.fixture
def digest_owed(world, django_capture_on_commit_callbacks):
    """The lead officer chose one email a day; a challenge was raised and followed up on the
    action they lead (the director, who chose an email each time, had theirs at once)."""
    world.lead.notification_emails = world.lead.EmailChoice.DAILY
    world.lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        challenge = challenges.raise_challenge(
            action=world.action, user=world.board, question="Why is this behind?"
        )
        challenges.answer_challenge(challenge=challenge, user=world.director, response="Staff")
        challenges.follow_up(challenge=challenge, user=world.board, question="And then?")
    mail.outbox.clear()
    return world.lead


def digests_to(person) -> int:
    return sum(1 for m in mail.outbox if m.to == [person.email] and "updates on" in m.subject)


def test_the_daily_run_sends_the_digest_once(worker_queue, digest_owed):
    result = reminders.run_daily(now=at(START, 7))
    assert (result["notifications_sent"], result["notifications_failed"]) == (1, 0)
    assert digests_to(digest_owed) == 1
    digest = next(m for m in mail.outbox if m.to == [digest_owed.email])
    assert digest.subject == "2 updates on your actions and challenges"
    assert "Follow-up question on HOU-01" in digest.body
    # The task delivered twice, the retry, the next day: the digest is not sent again.
    for later in (at(START, 7, 5), at(START, 7, 15), at(START + datetime.timedelta(days=1), 7)):
        assert reminders.run_daily(now=later)["notifications_sent"] == 0
    assert digests_to(digest_owed) == 1
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_a_digest_the_mail_server_refused_keeps_the_retry_which_sends_it(
    worker_queue, digest_owed, monkeypatch
):
    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send

    def refuse_digests(message, *args, **kwargs):
        if "updates on" in message.subject:
            raise ConnectionRefusedError("mail server down")
        return original(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_digests)
    result = reminders.run_daily(now=at(START, 7))
    assert result["notifications_failed"] == 1
    assert booked() == [at(START, 7, 15), at(START + datetime.timedelta(days=1), 7)]
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    DBTaskResult.objects.filter(run_after=at(START, 7, 15)).update(status=TaskResultStatus.RUNNING)
    retry = reminders.run_daily(now=at(START, 7, 15))
    assert (retry["notifications_sent"], retry["notifications_failed"]) == (1, 0)
    assert digests_to(digest_owed) == 1
    assert booked() == [at(START + datetime.timedelta(days=1), 7)]


def test_the_worker_task_sends_the_digest(digest_owed):
    # The tests' own backend runs the task at once, as the worker would at seven.
    assert send_daily_reminders.enqueue().return_value["notifications_sent"] == 1
    assert digests_to(digest_owed) == 1
    assert send_daily_reminders.enqueue().return_value["notifications_sent"] == 0
    assert digests_to(digest_owed) == 1
