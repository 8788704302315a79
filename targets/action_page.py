"""The action page's targets, outcomes and measurement panels (a section of actions.page).

The section is most of what the page costs to draw (charts, breakdowns, a form for each value),
and a progress save, the commonest change, leaves it as it was. So the drawn section is kept for
each state of the data it reads (config.data_state), for each person (who may correct which value
depends on them) and day, and served again until any of it changes. Forms that answer a save
(bound, with errors or a confirmation) are always drawn afresh.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.template.loader import render_to_string

from config.data_state import digest, latest_changes
from config.history_display import entries_for
from config.htmx import is_partial
from config.kept_sections import CSRF_MARK, kept_section, with_token
from targets import outcome_charts
from targets.categories import Catalogue
from targets.forms import MeasurementForm, TargetProgressForm
from targets.models import Category, CategoryList, Dimension, Measurement, Outcome, Target
from targets.services import correctable
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


SECTION = "actions/detail.html#targets-and-outcomes"


def targets_section(request, action, *, can_edit: bool, forms: dict) -> dict:
    """The targets and outcomes, drawn (or kept from before) for a plain view of the page."""
    if forms or request.method != "GET" or is_partial(request):
        return section_context(request, action, can_edit=can_edit, forms=forms)
    key, settled = section_key(request, action, can_edit=can_edit)

    def draw() -> dict:
        context = section_context(request, action, can_edit=can_edit, forms=forms)
        html = render_to_string(
            SECTION,
            {**context, "action": action, "can_edit": can_edit, "csrf_token": CSRF_MARK},
            request=request,
        )
        return {"html": html, "history": context["history"]}

    kept = kept_section(key, settled=settled, seconds=settings.ACTION_PAGE_CACHE_SECONDS, draw=draw)
    return {"targets_html": with_token(kept["html"], request), "history": kept["history"]}


def section_key(request, action, *, can_edit: bool) -> tuple[str, bool]:
    """The key of what is kept for this person, action and state, and whether it may be kept."""
    state = latest_changes(
        (
            Target,
            Outcome,
            Outcome.targets.through,
            Measurement,
            Dimension,
            CategoryList,
            Category,
            get_user_model(),
        )
    )
    parts = (action.pk, action.ref, can_edit, request.user.pk, datetime.date.today(), state.ids)
    return f"action-targets:{digest(parts)}", state.settled


def section_context(request, action, *, can_edit: bool, forms: dict) -> dict:
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
        indicator.correctable = correctable(request.user, measured)
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
