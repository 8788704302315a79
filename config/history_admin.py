"""Admin support for history: every edit in the admin asks why, and the answer is kept; a form
opened before someone else saved the same item is refused, as the app's stale forms are."""

from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin

VERSION_FIELD = "opened_version"


def latest_history(obj):
    """The newest history row of a tracked item, or None (an item made without history)."""
    return obj.history.order_by("-history_id").first()


def stale_message(obj, latest) -> str:
    who = latest.history_user.display_name if latest.history_user else "Someone else"
    when = date_format(timezone.localtime(latest.history_date), "j F Y \\a\\t H:i")
    return (
        f"{who} saved this {obj._meta.verbose_name} on {when}, after you opened this form. "
        "Nothing has been saved. Reload the page to see their changes, then make yours again."
    )


class StaleCheckFormMixin(forms.Form):
    """A model form that remembers which version of its item it was opened on (the item's newest
    history row) and refuses to save over a newer one. The admin's change form template
    (templates/admin/tracked_change_form.html) renders the hidden field."""

    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            latest = latest_history(self.instance)
            self.initial[VERSION_FIELD] = str(latest.history_id) if latest else ""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            latest = latest_history(self.instance)
            opened = self.data.get(self.add_prefix(VERSION_FIELD), "")
            if latest is not None and opened != str(latest.history_id):
                raise ValidationError(stale_message(self.instance, latest), code="stale")
        return cleaned


class ReasonForm(StaleCheckFormMixin, forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        max_length=100,
        help_text="Kept in the item's history, for example “Director changed after restructure”.",
    )


class StaleCheckAdminMixin:
    """For a model admin whose form is a StaleCheckFormMixin: renders its hidden version field."""

    change_form_template: ClassVar[str | None] = "admin/tracked_change_form.html"

    def get_fields(self, request, obj=None):
        return [f for f in super().get_fields(request, obj) if f != VERSION_FIELD]


class TrackedAdmin(StaleCheckAdminMixin, SimpleHistoryAdmin):
    """A model admin whose edits are recorded with the person (from the request) and the reason,
    and refused when someone else saved the item after the form was opened."""

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
