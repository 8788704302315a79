"""Numbers as people read them: 1,234.5 not 1234.5000; used by the dashboard and outcome pages."""

import datetime
import functools

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from targets import breakdown_tables

register = template.Library()


@register.filter
def number(value, unit: str = "") -> str:
    """{{ value|number }} → "1,234.5"; {{ value|number:outcome.unit }} adds % for percentages."""
    return breakdown_tables.number(value, unit)


@register.filter
def share(value) -> str:
    """{{ group.share|share }} → "12.3%": a share to one decimal place, as |floatformat:1 gives
    it, without its cost (30 µs a call; the outcome page shows hundreds of shares)."""
    return breakdown_tables.share(value)


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _day(value):
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


@register.filter
def long_date(value) -> str:
    """22 November 2026 (what |date:"j F Y" gives, without its cost in long tables)."""
    day = _day(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else ""


@register.filter
def short_date(value) -> str:
    """22 Nov 2026 (|date:"j M Y")."""
    day = _day(value)
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}" if day else ""


@functools.lru_cache(maxsize=32)
def _url_pattern(name: str, prefix: str) -> str:
    return reverse(name, args=["REF-PLACEHOLDER"])


@register.filter
def page_of(ref: str, name: str) -> str:
    """{{ action.ref|page_of:"action-detail" }}: the page of an item by its reference, like
    {% url name ref %} but without reversing the URL again for every row of a long table.
    References hold only letters, digits, hyphens, full stops and underscores (strands.refs)."""
    return _url_pattern(name, get_script_prefix()).replace("REF-PLACEHOLDER", ref)
