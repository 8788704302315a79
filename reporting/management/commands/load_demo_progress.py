"""Illustrative progress for local running: updates, measurements, challenges, a reporting cycle.

Every item is flagged as demo data and shown so in the interface. It works on whatever framework is
loaded (nothing here names a particular council's refs), runs only once per database, and refuses
production settings. It is loaded by `make run`, never by the framework files.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from actions import services
from actions.models import Action, Challenge, ProgressUpdate, ReportingCycle, Status
from config.history import attribute
from targets import services as target_services
from targets.models import Outcome, Target

CYCLE_NAME = "Demo reporting cycle"

# (status, % complete, narrative) for successive actions; the pattern repeats.
PATTERN = [
    (Status.ON_TRACK, 40, "Demo: the programme has started and the first sessions are booked."),
    (Status.AT_RISK, 25, "Demo: recruitment to the project lead post has slipped by a month."),
    (Status.ON_TRACK, 60, "Demo: half of the planned engagement sessions have taken place."),
    (
        Status.OFF_TRACK,
        10,
        "Demo: the supplier withdrew; we are re-procuring and will report a new date.",
    ),
    (Status.COMPLETE, 100, "Demo: delivered as planned; evidence is with the programme team."),
    (Status.ON_TRACK, 75, "Demo: on track for the deadline."),
]


class Command(BaseCommand):
    help = "Load illustrative demo progress (flagged as demo data). Runs once; refuses production."

    def handle(self, *args, **options):
        if getattr(settings, "ENVIRONMENT", "") == "production":
            raise CommandError(
                "Demo progress is for local running only; this is a production configuration."
            )
        if ProgressUpdate.objects.filter(is_demo=True).exists():
            self.stdout.write("Demo progress is already loaded.")
            return
        User = get_user_model()
        board = User.objects.filter(email="board@demo.example").first()
        lead = User.objects.filter(email="lead@demo.example").first()
        if board is None or lead is None:
            raise CommandError("Create the demo people first: python manage.py create_demo_people")
        with transaction.atomic():
            counts = self._load(board, lead)
        self.stdout.write(
            "Demo progress loaded: {updates} updates, {measurements} measurements, "
            "{challenges} challenges, {delegated} actions delegated to the lead officer.".format(
                **counts
            )
        )

    def _load(self, board, lead) -> dict:
        today = timezone.localdate()
        cycle, _ = ReportingCycle.objects.get_or_create(
            name=CYCLE_NAME,
            defaults={
                # It closed yesterday, so the demo shows updated and late actions, and the
                # programme team can open a real cycle from today without an overlap.
                "start_date": today - datetime.timedelta(days=60),
                "close_date": today - datetime.timedelta(days=1),
            },
        )
        counts = {"updates": 0, "measurements": 0, "challenges": 0, "delegated": 0}
        actions = list(
            Action.objects.select_related("service_area__director").order_by(
                "service_area__position", "position"
            )
        )
        # Two thirds of the actions get an update (older ones before the cycle, so some are due).
        for index, action in enumerate(actions):
            if index % 3 == 2:
                continue
            author = action.responsible_owner
            if author is None:
                continue
            status, progress, narrative = PATTERN[index % len(PATTERN)]
            when = timezone.now() - datetime.timedelta(days=10 if index % 2 == 0 else 80)
            if status == Status.COMPLETE:  # not started → complete is not allowed: on track first
                services.record_progress(
                    action=action,
                    user=author,
                    status=Status.ON_TRACK,
                    progress=70,
                    narrative="Demo: nearly there.",
                    seen_version=action.version,
                    is_demo=True,
                    when=when - datetime.timedelta(days=60),
                )
                action.refresh_from_db()
                counts["updates"] += 1
            services.record_progress(
                action=action,
                user=author,
                status=status,
                progress=progress,
                narrative=narrative,
                seen_version=action.version,
                is_demo=True,
                when=when,
            )
            counts["updates"] += 1
        # Delegate the second action of the first two service areas to the lead officer.
        seen_areas: list[int] = []
        for action in Action.objects.order_by("service_area__position", "position"):
            if action.service_area_id in seen_areas or len(seen_areas) >= 2:
                continue
            seen_areas.append(action.service_area_id)
            owner = action.responsible_owner
            if owner is not None:
                services.delegate(
                    action=action, user=owner, lead_officer=lead, seen_version=action.version
                )
                counts["delegated"] += 1
        counts["measurements"] += self._measurements(today)
        counts["challenges"] += self._challenges(
            board, list(Action.objects.order_by("service_area__position", "position"))
        )
        return counts

    def _measurements(self, today) -> int:
        created = 0
        quarter_ends = [_quarter_end(today, back) for back in (3, 2, 1)]
        outcomes = Outcome.objects.exclude(indicator="").order_by("position")
        for index, outcome in enumerate(outcomes):
            author = outcome.service_area.director
            target = outcome.target_value or Decimal(100)
            expected = outcome.group_share or outcome.benchmark_share
            for step, period_end in enumerate(quarter_ends, start=1):
                if outcome.unit == Outcome.Unit.PERCENT:
                    total = (target * Decimal(step) / Decimal(4)).quantize(Decimal("0.1"))
                    breakdown: list[tuple[str, Decimal]] = []
                else:
                    total = (target * Decimal(step) / Decimal(5)).quantize(Decimal("1"))
                    breakdown = []
                    if outcome.group and expected is not None:
                        # The named group's share climbs towards the share it should have;
                        # alternate outcomes reach it or stay short of it, so the
                        # demo shows both.
                        pace = Decimal("0.15") if index % 2 == 0 else Decimal("0.1")
                        share = expected * (Decimal("0.6") + pace * step)
                        group_value = (total * share / 100).quantize(Decimal("1"))
                        breakdown = [
                            (outcome.group, group_value),
                            ("All other groups", total - group_value),
                        ]
                target_services.add_measurement(
                    indicator=outcome,
                    user=author,
                    period_end=period_end,
                    total=total,
                    dimension=outcome.dimension if breakdown else "",
                    breakdown=breakdown,
                    source="Demo data",
                    note="Illustrative figures for the demo, not real.",
                    is_demo=True,
                )
                created += 1 + len(breakdown)
        for target in (
            Target.objects.filter(kind=Target.Kind.NUMERIC)
            .select_related("action")
            .order_by("position")
        ):
            if target.target_value is None:
                continue  # nothing to show progress towards
            value = (target.target_value * Decimal("0.6")).quantize(Decimal("1"))
            author = target.action.responsible_owner
            target_services.update_target(
                target=target,
                user=author,
                status=Target.Status.IN_PROGRESS,
                met_on=None,
                current_value=value,
                seen_version=target.version,
            )
        return created

    def _challenges(self, board, actions) -> int:
        created = 0
        questions = [
            "Demo: what is the plan to recover this action, and when will it be back on track?",
            "Demo: how are you measuring the impact on the groups this action is for?",
            "Demo: can you share the evidence behind the progress reported this quarter?",
        ]
        candidates = [a for a in actions if a.status in (Status.OFF_TRACK, Status.AT_RISK)][:2] + [
            a for a in actions if a.status == Status.COMPLETE
        ][:1]
        for action, question in zip(candidates, questions, strict=False):
            challenge = Challenge(action=action, question=question, raised_by=board, is_demo=True)
            attribute(challenge, user=board)
            challenge.save()
            created += 1
        return created


def _quarter_end(today: datetime.date, quarters_back: int) -> datetime.date:
    month = ((today.month - 1) // 3) * 3 + 1
    start = datetime.date(today.year, month, 1)
    for _ in range(quarters_back - 1):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
        start = start.replace(month=((start.month - 1) // 3) * 3 + 1)
    return start - datetime.timedelta(days=1)
