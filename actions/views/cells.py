"""Cells of the tables of actions (the framework browser, My actions), drawn in Python for
config.templatetags.govuk's {% table head=… rows=… %}: a page of actions has hundreds of cells,
and drawing each through the template's {% cell %} cost more than the rest of the page.

Each cell's markup is what the {% cell %} it replaces drew, whitespace included. The cells are
put together with f-strings and ``text`` (escaping as format_html does) rather than format_html,
and each action's address from one reversed pattern: a page of 50 actions calls these ~400 times.
"""

import functools
import html

from django.template.defaultfilters import linebreaksbr
from django.urls import get_script_prefix, reverse
from django.utils import dateformat
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from actions.templatetags.statuses import status_tag
from config.templatetags.govuk import tag

# An action's long answers, shown on its own page, not in these tables: left in the database.
LONG_TEXTS = ("issue", "planned_action", "intended_outcome", "evidence", "closed_reason")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_REF = "REF-PLACEHOLDER"


def text(value) -> str:
    """A value as format_html puts it in markup: escaped, unless it is already safe."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@functools.lru_cache(maxsize=8)
def _action_url(prefix: str) -> str:
    return reverse("action-detail", args=[_REF])


def action_url(ref: str) -> str:
    """reverse("action-detail", args=[ref]), reversed once (references are letters, digits,
    hyphens, full stops and underscores: strands.refs)."""
    return _action_url(get_script_prefix()).replace(_REF, ref)


def action_link(action, *, anchor: str = "", layout: str = "") -> SafeString:
    """The action's reference and title, linked to its page."""
    return SafeString(
        f'<a class="govuk-link"{layout or " "}href="{text(action_url(action.ref))}{text(anchor)}">'
        f'{text(action.ref)}<span class="govuk-visually-hidden">:</span> {text(action.title)}</a>'
    )


NO_UPDATE_OWED = SafeString('<span class="govuk-body-s">No update owed</span>')
CYCLE_TAGS = {
    "late": tag("Late", "red"),
    "due": tag("Update due", "yellow"),
}
UPDATED = tag("Updated", "green")


def cycle_tag(action) -> SafeString:
    """Where the action stands in the reporting cycle: late, due, updated or nothing owed."""
    state = action.cycle_state
    if not state:
        return NO_UPDATE_OWED
    return CYCLE_TAGS.get(state.code, UPDATED)


@functools.lru_cache(maxsize=64)
def status(value: str, label: str) -> SafeString:
    """{% status_tag %}, drawn once for each status."""
    return status_tag(value, label)


def day(value) -> str:
    """``{{ value|date:"j M Y" }}`` (27 Mar 2026), without the filter's look-up of the format."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


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


def update_log(updates) -> SafeString:
    """The update log's entries, as the template's loop drew them (templates/actions/detail.html):
    an action's page lists every update it has had, so this grows with each one."""
    demo = f" {tag('Demo data', 'purple')}"
    entries = []
    for update in updates:
        narrative = (
            f'<p class="govuk-body">{linebreaksbr(update.narrative, autoescape=True)}</p>'
            if update.narrative
            else ""
        )
        entries.append(
            '\n          <li class="app-log__entry">\n            '
            '<p class="govuk-body govuk-!-margin-bottom-1">'
            f"<strong>{dateformat.format(localtime(update.created_at), 'j F Y')}</strong>, "
            f"{text(update.author.display_name)}: {text(update.get_status_display())}, {update.progress}% complete"
            f"{demo if update.is_demo else ''}</p>\n            {narrative}\n          </li>\n        "
        )
    return SafeString("".join(entries))
