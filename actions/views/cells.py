"""Cells of the tables of actions (the framework browser, My actions), drawn in Python for
config.templatetags.govuk's {% table head=… rows=… %}: a page of actions has hundreds of cells,
and drawing each through the template's {% cell %} cost more than the rest of the page.

Each cell's markup is what the {% cell %} it replaces drew, whitespace included."""

from django.urls import reverse
from django.utils import dateformat
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from config.templatetags.govuk import tag

# An action's long answers, shown on its own page, not in these tables: left in the database.
LONG_TEXTS = ("issue", "planned_action", "intended_outcome", "evidence", "closed_reason")


def action_link(action, *, anchor: str = "", layout: str = "") -> SafeString:
    """The action's reference and title, linked to its page."""
    return format_html(
        '<a class="govuk-link"{}href="{}{}">{}<span class="govuk-visually-hidden">:</span> {}</a>',
        SafeString(layout or " "),
        reverse("action-detail", args=[action.ref]),
        anchor,
        action.ref,
        action.title,
    )


def cycle_tag(action) -> SafeString:
    """Where the action stands in the reporting cycle: late, due, updated or nothing owed."""
    state = action.cycle_state
    if not state:
        return SafeString('<span class="govuk-body-s">No update owed</span>')
    if state.code == "late":
        return tag("Late", "red")
    if state.code == "due":
        return tag("Update due", "yellow")
    return tag("Updated", "green")


def day(value) -> str:
    """``{{ value|date:"j M Y" }}`` (27 Mar 2026), without the filter's look-up of the format."""
    return dateformat.format(value, "j M Y")


def row(head: list[dict], contents: list[str]) -> list[dict]:
    """A table row: each cell its column's heading and options, and its content."""
    return [{**column, "content": content} for column, content in zip(head, contents, strict=True)]


# --- The change history on an action's page: a row for every change, drawn here ----------------

HISTORY_HEAD = [
    {"heading": "When"},
    {"heading": "Who"},
    {"heading": "What changed"},
    {"heading": "Why"},
]
# Between an entry's name and its list of changes: the layout the template had.
_WHAT_GAP = "\n" + " " * 14


def history_rows(history) -> list[list[dict]]:
    """The change history's rows, as {% cell %}s drew them (templates/actions/detail.html)."""
    return [
        row(
            HISTORY_HEAD,
            [
                escape(dateformat.format(localtime(entry.when), "j M Y, H:i")),
                escape(entry.who.display_name) if entry.who else "System",
                SafeString(_what_changed(entry)),
                escape(entry.reason or "–"),
            ],
        )
        for entry in history
    ]


def _what_changed(entry) -> str:
    if entry.kind == "Created":
        return f"{escape(entry.what)} created"
    changes = "".join(
        f"<li>{escape(c.label)}: {escape(c.old)} → {escape(c.new)}</li>" for c in entry.changes
    )
    return (
        f'<span class="govuk-body-s">{escape(entry.what)}</span>{_WHAT_GAP}'
        f'<ul class="govuk-list govuk-!-margin-bottom-0">{changes}</ul>'
    )
