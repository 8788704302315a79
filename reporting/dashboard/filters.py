"""The dashboard's filters: a GET form whose values are the page's URL, so a view can be shared.

A value that is not one of the choices (an edited or out-of-date link) is reported in the error
summary and that filter alone is left off; the others still apply.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from actions.models import Characteristic, Status
from config.forms import GovukDateField, GovukDateWidget, GovukFormMixin
from strands.models import ServiceArea, Strand

SINCE_DEFAULT_DAYS = 90

DUE = "due"
LATE = "late"
UPDATED = "updated"
PAST_DUE = "past_due"
UPDATE_CHOICES = [
    ("", "Any"),
    (LATE, "Late for update"),
    (DUE, "Update due"),
    (UPDATED, "Updated this cycle"),
    (PAST_DUE, "Past its due date"),
]

# The parameters that narrow the actions (strand and area narrow outcomes too).
ACTION_FILTERS = ("status", "characteristic", "owner", "update")


class QuickSelect(forms.Select):
    """A select drawn in Python rather than one template per option: the filters offer every
    service area and owner, and the dashboard is drawn on every filter change."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), mark_safe(" selected") if str(v) == chosen else "", label)
                for v, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>\n{}\n</select>', name, flatatt(attrs), options)


class SinceWidget(GovukDateWidget):
    """The GOV.UK date input, which also reads a plain ``since=YYYY-MM-DD`` from a link."""

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if not any(parts) and data.get(name):
            return data.get(name)
        return parts


@dataclass(frozen=True)
class Option:
    value: str
    label: str


class DashboardFilterForm(GovukFormMixin, forms.Form):
    strand = forms.ChoiceField(
        label="Strand",
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": "Select a strand"},
    )
    area = forms.ChoiceField(
        label="Service area",
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": "Select a service area"},
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        widget=QuickSelect,
        choices=[("", "Any status"), *Status.choices],
        error_messages={"invalid_choice": "Select a status"},
    )
    characteristic = forms.ChoiceField(
        label="Protected characteristic",
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": "Select a protected characteristic"},
    )
    owner = forms.ChoiceField(
        label="Owner",
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": "Select an owner"},
    )
    update = forms.ChoiceField(
        label="Update due or late",
        required=False,
        widget=QuickSelect,
        choices=UPDATE_CHOICES,
        error_messages={"invalid_choice": "Select whether the update is due or late"},
    )
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

    def __init__(self, data=None, *, strands, areas, characteristics, owners, today):
        super().__init__(data, auto_id="filter-%s")
        self.today = today
        self.fields["strand"].choices = [("", "All strands")] + [(s.ref, s.name) for s in strands]
        self.fields["area"].choices = [("", "All service areas")] + [(a.ref, a.name) for a in areas]
        self.fields["characteristic"].choices = [("", "Any characteristic")] + [
            (c.code, c.name) for c in characteristics
        ]
        self.fields["owner"].choices = [("", "Anyone")] + [
            (str(p.pk), p.display_name) for p in owners
        ]

    def clean_since(self):
        since = self.cleaned_data.get("since")
        if since and since > self.today:
            raise forms.ValidationError("The date to show changes since must be today or earlier")
        return since


@dataclass
class Filters:
    """What the dashboard is narrowed to, from the valid part of the form."""

    strand: str = ""
    area: str = ""
    status: str = ""
    characteristic: str = ""
    owner: int | None = None
    update: str = ""
    since: datetime.date | None = None
    outcome: str = ""

    @property
    def narrows_actions(self) -> bool:
        return any(getattr(self, name) for name in ACTION_FILTERS)

    @property
    def any(self) -> bool:
        return bool(self.strand or self.area or self.narrows_actions)


def filter_choices():
    """The strands, areas, characteristics and owners to choose from (four queries)."""
    people = get_user_model().objects.filter(
        Q(owned_actions__isnull=False) | Q(directed_service_areas__isnull=False)
    )
    return {
        "strands": list(Strand.objects.order_by("position", "ref")),
        "areas": list(
            ServiceArea.objects.select_related("strand").order_by(
                "strand__position", "position", "ref"
            )
        ),
        "characteristics": list(Characteristic.objects.order_by("position")),
        "owners": list(
            get_user_model()
            .objects.filter(pk__in=people.values("pk"))
            .order_by("first_name", "last_name", "email")
        ),
    }


def read_filters(form: DashboardFilterForm) -> Filters:
    """The filters to apply: each field that is valid; those in error are left off."""
    form.is_valid()
    data = {name: form.cleaned_data.get(name) for name in form.fields if name not in form.errors}
    owner = data.get("owner")
    return Filters(
        strand=data.get("strand") or "",
        area=data.get("area") or "",
        status=data.get("status") or "",
        characteristic=data.get("characteristic") or "",
        owner=int(owner) if owner else None,
        update=data.get("update") or "",
        since=data.get("since"),
        outcome=(data.get("outcome") or "").strip(),
    )
