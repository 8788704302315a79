"""The action page: what it shows, built in a fixed number of queries, and how its forms answer.

The page belongs to the action, but higher layers add to it: ``targets`` contributes the targets,
outcomes and measurement panels (targets.action_page). A section is a function
``(request, action, *, can_edit, forms) -> dict`` registered with ``register_section``; a ``history``
list in what it returns joins the page's change history instead of replacing it. So this module
never imports from an app to its right.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from actions.challenge_panel import challenges_section
from actions.cycles import current_cycle, state_in_cycle
from actions.forms import DelegateForm, ProgressForm
from actions.models import Action, ProgressUpdate
from actions.views.cells import HISTORY_HEAD, history_rows, update_log
from config.history_display import HistoryEntry, entries_for
from config.htmx import back_with_message, is_partial
from config.roles import start_page

TEMPLATE = "actions/detail.html"

Section = Callable[..., dict]
_sections: list[Section] = []


def register_section(section: Section) -> Section:
    """Add a section to every action page (called from a higher app's ``AppConfig.ready``)."""
    if section not in _sections:
        _sections.append(section)
    return section


def get_action(queryset, ref: str, *, characteristics: bool = True) -> Action:
    """The action with what its page shows of its area, owner and lead officer."""
    queryset = queryset.select_related(
        "service_area__strand", "service_area__director", "owner", "lead_officer"
    )
    if characteristics:
        queryset = queryset.prefetch_related("characteristics")
    return get_object_or_404(queryset, ref=ref)


def editable_action(request, ref: str) -> Action:
    """404 for what the person may not see; 403 for what they may see but not change. Read with
    its area alone (which says who may change it): a save that redirects needs no more, and a page
    drawn in answer reads the action again as it is after the save (``respond``)."""
    action = get_object_or_404(
        Action.objects.visible_to(request.user).select_related("service_area"), ref=ref
    )
    if not action.is_editable_by(request.user):
        raise PermissionDenied("You can view this action but not update it.")
    return action


# The action's own panels. One drawn alone (an HTMX answer) shows nothing of the other sections,
# the challenges or the history, so those are not built for it.
OWN_PANELS = frozenset({"progress-panel", "delegation-panel"})


def action_page_context(
    request, action: Action, *, can_edit: bool, forms: dict | None = None, panel: str = ""
) -> dict:
    """What the page shows; with ``panel`` (one of OWN_PANELS), what that panel alone shows."""
    forms = forms or {}
    cycle = current_cycle()
    updates = list(
        ProgressUpdate.objects.filter(action=action)
        .select_related("author")
        .order_by("-created_at", "-id")
    )
    cycle_state = state_in_cycle(
        cycle=cycle,
        is_live=action.is_live,
        last_update_at=updates[0].created_at if updates else None,
    )
    context: dict[str, Any] = {
        "action": action,
        "cycle": cycle,
        "cycle_state": cycle_state,
        "updates": updates,
        "update_log": update_log(updates),  # drawn in Python: it lists every update
        "can_edit": can_edit,
        "back_href": reverse(start_page(request.user)),
    }
    if panel not in OWN_PANELS:
        challenges = challenges_section(request, action, forms=forms)
        history: list[HistoryEntry] = action_history(action) + challenges.pop("history")
        context.update(challenges)
        for section in _sections:
            contributed = section(request, action, can_edit=can_edit, forms=forms)
            history += contributed.pop("history", [])
            context.update(contributed)
        context["history"] = sorted(history, key=lambda entry: entry.when, reverse=True)
        context["history_head"] = HISTORY_HEAD
        context["history_rows"] = history_rows(context["history"])
    if can_edit:
        context["progress_form"] = forms.get("progress") or ProgressForm(
            action=action,
            initial={
                "version": action.version,
                "status": action.status,
                "progress": action.progress,
            },
        )
        context["delegate_form"] = forms.get("delegate") or DelegateForm(
            initial={"version": action.version, "lead_officer": action.lead_officer_id}
        )
    return context


def action_history(action: Action):
    """The action's own history, oldest first: who changed what, when and why."""
    records = list(
        action.history.select_related("history_user").order_by("history_date", "history_id")
    )
    person_ids = {
        value for record in records for value in (record.owner_id, record.lead_officer_id) if value
    }
    # The people the action names now are loaded with it; others it once named are looked up.
    known = [action.owner, action.lead_officer, action.service_area.director]
    people = {p.id: p.name_and_email for p in known if p is not None and p.id in person_ids}
    if person_ids - people.keys():
        people.update(
            (p.id, p.name_and_email)
            for p in get_user_model().objects.filter(id__in=person_ids - people.keys())
        )
    areas = {action.service_area_id: action.service_area.name}
    return entries_for(
        records,
        Action,
        what=action.ref,
        related={"owner": people, "lead_officer": people, "service_area": areas},
    )


def stale_data(form, version: int):
    """The person's typed values, with the version they now have seen, to show again after a 409."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(version)
    return data


def respond(request, action, *, partial, forms=None, status=200, success="", stale=(), pick=None):
    """Answer an update: a panel for HTMX, otherwise a redirect (success) or the whole page."""
    if success and not request.htmx:
        return back_with_message(request, reverse("action-detail", args=[action.ref]), success)
    partial_only = is_partial(request)
    # As it is now, with what its page shows (a panel drawn alone shows no characteristics).
    action = get_action(Action.objects.all(), action.ref, characteristics=not partial_only)
    context = action_page_context(
        request, action, can_edit=True, forms=forms, panel=partial if partial_only else ""
    )
    context.update({"success": success, "stale": list(stale), "has_errors": status in (409, 422)})
    if pick:
        context.update(pick(context))
    template = f"{TEMPLATE}#{partial}" if partial_only else TEMPLATE
    return render(request, template, context, status=status)
