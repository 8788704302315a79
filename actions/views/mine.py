from itertools import groupby

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.views.decorators.http import require_GET

from actions.cycles import current_cycle, state_in_cycle
from actions.models import Action, Challenge


@require_GET
@login_required
def my_actions(request):
    """The actions a person owns or leads, grouped by service area, what is due first."""
    cycle = current_cycle()
    actions = list(
        Action.objects.owned_or_led_by(request.user)
        .with_latest_update()
        .annotate(open_challenges=_open_challenges())
        .select_related("service_area__strand", "lead_officer", "owner", "service_area__director")
        .order_by("service_area__strand__position", "service_area__position", "position", "ref")
    )
    authors = _people({a.last_update_author_id for a in actions if a.last_update_author_id})
    rows = []
    for action in actions:
        action.cycle_state = state_in_cycle(
            cycle=cycle, is_live=action.is_live, last_update_at=action.last_update_at
        )
        action.last_update_author = authors.get(action.last_update_author_id)
        rows.append(action)
    groups = []
    for area, items in groupby(rows, key=lambda a: a.service_area):
        items = sorted(
            items,
            key=lambda a: (a.cycle_state.sort_key if a.cycle_state else 3, a.position, a.ref),
        )
        groups.append((area, items))
    counts = {
        "late": sum(1 for a in rows if a.cycle_state and a.cycle_state.code == "late"),
        "due": sum(1 for a in rows if a.cycle_state and a.cycle_state.code == "due"),
        "challenges": sum(a.open_challenges for a in rows),
    }
    # Areas with something late or due come first.
    groups.sort(key=lambda g: min((a.cycle_state.sort_key if a.cycle_state else 3) for a in g[1]))
    return render(
        request,
        "actions/my_actions.html",
        {"groups": groups, "cycle": cycle, "counts": counts, "total": len(rows)},
    )


def _open_challenges():
    """How many of the Board's challenges on the action wait for an answer (a subquery)."""
    waiting = (
        Challenge.objects.filter(action=OuterRef("pk"), state=Challenge.State.OPEN)
        .order_by()
        .values("action")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(waiting), 0)


def _people(ids):
    if not ids:
        return {}
    return {p.id: p for p in get_user_model().objects.filter(id__in=ids)}
