"""Forms the GOV.UK way: the renderer, the bound field the templates read, and a date field.

Every form rendered with the default renderer (``{{ form }}``, ``{{ form.field.as_field_group }}``)
uses ``templates/components/form.html`` and ``templates/components/field.html``. What a template
cannot work out for itself (which GOV.UK component a widget is, the ids for the hint and the error,
the input's classes) is worked out here, on ``GovukBoundField``.
"""

import datetime

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from config import form_html
from config.models import User

DATE_PARTS = ("day", "month", "year")

# The GOV.UK class of each kind of control, and its error modifier.
CONTROL_CLASSES = {
    "input": "govuk-input",
    "password": "govuk-input govuk-password-input__input govuk-js-password-input-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "file": "govuk-file-upload",
}
ERROR_CLASSES = {
    "input": "govuk-input--error",
    "password": "govuk-input--error",
    "textarea": "govuk-textarea--error",
    "select": "govuk-select--error",
    "file": "govuk-file-upload--error",
}


def _join(*classes: str) -> str:
    return " ".join(c for c in classes if c)


class GovukBoundField(BoundField):
    """A bound field that knows its GOV.UK component; used for every form by the renderer."""

    @cached_property
    def govuk_kind(self) -> str:
        """Which GOV.UK component renders this field (field.html branches on it)."""
        widget = self.field.widget
        if widget.is_hidden:
            return "hidden"
        if isinstance(widget, GovukDateWidget):
            return "date"
        if isinstance(widget, forms.CheckboxSelectMultiple):  # a RadioSelect subclass: first
            return "checkboxes"
        if isinstance(widget, forms.RadioSelect):
            return "radios"
        if isinstance(widget, forms.CheckboxInput):
            return "checkbox"
        if isinstance(widget, forms.Select):
            return "select"
        if isinstance(widget, forms.Textarea):
            return "textarea"
        if isinstance(widget, forms.PasswordInput):
            return "password"
        if isinstance(widget, forms.FileInput):
            return "file"
        if isinstance(widget, Input):
            return "input"
        return "other"

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint" if self.help_text and self.auto_id else ""

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error" if self.errors and self.auto_id else ""

    @property
    def govuk_describedby(self) -> str:
        """The widget's own aria-describedby, then the hint, then the error (GOV.UK's order)."""
        own = self.field.widget.attrs.get("aria-describedby", "")
        return _join(own, self.hint_id, self.error_id)

    @property
    def id_for_label(self) -> str:
        # Django gives radios and checkboxes no id for the label (each option has its own); the
        # error summary needs one to link to, so it is the first option's.
        if self.govuk_kind in ("radios", "checkboxes"):
            options = self.govuk_options
            return options[0]["id"] if options else ""
        if self.govuk_kind == "date" and self.auto_id:
            return f"{self.auto_id}_{self.date_error_parts[0] if self.errors else 'day'}"
        return super().id_for_label

    @property
    def date_error_parts(self) -> list[str]:
        """The parts of a date to mark in error: those its errors name, else all three."""
        if not self.errors:
            return []
        named = set()
        for error in self.errors.as_data():
            parts = (error.params or {}).get("error_parts")
            if not parts:
                return list(DATE_PARTS)
            named.update(parts)
        return [part for part in DATE_PARTS if part in named]

    def govuk_widget(self):
        """The control with GOV.UK classes, error modifier and aria-describedby added."""
        kind = self.govuk_kind
        widget = self.field.widget
        attrs = {}
        if kind in CONTROL_CLASSES:
            error_class = ERROR_CLASSES.get(kind, "") if self.errors else ""
            attrs["class"] = _join(
                CONTROL_CLASSES[kind], widget.attrs.get("class", ""), error_class
            )
        if kind == "password":
            attrs["spellcheck"] = widget.attrs.get("spellcheck", "false")
            attrs["autocapitalize"] = widget.attrs.get("autocapitalize", "none")
        if kind == "date":
            attrs[GovukDateWidget.ERROR_PARTS_ATTR] = self.date_error_parts
        elif self.govuk_describedby and not widget.use_fieldset:
            attrs["aria-describedby"] = self.govuk_describedby
        return self.as_widget(attrs=attrs)

    @cached_property
    def govuk_options(self) -> list[dict]:
        """Radios and checkboxes: one dict per option (id, name, value, label, checked, attrs)."""
        options = []
        extra = {
            k: v for k, v in self.field.widget.attrs.items() if k not in ("class", "id", "required")
        }
        for subwidget in self.subwidgets:
            data = subwidget.data
            options.append(
                {
                    "id": data["attrs"].get("id", ""),
                    "name": data["name"],
                    "value": "" if data["value"] is None else str(data["value"]),
                    "label": data["label"],
                    "checked": data["selected"],
                    "attrs": flatatt(extra),
                }
            )
        return options

    @property
    def container_class(self) -> str:
        """Extra classes for the radios/checkboxes container, e.g. govuk-radios--inline."""
        return self.field.widget.attrs.get("class", "")


