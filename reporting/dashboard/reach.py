"""Whose dashboard it is: the whole programme (the Board and the programme team), or a person's
own part of it.

A service director's dashboard is the service areas they direct: those areas' actions and
outcomes. A lead officer (or a director with no area) sees the actions they own or lead, and
the outcomes those actions serve. Every figure on the page is worked out from the reach's
actions and outcomes (reporting.dashboard.selectors.scope), so nothing of another area shows.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from actions.models import Action
from strands.models import ServiceArea
from targets.models import Outcome


@dataclass(frozen=True)
class Reach:
    actions: QuerySet  # of Action
    outcomes: QuerySet  # of Outcome
    areas: tuple[ServiceArea, ...]  # the areas it covers, for its heading
    is_directed: bool  # the person directs these areas (else: the actions they own or lead)
    key: str  # names the reach in cache keys: one person's dashboard is never served to another

    def __repr__(self) -> str:
        return f"Reach({self.key})"

    @property
    def heading(self) -> str:
        names = [area.name for area in self.areas]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
        if self.is_directed:
            return f"Dashboard for {listed}"
        return f"Dashboard for your actions in {listed}"

    @property
    def explanation(self) -> str:
        if self.is_directed:
            return (
                "This dashboard shows only the service areas you direct: their actions, "
                "targets, outcomes and challenges."
            )
        return (
            "This dashboard shows only the actions you own or lead, their targets and "
            "challenges, and the outcomes they serve."
        )


def reach_of(user) -> Reach | None:
    """The person's own part of the programme, or None when they have none (two queries)."""
    directed = list(
        ServiceArea.objects.filter(director=user)
        .select_related("strand")
        .order_by("strand__position", "position", "ref")
    )
    if directed:
        ids = [area.pk for area in directed]
        return Reach(
            actions=Action.objects.filter(service_area__in=ids),
            outcomes=Outcome.objects.filter(service_area__in=ids),
            areas=tuple(directed),
            is_directed=True,
            key=f"areas:{','.join(map(str, ids))}",
        )
    actions = Action.objects.filter(pk__in=Action.objects.owned_or_led_by(user).values("pk"))
    areas = tuple(
        ServiceArea.objects.filter(pk__in=actions.values("service_area"))
        .select_related("strand")
        .order_by("strand__position", "position", "ref")
    )
    if not areas:
        return None
    served = Outcome.targets.through.objects.filter(target__action__in=actions.values("pk"))
    return Reach(
        actions=actions,
        outcomes=Outcome.objects.filter(pk__in=served.values("outcome_id")),
        areas=areas,
        is_directed=False,
        key=f"person:{user.pk}",
    )
