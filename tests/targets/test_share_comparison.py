"""One rule reads a group's share against its equity share or benchmark: at least, at most, or
close to it within a tolerance. Every flag uses it and says it in words."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from reporting.stocktake import content
from targets import charts
from targets.models import Outcome
from targets.shares import in_words, judge
from tests.reporting.stocktake_world import html_text, measure, published
from tests.strands.helpers import import_errors, run_import

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 31)
BLACK = "Black, Asian and Minority Ethnic"


@pytest.mark.parametrize(
    "share, expected, comparison, tolerance, label",
    [
        (40, 50, "at_least", None, "Under-represented"),
        (50, 50, "at_least", None, "Meets it"),
        (60, 50, "at_least", None, "Meets it"),
        (31, 18, "at_most", None, "Over-represented"),
        (18, 18, "at_most", None, "Meets it"),
        (10, 18, "at_most", None, "Meets it"),
        (52, 50, "close_to", 2, "Within 2 points of it"),
        (48, 50, "close_to", 2, "Within 2 points of it"),
        ("52.1", 50, "close_to", 2, "Over-represented"),
        ("47.9", 50, "close_to", 2, "Under-represented"),
        (50, 50, "close_to", None, "Meets it"),
        ("50.1", 50, "close_to", None, "Over-represented"),
    ],
)
def test_the_rule(share, expected, comparison, tolerance, label):
    judgement = judge(Decimal(share), Decimal(expected), comparison, tolerance)
    assert judgement.label == label
    assert judgement.falls_short is label.endswith("represented")


def test_nothing_is_said_without_a_share_or_a_share_it_should_have():
    assert judge(None, Decimal(50)) is None
    assert judge(Decimal(50), None) is None


def test_the_rule_in_words():
    assert (
        in_words("Black pupils", Decimal("31.0"), Decimal(18), "population benchmark", "at_most")
        == "Black pupils 31% against a population benchmark of 18%: over-represented"
    )
    assert (
        in_words("Disabled", Decimal(40), Decimal(50), "equity share")
        == "Disabled 40% against an equity share of 50%: under-represented"
    )


def test_a_chart_of_an_at_most_outcome_says_over_represented():
    chart = charts.group_shares_chart(
        "Exclusions", [("Black pupils", 31, 18), ("White pupils", 60, None)], comparison="at_most"
    )
    assert chart.table.rows[0] == ("Black pupils", "31%", "at most 18%", "Over-represented")
    assert "Falls short: Black pupils (over-represented)." in chart.description
    svg = str(chart.svg)
    assert "31% – over-represented" in svg
    assert "should be at most 18%" in svg
    # The same numbers read the default way are a different chart, which meets its share.
    default = charts.group_shares_chart("Exclusions", [("Black pupils", 31, 18)])
    assert default.id != chart.id
    assert default.table.rows[0][3] == "Meets it"


@pytest.fixture
def exclusions(world):
    """HOU-O01 made a measure where over-representation is the problem: 31% against 18%."""
    outcome = world.outcome
    outcome.group_share = Decimal(18)
    outcome.share_comparison = Outcome.ShareComparison.AT_MOST
    outcome.save()
    measure(outcome, world.director, MARCH, 100, [(BLACK, 31), ("White", 69)])
    return outcome


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html_text(response.content.decode())


def test_every_page_flags_an_at_most_outcome_as_over_represented(as_user, world, exclusions):
    board = as_user(world.board)
    dashboard = page(board, reverse("dashboard"))
    assert f"{BLACK}: 31.0% against 18% equity share (should be at most 18%)" in dashboard
    assert "Over-represented" in dashboard
    assert "1 outcome where a group falls short" in dashboard
    outcome_page = page(board, reverse("outcome-detail", args=["HOU-O01"]))
    assert f"{BLACK} should make up at most 18%" in outcome_page
    assert f"{BLACK} 31 31.0% 18% Over-represented" in outcome_page
    action_page = page(as_user(world.director), reverse("action-detail", args=["HOU-01"]))
    assert "18% equity share (should be at most 18%) Over-represented" in action_page


def test_the_same_share_read_the_default_way_meets_it(as_user, world, exclusions):
    exclusions.share_comparison = Outcome.ShareComparison.AT_LEAST
    exclusions.save()
    dashboard = page(as_user(world.board), reverse("dashboard"))
    assert "(should be at least 18%) Meets it" in dashboard
    assert "Over-represented" not in dashboard
    assert "0 outcomes where a group falls short" in dashboard


def test_the_stocktake_and_its_open_data_say_over_represented(client, world, exclusions):
    built = content.build(year=2026, as_at=timezone.now())
    text = html_text(
        render_to_string("reporting/stocktake/document.html", {"content": built, "for_pdf": False})
    )
    assert f"{BLACK} 31 31% 18% (equity share), should be at most 18% Over-represented" in text
    published(2026, by=world.team)
    response = client.get(reverse("public-stocktake-csv", args=[2026, "measurements"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    black = next(r for r in rows if r["group"] == BLACK)
    assert (black["share_percent"], black["expected_share_percent"]) == ("31", "18")
    assert black["representation"] == "Over-represented"
    response = client.get(reverse("public-stocktake-csv", args=[2026, "outcomes"]))
    outcome = next(csv.DictReader(io.StringIO(response.content.decode())))
    assert (outcome["share_comparison"], outcome["share_tolerance"]) == ("at_most", "")


def test_a_workbook_without_the_column_imports_as_at_least(anytown_dir):
    run_import(anytown_dir)
    assert set(Outcome.objects.values_list("share_comparison", flat=True)) == {"at_least"}


def with_comparisons(folder, by_ref: dict[str, tuple[str, str]]) -> None:
    """Add the share_comparison and share_tolerance columns to a workbook's outcomes."""
    path = folder / "outcomes.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.DictWriter(
        out, [*rows[0], "share_comparison", "share_tolerance"], lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        comparison, tolerance = by_ref.get(row["ref"], ("", ""))
        writer.writerow(row | {"share_comparison": comparison, "share_tolerance": tolerance})
    path.write_text(out.getvalue(), encoding="utf-8")


