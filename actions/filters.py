"""The one action filter, used by the framework browser and the dashboard alike (django-filter).

Its values come from the query string, so a filtered view can be bookmarked and shared. A value
that is not (or no longer) one of the choices, say from an old bookmark or an edited link, is
ignored rather than reported: that filter alone is left off, the others still apply, and the
form shows no error (there is nothing the person typed to correct).
"""

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.utils.functional import cached_property

from actions import cycle_progress
from actions.cycles import DUE, LATE, UPDATED
from actions.models import Action, Characteristic, Status, shown_actions
from config.data_state import digest, latest_changes
from config.forms import GovukFormMixin, QuickSelect
from strands.models import ServiceArea, Strand

DUE_OR_LATE = "due_or_late"
UPDATE_CHOICES = [
    (DUE_OR_LATE, "Update due or late"),
    (DUE, "Update due"),
    (LATE, "Late"),
    (UPDATED, "Updated"),
]
UPDATE_STATES = {DUE_OR_LATE: {DUE, LATE}, DUE: {DUE}, LATE: {LATE}, UPDATED: {UPDATED}}
OVERDUE = "overdue"
SOON = "soon"
DUE_CHOICES = [(OVERDUE, "Past its due date"), (SOON, "Due in the next 90 days")]
SOON_DAYS = 90
SEARCHED_FIELDS = ("ref", "title", "issue", "planned_action", "intended_outcome", "evidence")
# The filters that narrow by where an action sits; the others narrow by the action itself.
PLACE_FILTERS = ("strand", "area")
# The filter that narrows by who has updated in the reporting cycle.
CYCLE_FILTER = "update"


class ActionFilterForm(GovukFormMixin, forms.Form):
    """The filter's form: a value that fails its field is dropped from ``cleaned_data`` (so it
    does not filter) and kept in ``ignored``, not in ``errors`` (so it is not reported). Its
    ids start "filter-", clear of the other forms on a page."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)

    def full_clean(self):
        super().full_clean()
        self.ignored = self._errors or ErrorDict()
        self._errors = ErrorDict()


class ActionFilter(django_filters.FilterSet):
    """Filters for a queryset of actions. The choices are drawn from ``visible``, the actions
    the person may see; ``cycle`` and ``on`` say which reporting cycle and day "due", "late"
    and "overdue" are read against."""

    q = django_filters.CharFilter(
        method="search",
        label="Search",
        help_text="Words in an action's title or its four questions, or its reference",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )
    strand = django_filters.ChoiceFilter(
        field_name="service_area__strand__ref",
        label="Strand",
        empty_label="All strands",
        widget=QuickSelect,
    )
    area = django_filters.ChoiceFilter(
        field_name="service_area__ref",
        label="Service area",
        empty_label="All service areas",
        widget=QuickSelect,
    )
    status = django_filters.MultipleChoiceFilter(
        label="Status",
        choices=Status.choices,
        distinct=False,  # one status per action: no duplicates to remove
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
    )
    characteristic = django_filters.ChoiceFilter(
        field_name="characteristics__code",
        label="Characteristic",
        empty_label="Any characteristic",
        widget=QuickSelect,
    )
    owner = django_filters.ChoiceFilter(
        method="owned_or_led",
        label="Owner or lead officer",
        empty_label="Anyone",
        widget=QuickSelect,
    )
    update = django_filters.ChoiceFilter(
        method="in_cycle",
        label="This reporting cycle",
        choices=UPDATE_CHOICES,
        empty_label="Any",
        widget=QuickSelect,
    )
    due = django_filters.ChoiceFilter(
        method="by_due_date",
        label="Due date",
        choices=DUE_CHOICES,
        empty_label="Any",
        widget=QuickSelect,
    )

    class Meta:
        form = ActionFilterForm

    def __init__(self, data=None, queryset=None, *, visible, cycle, on: datetime.date, **kwargs):
        super().__init__(data, queryset if queryset is not None else visible, **kwargs)
        self.cycle, self.on = cycle, on
        choices = {
            **kept_choices(visible),
            # A short table without history: read each time, so an edit shows at once.
            "characteristic": list(
                Characteristic.objects.order_by("position").values_list("code", "name")
            ),
        }
        for name, options in choices.items():
            self.filters[name].extra["choices"] = options

    # --- what each filter does -----------------------------------------------------------

    def search(self, queryset, name, value):
        for word in value.split():
            matches = Q()
            for field_name in SEARCHED_FIELDS:
                matches |= Q(**{f"{field_name}__icontains": word})
            queryset = queryset.filter(matches)
        return queryset

    def owned_or_led(self, queryset, name, value):
        person = get_user_model()(id=int(value))
        return queryset.filter(pk__in=Action.objects.owned_or_led_by(person).values("pk"))

    def in_cycle(self, queryset, name, value):
        return cycle_progress.in_state(queryset, self.cycle, UPDATE_STATES[value], on=self.on)

    def by_due_date(self, queryset, name, value):
        if value == OVERDUE:
            return queryset.live().filter(due_date__lt=self.on)
        return queryset.live().filter(
            due_date__gte=self.on, due_date__lte=self.on + datetime.timedelta(days=SOON_DAYS)
        )

    # --- what was asked for --------------------------------------------------------------

    @cached_property
    def values(self) -> dict:
        """The valid filters given, by name (bad or blank values left out, not reported)."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value not in ("", [], None)
        }

    @property
    def narrows_actions(self) -> bool:
        """Whether a filter other than strand or area applies."""
        return any(name not in PLACE_FILTERS for name in self.values)

    def labels(self) -> list[str]:
        """The filters in words, for the results' summary ("Status: At risk", ...)."""
        shown = []
        for name, value in self.values.items():
            field = self.form.fields[name]
            if name == "q":
                shown.append(f"matching “{value}”")
                continue
            choices = dict(_flat(field.choices))
            values = value if isinstance(value, list) else [value]
            words = " or ".join(str(choices.get(v, v)) for v in values)
            shown.append(f"{field.label}: {words}")
        return shown


