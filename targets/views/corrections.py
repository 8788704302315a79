"""Correcting a recorded value: the person who recorded it, or the programme team, with a reason."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from actions.models import Action
from config.forms import add_service_errors
from config.htmx import back_with_message
from targets import services
from targets.forms import CorrectionForm
from targets.models import Measurement, Outcome


def page_of(user, measurement: Measurement) -> str:
    """Where the value is shown to this person: its outcome's page, or the action page."""
    ref = measurement.indicator_ref
    if measurement.outcome_id:
        anchor = f"#period-{measurement.period_end:%Y-%m-%d}"
        if Outcome.objects.visible_to(user).filter(pk=measurement.outcome_id).exists():
            return reverse("outcome-detail", args=[ref]) + anchor
        action = Action.objects.visible_to(user).filter(targets__outcomes=measurement.outcome_id)
        anchor = f"#indicator-{ref}"
    else:
        action = Action.objects.visible_to(user).filter(targets__measurements=measurement)
        anchor = f"#target-{ref}"
    action_ref = action.values_list("ref", flat=True).first()
    if action_ref is None:
        raise Http404
    return reverse("action-detail", args=[action_ref]) + anchor


@require_http_methods(["GET", "POST"])
@login_required
def measurement_correct(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = get_object_or_404(
        Measurement.objects.select_related("outcome", "target", "recorded_by"), pk=pk
    )
    back = page_of(request.user, measurement)
    if not services.may_correct(request.user, measurement):
        raise PermissionDenied(
            "Only the person who recorded a value, or the programme team, may correct it."
        )
    form = CorrectionForm(request.POST or None, initial={"value": measurement.value.normalize()})
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_measurement(
                measurement=measurement,
                user=request.user,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return back_with_message(
                request,
                back,
                f"{_what(measurement)} corrected to {form.cleaned_data['value'].normalize():f}. "
                "The value it replaced is kept in its history.",
            )
    history = measurement.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    return render(
        request,
        "targets/measurement_correct.html",
        {
            "measurement": measurement,
            "what": _what(measurement),
            "form": form,
            "history": history,
            "back_href": back,
        },
        status=422 if form.errors else 200,
    )


def _what(measurement: Measurement) -> str:
    group = measurement.group or "total"
    return f"The {group} for {measurement.indicator_ref}, period ending {measurement.period_end:%-d %B %Y},"
