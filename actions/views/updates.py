"""The update forms: each posts with HTMX and swaps its panel, or posts plainly and redirects."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST

from actions import services
from actions.forms import DelegateForm, ProgressForm
from actions.models import Status
from actions.page import editable_action, respond, stale_data
from config.forms import add_service_errors


@require_POST
@login_required
def action_progress(request, ref: str):
    action = editable_action(request, ref)
    form = ProgressForm(request.POST, action=action)
    kwargs = {"partial": "progress-panel"}
    if not form.is_valid():
        return respond(request, action, forms={"progress": form}, status=422, **kwargs)
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
        fresh = ProgressForm(stale_data(form, action.version), action=action)
        fresh.is_valid()
        return respond(
            request, action, forms={"progress": fresh}, status=409, stale=stale.changes, **kwargs
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return respond(request, action, forms={"progress": form}, status=422, **kwargs)
    return respond(
        request,
        action,
        success=f"Progress saved: {Status(data['status']).label.lower()}, {data['progress']}% complete.",
        **kwargs,
    )


@require_POST
@login_required
def action_delegate(request, ref: str):
    action = editable_action(request, ref)
    form = DelegateForm(request.POST)
    kwargs = {"partial": "delegation-panel"}
    if not form.is_valid():
        return respond(request, action, forms={"delegate": form}, status=422, **kwargs)
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
        fresh = DelegateForm(stale_data(form, action.version))
        fresh.is_valid()
        return respond(
            request, action, forms={"delegate": fresh}, status=409, stale=stale.changes, **kwargs
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return respond(request, action, forms={"delegate": form}, status=422, **kwargs)
    who = lead.display_name if lead else None
    message = (
        f"{action.ref} delegated to {who}." if who else f"{action.ref} is no longer delegated."
    )
    return respond(request, action, success=message, **kwargs)
