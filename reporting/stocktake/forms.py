"""The stocktake's forms, in the GOV.UK voice."""

from django import forms

from config.forms import GovukDateField, GovukFormMixin

AS_AT_HELP = (
    "The stocktake shows the framework as recorded by the end of this day (today means now). "
    "For example, 31 3 2026"
)


def _as_at_field() -> GovukDateField:
    return GovukDateField(
        label="As at",
        help_text=AS_AT_HELP,
        error_messages={
            "required": "Enter the ‘as at’ date, for example 31 3 2026",
            "invalid": "The ‘as at’ date must be a real date, for example 31 3 2026",
        },
    )


class StartForm(GovukFormMixin, forms.Form):
    year = forms.IntegerField(
        label="Year",
        help_text="The year the stocktake reports on, for example 2026",
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the year, for example 2026",
            "invalid": "Enter the year as 4 numbers, for example 2026",
            "min_value": "Enter a year from 2000 to 2100",
            "max_value": "Enter a year from 2000 to 2100",
        },
    )
    as_at = _as_at_field()


class AsAtForm(GovukFormMixin, forms.Form):
    as_at = _as_at_field()