def test_the_spreadsheet_carries_the_comparison_and_tolerance(anytown_copy, tmp_path):
    with_comparisons(anytown_copy, {"JOBS-O1": ("close_to", "2.5"), "PART-O1": ("at_most", "")})
    run_import(anytown_copy)
    jobs = Outcome.objects.get(ref="JOBS-O1")
    assert (jobs.share_comparison, jobs.share_tolerance) == ("close_to", Decimal("2.5"))
    assert Outcome.objects.get(ref="LEIS-O1").share_comparison == "at_least"  # blank: default
    assert Outcome.objects.get(ref="PART-O1").share_comparison == "at_most"
    call_command("export_framework", str(tmp_path / "out"), stdout=io.StringIO())
    exported = list(csv.DictReader((tmp_path / "out" / "outcomes.csv").open(encoding="utf-8")))
    assert {r["ref"]: (r["share_comparison"], r["share_tolerance"]) for r in exported} == {
        "LEIS-O1": ("at_least", ""),
        "JOBS-O1": ("close_to", "2.5"),
        "PART-O1": ("at_most", ""),
    }


def test_a_bad_comparison_or_a_tolerance_without_close_to_is_refused(anytown_copy):
    with_comparisons(anytown_copy, {"LEIS-O1": ("over", ""), "JOBS-O1": ("at_most", "2")})
    errors = import_errors(anytown_copy)
    assert any(
        "outcomes row 2, column share_comparison" in e
        and "is not one of: at_least, at_most, close_to" in e
        for e in errors
    ), errors
    assert any(
        "outcomes row 3, column share_tolerance" in e and "set share_comparison to close_to" in e
        for e in errors
    ), errors
    assert not Outcome.objects.exists()
