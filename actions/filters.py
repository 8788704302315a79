"""The framework browser's filters. Messages are in the GOV.UK voice."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.utils.functional import cached_property

from actions import cycle_progress
from actions.cycles import DUE, LATE, UPDATED
from actions.models import Action, Characteristic, Status
from config.forms import GovukFormMixin
from strands.models import ServiceArea, Strand

UPDATE_CHOICES = [
    ("", "Any"),
    ("due_or_late", "Update due or late"),
    (DUE, "Update due"),
    (LATE, "Late"),
    (UPDATED, "Updated"),
]
UPDATE_STATES = {"due_or_late": {DUE, LATE}, DUE: {DUE}, LATE: {LATE}, UPDATED: {UPDATED}}
DUE_CHOICES = [
    ("", "Any"),
    ("overdue", "Past its due date"),
    ("soon", "Due in the next 90 days"),
]
SOON_DAYS = 90
SEARCHED_FIELDS = ("ref", "title", "issue", "planned_action", "intended_outcome", "evidence")


class FrameworkFilterForm(GovukFormMixin, forms.Form):
    """Filters for the framework browser, read from the query string.

    A value that is not (or no longer) one of the choices, say from an old bookmark, is ignored
    rather than reported: ``filters`` holds only the values that are valid.
    """

    q = forms.CharField(
        label="Search",
        help_text="Words in an action's title or its four questions, or its reference",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )
    strand = forms.ChoiceField(label="Strand", required=False)
    area = forms.ChoiceField(label="Service area", required=False)
    status = forms.MultipleChoiceField(
        label="Status",
        choices=Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
    )
    characteristic = forms.ChoiceField(label="Characteristic", required=False)
    owner = forms.ChoiceField(label="Owner or lead officer", required=False)
    update = forms.ChoiceField(label="This reporting cycle", choices=UPDATE_CHOICES, required=False)
    due = forms.ChoiceField(label="Due date", choices=DUE_CHOICES, required=False)

    def __init__(self, data=None, *, visible, **kwargs):
        super().__init__(data, **kwargs)
        areas = list(
            ServiceArea.objects.filter(id__in=visible.values("service_area"))
            .select_related("strand")
            .order_by("strand__position", "position", "ref")
        )
        strands = Strand.objects.filter(id__in=[a.strand_id for a in areas]) if areas else []
        self.fields["strand"].choices = [("", "All strands")] + [(s.ref, s.name) for s in strands]
        by_strand: dict[str, list] = {}
        for area in areas:
            by_strand.setdefault(area.strand.name, []).append((area.ref, area.name))
        self.fields["area"].choices = [("", "All service areas")] + list(by_strand.items())
        self.fields["characteristic"].choices = [("", "Any characteristic")] + [
            (c.code, c.name) for c in Characteristic.objects.order_by("position")
        ]
        people = (
            get_user_model()
            .objects.filter(
                Q(id__in=visible.values("owner"))
                | Q(id__in=visible.values("lead_officer"))
                | Q(id__in=visible.filter(owner__isnull=True).values("service_area__director"))
            )
            .order_by("first_name", "last_name", "email")
        )
        self.fields["owner"].choices = [("", "Anyone")] + [
            (str(p.id), p.display_name) for p in people
        ]

    @cached_property
    def filters(self) -> dict:
        """The valid filters given, by field name (bad or blank values left out, not reported)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        valid = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in ("", [], None)
        }
        self._errors = ErrorDict()  # an ignored value is not an error to show
        return valid

    def apply(self, queryset, *, cycle, on: datetime.date):
        """Narrow a queryset of actions to those matching the filters."""
        f = self.filters
        for word in f.get("q", "").split():
            matches = Q()
            for field_name in SEARCHED_FIELDS:
                matches |= Q(**{f"{field_name}__icontains": word})
            queryset = queryset.filter(matches)
        if "strand" in f:
            queryset = queryset.filter(service_area__strand__ref=f["strand"])
        if "area" in f:
            queryset = queryset.filter(service_area__ref=f["area"])
        if "status" in f:
            queryset = queryset.filter(status__in=f["status"])
        if "characteristic" in f:
            queryset = queryset.filter(characteristics__code=f["characteristic"])
        if "owner" in f:
            person = get_user_model()(id=int(f["owner"]))
            queryset = queryset.filter(pk__in=Action.objects.owned_or_led_by(person).values("pk"))
        if "update" in f:
            queryset = cycle_progress.in_state(queryset, cycle, UPDATE_STATES[f["update"]], on=on)
        if f.get("due") == "overdue":
            queryset = queryset.live().filter(due_date__lt=on)
        elif f.get("due") == "soon":
            queryset = queryset.live().filter(
                due_date__gte=on, due_date__lte=on + datetime.timedelta(days=SOON_DAYS)
            )
        return queryset

    def labels(self) -> list[str]:
        """The filters in words, for the results' summary ("Status: at risk", ...)."""
        f = self.filters
        shown = []
        for name, value in f.items():
            field = self.fields[name]
            if name == "q":
                shown.append(f"matching “{value}”")
                continue
            choices = dict(_flat(field.choices))
            values = value if isinstance(value, list) else [value]
            words = " or ".join(str(choices.get(v, v)) for v in values)
            shown.append(f"{field.label}: {words}")
        return shown


def _flat(choices):
    for key, value in choices:
        if isinstance(value, list | tuple):
            yield from value
        else:
            yield key, value
