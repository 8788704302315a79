"""How a status is shown, said once (actions.models.STATUS_STYLES): its tag on every page and
its bar on the charts."""

import pytest
from django.template import Context, Template

from actions.models import STATUS_STYLES, Status
from targets import charts


@pytest.mark.parametrize(
    ("status", "colour", "words"),
    [
        ("not_started", "grey", "Not started"),
        ("on_track", "green", "On track"),
        ("at_risk", "yellow", "At risk"),
        ("off_track", "red", "Off track"),
        ("complete", "blue", "Complete"),
        ("closed", "grey", "Closed"),
    ],
)
def test_status_tags_have_colour_and_words(status, colour, words):
    html = Template("{% status_tag status %}").render(Context({"status": status}))
    assert html == f'<strong class="govuk-tag govuk-tag--{colour}">{words}</strong>'


def test_a_tag_may_carry_other_words_and_an_unknown_status_is_grey():
    rendered = Template('{% status_tag "on_track" "On track (was at risk)" %} {% status_tag s %}')
    assert rendered.render(Context({"s": "retired"})) == (
        '<strong class="govuk-tag govuk-tag--green">On track (was at risk)</strong> '
        '<strong class="govuk-tag govuk-tag--grey">retired</strong>'
    )


def test_the_words_are_escaped():
    html = Template("{% status_tag s label %}").render(Context({"s": "x", "label": "<b>"}))
    assert "&lt;b&gt;" in html


def test_every_status_has_a_style():
    assert set(STATUS_STYLES) == set(Status.values)


def test_the_status_chart_colours_its_bars_from_the_same_styles():
    chart = charts.status_by_area_chart([("Housing", {"on_track": 2, "off_track": 1})])
    assert STATUS_STYLES[Status.ON_TRACK].fill in chart.svg
    assert STATUS_STYLES[Status.OFF_TRACK].fill in chart.svg
    assert STATUS_STYLES[Status.AT_RISK].fill not in chart.svg


@pytest.mark.parametrize(
    ("status", "colour", "words"),
    [
        ("not_started", "grey", "Not started"),
        ("in_progress", "blue", "In progress"),
        ("met", "green", "Met"),
        ("not_met", "red", "Not met"),
    ],
)
def test_target_status_tags_have_colour_and_words(status, colour, words):
    html = Template("{% target_status_tag status %}").render(Context({"status": status}))
    assert html == f'<strong class="govuk-tag govuk-tag--{colour}">{words}</strong>'
