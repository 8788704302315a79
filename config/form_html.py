"""Form fields and the common widgets drawn in Python, byte for byte as their templates draw them.

Every form on every page pays for its fields, and drawing a field through its templates (the
field, the widget, its attributes, each option of a select) costs about half a millisecond of
CPU. ``config.forms.GovukFormRenderer`` hands the templates named in ``DRAWN`` to the functions
here instead and every other template to Django as before; a widget with a template of its own
is therefore still drawn by that template. tests/config/test_form_html.py renders every form in
the product both ways and proves the two identical, so a change to one of the templates
(templates/components/field.html, form.html, date_input.html, or Django's widget templates) must
be made here too.

Values are escaped as the template language does: ``{{ value }}`` as ``_out`` (localised, then
escaped unless already safe), ``{{ value|stringformat:'s' }}`` as ``_text``.
"""

import html
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, SafeString, mark_safe

# What render_value_in_context reads from a template's Context, as a plain template sets it.
_CONTEXT: Any = SimpleNamespace(use_tz=None, use_l10n=None, autoescape=True)
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
_INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "password",
        "number",
        "search",
        "url",
        "tel",
        "date",
        "time",
        "datetime",
        "color",
        "hidden",
        "checkbox",
        "file",
    )
}


def _out(value: Any) -> str:
    """``{{ value }}``."""
    kind = type(value)
    if kind is str:
        return html.escape(value)  # what django.utils.html.escape does, without its wrapper
    if kind is SafeString:
        return value
    return render_value_in_context(value, _CONTEXT)


