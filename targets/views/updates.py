"""Target progress and measurements, recorded from the action page: each form posts with HTMX and
swaps its panel, or posts plainly and redirects (actions.page.respond)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from actions.models import Action
from actions.page import editable_action, respond, stale_data
from actions.services import StaleEdit
from config.forms import add_service_errors
from targets import services
from targets.action_page import measurement_form
from targets.categories import Catalogue
from targets.forms import TargetProgressForm
from targets.models import Measurement, Outcome, Target


def _target_in_reach(request, ref: str) -> Target:
    try:
        target = Target.objects.select_related("action").get(ref=ref)
    except Target.DoesNotExist:
        raise Http404 from None
    editable_action(request, target.action.ref)
    return target


@require_POST
@login_required
def target_progress(request, ref: str):
    target = _target_in_reach(request, ref)
    action = target.action
    form = TargetProgressForm(request.POST, target=target, prefix=f"t-{target.ref}")
    kwargs = {
        "partial": "target-panel",
        "pick": lambda ctx: {"target": next(t for t in ctx["targets"] if t.pk == target.pk)},
    }
    forms_key = ("target", target.ref)
    if not form.is_valid():
        return respond(request, action, forms={forms_key: form}, status=422, **kwargs)
    data = form.cleaned_data
    try:
        saved = services.update_target(
            target=target,
            user=request.user,
            status=data["status"],
            met_on=data.get("met_on"),
            current_value=data.get("current_value"),
            seen_version=data["version"],
        )
    except StaleEdit as stale:
        target.refresh_from_db()
        fresh = TargetProgressForm(
            stale_data(form, target.version), target=target, prefix=f"t-{target.ref}"
        )
        fresh.is_valid()
        return respond(
            request, action, forms={forms_key: fresh}, status=409, stale=stale.changes, **kwargs
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return respond(request, action, forms={forms_key: form}, status=422, **kwargs)
    summary = saved.get_status_display().lower()
    if saved.met_on:
        summary += f" on {saved.met_on:%-d %B %Y}"
    if saved.is_numeric and saved.current_value is not None:
        summary += f", latest value {saved.current_value.normalize():f}"
    return respond(request, action, success=f"Target {saved.ref} saved: {summary}.", **kwargs)


def _indicator_in_reach(request, ref: str):
    outcomes = Outcome.objects.filter(ref=ref).exclude(indicator="")
    if outcomes.exists():
        # Who may not see the outcome's page may not learn of it here either.
        outcome = get_object_or_404(outcomes.visible_to(request.user))
        action = Action.objects.editable_by(request.user).filter(targets__outcomes=outcome).first()
        if action is None:
            raise PermissionDenied("You can view this outcome but not record its values.")
        return outcome, action
    target = (
        Target.objects.filter(ref=ref, kind=Target.Kind.NUMERIC).select_related("action").first()
    )
    if target is None:
        raise Http404
    return target, editable_action(request, target.action.ref)


@require_POST
@login_required
def measurement_add(request, ref: str):
    indicator, action = _indicator_in_reach(request, ref)
    if request.POST.get("action_ref"):
        # Posted from a particular action's page: answer on that page, if the person can edit it.
        chosen = (
            Action.objects.editable_by(request.user).filter(ref=request.POST["action_ref"]).first()
        )
        action = chosen or action
    existing = list(
        Measurement.objects.filter(
            **{"outcome" if isinstance(indicator, Outcome) else "target": indicator}
        )
    )
    form = measurement_form(indicator, existing, data=request.POST, catalogue=Catalogue.load())
    kwargs = {
        "partial": "indicator-panel",
        "pick": lambda ctx: {"indicator": _find_indicator(ctx, indicator)},
    }
    forms_key = ("measurement", indicator.ref)
    if form.showing_only:  # the categories of the chosen list, to fill in: nothing is saved
        return respond(request, action, forms={forms_key: form}, **kwargs)
    if not form.is_valid():
        return respond(request, action, forms={forms_key: form}, status=422, **kwargs)
    data = form.cleaned_data
    try:
        services.add_measurement(
            indicator=indicator,
            user=request.user,
            period_end=data["period_end"],
            total=data["value"],
            breakdowns=data["breakdowns"],
            source=data["source"].strip(),
            note=data["note"].strip(),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return respond(request, action, forms={forms_key: form}, status=422, **kwargs)
    return respond(
        request,
        action,
        success=f"Value for the period ending {data['period_end']:%-d %B %Y} saved for {indicator.ref}.",
        **kwargs,
    )


def _find_indicator(context, indicator):
    pool = context["outcomes"] if isinstance(indicator, Outcome) else context["targets"]
    return next(i for i in pool if i.pk == indicator.pk)
