"""The outcome page: an indicator over time, its breakdown by group, its targets and actions."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from actions.models import Action
from config.roles import sees_everything
from targets import outcome_charts
from targets.categories import Catalogue
from targets.models import Measurement, Outcome, Target
from targets.services import correctable
from targets.shares import expected_share, periods, should_be


@require_GET
@login_required
def outcome_detail(request: HttpRequest, ref: str) -> HttpResponse:
    outcome = get_object_or_404(
        Outcome.objects.visible_to(request.user).select_related("service_area__strand"), ref=ref
    )
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
    targets = list(
        Target.objects.filter(outcomes=outcome)
        .select_related("action__service_area")
        .order_by("action__service_area__position", "action__position", "position", "ref")
    )
    visible = set(
        Action.objects.visible_to(request.user)
        .filter(pk__in={t.action_id for t in targets})
        .values_list("pk", flat=True)
    )
    actions: list[Action] = []
    for target in targets:
        if target.action not in actions:
            actions.append(target.action)
    expected, expected_label = expected_share(outcome)
    back = reverse("dashboard") if sees_everything(request.user) else reverse("my-actions")
    return render(
        request,
        "targets/outcome_detail.html",
        {
            "outcome": outcome,
            "periods": values,
            "targets": targets,
            "actions": actions,
            "visible_action_ids": visible,  # the others are listed without a link
            "expected": expected,
            "expected_label": expected_label,
            "correctable": correctable(request.user, measurements),
            "should_be": should_be(expected, outcome.share_comparison, outcome.share_tolerance),
            "trend_chart": outcome_charts.trend_chart(outcome, values),
            "shares_charts": outcome_charts.shares_charts(outcome, values),
            "back_href": back,
        },
    )