def _text(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` (a safe value stays unescaped, as the filter is safe)."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is SafeString:
        return value
    text = stringformat(value, "s")
    return text if isinstance(value, SafeData) else html.escape(text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    drawn = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            drawn.append(f" {_out(name)}")
        else:
            drawn.append(f' {_out(name)}="{_text(value)}"')
    return "".join(drawn)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html (and the templates that only include it)."""
    value = widget["value"]
    shown = f' value="{_text(value)}"' if value is not None else ""
    return (
        f'<input type="{_out(widget["type"])}" name="{_out(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    """django/forms/widgets/textarea.html"""
    value = _out(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict) -> str | None:
    """django/forms/widgets/select.html with select_option.html; None if an option has a
    template of its own."""
    drawn = [f'<select name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            drawn.append(f'\n  <optgroup label="{_out(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION_TEMPLATE:
                return None
            drawn.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_out(option['label'])}</option>\n"
            )
        if group_name:
            drawn.append("\n  </optgroup>")
    drawn.append("\n</select>")
    return "".join(drawn)


def _date_input(widget: dict) -> str:
    """templates/components/date_input.html"""
    attrs = widget["attrs"]
    own_id = f' id="{_out(attrs["id"])}"' if attrs.get("id") else ""
    drawn = [f'<div class="govuk-date-input"{own_id}>\n  ']
    for part in widget["subwidgets"]:
        drawn.append(
            '\n  <div class="govuk-date-input__item">\n'
            '    <div class="govuk-form-group">\n'
            '      <label class="govuk-label govuk-date-input__label" '
            f'for="{_out(part["attrs"].get("id", ""))}">{_out(part.get("label", ""))}</label>\n'
            f"      {_input(part)}\n\n"
            "    </div>\n"
            "  </div>\n  "
        )
    drawn.append("\n</div>")
    return "".join(drawn)


def _hint_and_error(field) -> str:
    """field.html's partial hint-and-error."""
    drawn = ""
    if field.help_text:
        drawn += (
            f'\n  <div id="{_out(field.hint_id)}" class="govuk-hint">{_out(field.help_text)}</div>'
        )
    errors = field.errors
    if errors:
        messages = "<br>".join(_out(error) for error in errors)
        drawn += (
            f'\n  <p id="{_out(field.error_id)}" class="govuk-error-message">\n'
            f'    <span class="govuk-visually-hidden">Error:</span> {messages}\n'
            "  </p>"
        )
    return drawn


def _options(field, kind: str) -> str:
    """The radios or checkboxes of field.html, each in its item."""
    item = "radios" if kind == "radios" else "checkboxes"
    control = "radio" if kind == "radios" else "checkbox"
    container = f" {_out(field.container_class)}" if field.container_class else ""
    disabled = " disabled" if field.field.disabled else ""
    drawn = [f'\n    <div class="govuk-{item}{container}" data-module="govuk-{item}">\n      ']
    for option in field.govuk_options:
        option_id = _out(option["id"])
        checked = " checked" if option["checked"] else ""
        drawn.append(
            f'\n      <div class="govuk-{item}__item">\n'
            f'        <input class="govuk-{item}__input" id="{option_id}" '
            f'name="{_out(option["name"])}" type="{control}" value="{_out(option["value"])}"'
            f"{checked}{disabled}{_out(option['attrs'])}>\n"
            f'        <label class="govuk-label govuk-{item}__label" for="{option_id}">'
            f"{_out(option['label'])}</label>\n"
            "      </div>\n      "
        )
    drawn.append("\n    </div>")
    return "".join(drawn)


_PASSWORD_GROUP = ' govuk-password-input" data-module="govuk-password-input'
_SHOW_PASSWORD = (
    '<button type="button" class="govuk-button govuk-button--secondary '
    'govuk-password-input__toggle govuk-js-password-input-toggle" data-module="govuk-button" '
    'aria-controls="{}" aria-label="Show password" hidden>Show</button>'
)


def field_group(field) -> str:
    """templates/components/field.html for a config.forms.GovukBoundField."""
    kind = field.govuk_kind
    if kind == "hidden":
        return _out(field)
    error = " govuk-form-group--error" if field.errors else ""
    password = kind == "password"
    drawn = [f'\n<div class="govuk-form-group{error}{_PASSWORD_GROUP if password else ""}">\n']
    if kind in ("radios", "checkboxes", "date"):
        role = ' role="group"' if kind == "date" else ""
        described = field.govuk_describedby
        described = f' aria-describedby="{_out(described)}"' if described else ""
        drawn.append(
            f'\n  <fieldset class="govuk-fieldset"{role}{described}>\n'
            f'    <legend class="govuk-fieldset__legend">{_out(field.label)}</legend>\n'
            f"    {_hint_and_error(field)}\n"
        )
        if kind == "date":
            drawn.append(f"\n    {_out(field.govuk_widget())}\n")
        else:
            drawn.append(f"\n    {_options(field, kind)}\n")
        drawn.append("\n  </fieldset>\n")
    elif kind == "checkbox":
        drawn.append(
            f"\n  {_hint_and_error(field)}\n"
            '  <div class="govuk-checkboxes" data-module="govuk-checkboxes">\n'
            '    <div class="govuk-checkboxes__item">\n'
            f"      {_out(field.govuk_widget())}\n"
            '      <label class="govuk-label govuk-checkboxes__label" '
            f'for="{_out(field.id_for_label)}">{_out(field.label)}</label>\n'
            "    </div>\n"
            "  </div>\n"
        )
    else:
        drawn.append(
            f'\n  <label class="govuk-label" for="{_out(field.id_for_label)}">'
            f"{_out(field.label)}</label>\n"
            f"  {_hint_and_error(field)}\n"
        )
        if password:
            drawn.append(
                '\n  <div class="govuk-input__wrapper govuk-password-input__wrapper">\n'
                f"    {_out(field.govuk_widget())}\n"
                f"    {_SHOW_PASSWORD.format(_out(field.id_for_label))}\n"
                "  </div>\n"
            )
        else:
            drawn.append(f"\n  {_out(field.govuk_widget())}\n")
        drawn.append("\n")
    drawn.append("\n</div>")
    return "".join(drawn)


def form(form) -> str:
    """templates/components/form.html"""
    drawn = []
    non_field_errors = form.non_field_errors()
    if non_field_errors:
        drawn.append('\n<div class="govuk-form-group govuk-form-group--error">\n  ')
        for error in non_field_errors:
            drawn.append(
                '\n  <p class="govuk-error-message"><span class="govuk-visually-hidden">'
                f"Error:</span> {_out(error)}</p>\n  "
            )
        drawn.append("\n</div>\n")
    drawn.append("\n")
    for field in form.hidden_fields():
        for error in field.errors:
            drawn.append(
                '\n<p class="govuk-error-message"><span class="govuk-visually-hidden">'
                f"Error:</span> {_out(error)}</p>\n"
            )
        drawn.append(_out(field))
    drawn.append("\n")
    for field in form.visible_fields():
        drawn.append(f"\n{_out(field.as_field_group())}\n")
    return "".join(drawn)


def widget(template_name: str, context: dict) -> str | None:
    """A widget's template drawn in Python, or None when it is not one drawn here."""
    drawn = context.get("widget")
    if drawn is None:
        return None
    if template_name in _INPUT_TEMPLATES:
        return _input(drawn)
    if template_name == "django/forms/widgets/textarea.html":
        return _textarea(drawn)
    if template_name == "django/forms/widgets/select.html":
        return _select(drawn)
    if template_name == "components/date_input.html":
        return _date_input(drawn)
    return None


def draw(template_name: str, context: dict, *, field_check: Callable[[Any], bool]) -> str | None:
    """What the renderer draws in Python for this template and context, already stripped as
    the renderer strips a template's output; None to leave it to the template."""
    drawn: str | None
    if template_name == "components/field.html":
        field = context.get("field")
        if len(context) != 1 or not field_check(field):
            return None
        drawn = field_group(field)
    elif template_name == "components/form.html":
        if set(context) - {"form", "fields", "hidden_fields", "errors"}:
            return None
        drawn = form(context["form"])
    else:
        drawn = widget(template_name, context)
        if drawn is None:
            return None
    return mark_safe(drawn.strip())  # noqa: S308 (every value in it escaped above)
