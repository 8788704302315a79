"""The number filters of long tables say what Django's slower filters would."""

from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat

from reporting.templatetags.dashboard_format import share


@pytest.mark.parametrize(
    "value",
    [Decimal("12.3"), Decimal("0.05"), Decimal("2.25"), Decimal("100"), 5, 33.333, Decimal("0")],
)
def test_a_share_reads_as_floatformat_to_one_place_would_give_it(value):
    assert share(value) == f"{floatformat(value, 1)}%"


def test_a_share_not_known_is_blank_and_never_minus_zero():
    assert share(None) == "" and share("") == ""
    assert share(Decimal("-0.04")) == "0.0%"
