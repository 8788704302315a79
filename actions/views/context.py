"""What the action page shows, built in a fixed number of queries whatever the framework's size."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from actions.forms import DelegateForm, MeasurementForm, ProgressForm, TargetProgressForm
from actions.models import Action, ProgressUpdate
from actions.views.challenges import challenge_history, challenge_panel_context
from reporting.cycles import current_cycle, state_in_cycle
from strands.history_display import entries_for
from targets.models import Measurement, Outcome, Target
from targets.shares import periods


def get_action(queryset, ref: str) -> Action:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        queryset.select_related(
            "service_area__strand", "service_area__director", "owner", "lead_officer"
        ).prefetch_related("characteristics"),
        ref=ref,
    )


def indicator_groups(indicator, measurements) -> list[str]:
    """Groups to offer in a new measurement: the indicator's named group, then those used before."""
    names = []
    named = getattr(indicator, "group", "")
    if named:
        names.append(named)
    for m in measurements:
        if m.group and m.group.lower() not in {n.lower() for n in names}:
            names.append(m.group)
    return names


def measurement_form(indicator, measurements, data=None):
    return MeasurementForm(
        data,
        groups=indicator_groups(indicator, measurements),
        dimension=getattr(indicator, "dimension", "")
        or next((m.dimension for m in measurements if m.dimension), ""),
        prefix=f"m-{indicator.ref}",
    )


def action_page_context(
    request, action: Action, *, can_edit: bool, forms: dict | None = None
) -> dict:
    forms = forms or {}
    cycle = current_cycle()
    updates = list(
        ProgressUpdate.objects.filter(action=action)
        .select_related("author")
        .order_by("-created_at", "-id")
    )
    action.cycle_state = state_in_cycle(
        cycle=cycle,
        is_live=action.is_live,
        last_update_at=updates[0].created_at if updates else None,
    )
    targets = list(
        Target.objects.filter(action=action)
        .prefetch_related(
            Prefetch(
                "measurements", queryset=Measurement.objects.order_by("period_end", "position")
            )
        )
        .order_by("position", "id")
    )
    outcomes = list(
        Outcome.objects.filter(targets__action=action)
        .distinct()
        .prefetch_related(
            Prefetch(
                "measurements", queryset=Measurement.objects.order_by("period_end", "position")
            )
        )
        .order_by("position", "id")
    )
    indicators = [o for o in outcomes if o.has_indicator] + [t for t in targets if t.is_numeric]
    for indicator in indicators:
        measured = list(indicator.measurements.all())
        indicator.periods = periods(indicator, measured)
        if can_edit:
            indicator.form = forms.get(("measurement", indicator.ref)) or measurement_form(
                indicator, measured
            )
    for target in targets:
        if can_edit:
            target.form = forms.get(("target", target.ref)) or TargetProgressForm(
                target=target,
                initial={
                    "version": target.version,
                    "status": target.status,
                    "met_on": target.met_on,
                    "current_value": target.current_value,
                },
            )
    context = {
        "action": action,
        "cycle": cycle,
        "updates": updates,
        "targets": targets,
        "outcomes": outcomes,
        "can_edit": can_edit,
        "history": sorted(
            history_entries(action, targets) + challenge_history(action),
            key=lambda entry: entry.when,
            reverse=True,
        ),
        **challenge_panel_context(request, action, forms=forms),
    }
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


def history_entries(action: Action, targets: list[Target]):
    """The action's and its targets' history, newest first: who changed what, when and why."""
    action_records = list(
        action.history.select_related("history_user").order_by("history_date", "history_id")
    )
    target_records = list(
        Target.history.filter(action_id=action.id)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    person_ids = {
        value
        for record in action_records
        for value in (record.owner_id, record.lead_officer_id)
        if value
    }
    people = {p.id: _name(p) for p in get_user_model().objects.filter(id__in=person_ids)}
    areas = {action.service_area_id: action.service_area.name}
    entries = entries_for(action_records, Action, what=action.ref, people={**people, **areas})
    by_target: dict[int, list] = {}
    for record in target_records:
        by_target.setdefault(record.id, []).append(record)
    refs = {t.id: t.ref for t in targets}
    for target_id, records in by_target.items():
        entries += entries_for(
            records,
            Target,
            what=f"Target {refs.get(target_id, records[-1].ref)}",
            people={action.id: action.ref},
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _name(person) -> str:
    return f"{person.get_full_name()} ({person.email})" if person.get_full_name() else person.email