class GovukFormRenderer(TemplatesSetting):
    """Renders forms and fields with templates/components/; see the module docstring.

    The form, the field and the common widgets are drawn in Python (config.form_html), byte for
    byte as their templates would draw them and several times faster; any other template (a
    widget with one of its own, an error list) is rendered as usual.
    """

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"
    bound_field_class = GovukBoundField
    draws_in_python = True

    def render(self, template_name, context, request=None):
        if self.draws_in_python and request is None:
            drawn = form_html.draw(template_name, context, field_check=_is_govuk_field)
            if drawn is not None:
                return drawn
        return super().render(template_name, context, request=request)


def _is_govuk_field(field) -> bool:
    return isinstance(field, GovukBoundField)


class GovukTemplateFormRenderer(GovukFormRenderer):
    """The same forms drawn by their templates alone: what config.form_html is proved against."""

    draws_in_python = False


class GovukFormMixin:
    """For forms that want GOV.UK behaviour throughout: no browser validation attributes.

    GOV.UK forms are ``novalidate`` and carry no ``required`` attribute: the server's messages,
    in the error summary and beside each field, are the only ones a person sees.
    """

    use_required_attribute = False


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year text inputs, rendered as the GOV.UK date input."""

    template_name = "components/date_input.html"
    ERROR_PARTS_ATTR = "_govuk_error_parts"  # passed by GovukBoundField, never rendered
    PARTS = (("day", "Day", "2"), ("month", "Month", "2"), ("year", "Year", "4"))

    def __init__(self, attrs=None):
        widgets = {
            name: forms.TextInput(attrs={"inputmode": "numeric"}) for name, _, _ in self.PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        error_parts = attrs.pop(self.ERROR_PARTS_ATTR, ())
        attrs.pop("aria-invalid", None)  # set per part below
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id")
        for (part, label, width), sub in zip(
            self.PARTS, context["widget"]["subwidgets"], strict=True
        ):
            sub_attrs = sub["attrs"]
            if base_id:
                sub_attrs["id"] = f"{base_id}_{part}"
            sub_attrs["class"] = _join(
                "govuk-input govuk-date-input__input",
                f"govuk-input--width-{width}",
                sub_attrs.get("class", ""),
                "govuk-input--error" if part in error_parts else "",
            )
            sub_attrs.pop("aria-describedby", None)  # the fieldset carries it
            if part in error_parts:
                sub_attrs["aria-invalid"] = "true"
            sub["label"] = label
        return context

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else ""


class GovukDateField(forms.Field):
    """A date typed as day, month and year; cleans to a ``datetime.date``.

    Error messages follow the GOV.UK date input pattern and can be replaced per field with
    ``error_messages={...}`` like any Django field.
    """

    widget = GovukDateWidget
    default_error_messages = {
        "required": "Enter a date, for example 31 3 2026",
        "invalid": "Enter a date, for example 31 3 2026",
        "incomplete": "Enter the %(missing)s",
        "invalid_date": "Date must be a real date",
        "year_digits": "Year must include 4 numbers",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        parts = dict(zip(DATE_PARTS, (str(v or "").strip() for v in value), strict=True))
        if not any(parts.values()):
            return None
        missing = [name for name, text in parts.items() if not text]
        if missing:
            raise self._error("incomplete", missing, missing=" and ".join(missing))
        not_numbers = [name for name, text in parts.items() if not text.isdigit()]
        if not_numbers:
            raise self._error("invalid", not_numbers)
        if len(parts["year"]) != 4:
            raise self._error("year_digits", ["year"])
        day, month, year = (int(parts[name]) for name in DATE_PARTS)
        try:
            return datetime.date(year, month, day)
        except ValueError:
            in_range = {"day": 1 <= day <= 31, "month": 1 <= month <= 12}
            wrong = [name for name, ok in in_range.items() if not ok]
            raise self._error("invalid_date", wrong or ["day"]) from None

    def _error(self, code: str, parts: list[str], **params) -> ValidationError:
        return ValidationError(
            self.error_messages[code], code=code, params={**params, "error_parts": parts}
        )


class SignInForm(GovukFormMixin, AuthenticationForm):
    """Email address and password; matched whatever its letter case (config.auth)."""

    username = forms.CharField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": "Enter your email address"},
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account cannot sign in. Ask the programme team to reactivate it.",
    }


PASSWORD_HINT = (
    "Your password must be at least 8 characters long. It cannot be only numbers, a commonly "
    "used password, or too like your name or email address."
)


class ForgottenPasswordForm(GovukFormMixin, PasswordResetForm):
    """Asks for an email address and sends a reset link if (and only if) it has an account; the
    page that follows says the same either way (Django's PasswordResetView)."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@council.gov.uk",
        },
    )


