"""Reminder emails for a reporting cycle, worked out for a day and sent at most once.

The background worker sends them every day by itself (``send_daily_reminders`` in
reporting/tasks.py, first scheduled by ``manage.py migrate``; no cron entry); ``manage.py
send_reminders`` sends a day's by hand, to catch up or to test. On a given day, for the current
cycle:

- while it is open and more than ``REMINDER_DAYS_BEFORE_CLOSE`` days from closing: each person who
  owes updates (the lead officer of a delegated action, otherwise its owner or the area's
  director) gets one "opening" message listing them;
- from that many days before the close date until it: one "closing soon" message, listing what
  is still due;
- after the close date: one "late" message to each person with late actions, which also tells a
  service director which delegated actions in their areas are late (the escalation), and one
  summary of everything late to each member of the programme team.

Each kind goes to a person at most once per cycle (``actions.ReminderSent``, unique per cycle,
kind and person), so running twice on a day, or on every day, never repeats one. The record is
written in the same transaction as the message is handed to the mail server, so a run stopped
half-way (its worker killed) leaves unsent only what it had not sent, and the next run sends it.
A day missed is caught up on the next run.

The same daily run sends the notifications owed as a digest (actions.notifications.send_pending:
one email a day to each person who chose it) and any single notification email the mail server
refused at first; each notification is sent once, however many runs there are.

Each daily run first books the next day's (at ``REMINDER_SEND_AT``, local time) and a retry
``REMINDER_RETRY_SECONDS`` later in case this one is cut short or the mail server refuses some;
a run that finishes with everything sent cancels its retry. Only one next day's run is ever kept
waiting, however many workers, restarts or deployments there are.
"""

import datetime
import logging
from dataclasses import dataclass, field
from itertools import groupby
from typing import NamedTuple, TypeGuard

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from actions import cycle_progress, notifications
from actions.cycles import DUE, LATE, current_cycle
from actions.models import Action, ReportingCycle
from config.models import User
from config.roles import PROGRAMME_TEAM
from config.security import forget_old_failures
from reporting import tasks
from reporting.models import ReminderSent
from strands.models import ServiceArea

logger = logging.getLogger(__name__)
Kind = ReminderSent.Kind


@dataclass
class Reminder:
    kind: str
    cycle: ReportingCycle
    recipient: User
    actions: list[Action] = field(default_factory=list)  # the recipient's own due or late actions
    delegated: list[Action] = field(default_factory=list)  # late actions delegated in their areas
    # The summary: each area with its late actions.
    areas: list[tuple[ServiceArea, list[Action]]] = field(default_factory=list)

    @property
    def refs(self) -> list[str]:
        listed = self.actions + self.delegated + [a for _, items in self.areas for a in items]
        return [a.ref for a in listed]

    def get_kind_label(self) -> str:
        return str(Kind(self.kind).label).lower()

    @property
    def subject(self) -> str:
        cycle, n = self.cycle, len(self.actions)
        updates = f"{n} action update{'s' if n != 1 else ''}"
        close = f"{cycle.close_date:%-d %B %Y}"
        if self.kind == Kind.OPENING:
            return f"Reporting cycle {cycle.name} is open: {updates} due by {close}"
        if self.kind == Kind.CLOSING:
            return f"Reminder: {updates} due by {close} ({cycle.name} closes soon)"
        if self.kind == Kind.LATE:
            if not self.actions:
                d = len(self.delegated)
                return f"Late: {d} delegated action{'s' if d != 1 else ''} not updated for {cycle.name}"
            return f"Late: {updates} for {cycle.name} {'is' if n == 1 else 'are'} overdue"
        late = sum(len(items) for _, items in self.areas)
        if not late:
            return f"Reporting cycle {cycle.name} closed: every live action was updated"
        return (
            f"Reporting cycle {cycle.name} closed: {late} action{'s' if late != 1 else ''} late "
            f"in {len(self.areas)} service area{'s' if len(self.areas) != 1 else ''}"
        )


