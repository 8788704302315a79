"""A period's breakdown on the outcome page draws its rows in Python (targets.breakdown_tables):
proved the same as the {% cell %}s they replaced, for every kind of row (a group with a share to
meet, over or under it, without one, not given, a value the person may correct, a total known or
not, shares of the known total), apart from the white space between rows."""

import datetime
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from targets.shares import AT_LEAST, AT_MOST, BreakdownValues, GroupShare, PeriodValues

pytestmark = pytest.mark.django_db

# templates/targets/_breakdown_table.html before its rows were drawn in Python.
CELLS = """{% load dashboard_format govuk %}
{% with dimension=breakdown.dimension|lower heading=breakdown.dimension|capfirst when=period.period_end|long_date %}
  {% with title="Breakdown by "|add:dimension|add:", period ending "|add:when %}
    {% table caption=title caption_size="s" classes="app-table--compact" scroll_label=title|add:", table" %}
      {% for share in breakdown.groups %}
        {% row %}
          {% cell heading header=True %}{{ share.group }}{% endcell %}
          {% cell "Value" numeric=True %}{{ share.value|number }}{% if share.measurement_id in correctable %} <a class="govuk-link govuk-body-s"
                                                                                                                 href="{% url 'measurement-correct' share.measurement_id %}">Correct<span class="govuk-visually-hidden"> the value for {{ share.group }}</span></a>{% endif %}{% endcell %}
          {% cell "Share" numeric=True %}{% if share.share is not None %}{{ share.share|share }}{% else %}Not known{% endif %}{% endcell %}
          {% cell "Share it should have" numeric=True %}{% if share.expected is not None %}{{ share.expected|number }}%{% else %}–{% endif %}{% endcell %}
          {% cell "Against that share" %}{% if share.expected is not None %}{% if share.judgement %}{% tag share.judgement.label share.falls_short|yesno:"red,green" %}<br>{% endif %}<span class="govuk-body-s">{{ share.expected_label|capfirst }}: should be {{ share.should_be }}</span>{% else %}<span class="govuk-body-s">No share set</span>{% endif %}{% endcell %}
        {% endrow %}
      {% endfor %}
      {% for share in breakdown.not_given %}
        {% row %}
          {% cell heading header=True %}{{ share.group }}{% endcell %}
          {% cell "Value" numeric=True %}{{ share.value|number }}{% if share.measurement_id in correctable %} <a class="govuk-link govuk-body-s"
                                                                                                                 href="{% url 'measurement-correct' share.measurement_id %}">Correct<span class="govuk-visually-hidden"> the value for {{ share.group }}</span></a>{% endif %}{% endcell %}
          {% cell "Share" numeric=True %}–{% endcell %}
          {% cell "Share it should have" numeric=True %}–{% endcell %}
          {% cell "Against that share" %}<span class="govuk-body-s">Not a group: left out of the shares</span>{% endcell %}
        {% endrow %}
      {% endfor %}
      {% row %}
        {% cell heading header=True %}Total{% endcell %}
        {% cell "Value" numeric=True %}<strong>{% if period.total is not None %}{{ period.total|number }}{% else %}Not recorded{% endif %}</strong>{% endcell %}
        {% cell "Share" numeric=True %}{% if breakdown.not_given and breakdown.known_total is not None %}{{ breakdown.known_total|number }} known{% elif period.total is not None %}100%{% endif %}{% endcell %}
        {% cell "Share it should have" numeric=True %}
        {% endcell %}
        {% cell "Against that share" %}
        {% endcell %}
      {% endrow %}
    {% endtable %}
  {% endwith %}
{% endwith %}
{% if breakdown.not_given %}<p class="govuk-body-s">Shares are of the {{ breakdown.known_total|number }} whose {{ breakdown.dimension|lower }} is known.</p>{% endif %}"""

NOW = """{% include "targets/_breakdown_table.html" %}"""
MARCH = datetime.date(2026, 3, 31)


def share(group, value, share_, expected=None, *, comparison=AT_LEAST, measurement_id=None):
    return GroupShare(
        group=group,
        value=Decimal(value),
        share=None if share_ is None else Decimal(share_),
        expected=None if expected is None else Decimal(expected),
        expected_label="equity share" if expected is not None else "",
        comparison=comparison,
        tolerance=None,
        measurement_id=measurement_id,
    )


BREAKDOWNS = [
    # Under and over a share to meet, meeting one, no share set, a value to correct.
    (
        Decimal(1000),
        BreakdownValues(
            "ethnicity",
            groups=[
                share("Black, Asian & <Minority> Ethnic", 300, "30.04", 50, measurement_id=7),
                share("White", 600, "60", 40, comparison=AT_MOST),
                share("Mixed", 50, "5", 5),
                share("Other", 50, "5"),
            ],
        ),
    ),
    # Some whose group is not given: shares of the known total; one share not known.
    (
        Decimal("1234.5"),
        BreakdownValues(
            "sex",
            groups=[share("Women", 600, None, 50)],
            not_given=[share("Not known", "34.5", None, measurement_id=12)],
            known_total=Decimal(1200),
        ),
    ),
    # No total recorded, no groups.
    (None, BreakdownValues("disability")),
]


def normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize(("total", "breakdown"), BREAKDOWNS)
def test_a_breakdown_table_is_drawn_as_its_cells_drew_it(total, breakdown):
    period = PeriodValues(period_end=MARCH, total=total, breakdowns=[breakdown])
    context = {
        "period": period,
        "breakdown": breakdown,
        "correctable": {7, 12},
        "request": RequestFactory().get("/"),
    }
    before = Template(CELLS).render(Context(context))
    after = Template(NOW).render(Context(context))
    assert normalised(after) == normalised(before)
    assert "Correct" in after if breakdown.dimension != "disability" else "Correct" not in after
