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


def _reason_field(label: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why, as the public page will say it",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )


class WithdrawForm(GovukFormMixin, forms.Form):
    reason = _reason_field(
        "Why is it being withdrawn?",
        "The public page will say this, with today’s date. For example, "
        "“It named a member of the public by mistake.”",
    )


class RedactForm(GovukFormMixin, forms.Form):
    ref = forms.ChoiceField(
        label="Which item should be removed?",
        error_messages={
            "required": "Choose the action, target or outcome to remove",
            "invalid_choice": "Choose an action, target or outcome the published stocktake "
            "still shows",
        },
    )
    reason = _reason_field(
        "Why is it being removed?",
        "The public page will say “This item was removed on <today’s date>: <your reason>”.",
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ref"].choices = [
            ("", "Choose an item"),
            *[(ref, words) for _, ref, words in items],
        ]