def kind_for(cycle: ReportingCycle, on: datetime.date) -> str:
    """Which owner reminder a day calls for in a cycle that has started."""
    if on > cycle.close_date:
        return Kind.LATE
    closing_from = cycle.close_date - datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE_CLOSE)
    return Kind.CLOSING if on >= closing_from else Kind.OPENING


def _owing(cycle: ReportingCycle, on: datetime.date, state: str) -> list[Action]:
    return list(
        cycle_progress.in_state(Action.objects.all(), cycle, {state}, on=on)
        .select_related("service_area__strand", "service_area__director", "owner", "lead_officer")
        .order_by("service_area__strand__position", "service_area__position", "position", "ref")
    )


def _can_receive(person: User | None) -> TypeGuard[User]:
    return person is not None and person.is_active and bool(person.email)


def plan_reminders(on: datetime.date) -> list[Reminder]:
    """Every reminder the day calls for, before checking which were sent already."""
    cycle = current_cycle(on)
    if cycle is None:
        return []
    kind = kind_for(cycle, on)
    owing = _owing(cycle, on, LATE if kind == Kind.LATE else DUE)
    by_person: dict[int, Reminder] = {}
    for action in owing:
        person = cycle_progress.responsible_person(action)
        if _can_receive(person):
            by_person.setdefault(person.pk, Reminder(kind, cycle, person)).actions.append(action)
    reminders = list(by_person.values())
    if kind != Kind.LATE:
        return reminders
    for action in owing:  # the escalation: a delegated action late goes up to the director
        director = action.service_area.director
        if action.lead_officer and director != action.lead_officer and _can_receive(director):
            if director.pk not in by_person:
                by_person[director.pk] = Reminder(kind, cycle, director)
                reminders.append(by_person[director.pk])
            by_person[director.pk].delegated.append(action)
    areas = [(area, list(items)) for area, items in groupby(owing, lambda a: a.service_area)]
    team = get_user_model().objects.filter(groups__name=PROGRAMME_TEAM, is_active=True)
    for person in team.exclude(email="").order_by("email"):
        reminders.append(Reminder(Kind.SUMMARY, cycle, person, areas=areas))
    return reminders


class Listed(NamedTuple):
    """An action as an email lists it: with its address, and who owes its update."""

    action: Action
    url: str
    responsible: User | None


def _message(reminder: Reminder) -> EmailMultiAlternatives:
    site = settings.SITE_URL

    def listed(actions: list[Action]) -> list[Listed]:
        return [
            Listed(
                action,
                site + reverse("action-detail", args=[action.ref]),
                cycle_progress.responsible_person(action),
            )
            for action in actions
        ]

    context = {
        "reminder": reminder,
        "cycle": reminder.cycle,
        "person": reminder.recipient,
        "name": reminder.recipient.display_name,
        "my_actions_url": site + reverse("my-actions"),
        "cycle_url": site + reverse("cycle-detail", args=[reminder.cycle.pk]),
        "site_url": site,
        "programme_name": settings.PROGRAMME_NAME,
        "council_name": settings.COUNCIL_NAME,
        "days_before": settings.REMINDER_DAYS_BEFORE_CLOSE,
        "actions": listed(reminder.actions),
        "delegated": listed(reminder.delegated),
        "areas": [(area, listed(items)) for area, items in reminder.areas],
    }
    template = "emails/late_summary" if reminder.kind == Kind.SUMMARY else "emails/cycle_reminder"
    message = EmailMultiAlternatives(
        subject=reminder.subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.recipient.email],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


@dataclass
class Outcome:
    sent: list[Reminder] = field(default_factory=list)
    already_sent: list[Reminder] = field(default_factory=list)
    failed: list[tuple[Reminder, str]] = field(default_factory=list)


