"""The outcome page: an indicator over time, its breakdown by group, its targets and actions.

The indicator's charts and each period's breakdown tables are most of what the page costs to draw,
and the commonest change, a progress save, leaves them as they were. So they are kept, drawn, for
each state of the data they read (config.data_state), for each person (who may correct which
value depends on them) and day, and served again until any of it changes, as the action page
keeps its targets (targets/action_page.py).
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from actions.models import Action
from config.data_state import digest, latest_changes
from config.kept_sections import kept_section
from config.roles import sees_everything, start_page
from targets import outcome_charts
from targets.categories import Catalogue
from targets.models import Category, CategoryList, Dimension, Measurement, Outcome, Target
from targets.services import correctable
from targets.shares import expected_share, periods, should_be

SECTION = "targets/outcome_detail.html#indicator-over-time"


@require_GET
@login_required
def outcome_detail(request: HttpRequest, ref: str) -> HttpResponse:
    outcome = get_object_or_404(
        Outcome.objects.visible_to(request.user).select_related("service_area__strand"), ref=ref
    )
    targets = list(
        Target.objects.filter(outcomes=outcome)
        .select_related("action__service_area")
        .order_by("action__service_area__position", "action__position", "position", "ref")
    )
    action_ids = {t.action_id for t in targets}
    if sees_everything(request.user):
        visible = action_ids
    else:
        visible = set(
            Action.objects.visible_to(request.user)
            .filter(pk__in=action_ids)
            .values_list("pk", flat=True)
        )
    actions: list[Action] = []
    for target in targets:
        if target.action not in actions:
            actions.append(target.action)
    expected, expected_label = expected_share(outcome)
    back = reverse(start_page(request.user))
    context = {
        "outcome": outcome,
        "targets": targets,
        "actions": actions,
        "visible_action_ids": visible,  # the others are listed without a link
        "expected": expected,
        "expected_label": expected_label,
        "should_be": should_be(expected, outcome.share_comparison, outcome.share_tolerance),
        "back_href": back,
    }
    context["indicator_html"] = indicator_section(request, outcome, context)
    return render(request, "targets/outcome_detail.html", context)


def indicator_section(request: HttpRequest, outcome: Outcome, page: dict) -> SafeString:
    """The indicator over time and each period's breakdown, drawn (or kept from before)."""
    key, settled = section_key(request, outcome)

    def draw() -> dict:
        context = {**page, **section_context(request, outcome)}
        return {"html": render_to_string(SECTION, context, request=request).strip()}

    kept = kept_section(
        key, settled=settled, seconds=settings.OUTCOME_PAGE_CACHE_SECONDS, draw=draw
    )
    # The kept HTML was escaped when it was drawn.
    return mark_safe(kept["html"])  # noqa: S308


def section_key(request: HttpRequest, outcome: Outcome) -> tuple[str, bool]:
    """The key of what is kept for this person, outcome and state, and whether it may be kept."""
    state = latest_changes(
        (Outcome, Measurement, Dimension, CategoryList, Category, get_user_model())
    )
    parts = (outcome.pk, outcome.ref, request.user.pk, datetime.date.today(), state.ids)
    return f"outcome-indicator:{digest(parts)}", state.settled


def section_context(request: HttpRequest, outcome: Outcome) -> dict:
    measurements = list(
        Measurement.objects.filter(outcome=outcome).order_by("period_end", "position", "pk")
    )
    catalogue = Catalogue.load()
    values = periods(  # newest first
        outcome,
        measurements,
        not_given=catalogue.not_given_ids(),
        named=catalogue.named_category(outcome),
    )
    return {
        "periods": values,
        "correctable": correctable(request.user, measurements),
        "trend_chart": outcome_charts.trend_chart(outcome, values),
        "shares_charts": outcome_charts.shares_charts(outcome, values),
    }
