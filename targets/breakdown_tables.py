"""A period's breakdown by one dimension on the outcome page (targets/_breakdown_table.html), its
rows drawn in Python for config.templatetags.govuk's {% table head=… rows=… %}: an outcome with a
few years of quarters shows hundreds of cells, and drawing each through the template's {% cell %}
cost more than the rest of the page. Each cell's content is what its {% cell %} drew."""

import functools
import html
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString

from config.templatetags.govuk import tag
from targets.charts import plain_number
from targets.shares import BreakdownValues, GroupShare, PeriodValues

COLUMNS = (
    {"heading": "Value", "numeric": True},
    {"heading": "Share", "numeric": True},
    {"heading": "Share it should have", "numeric": True},
    {"heading": "Against that share"},
)
HEADER = {"header": True}
NUMERIC = {"numeric": True}
PLAIN: dict = {}
CORRECT = (
    ' <a class="govuk-link govuk-body-s"\n'
    + " " * 113
    + 'href="{}">Correct<span class="govuk-visually-hidden"> the value for {}</span></a>'
)
NOT_A_GROUP = SafeString('<span class="govuk-body-s">Not a group: left out of the shares</span>')
NO_SHARE_SET = SafeString('<span class="govuk-body-s">No share set</span>')
TENTH = Decimal("0.1")
_ID = 987654321


def number(value, unit: str = "") -> str:
    """1,234.5 (reporting's {{ value|number }}); with unit "percent", 12.5%."""
    if value is None or value == "":
        return ""
    try:
        text = plain_number(value)
    except (ValueError, ArithmeticError):
        return str(value)
    return f"{text}%" if unit == "percent" else text


def share(value) -> str:
    """A share to one decimal place, "12.3%", as |floatformat:1 gives it (reporting's |share)."""
    if value is None or value == "":
        return ""
    try:
        tenths = Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_UP)
    except (ValueError, ArithmeticError, InvalidOperation):
        return f"{value}%"
    return f"{abs(tenths) if not tenths else tenths}%"  # never "-0.0%"


@functools.lru_cache(maxsize=8)
def _correct_url(prefix: str) -> str:
    return reverse("measurement-correct", args=[_ID])


def correct_url(measurement_id: int) -> str:
    """reverse("measurement-correct", args=[measurement_id]), reversed once."""
    return _correct_url(get_script_prefix()).replace(str(_ID), str(int(measurement_id)))


def breakdown_table(period: PeriodValues, breakdown: BreakdownValues, correctable) -> dict:
    """The table's headings and rows: each group, those whose group is not given, the total."""
    head = [{"heading": breakdown.dimension[:1].upper() + breakdown.dimension[1:]}, *COLUMNS]
    rows = [_group_row(s, correctable) for s in breakdown.groups]
    rows += [_not_given_row(s, correctable) for s in breakdown.not_given]
    total = period.total
    if breakdown.not_given and breakdown.known_total is not None:
        total_share = f"{number(breakdown.known_total)} known"
    else:
        total_share = "100%" if total is not None else ""
    drawn_total = html.escape(number(total)) if total is not None else "Not recorded"
    rows.append(
        [
            {**HEADER, "content": "Total"},
            {**NUMERIC, "content": SafeString(f"<strong>{drawn_total}</strong>")},
            {**NUMERIC, "content": total_share},
            {**NUMERIC, "content": ""},
            {**PLAIN, "content": ""},
        ]
    )
    return {"head": head, "rows": rows}


def _value(s: GroupShare, correctable) -> SafeString:
    drawn = html.escape(number(s.value))
    if s.measurement_id is not None and s.measurement_id in correctable:
        drawn += CORRECT.format(correct_url(s.measurement_id), html.escape(s.group))
    return SafeString(drawn)


def _group_row(s: GroupShare, correctable) -> list[dict]:
    if s.expected is not None:
        judgement = s.judgement
        against = (
            f"{tag(judgement.label, 'red' if s.falls_short else 'green')}<br>" if judgement else ""
        )
        label = s.expected_label[:1].upper() + s.expected_label[1:]
        against += (
            f'<span class="govuk-body-s">{html.escape(label)}: should be '
            f"{html.escape(s.should_be)}</span>"
        )
        expected = f"{number(s.expected)}%"
    else:
        against, expected = NO_SHARE_SET, "–"
    return [
        {**HEADER, "content": s.group},
        {**NUMERIC, "content": _value(s, correctable)},
        {**NUMERIC, "content": share(s.share) if s.share is not None else "Not known"},
        {**NUMERIC, "content": expected},
        {**PLAIN, "content": SafeString(against)},
    ]


def _not_given_row(s: GroupShare, correctable) -> list[dict]:
    return [
        {**HEADER, "content": s.group},
        {**NUMERIC, "content": _value(s, correctable)},
        {**NUMERIC, "content": "–"},
        {**NUMERIC, "content": "–"},
        {**PLAIN, "content": NOT_A_GROUP},
    ]
