"""Direction of travel: one rule for the dashboard and the stocktake (targets.trends)."""

from decimal import Decimal

import pytest

from targets.trends import BASELINE, PREVIOUS, direction_of_travel


def number(value):
    return None if value is None else Decimal(value)


def travel(direction, latest, previous=None, baseline=None):
    return direction_of_travel(
        direction=direction,
        latest=number(latest),
        previous=number(previous),
        baseline=number(baseline),
    )


@pytest.mark.parametrize(
    ("direction", "latest", "previous", "code", "sentence"),
    [
        ("increase", 5, 4, "improving", "Moving the right way"),
        ("increase", 3, 4, "worsening", "Moving the wrong way"),
        ("decrease", 3, 4, "improving", "Moving the right way"),
        ("decrease", 5, 4, "worsening", "Moving the wrong way"),
        ("increase", 4, 4, "same", "No change"),
        ("", 3, 4, "down", "Lower than before"),
        ("", 5, 4, "up", "Higher than before"),
    ],
)
def test_the_latest_value_is_read_against_the_one_before_and_the_good_direction(
    direction, latest, previous, code, sentence
):
    result = travel(direction, latest, previous, baseline=100)
    assert (result.code, result.sentence, result.compared_with) == (code, sentence, PREVIOUS)
    assert result.judged is bool(direction)


def test_the_previous_value_wins_over_the_baseline():
    assert travel("increase", 5, previous=6, baseline=1).code == "worsening"


def test_with_only_one_value_the_baseline_is_the_one_before():
    result = travel("increase", 5, previous=None, baseline=4)
    assert (result.code, result.label, result.compared_with) == ("improving", "Improving", BASELINE)
    assert travel("decrease", 5, previous=None, baseline=4).code == "worsening"


def test_with_neither_a_previous_value_nor_a_baseline_it_is_not_known():
    result = travel("increase", 5)
    assert (result.code, result.label, result.is_known) == ("unknown", "No earlier value", False)
    assert result.sentence == "Not enough values yet to say"


def test_with_no_value_it_is_not_known():
    result = travel("increase", None, previous=4, baseline=3)
    assert (result.code, result.label, result.is_known) == ("unknown", "No value yet", False)


def test_no_change_without_a_good_direction_is_not_judged():
    result = travel("", 4, previous=4)
    assert (result.code, result.judged) == ("same", False)