def send_reminders(*, on: datetime.date, dry_run: bool = False) -> Outcome:
    """Send what the day calls for, each reminder at most once per cycle, kind and person."""
    outcome = Outcome()
    for reminder in plan_reminders(on):
        key = {"cycle": reminder.cycle, "kind": reminder.kind, "recipient": reminder.recipient}
        if dry_run:
            if ReminderSent.objects.filter(**key).exists():
                outcome.already_sent.append(reminder)
            else:
                outcome.sent.append(reminder)
            continue
        # The claim and the sending in one transaction: a second run, even at the same moment,
        # waits for the claim and then finds it; a run stopped before the mail server took the
        # message leaves no claim, so the next run sends it.
        try:
            with transaction.atomic():
                _log, created = ReminderSent.objects.get_or_create(
                    **key,
                    defaults={
                        "email": reminder.recipient.email,
                        "sent_on": on,
                        "action_refs": "; ".join(reminder.refs),
                    },
                )
                if created:
                    _message(reminder).send()
        except Exception as error:  # the mail server refused: no claim is kept, so it is retried
            logger.exception(
                "Could not send a %s reminder to %s", reminder.kind, reminder.recipient.email
            )
            outcome.failed.append((reminder, str(error)))
            continue
        (outcome.sent if created else outcome.already_sent).append(reminder)
    return outcome


# --- every day, from the background worker ------------------------------------------------------


def next_run(now: datetime.datetime) -> datetime.datetime:
    """The first ``REMINDER_SEND_AT`` (local time) after ``now``."""
    hour, minute = (int(part) for part in settings.REMINDER_SEND_AT.split(":"))
    day = timezone.localdate(now)
    for offset in (0, 1):
        when = timezone.make_aware(
            datetime.datetime.combine(
                day + datetime.timedelta(days=offset), datetime.time(hour, minute)
            )
        )
        if when > now:
            return when
    raise AssertionError("unreachable")  # pragma: no cover


def _daily_task():
    return tasks.send_daily_reminders


def _waiting():
    """The daily runs booked and not yet started (the database worker's queue)."""
    return DBTaskResult.objects.filter(
        task_path=_daily_task().module_path, status=TaskResultStatus.READY
    )


def can_schedule() -> bool:
    """Whether the task backend keeps tasks for later (the database worker's does)."""
    return isinstance(_daily_task().get_backend(), DatabaseBackend)


def schedule(*, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Book the next daily run unless one is already booked; return when it runs."""
    if not can_schedule():
        return None
    when = next_run(now or timezone.now())
    booked = _waiting().filter(run_after__gte=when).order_by("run_after", "enqueued_at", "id")
    if not booked.exists():
        _daily_task().using(run_after=when).enqueue()
    # Two runs booking at the same moment both keep the same one and drop the rest.
    keep = booked.first()
    booked.exclude(pk=keep.pk).delete()
    return keep.run_after


def run_daily(*, now: datetime.datetime | None = None) -> dict:
    """Send what today calls for; book tomorrow's run, and a retry in case this one is cut short."""
    now = now or timezone.now()
    retry = None
    if can_schedule():
        later = now + datetime.timedelta(seconds=settings.REMINDER_RETRY_SECONDS)
        if timezone.localdate(later) == timezone.localdate(now):  # tomorrow's run catches up
            retry = _daily_task().using(run_after=later).enqueue()
        schedule(now=now)
    on = timezone.localdate(now)
    outcome = send_reminders(on=on)
    # The daily digests of challenges and delegations, and any single email whose first try
    # failed: each is claimed before it goes, so a second run (or the retry) sends none again.
    notes = notifications.send_pending()
    if retry is not None and not outcome.failed and not notes.failed:
        _waiting().filter(pk=retry.id).delete()  # all done: no retry needed
    return {
        "day": on.isoformat(),
        "sent": len(outcome.sent),
        "already_sent": len(outcome.already_sent),
        "failed": len(outcome.failed),
        "notifications_sent": len(notes.emails),
        "notifications_failed": len(notes.failed),
        "sign_in_failures_forgotten": forget_old_failures(now=now),
    }
