"""Admin support for history: every edit in the admin asks why, and the answer is kept."""

from django import forms
from simple_history.admin import SimpleHistoryAdmin


class ReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        max_length=100,
        help_text="Kept in the item's history, for example “Director changed after restructure”.",
    )


class TrackedAdmin(SimpleHistoryAdmin):
    """A model admin whose edits are recorded with the person (from the request) and the reason."""

    form = ReasonForm

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "change_reason"]
        return [*fields, "change_reason"]

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("change_reason") or (
            "Edited in the admin" if change else "Added in the admin"
        )
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
