"""The dashboard's filters: a GET form whose values are the page's URL, so a view can be shared.

Which actions it shows is the framework browser's action filter (actions.filters.ActionFilter):
the same choices, and a value that is not one of them (an edited or out-of-date link) is ignored,
not reported. The date to show changes since is the dashboard's own; a date typed wrongly is
reported in the error summary, and the last 90 days shown meanwhile.
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.http import QueryDict

from actions.cycles import current_cycle
from actions.filters import CYCLE_FILTER, PLACE_FILTERS, ActionFilter
from actions.models import Action
from config.forms import GovukDateField, GovukDateWidget, GovukFormMixin
from reporting.dashboard.reach import Reach
from strands.models import ServiceArea, Strand

SINCE_DEFAULT_DAYS = 90


class SinceWidget(GovukDateWidget):
    """The GOV.UK date input, which also reads a plain ``since=YYYY-MM-DD`` from a link."""

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if not any(parts) and data.get(name):
            return data.get(name)
        return parts


class DashboardForm(GovukFormMixin, forms.Form):
    """What the dashboard asks besides the action filter: since when, and which outcome's
    charts to draw (set by the outcome links, not typed)."""

    since = GovukDateField(
        label="Show what changed since",
        required=False,
        widget=SinceWidget,
        help_text=f"For example, 27 3 2026. Leave blank for the last {SINCE_DEFAULT_DAYS} days.",
        error_messages={
            "invalid": "Enter the date to show changes since, for example 27 3 2026",
        },
    )
    outcome = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, today):
        super().__init__(data, auto_id="filter-%s")
        self.today = today

    def clean_since(self):
        since = self.cleaned_data.get("since")
        if since and since > self.today:
            raise forms.ValidationError("The date to show changes since must be today or earlier")
        return since


@dataclass
class Filters:
    """What the dashboard is narrowed to: the action filter's valid values, and the dates."""

    actions: dict = field(default_factory=dict)  # ActionFilter.values
    since: datetime.date | None = None
    outcome: str = ""
    # What gives the actions, when there is one; left out of repr, which keys the cache.
    action_filter: ActionFilter | None = field(default=None, repr=False, compare=False)
    # A person's own part of the programme; None for the whole of it. In repr (as its key).
    reach: Reach | None = None

    @property
    def strand(self) -> str:
        return self.actions.get("strand", "")

    @property
    def area(self) -> str:
        return self.actions.get("area", "")

    @property
    def narrows_actions(self) -> bool:
        return any(name not in PLACE_FILTERS for name in self.actions)

    @property
    def follows_cycle(self) -> bool:
        """Whether the actions in view depend on who has updated in the cycle ("This reporting
        cycle": due, late, updated): then every figure moves with the cycle's updates."""
        return bool(self.actions.get(CYCLE_FILTER))

    @property
    def any(self) -> bool:
        """Whether anything narrows the dashboard: a filter, or the person's reach."""
        return bool(self.actions) or self.reach is not None

    @property
    def chosen(self) -> bool:
        """Whether the person chose a filter (their reach is not a choice)."""
        return bool(self.actions)


def action_filter(data, *, today: datetime.date, reach: Reach | None = None) -> ActionFilter:
    """The action filter over every action, or the person's own (its choices are theirs too)."""
    actions = reach.actions if reach else Action.objects.all()
    return ActionFilter(data, visible=actions, cycle=current_cycle(today), on=today)


def filter_choices():
    """The strands and areas the progress figures list (two queries)."""
    return {
        "strands": list(Strand.objects.order_by("position", "ref")),
        "areas": list(
            ServiceArea.objects.select_related("strand").order_by(
                "strand__position", "position", "ref"
            )
        ),
    }


def read_filters(
    data, *, today: datetime.date, reach: Reach | None = None
) -> tuple[ActionFilter, DashboardForm, Filters]:
    """The two forms from the query string, and the filters to apply: each valid value."""
    actions = action_filter(data, today=today, reach=reach)
    form = DashboardForm(data, today=today)
    form.is_valid()
    return (
        actions,
        form,
        Filters(
            actions=actions.values,
            since=None if "since" in form.errors else form.cleaned_data.get("since"),
            outcome=(form.cleaned_data.get("outcome") or "").strip(),
            action_filter=actions,
            reach=reach,
        ),
    )


def filters_for(
    *, today: datetime.date, since=None, outcome: str = "", reach: Reach | None = None, **values
) -> Filters:
    """Filters from keyword values as a query string holds them (strand="HOU", status=[...])."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data.setlist(name, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    actions = action_filter(data, today=today, reach=reach)
    return Filters(actions.values, since, outcome, actions, reach)
