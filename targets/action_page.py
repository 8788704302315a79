"""The action page's targets, outcomes and measurement panels (a section of actions.page)."""

from django.db.models import Prefetch

from config.history_display import entries_for
from targets import outcome_charts
from targets.categories import Catalogue
from targets.forms import MeasurementForm, TargetProgressForm
from targets.models import CategoryList, Measurement, Outcome, Target
from targets.services import may_correct
from targets.shares import periods


def chosen_list(catalogue: Catalogue, indicator, measurements) -> CategoryList | None:
    """The list to offer first: the one naming the indicator's group, else the last one used."""
    named = catalogue.named_category(indicator)
    if named is not None:
        return catalogue.list_by_id(named.category_list_id)
    for m in reversed(measurements):
        if m.category_id and not m.dimension_2:
            found = next(
                (
                    cl
                    for cl in catalogue.lists()
                    if m.category_id in {c.pk for c in cl.categories.all()}
                ),
                None,
            )
            if found is not None:
                return found
    return None


def measurement_form(indicator, measurements, data=None, *, catalogue: Catalogue):
    return MeasurementForm(
        data,
        catalogue=catalogue,
        chosen=chosen_list(catalogue, indicator, measurements),
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
    catalogue = Catalogue.load() if indicators else Catalogue()
    not_given = catalogue.not_given_ids()
    for indicator in indicators:
        measured = list(indicator.measurements.all())
        indicator.periods = periods(
            indicator,
            measured,
            not_given=not_given,
            named=catalogue.named_category(indicator),
        )
        indicator.correctable = {m.pk for m in measured if may_correct(request.user, m)}
        if can_edit:
            indicator.measurement_form = forms.get(
                ("measurement", indicator.ref)
            ) or measurement_form(indicator, measured, catalogue=catalogue)
    for outcome in outcomes:
        # The outcome page's charts, drawn from the values above: no queries of their own.
        if outcome.has_indicator and outcome.periods:
            outcome.trend_chart = outcome_charts.trend_chart(outcome, outcome.periods)
            outcome.shares_charts = outcome_charts.shares_charts(outcome, outcome.periods)
    # Each target's progress form, by the target's ref (the page looks it up: config lookup).
    target_forms = (
        {t.ref: forms.get(("target", t.ref)) or target_form(t) for t in targets} if can_edit else {}
    )
    return {
        "targets": targets,
        "target_forms": target_forms,
        "outcomes": outcomes,
        "history": target_history(action, targets),
    }


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