class NewPasswordForm(GovukFormMixin, SetPasswordForm):
    """A new password, twice, checked by the password validators (AUTH_PASSWORD_VALIDATORS)."""

    error_messages = {"password_mismatch": "The passwords do not match"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_new_password_fields(self)


class ChangePasswordForm(GovukFormMixin, PasswordChangeForm):
    error_messages = {
        "password_mismatch": "The passwords do not match",
        "password_incorrect": "Your current password is not right",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        old = self.fields["old_password"]
        old.label = "Current password"
        old.error_messages["required"] = "Enter your current password"
        old.widget.attrs.pop("autofocus", None)
        _label_new_password_fields(self)


def _label_new_password_fields(form) -> None:
    first, second = form.fields["new_password1"], form.fields["new_password2"]
    first.label, first.help_text = "New password", PASSWORD_HINT
    first.error_messages["required"] = "Enter a new password"
    second.label, second.help_text = "Confirm new password", ""
    second.error_messages["required"] = "Enter the new password again"


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: each message on its field, or on the form."""
    if not hasattr(error, "error_dict"):
        for text in error.messages:
            form.add_error(None, text)
        return
    for field, texts in error.message_dict.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)


class EmailSettingsForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["notification_emails"]
        labels = {
            "notification_emails": "How do you want to hear about challenges and delegated actions?"
        }
        widgets = {"notification_emails": forms.RadioSelect}
        error_messages = {
            "notification_emails": {
                "required": "Select how you want to hear about challenges and delegated actions",
                "invalid_choice": "Select how you want to hear about challenges and delegated actions",
            }
        }


class QuickSelect(forms.Select):
    """A select drawn in Python rather than one template per option, for long lists drawn on
    every request (the filters offer every service area and person). Grouped choices become
    ``<optgroup>``s."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = "" if value is None else str(value)

        def options(choices):
            return format_html_join(
                "\n",
                '<option value="{}"{}>{}</option>',
                (
                    (str(v), mark_safe(" selected") if str(v) == chosen else "", label)
                    for v, label in choices
                ),
            )

        parts = []
        for v, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(
                    format_html('<optgroup label="{}">\n{}\n</optgroup>', v, options(label))
                )
            else:
                parts.append(options([(v, label)]))
        body = mark_safe("\n".join(parts))  # each part escaped by format_html above
        return format_html('<select name="{}"{}>\n{}\n</select>', name, flatatt(attrs), body)
