"""The action page's targets, outcomes and measurement panels (a section of actions.page)."""

from django.db.models import Prefetch

from config.history_display import entries_for
from targets import outcome_charts
from targets.forms import MeasurementForm, TargetProgressForm
from targets.models import Measurement, Outcome, Target
from targets.services import may_correct
from targets.shares import periods


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


def target_form(target: Target, data=None) -> TargetProgressForm:
    """The form under a target on the action page; its prefix keeps its fields and ids its own."""
    return TargetProgressForm(
        data,
        target=target,
        prefix=f"t-{target.ref}",
        initial={
            "version": target.version,
            "status": target.status,
            "met_on": target.met_on,
            "current_value": target.current_value,
        },
    )


def targets_section(request, action, *, can_edit: bool, forms: dict) -> dict:
    by_period = Prefetch(
        "measurements", queryset=Measurement.objects.order_by("period_end", "position")
    )
    targets = list(
        Target.objects.filter(action=action).prefetch_related(by_period).order_by("position", "id")
    )
    outcomes = list(
        Outcome.objects.filter(targets__action=action)
        .distinct()
        .prefetch_related(by_period)
        .order_by("position", "id")
    )
    indicators = [o for o in outcomes if o.has_indicator] + [t for t in targets if t.is_numeric]
    for indicator in indicators:
        measured = list(indicator.measurements.all())
        indicator.periods = periods(indicator, measured)
        indicator.correctable = {m.pk for m in measured if may_correct(request.user, m)}
        if can_edit:
            indicator.measurement_form = forms.get(
                ("measurement", indicator.ref)
            ) or measurement_form(indicator, measured)
    for outcome in outcomes:
        # The outcome page's charts, drawn from the values above: no queries of their own.
        if outcome.has_indicator and outcome.periods:
            outcome.trend_chart = outcome_charts.trend_chart(outcome, outcome.periods)
            outcome.shares_chart = outcome_charts.shares_chart(outcome, outcome.periods)
    if can_edit:
        for target in targets:
            target.progress_form = forms.get(("target", target.ref)) or target_form(target)
    return {"targets": targets, "outcomes": outcomes, "history": target_history(action, targets)}


def target_history(action, targets: list[Target]):
    records = list(
        Target.history.filter(action_id=action.id)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    by_target: dict[int, list] = {}
    for record in records:
        by_target.setdefault(record.id, []).append(record)
    refs = {t.id: t.ref for t in targets}
    entries = []
    for target_id, target_records in by_target.items():
        entries += entries_for(
            target_records,
            Target,
            what=f"Target {refs.get(target_id, target_records[-1].ref)}",
            related={"action": {action.id: action.ref}},
        )
    return entries
