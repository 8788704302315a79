"""``{% status_tag action.status %}``: an action's status as a GOV.UK tag, in its words and its
colour (actions.models.STATUS_STYLES). A builtin (config/settings/base.py): no ``{% load %}``.

Drawn in Python rather than by an include: long tables draw many of them.
"""

from django import template
from django.utils.html import format_html

from actions.models import STATUS_STYLES, Status

register = template.Library()


@register.simple_tag
def status_tag(status: str, label: str = ""):
    """The tag for a status value; ``label`` replaces its words (a historical record's label)."""
    style = STATUS_STYLES.get(status)
    words = label or (Status(status).label if status in Status.values else status)
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>', style.tag if style else "grey", words
    )
