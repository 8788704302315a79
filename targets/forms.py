"""Target progress, measurements and the framework upload. Messages are in the GOV.UK voice."""

from decimal import Decimal
from pathlib import Path

from django import forms
from django.conf import settings

from actions.forms import NUMBER_ATTRS, VersionedForm
from config.forms import GovukDateField, GovukFormMixin
from targets.models import Target
from targets.services import REASON_MAX


class TargetProgressForm(VersionedForm):
    status = forms.ChoiceField(
        label="Progress",
        choices=Target.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the target's progress"},
    )
    met_on = GovukDateField(label="Date met", help_text="For example, 27 3 2021", required=False)
    current_value = forms.DecimalField(
        label="Latest value",
        required=False,
        max_digits=18,
        decimal_places=4,
        widget=forms.TextInput(attrs=NUMBER_ATTRS),
        error_messages={
            "invalid": "Enter the latest value as a number, for example 12 or 12.5",
            "max_digits": "Enter a smaller number",
            "max_decimal_places": "Enter a number with no more than 4 decimal places",
        },
    )

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        if target.is_numeric:
            unit = f" ({target.unit})" if target.unit else ""
            self.fields["current_value"].label = f"Latest value{unit}"
            self.fields[
                "current_value"
            ].help_text = f"The target is {target.target_value.normalize():f}{unit}"
        else:
            del self.fields["current_value"]

    def clean(self):
        data = super().clean()
        if (
            data.get("status") == Target.Status.MET
            and not self.target.is_numeric
            and not data.get("met_on")
        ):
            if "met_on" not in self.errors:
                self.add_error("met_on", "Enter the date the milestone was met")
        value = data.get("current_value")
        if value is not None and value < 0:
            self.add_error("current_value", "The latest value must be 0 or more")
        return data


class MeasurementForm(forms.Form):
    """A value for a period, with optional values for groups of one dimension."""

    GROUP_ROWS = 6

    period_end = GovukDateField(label="End of the period", help_text="For example, 30 6 2021")
    value = forms.DecimalField(
        label="Total",
        min_value=0,
        max_digits=18,
        decimal_places=4,
        widget=forms.TextInput(attrs=NUMBER_ATTRS),
        error_messages={
            "required": "Enter the total",
            "invalid": "Enter the total as a number, for example 120 or 12.5",
            "min_value": "The total must be 0 or more",
            "max_digits": "Enter a smaller number",
            "max_decimal_places": "Enter a number with no more than 4 decimal places",
        },
    )
    dimension = forms.CharField(
        label="Breakdown by",
        help_text="For example, ethnicity. Leave blank if you have only a total.",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    source = forms.CharField(label="Source", required=False, max_length=255)
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, groups: list[str] = (), dimension: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if dimension and not self.is_bound:
            self.initial.setdefault("dimension", dimension)
        names = list(groups)[: self.GROUP_ROWS]
        self.group_rows = []
        for i in range(1, self.GROUP_ROWS + 1):
            name_field = f"group_{i}"
            value_field = f"group_{i}_value"
            self.fields[name_field] = forms.CharField(
                label=f"Group {i}",
                required=False,
                max_length=255,
                widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
            )
            self.fields[value_field] = forms.DecimalField(
                label=f"Value for group {i}",
                required=False,
                min_value=0,
                max_digits=18,
                decimal_places=4,
                widget=forms.TextInput(attrs=NUMBER_ATTRS),
                error_messages={
                    "invalid": f"Enter the value for group {i} as a number",
                    "min_value": f"The value for group {i} must be 0 or more",
                    "max_digits": "Enter a smaller number",
                    "max_decimal_places": "Enter a number with no more than 4 decimal places",
                },
            )
            if i <= len(names) and not self.is_bound:
                self.initial[name_field] = names[i - 1]
            self.group_rows.append((name_field, value_field))

    def clean(self):
        data = super().clean()
        breakdown = []
        seen = set()
        for i, (name_field, value_field) in enumerate(self.group_rows, start=1):
            name = (data.get(name_field) or "").strip()
            value = data.get(value_field)
            if value_field in self.errors:
                continue
            if value is not None and not name:
                self.add_error(name_field, f"Enter the name of group {i}")
            elif name and value is not None:
                if name.lower() in seen:
                    self.add_error(name_field, f"{name} is given more than once")
                seen.add(name.lower())
                breakdown.append((name, value))
        if breakdown and not (data.get("dimension") or "").strip():
            self.add_error(
                "dimension", "Enter what the groups are a breakdown by, for example ethnicity"
            )
        total = data.get("value")
        if breakdown and total is not None:
            added = sum((v for _, v in breakdown), Decimal(0))
            if added > total:
                self.add_error(
                    "value",
                    f"The groups add up to {added.normalize():f}, more than the total of {total.normalize():f}",
                )
        data["breakdown"] = breakdown
        return data


class CorrectionForm(GovukFormMixin, forms.Form):
    value = forms.DecimalField(
        label="Corrected value",
        max_digits=18,
        decimal_places=4,
        widget=forms.TextInput(attrs=NUMBER_ATTRS),
        error_messages={
            "required": "Enter the corrected value",
            "invalid": "Enter the corrected value as a number, for example 12 or 12.5",
            "max_digits": "Enter a smaller number",
            "max_decimal_places": "Enter a number with no more than 4 decimal places",
        },
    )
    reason = forms.CharField(
        label="Why are you correcting it?",
        help_text="Kept in the value's history, for example “Typed 31 for 13”",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Enter why the value is being corrected",
            "max_length": f"The reason must be {REASON_MAX} characters or fewer",
        },
    )


ALLOWED_SUFFIXES = (".xlsx", ".zip")


class FrameworkUploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload a framework file",
        help_text="An Excel workbook (.xlsx) or a zip of CSV files (.zip) in the framework format",
        error_messages={
            "required": "Select a framework file",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read. Upload it again",
            "missing": "Select a framework file",
        },
        widget=forms.FileInput(attrs={"accept": ".xlsx,.zip"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                "The selected file must be an Excel workbook (.xlsx) or a zip of CSV files (.zip)"
            )
        limit = settings.FRAMEWORK_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The selected file must be smaller than {limit / (1024 * 1024):.0f} MB"
            )
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty")
        return upload


class ImportConfirmForm(GovukFormMixin, forms.Form):
    report_digest = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": "Read the report again, then confirm the import"},
    )
    reason = forms.CharField(
        label="Why are you importing this file?",
        help_text="Kept in the history of every item the import changes, for example "
        "“Framework refreshed after the 2022 stocktake”",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you are importing this file",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )
