"""The People page's forms: filter, add a person, change roles and areas, deactivate."""

from django import forms

from actions.people import INVITATION_STATES
from config import roles
from config.forms import GovukFormMixin
from strands.models import ServiceArea

ROLE_CHOICES = [(name, name) for name in roles.ROLES]


class PeopleFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Name or email address", required=False, max_length=200)
    role = forms.ChoiceField(
        label="Role", required=False, choices=[("", "Any role"), *ROLE_CHOICES]
    )
    state = forms.ChoiceField(
        label="Invitation",
        required=False,
        choices=[("", "Any"), *INVITATION_STATES.items()],
    )
    # Shown when single sign-on is required (SSO_REQUIRED): who still has a password.
    password = forms.ChoiceField(
        label="Password",
        required=False,
        choices=[("", "Any"), ("yes", "Has a password"), ("no", "No password")],
    )


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, area):
        director = area.director.display_name if area.director else "no director"
        return f"{area.name} (now: {director})"


class RolesAndAreasForm(GovukFormMixin, forms.Form):
    roles = forms.MultipleChoiceField(
        label="Roles",
        required=False,
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    areas = AreaChoiceField(
        label="Service areas they direct",
        required=False,
        queryset=ServiceArea.objects.select_related("director").order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text="They become the area's service director, replacing anyone named now.",
    )
    reason = forms.CharField(
        label="Why are you making this change?",
        max_length=100,
        help_text="Kept in their history, for example “New director of Housing from April”.",
        error_messages={"required": "Enter why you are making this change"},
    )


class AddPersonForm(RolesAndAreasForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@council.gov.uk",
        },
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    invite = forms.BooleanField(
        label="Send them an invitation to set their password now", required=False, initial=True
    )
    field_order = ["email", "first_name", "last_name", "roles", "areas", "invite", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False
        self.fields["reason"].help_text = "Optional. Kept in their history."


class DeactivateForm(GovukFormMixin, forms.Form):
    """Why a person is deactivated (or, with prefix "reactivate", reactivated)."""

    reason = forms.CharField(
        label="Why are you deactivating them?",
        max_length=100,
        help_text="Kept in their history, for example “Left the council in March”.",
        error_messages={"required": "Enter why you are deactivating them"},
    )


class ReactivateForm(DeactivateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="reactivate", **kwargs)
        self.fields["reason"].label = "Why are you reactivating them?"
        self.fields["reason"].help_text = "Kept in their history."
        self.fields["reason"].error_messages["required"] = "Enter why you are reactivating them"
