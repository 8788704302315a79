"""``{% target_status_tag target.status %}``: a target's status as a GOV.UK tag, in its words and
colour (targets.models.TARGET_STATUS_TAGS). A builtin (config/settings/base.py)."""

from django import template
from django.utils.html import format_html

from targets.models import TARGET_STATUS_TAGS, Target

register = template.Library()


@register.simple_tag
def target_status_tag(status: str, label: str = ""):
    words = label or (Target.Status(status).label if status in Target.Status.values else status)
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        TARGET_STATUS_TAGS.get(Target.Status(status), "grey")
        if status in Target.Status.values
        else "grey",
        words,
    )
