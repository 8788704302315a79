"""The server-drawn charts: their data, their words for screen readers, their table, and that
they stay plain SVG that a PDF can hold (no script, fixed size, the same bytes for the same data)."""

import datetime
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from targets import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: charts.Chart):
    return ElementTree.fromstring(str(chart.svg))


def texts(chart: charts.Chart) -> list[str]:
    return [t.text for t in parse(chart).iter(f"{SVG}text") if t.text]


def assert_accessible_svg(chart: charts.Chart):
    root = parse(chart)
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == chart.title
    assert desc.text == chart.description
    width, height = int(root.get("width")), int(root.get("height"))
    assert root.get("viewBox") == f"0 0 {width} {height}"
    markup = str(chart.svg)
    assert "<script" not in markup
    assert "http://" not in markup.replace("http://www.w3.org/2000/svg", "")
    assert "<!--" not in markup  # pygal's dated comment is gone


STATUS_ROWS = [
    ("Housing", {"on_track": 3, "at_risk": 1, "off_track": 1}),
    ("Public Health", {"not_started": 2, "complete": 1}),
]


def test_status_by_area_has_its_numbers_words_and_table():
    chart = charts.status_by_area_chart(STATUS_ROWS)
    assert_accessible_svg(chart)
    assert chart.title == "Actions by status in each service area"
    assert "one bar for each of 2 service areas" in chart.description
    assert "Across all areas: 2 not started, 3 on track, 1 at risk, 1 off track, 1 complete" in (
        chart.description
    )
    assert chart.table.headers == (
        "Service area",
        "Not started",
        "On track",
        "At risk",
        "Off track",
        "Complete",
        "Closed",
        "Total",
    )
    assert chart.table.rows == (
        ("Housing", "0", "3", "1", "1", "0", "0", "5"),
        ("Public Health", "2", "0", "0", "0", "1", "0", "3"),
        ("All areas", "2", "3", "1", "1", "1", "0", "8"),
    )
    drawn = texts(chart)
    assert {"Housing", "Public Health"} <= set(drawn)
    # Each segment says its number, and its status where the words fit.
    numbers = [re.sub(r"^\D*", "", t) for t in drawn if re.search(r"\d$", t)]
    for n in ["3", "1", "2"]:
        assert n in numbers
    assert any(t.startswith("On track") for t in drawn)
    # The legend names every status shown (colour is not the only key).
    for label in ["Not started", "On track", "At risk", "Off track", "Complete"]:
        assert label in drawn
    assert "Closed" not in drawn


def test_the_same_numbers_give_the_same_bytes_and_different_numbers_another_chart():
    first = charts.status_by_area_chart(STATUS_ROWS)
    charts.clear_cache()
    again = charts.status_by_area_chart(STATUS_ROWS)
    assert str(first.svg) == str(again.svg)
    other = charts.status_by_area_chart([("Housing", {"on_track": 4})])
    assert other.id != first.id
    assert 'id="chart-' in str(other.svg)


def test_trend_has_its_points_target_and_table():
    points = [(datetime.date(2026, 3, 31), Decimal(300)), (datetime.date(2025, 12, 31), 200)]
    chart = charts.outcome_trend_chart("People into work", points, target=Decimal(1000))
    assert_accessible_svg(chart)
    assert chart.table.headers == ("Period ending", "Value", "Target")
    assert chart.table.rows == (
        ("31 December 2025", "200", "1,000"),
        ("31 March 2026", "300", "1,000"),
    )
    assert chart.description == (
        "Line chart of People into work over 2 periods, from 200 in the period ending "
        "31 December 2025 to 300 in the period ending 31 March 2026. The target, 1,000, is "
        "drawn as a dashed line."
    )
    drawn = texts(chart)
    assert {"200", "300", "Target: 1,000", "Dec 2025", "Mar 2026"} <= set(drawn)


def test_a_percentage_trend_says_percent():
    chart = charts.outcome_trend_chart(
        "Staff trained", [(datetime.date(2026, 3, 31), Decimal("12.5"))], unit="percent"
    )
    assert chart.table.rows == (("31 March 2026", "12.5%"),)
    assert "12.5%" in texts(chart)


def test_group_shares_set_against_the_share_they_should_have():
    chart = charts.group_shares_chart(
        "Shares, March 2026",
        [("Black, Asian and Minority Ethnic", Decimal("40.0"), Decimal(50)), ("White", 60, None)],
    )
    assert_accessible_svg(chart)
    assert chart.table.rows == (
        ("Black, Asian and Minority Ethnic", "40%", "50%", "Yes"),
        ("White", "60%", "", ""),
    )
    assert chart.table.numeric == (False, True, True, False)
    assert "Falls short: Black, Asian and Minority Ethnic." in chart.description
    drawn = texts(chart)
    assert "40% – falls short" in drawn
    assert "should be 50%" in drawn
    assert "60%" in drawn
    # The share it should have is hatched as well as coloured.
    assert "<pattern" in str(chart.svg)


def test_no_group_falls_short_is_said_in_words():
    chart = charts.group_shares_chart("Shares", [("Disabled", 35, 30)])
    assert "No group falls short of the share it should have." in chart.description


@pytest.mark.parametrize(
    "chart",
    [
        charts.status_by_area_chart([]),
        charts.outcome_trend_chart("Nothing yet", []),
        charts.group_shares_chart("No breakdown", []),
    ],
)
def test_empty_charts_say_so_and_stay_accessible(chart):
    assert_accessible_svg(chart)
    assert len(texts(chart)) == 1


def test_a_chart_renders_in_weasyprint():
    weasyprint = pytest.importorskip("weasyprint")
    chart = charts.status_by_area_chart(STATUS_ROWS)
    trend = charts.outcome_trend_chart("T", [(datetime.date(2026, 3, 31), 1)], target=2)
    html = f"<html><body><h1>{chart.title}</h1>{chart.svg}{trend.svg}</body></html>"
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf.startswith(b"%PDF")


def label_lines(chart: charts.Chart, first_word: str) -> list[str]:
    """The lines of the bar name that starts with first_word, as the chart draws them."""
    for text in parse(chart).iter(f"{SVG}text"):
        lines = [text.text or ""] + [span.text for span in text.iter(f"{SVG}tspan")]
        lines = [line for line in lines if line]
        if lines and lines[0].startswith(first_word):
            return lines
    raise AssertionError(f"no label starting {first_word!r}")


@pytest.mark.parametrize(
    "draw",
    [
        lambda name: charts.status_by_area_chart([(name, {"on_track": 1}), ("Housing", {})]),
        lambda name: charts.group_shares_chart("Shares", [(name, 40, 50), ("White", 60, None)]),
    ],
    ids=["status by area", "group shares"],
)
def test_long_bar_names_are_wrapped_whole_not_cut_short(draw):
    name = "Staff development, talent pipeline and support"
    chart = draw(name)
    lines = label_lines(chart, "Staff")
    assert lines == ["Staff development, talent", "pipeline and support"]
    assert "…" not in str(chart.svg)
    assert label_lines(chart, "Housing" if "Housing" in str(chart.svg) else "White") in (
        ["Housing"],
        ["White"],
    )
    # The lines are centred on the bar: the first moves up half a line for each extra line.
    spans = [t for t in parse(chart).iter(f"{SVG}tspan") if t.text and "Staff" in t.text]
    assert spans[0].get("dy") == f"{-charts.LABEL_LINE / 2:g}"
