"""The update forms: each posts with HTMX and swaps its panel, or posts plainly and redirects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from actions import services
from actions.forms import DelegateForm, ProgressForm, TargetProgressForm
from actions.models import Action, Status
from actions.views.context import action_page_context, get_action, measurement_form
from targets.models import Measurement, Outcome, Target


def _editable_action(request, ref: str) -> Action:
    """404 for what the person may not see; 403 for what they may see but not change."""
    action = get_action(Action.objects.visible_to(request.user), ref)
    if not Action.objects.editable_by(request.user).filter(pk=action.pk).exists():
        raise PermissionDenied("You can view this action but not update it.")
    return action


def _add_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


def _stale_data(form, version: int):
    data = form.data.copy()
    data[form.add_prefix("version")] = str(version)
    return data


def _respond(
    request, action, *, partial, anchor, forms=None, status=200, success="", stale=(), pick=None
):
    """Answer an update: a panel for HTMX, otherwise a redirect (success) or the whole page."""
    if success and not request.htmx:
        messages.success(request, success)
        return redirect(reverse("action-detail", args=[action.ref]) + f"#{anchor}")
    action.refresh_from_db()
    context = action_page_context(request, action, can_edit=True, forms=forms)
    context.update({"success": success, "stale": list(stale), "has_errors": status in (409, 422)})
    if pick:
        context.update(pick(context))
    template = "actions/detail.html"
    if request.htmx and not request.htmx.boosted:
        template += f"#{partial}"
    return render(request, template, context, status=status)


@require_POST
@login_required
def action_progress(request, ref: str):
    action = _editable_action(request, ref)
    form = ProgressForm(request.POST, action=action)
    kwargs = {"partial": "progress-panel", "anchor": "progress-panel"}
    if not form.is_valid():
        return _respond(request, action, forms={"progress": form}, status=422, **kwargs)
    data = form.cleaned_data
    try:
        services.record_progress(
            action=action,
            user=request.user,
            status=data["status"],
            progress=data["progress"],
            narrative=data["narrative"],
            closed_reason=data["closed_reason"],
            seen_version=data["version"],
        )
    except services.StaleEdit as stale:
        action.refresh_from_db()
        fresh = ProgressForm(_stale_data(form, action.version), action=action)
        fresh.is_valid()
        return _respond(
            request, action, forms={"progress": fresh}, status=409, stale=stale.changes, **kwargs
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _respond(request, action, forms={"progress": form}, status=422, **kwargs)
    return _respond(
        request,
        action,
        success=f"Progress saved: {Status(data['status']).label.lower()}, {data['progress']}% complete.",
        **kwargs,
    )


def _target_in_reach(request, ref: str) -> Target:
    try:
        target = Target.objects.select_related("action").get(ref=ref)
    except Target.DoesNotExist:
        raise Http404 from None
    _editable_action(request, target.action.ref)
    return target


@require_POST
@login_required
def target_progress(request, ref: str):
    target = _target_in_reach(request, ref)
    action = target.action
    form = TargetProgressForm(request.POST, target=target, prefix=f"t-{target.ref}")
    kwargs = {
        "partial": "target-panel",
        "anchor": f"target-{target.ref}",
        "pick": lambda ctx: {"target": next(t for t in ctx["targets"] if t.pk == target.pk)},
    }
    forms_key = ("target", target.ref)
    if not form.is_valid():
        return _respond(request, action, forms={forms_key: form}, status=422, **kwargs)
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
    except services.StaleEdit as stale:
        target.refresh_from_db()
        fresh = TargetProgressForm(
            _stale_data(form, target.version), target=target, prefix=f"t-{target.ref}"
        )
        fresh.is_valid()
        return _respond(
            request, action, forms={forms_key: fresh}, status=409, stale=stale.changes, **kwargs
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _respond(request, action, forms={forms_key: form}, status=422, **kwargs)
    summary = saved.get_status_display().lower()
    if saved.met_on:
        summary += f" on {saved.met_on:%-d %B %Y}"
    if saved.is_numeric and saved.current_value is not None:
        summary += f", latest value {saved.current_value.normalize():f}"
    return _respond(request, action, success=f"Target {saved.ref} saved: {summary}.", **kwargs)


def _indicator_in_reach(request, ref: str):
    outcome = Outcome.objects.filter(ref=ref).exclude(indicator="").first()
    if outcome is not None:
        reachable = Action.objects.visible_to(request.user).filter(targets__outcomes=outcome)
        editable = Action.objects.editable_by(request.user).filter(targets__outcomes=outcome)
        action = editable.first() or reachable.first()
        if action is None:
            raise Http404
        if not editable.exists():
            raise PermissionDenied("You can view this outcome but not record its values.")
        return outcome, action
    target = (
        Target.objects.filter(ref=ref, kind=Target.Kind.NUMERIC).select_related("action").first()
    )
    if target is None:
        raise Http404
    return target, _editable_action(request, target.action.ref)


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
    form = measurement_form(indicator, existing, data=request.POST)
    kwargs = {
        "partial": "indicator-panel",
        "anchor": f"indicator-{indicator.ref}",
        "pick": lambda ctx: {"indicator": _find_indicator(ctx, indicator)},
    }
    forms_key = ("measurement", indicator.ref)
    if not form.is_valid():
        return _respond(request, action, forms={forms_key: form}, status=422, **kwargs)
    data = form.cleaned_data
    try:
        services.add_measurement(
            indicator=indicator,
            user=request.user,
            period_end=data["period_end"],
            total=data["value"],
            dimension=data["dimension"].strip(),
            breakdown=data["breakdown"],
            source=data["source"].strip(),
            note=data["note"].strip(),
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _respond(request, action, forms={forms_key: form}, status=422, **kwargs)
    return _respond(
        request,
        action,
        success=f"Value for the period ending {data['period_end']:%-d %B %Y} saved for {indicator.ref}.",
        **kwargs,
    )


def _find_indicator(context, indicator):
    pool = context["outcomes"] if isinstance(indicator, Outcome) else context["targets"]
    return next(i for i in pool if i.pk == indicator.pk)


@require_POST
@login_required
def action_delegate(request, ref: str):
    action = _editable_action(request, ref)
    form = DelegateForm(request.POST)
    kwargs = {"partial": "delegation-panel", "anchor": "delegation-panel"}
    if not form.is_valid():
        return _respond(request, action, forms={"delegate": form}, status=422, **kwargs)
    lead = form.cleaned_data["lead_officer"]
    try:
        services.delegate(
            action=action,
            user=request.user,
            lead_officer=lead,
            seen_version=form.cleaned_data["version"],
        )
    except services.StaleEdit as stale:
        action.refresh_from_db()
        fresh = DelegateForm(_stale_data(form, action.version))
        fresh.is_valid()
        return _respond(
            request, action, forms={"delegate": fresh}, status=409, stale=stale.changes, **kwargs
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _respond(request, action, forms={"delegate": form}, status=422, **kwargs)
    who = (lead.get_full_name() or lead.email) if lead else None
    message = (
        f"{action.ref} delegated to {who}." if who else f"{action.ref} is no longer delegated."
    )
    return _respond(request, action, success=message, **kwargs)
