"""The update forms on an action's page. Messages are in the GOV.UK voice."""

from django import forms

from actions.models import Status
from actions.services import allowed_next_statuses, lead_officers, progress_problems

NUMBER_ATTRS = {"class": "govuk-input--width-5", "inputmode": "decimal", "spellcheck": "false"}


class VersionedForm(forms.Form):
    """Carries the version of the item the person saw, so a stale submission can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ProgressForm(VersionedForm):
    status = forms.ChoiceField(
        label="Status", widget=forms.RadioSelect, error_messages={"required": "Select a status"}
    )
    progress = forms.IntegerField(
        label="% complete",
        help_text="A whole number from 0 to 100",
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter % complete",
            "invalid": "Enter % complete as a whole number from 0 to 100",
            # These two carry parameters, so a literal per cent sign is written twice.
            "min_value": "Enter %% complete as a whole number from 0 to 100",
            "max_value": "Enter %% complete as a whole number from 0 to 100",
        },
    )
    narrative = forms.CharField(
        label="Progress this quarter",
        help_text="What has happened since the last update. Required if the action is off track.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Progress must be 5,000 characters or fewer"},
    )
    closed_reason = forms.CharField(
        label="Reason for closing",
        help_text="Only if you are closing the action, for example because it has been superseded.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, Status(value).label) for value in allowed_next_statuses(action.status)
        ]

    def clean(self):
        data = super().clean()
        problems = progress_problems(
            status=data.get("status"),
            progress=data.get("progress"),
            narrative=data.get("narrative") or "",
            closed_reason=data.get("closed_reason") or "",
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return data


class DelegateForm(VersionedForm):
    # Its own prefix, so its ids (id_delegate-version) never repeat the progress form's on the page.
    prefix = "delegate"

    lead_officer: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Lead officer",
        queryset=None,
        required=False,
        empty_label="No lead officer",
        error_messages={"invalid_choice": "Select a lead officer from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = lead_officers()
        self.fields["lead_officer"].label_from_instance = lambda u: u.name_and_email
