"""Deterministic builders for tests: every value is given or follows from a counter, never random."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from actions.models import Action
from strands.models import ServiceArea, Strand
from targets.models import Outcome, Target

_counter = itertools.count(1)


def person(email: str | None = None, *, role: str | None = None, password: str = "pw-for-tests"):
    n = next(_counter)
    email = email or f"person{n}@example.org"
    user = get_user_model().objects.create_user(email=email, password=password)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def strand(ref: str | None = None, **fields) -> Strand:
    n = next(_counter)
    return Strand.objects.create(
        ref=ref or f"S{n}", name=fields.pop("name", f"Strand {n}"), **fields
    )


def service_area(ref: str | None = None, *, strand_=None, **fields) -> ServiceArea:
    n = next(_counter)
    return ServiceArea.objects.create(
        ref=ref or f"AREA{n}",
        strand=strand_ or strand(),
        name=fields.pop("name", f"Area {n}"),
        **fields,
    )


def action(ref: str | None = None, *, area=None, **fields) -> Action:
    n = next(_counter)
    defaults = {
        "title": f"Action {n}",
        "issue": "An inequality",
        "planned_action": "We will act",
        "intended_outcome": "A fairer borough",
        "evidence": "A measure",
    }
    defaults.update(fields)
    return Action.objects.create(
        ref=ref or f"ACT{n}", service_area=area or service_area(), **defaults
    )


def target(ref: str | None = None, *, action_=None, **fields) -> Target:
    n = next(_counter)
    return Target.objects.create(
        ref=ref or f"T{n}",
        action=action_ or action(),
        description=fields.pop("description", f"Target {n}"),
        **fields,
    )


def outcome(ref: str | None = None, *, area=None, **fields) -> Outcome:
    n = next(_counter)
    return Outcome.objects.create(
        ref=ref or f"O{n}",
        service_area=area or service_area(),
        description=fields.pop("description", f"Outcome {n}"),
        **fields,
    )


def progress_saved(action: Action, user, narrative: str, *, progress: int = 55):
    """The action's progress saved through the service, on track, as a director saves it."""
    from actions import services  # noqa: PLC0415
    from actions.models import Status  # noqa: PLC0415

    action.refresh_from_db()
    return services.record_progress(
        action=action,
        user=user,
        status=Status.ON_TRACK,
        progress=progress,
        narrative=narrative,
        seen_version=action.version,
    )