# What the choices are kept under: the state of what they name (config.data_state) and of the
# actions (below), so a new, moved or reassigned action, a renamed area or person shows at once.
CHOICES_TRACKED = (Strand, ServiceArea)
KEPT_SECONDS = 600


def kept_choices(visible) -> dict:
    """The strands, service areas and people of the actions the person may see, kept for each
    state of that data (two small queries rather than two with subqueries over the actions)."""
    state = latest_changes((*CHOICES_TRACKED, get_user_model()))
    key = f"action-filter:{digest((_reach(visible), state.ids, shown_actions()[0]))}"
    choices = cache.get(key)
    if choices is None:
        choices = _choices(visible)
        if state.settled:
            cache.set(key, choices, timeout=KEPT_SECONDS)
    return choices


def _reach(visible) -> str:
    """The person's reach in words the key can hold: the SQL of the actions they may see."""
    try:
        return str(visible.query)
    except EmptyResultSet:  # none at all (Action.objects.none(), or pk__in=[])
        return "nothing"


def _choices(visible) -> dict:
    areas = list(
        ServiceArea.objects.filter(id__in=visible.values("service_area"))
        .select_related("strand")
        .order_by("strand__position", "position", "ref")
    )
    # The areas' strands, from the same query: no query of their own.
    strands = sorted({a.strand for a in areas}, key=lambda s: (s.position, s.ref))
    by_strand: dict[str, list] = {}
    for area in areas:
        by_strand.setdefault(area.strand.name, []).append((area.ref, area.name))
    people = (
        get_user_model()
        .objects.filter(
            Q(id__in=visible.values("owner"))
            | Q(id__in=visible.values("lead_officer"))
            | Q(id__in=visible.filter(owner__isnull=True).values("service_area__director"))
        )
        .order_by("first_name", "last_name", "email")
    )
    return {
        "strand": [(s.ref, s.name) for s in strands],
        "area": list(by_strand.items()),
        "owner": [(str(p.id), p.display_name) for p in people],
    }


def _flat(choices):
    for key, value in choices:
        if isinstance(value, list | tuple):
            yield from value
        else:
            yield key, value
