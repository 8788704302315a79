"""A synthetic framework shaped like Islington's, at any multiple of its size, with history.

1× is the Islington framework's size: 3 strands, 10 service areas, 48 actions, 34 targets and
35 outcomes, plus (unlike the published framework, which has none) about 2,000 measurements:
20 measured outcomes, each with 12 quarters of a total and 7 groups. 10× has ten times the
actions, targets, outcomes and measurements in the same 10 service areas (a bigger programme,
not more directors). Everything is deterministic.

History is part of the data, as the dashboard reads it: every action, target and measurement
has its creation record, actions change status a few times over two years, some targets are
met or missed, and each measurement is recorded two weeks after its quarter ends. Rows and
their history are written in bulk (simple-history's bulk_create_with_history, and historical
rows built directly for the later changes), so 10× builds in seconds.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from actions.models import Action, Challenge, Characteristic, ProgressUpdate, ReportingCycle, Status
from config import roles
from strands.models import ServiceArea, Strand
from targets.models import Measurement, Outcome, Target

ISLINGTON = {"actions": 48, "targets": 34, "outcomes": 35, "measured": 20}
QUARTERS = 12
GROUPS = ["Asian", "Black", "Mixed", "White British", "White other", "Other", "Not known"]
NAMED_GROUP = "Black"
STRANDS = [("LEAD", "Strategic leader", 1), ("EMP", "Employer", 3), ("SERV", "Service provider", 6)]
CHARACTERISTICS = ["race", "disability", "sex", "age", "socio_economic"]
# The statuses an action passes through, and where it rests; the pattern repeats.
PATHS = [
    [Status.ON_TRACK],
    [Status.ON_TRACK, Status.AT_RISK],
    [Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK],
    [Status.ON_TRACK, Status.COMPLETE],
    [],
    [Status.AT_RISK, Status.ON_TRACK],
]
PASSWORD = "bench-password"


@dataclass
class Built:
    board: object
    team: object
    director: object  # directs the first service area
    area_refs: list[str]
    action_ref: str  # an action whose targets serve a measured outcome
    outcome_ref: str  # a measured outcome with an equity share
    counts: dict


def _people(n_areas: int):
    User = get_user_model()
    groups = {name: Group.objects.get(name=name) for name in roles.ROLES}

    def person(email, role, first, last):
        user = User(email=email, first_name=first, last_name=last)
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(groups[role])
        return user

    board = person("board@bench.example", roles.PROGRAMME_BOARD, "Bea", "Board")
    team = person("team@bench.example", roles.PROGRAMME_TEAM, "Tom", "Team")
    directors = [
        person(f"director{n}@bench.example", roles.SERVICE_DIRECTOR, "Dana", f"Director {n}")
        for n in range(1, n_areas + 1)
    ]
    leads = [
        person(f"lead{n}@bench.example", roles.LEAD_OFFICER, "Lee", f"Lead {n}") for n in (1, 2)
    ]
    return board, team, directors, leads


@transaction.atomic
def build(scale: int, *, today: datetime.date | None = None) -> Built:
    today = today or timezone.localdate()
    now = timezone.now()
    start = now - datetime.timedelta(days=730)
    n_areas = sum(n for *_, n in STRANDS)
    board, team, directors, leads = _people(n_areas)

    strands, areas = [], []
    for position, (ref, name, n) in enumerate(STRANDS):
        strand = Strand.objects.create(
            ref=ref, name=f"Council as {name.lower()}", position=position
        )
        strands.append(strand)
        for k in range(1, n + 1):
            areas.append((strand, f"{ref}-{k}", f"{name} area {k}"))
    areas = [
        ServiceArea.objects.create(
            ref=ref, strand=strand, name=name, director=directors[i], position=i
        )
        for i, (strand, ref, name) in enumerate(areas)
    ]

    # Actions, created two years ago, then moving along their path of statuses.
    n_actions = ISLINGTON["actions"] * scale
    actions = []
    histories = []  # (action index, [(when, status), ...])
    for i in range(n_actions):
        area = areas[i % len(areas)]
        path = PATHS[i % len(PATHS)]
        # The last change 0 to 360 days ago (about a third in the last 90 days), each earlier
        # one 100 days before the next.
        last = (i * 37) % 360
        steps = [
            (now - datetime.timedelta(days=last + 100 * (len(path) - 1 - j), hours=i % 24), s)
            for j, s in enumerate(path)
        ]
        histories.append(steps)
        action = Action(
            ref=f"{area.ref}-{i + 1:04d}",
            service_area=area,
            title=f"Synthetic action {i + 1}",
            issue="An inequality",
            planned_action="What we will do",
            intended_outcome="A fairer borough",
            evidence="How we will know",
            owner=None if i % 4 else directors[(i + 1) % len(directors)],
            lead_officer=leads[i % 2] if i % 5 == 0 else None,
            start_date=today - datetime.timedelta(days=700),
            due_date=today + datetime.timedelta(days=(i % 40) * 15 - 200),
            status=steps[-1][1] if steps else Status.NOT_STARTED,
            progress=100 if steps and steps[-1][1] == Status.COMPLETE else (i * 7) % 90,
            position=i,
            version=1 + len(steps),
        )
        actions.append(action)
    actions = Action.objects.bulk_create(actions, batch_size=500)
    HistoricalAction = Action.history.model
    changes, updates = [], []
    for action, steps in zip(actions, histories, strict=True):
        owner = action.owner or action.service_area.director
        changes.append(
            _record(action, "+", start, team, "Loaded", status=Status.NOT_STARTED, version=1)
        )
        for version, (when, status) in enumerate(steps, start=2):
            changes.append(
                _record(action, "~", when, owner, "Progress update", status=status, version=version)
            )
            updates.append(
                ProgressUpdate(
                    action=action,
                    status=status,
                    progress=(action.progress if status == action.status else 40),
                    narrative=f"Synthetic update: {status}",
                    author=owner,
                    created_at=when,
                )
            )
    HistoricalAction.objects.bulk_create(changes, batch_size=500)
    ProgressUpdate.objects.bulk_create(updates, batch_size=500)
    Through = Action.characteristics.through
    codes = list(
        Characteristic.objects.filter(code__in=CHARACTERISTICS).values_list("code", flat=True)
    )
    Through.objects.bulk_create(
        [
            Through(action_id=a.pk, characteristic_id=codes[(i + k) % len(codes)])
            for i, a in enumerate(actions)
            for k in range(1 + i % 2)
        ],
        batch_size=500,
    )

    # Targets: dated around today (some overdue, some due soon), a few met or missed lately.
    n_targets = ISLINGTON["targets"] * scale
    targets = []
    for i in range(n_targets):
        numeric = i % 3 == 0
        status = [
            Target.Status.NOT_STARTED,
            Target.Status.IN_PROGRESS,
            Target.Status.MET,
            Target.Status.IN_PROGRESS,
            Target.Status.NOT_MET,
        ][i % 5]
        target = Target(
            ref=f"T{i + 1:04d}",
            action=actions[(i * 7) % n_actions],
            description=f"Synthetic target {i + 1}",
            due_date=today + datetime.timedelta(days=(i % 30) * 20 - 300),
            due_text="",
            kind=Target.Kind.NUMERIC if numeric else Target.Kind.MILESTONE,
            target_value=Decimal(100) if numeric else None,
            unit="people" if numeric else "",
            status=status,
            met_on=(today - datetime.timedelta(days=i % 200))
            if status == Target.Status.MET
            else None,
            position=i,
        )
        targets.append(target)
    targets = Target.objects.bulk_create(targets, batch_size=500)
    HistoricalTarget = Target.history.model
    records = []
    for i, t in enumerate(targets):
        finished = t.status in (Target.Status.MET, Target.Status.NOT_MET)
        first = Target.Status.IN_PROGRESS if finished else t.status
        records.append(_record(t, "+", start, team, "Loaded", status=first, met_on=None))
        if finished:
            when = now - datetime.timedelta(days=(i * 13) % 400)
            records.append(_record(t, "~", when, t.action.service_area.director, "Target progress"))
    HistoricalTarget.objects.bulk_create(records, batch_size=500)

    # Outcomes: the first of every 7 in 4 are measured; half of those carry an equity share.
    n_outcomes = ISLINGTON["outcomes"] * scale
    n_measured = ISLINGTON["measured"] * scale
    outcomes = []
    for i in range(n_outcomes):
        measured = i < n_measured
        with_share = measured and i % 2 == 0
        outcomes.append(
            Outcome(
                ref=f"O{i + 1:04d}",
                service_area=areas[i % len(areas)],
                description=f"Synthetic outcome {i + 1}",
                indicator=f"People helped ({i + 1})" if measured else "",
                unit=Outcome.Unit.COUNT if measured else "",
                direction=Outcome.Direction.INCREASE if measured else "",
                target_value=Decimal(1000) if measured else None,
                target_date=today + datetime.timedelta(days=365) if measured else None,
                dimension="ethnicity" if measured else "",
                group=NAMED_GROUP if with_share else "",
                group_share=Decimal(20) if with_share and i % 4 == 0 else None,
                benchmark_share=Decimal(15) if with_share and i % 4 == 2 else None,
                position=i,
            )
        )
    outcomes = bulk_create_with_history(outcomes, Outcome, default_user=team, default_date=start)
    Links = Outcome.targets.through
    Links.objects.bulk_create(
        [
            Links(outcome_id=o.pk, target_id=targets[(i + k) % n_targets].pk)
            for i, o in enumerate(outcomes)
            for k in range(1 + i % 2)
        ],
        batch_size=500,
    )

    # Measurements: 12 quarters of a total and 7 groups for each measured outcome.
    quarter_ends = _quarter_ends(today, QUARTERS)
    rows = []
    for i, outcome in enumerate(outcomes[:n_measured]):
        recorder = outcome.service_area.director
        for q, period_end in enumerate(quarter_ends):
            total = 400 + 20 * q + i % 17
            named = total * (10 + (q + i) % 12) // 100  # 10%–21%: sometimes short of its share
            rest = total - named
            values = [rest // 6] * 6
            values[0] += rest - sum(values)
            recorded = timezone.make_aware(
                datetime.datetime.combine(
                    period_end + datetime.timedelta(days=14), datetime.time(10)
                )
            )
            for position, (group, value) in enumerate(
                [("", total)]
                + [(NAMED_GROUP, named)]
                + list(zip([g for g in GROUPS if g != NAMED_GROUP], values, strict=True)),
                start=1,
            ):
                m = Measurement(
                    outcome=outcome,
                    period_end=period_end,
                    value=Decimal(value),
                    dimension="ethnicity",
                    group=group,
                    source="Synthetic",
                    recorded_by=recorder,
                    position=position,
                )
                m._history_date = min(recorded, now)
                rows.append(m)
    bulk_create_with_history(rows, Measurement, default_user=team, batch_size=1000)

    # Challenges: a few open ones, the rest answered.
    challenges = []
    for i in range(6 * scale):
        action = actions[(i * 11) % n_actions]
        answered = i % 3 == 0
        challenges.append(
            Challenge(
                action=action,
                question=f"Synthetic question {i + 1}?",
                raised_by=board,
                response="An answer" if answered else "",
                responded_by=action.service_area.director if answered else None,
                state=Challenge.State.ANSWERED if answered else Challenge.State.OPEN,
            )
        )
    Challenge.objects.bulk_create(challenges)

    # The current cycle closed five days ago, so actions not updated since its start are late.
    ReportingCycle.objects.create(
        name="Bench cycle",
        start_date=today - datetime.timedelta(days=95),
        close_date=today - datetime.timedelta(days=5),
    )

    shared = next(o for o in outcomes[:n_measured] if o.group_share is not None)
    served = Target.objects.filter(outcomes=shared).select_related("action").first()
    return Built(
        board=board,
        team=team,
        director=directors[0],
        area_refs=[a.ref for a in areas],
        action_ref=served.action.ref,
        outcome_ref=shared.ref,
        counts={
            "actions": Action.objects.count(),
            "targets": Target.objects.count(),
            "outcomes": Outcome.objects.count(),
            "measurements": Measurement.objects.count(),
            "action history": HistoricalAction.objects.count(),
            "target history": HistoricalTarget.objects.count(),
            "measurement history": Measurement.history.model.objects.count(),
        },
    )


_HISTORY_MODELS: dict = {}


def _history_model(model):
    # `Model.history` builds a new manager class at each use; look each model up once.
    if model not in _HISTORY_MODELS:
        _HISTORY_MODELS[model] = model.history.model
    return _HISTORY_MODELS[model]


def _record(instance, kind: str, when, user, reason: str, **overrides):
    """A historical record of an instance as it is, with some fields as they were then."""
    History = _history_model(type(instance))
    fields = {f.attname: getattr(instance, f.attname) for f in History.tracked_fields}
    return History(
        **{**fields, **overrides},
        history_date=when,
        history_type=kind,
        history_user=user,
        history_change_reason=reason,
    )


def _quarter_ends(today: datetime.date, n: int) -> list[datetime.date]:
    """The last n quarter ends before today, oldest first."""
    ends = []
    year, quarter = today.year, (today.month - 1) // 3  # the quarter before this one
    for _ in range(n):
        if quarter == 0:
            year, quarter = year - 1, 4
        month = quarter * 3
        next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
        ends.append(next_month - datetime.timedelta(days=1))
        quarter -= 1
    return sorted(ends)
