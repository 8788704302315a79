"""``{% breakdown_table period breakdown correctable as drawn %}``: a period's breakdown as the
headings and rows of a {% table head=drawn.head rows=drawn.rows %} (targets.breakdown_tables)."""

from django import template

from targets import breakdown_tables

register = template.Library()


@register.simple_tag
def breakdown_table(period, breakdown, correctable) -> dict:
    return breakdown_tables.breakdown_table(period, breakdown, correctable)
