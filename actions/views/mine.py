from itertools import groupby

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.views.decorators.http import require_GET

from actions.cycles import current_cycle, state_in_cycle
from actions.models import Action, Challenge
from actions.views import cells


@require_GET
@login_required
def my_actions(request):
    """The actions a person owns or leads, grouped by service area, what is due first."""
    cycle = current_cycle()
    actions = list(
        Action.objects.owned_or_led_by(request.user)
        .with_latest_update()
        .annotate(open_challenges=_open_challenges())
        .defer(*cells.LONG_TEXTS)
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
        groups.append((area, [_cells(action, request.user) for action in items], items))
    counts = {
        "late": sum(1 for a in rows if a.cycle_state and a.cycle_state.code == "late"),
        "due": sum(1 for a in rows if a.cycle_state and a.cycle_state.code == "due"),
        "challenges": sum(a.open_challenges for a in rows),
    }
    # Areas with something late or due come first.
    groups.sort(key=lambda g: min((a.cycle_state.sort_key if a.cycle_state else 3) for a in g[2]))
    context = {
        "groups": [(area, table_rows) for area, table_rows, _ in groups],
        "head": HEAD,
        "cycle": cycle,
        "counts": counts,
        "total": len(rows),
    }
    return render(request, "actions/my_actions.html", context)


HEAD: list[dict] = [
    {"heading": "Action"},
    {"heading": "Status"},
    {"heading": "% complete", "numeric": True},
    {"heading": "Last update"},
    {"heading": "This cycle"},
]
_LINE = "\n            "  # between the lines of the Action cell, as its template wrote them
_CHALLENGES = (
    '<br><strong class="govuk-body-s"><a class="govuk-link"\n{}href="{}#challenges-panel">'
    '{} Board challenge{} to answer<span class="govuk-visually-hidden"> on {}</span></a></strong>'
)


def _cells(action, user) -> list[dict]:
    """An action's row of the table (actions/views/cells.py)."""
    lines: list[str] = [cells.action_link(action, layout="\n               ")]
    lead = action.lead_officer
    lines.append(
        f'<br><span class="govuk-body-s">Lead officer: {cells.text(lead.display_name)}</span>'
        if lead and lead != user
        else ""
    )
    lines.append(
        SafeString('<br><span class="govuk-body-s">Delegated to you</span>') if lead == user else ""
    )
    if action.open_challenges:
        lines.append(
            format_html(
                _CHALLENGES,
                " " * 79,
                cells.action_url(action.ref),
                action.open_challenges,
                pluralize(action.open_challenges),
                action.ref,
            )
        )
    if action.last_update_at:
        author = action.last_update_author
        last = SafeString(
            f"{cells.day(localtime(action.last_update_at))}"
            f'<br><span class="govuk-body-s">by {cells.text(author.display_name if author else "")}'
            "</span>"
        )
    else:
        last = SafeString("No updates yet")
    contents: list[str] = [
        SafeString(_LINE.join(lines).rstrip()),  # each line escaped above
        cells.status(action.status, action.get_status_display()),
        SafeString(f"{cells.text(action.progress)}%"),
        last,
        cells.cycle_tag(action),
    ]
    return cells.row(HEAD, contents)


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
