"""Filters for the stocktake's one template (HTML page and PDF alike)."""

import base64

from django import template
from django.utils.html import format_html

from reporting.stocktake.content import long_date, number

register = template.Library()


@register.filter(name="number")
def number_filter(value) -> str:
    """1234.5000 → "1,234.5"; blank for nothing."""
    return number(value)


@register.filter
def long_date_filter(value) -> str:
    return long_date(value)


@register.filter
def numeric_columns(cells, table):
    """Each cell (or header) of a chart's table with whether its column holds numbers."""
    return list(zip(cells, table.numeric, strict=False))


@register.simple_tag
def chart_image(chart):
    """A chart as an <img> for the PDF: WeasyPrint tags it as a Figure and takes its alt text,
    here the chart's title and description (an inline SVG would give the title alone)."""
    encoded = base64.b64encode(str(chart.svg).encode()).decode()
    return format_html(
        '<img class="app-stocktake__chart-image" src="data:image/svg+xml;base64,{}" alt="{}">',
        encoded,
        f"{chart.title}. {chart.description}",
    )
