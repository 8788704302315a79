"""A cross-table (ethnicity × sex) in the published stocktake and its open data: small numbers
hidden in cells and margins, and none of them to be worked out from what is shown."""

import csv
import datetime
import io
from decimal import Decimal

import pdfua
import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from reporting.stocktake import content, opendata, pdf
from targets import services
from targets.models import CategoryList
from targets.services import Breakdown
from tests.reporting.stocktake_world import html_text

pytestmark = pytest.mark.django_db

PERIOD = datetime.date(2026, 9, 30)


def record_cross(world):
    ethnicity = CategoryList.objects.get(dimension__name="Ethnicity", name__contains="5 high")
    sexes = CategoryList.objects.get(dimension__name="Sex")
    rows = {c.name.split(",")[0].split(" ")[0]: c for c in ethnicity.categories.all()}
    female, male = sexes.categories.filter(kind="group")
    cells = {
        ("Asian", female): 3,  # a small number
        ("Asian", male): 20,
        ("Black", female): 30,
        ("Black", male): 25,
        ("White", female): 40,
        ("White", male): 50,
    }
    services.add_measurement(
        indicator=world.outcome,
        user=world.director,
        period_end=PERIOD,
        total=Decimal(168),
        breakdowns=[
            Breakdown(
                category_list=ethnicity,
                crossed_with=sexes,
                cells={(rows[r].pk, s.pk): Decimal(v) for (r, s), v in cells.items()},
                values={rows["Asian"].pk: 23, rows["Black"].pk: 55, rows["White"].pk: 90},
                values_2={female.pk: 73, male.pk: 95},
            )
        ],
    )


def published_rows(world):
    record_cross(world)
    built = content.build(year=2026, as_at=timezone.now())
    rows = list(csv.DictReader(io.StringIO(opendata.csv_text(built, "measurements"))))
    return built, [r for r in rows if r["period_end"] == PERIOD.isoformat() and r["dimension_2"]]


def test_the_open_data_hides_the_small_cell_and_enough_others(world):
    _, rows = published_rows(world)
    by_key = {(r["dimension"], r["group"], r["group_2"]): r for r in rows}
    asian = "Asian, Asian British or Asian Welsh"
    assert by_key[("Ethnicity", asian, "Female")]["value"] == "fewer than 5"
    assert by_key[("Ethnicity", asian, "Female")]["suppressed"] == "yes"
    # Its row and its column each have another hidden entry, so no subtraction finds the 3.
    asian_row = [r for r in rows if r["dimension"] == "Ethnicity" and r["group"] == asian]
    assert sum(r["suppressed"] == "yes" for r in asian_row) >= 2
    female_column = [
        r
        for r in rows
        if (r["group_2"] == "Female")
        or (r["dimension"] == "Sex" and r["group"] == "Female" and not r["group_2"])
    ]
    assert sum(r["suppressed"] == "yes" for r in female_column) >= 2
    assert "3" not in {r["value"] for r in rows}
    # Nothing else is hidden needlessly: the White row is shown in full.
    white = [r for r in rows if r["dimension"] == "Ethnicity" and r["group"] == "White"]
    assert {r["value"] for r in white} == {"90", "40", "50"}


def test_the_stocktake_page_shows_the_cross_table_as_published(world):
    built, _ = published_rows(world)
    text = html_text(
        render_to_string("reporting/stocktake/document.html", {"content": built, "for_pdf": False})
    )
    assert "values by ethnicity and sex, period ending 30 September 2026" in text
    assert "Asian, Asian British or Asian Welsh fewer than 5" in text
    assert "White 40 50 90" in text


def test_a_stocktake_with_a_cross_table_passes_the_pdf_ua_checks(world, tmp_path):
    from tests.reporting import pdf_structure  # noqa: PLC0415 (pikepdf: only the PDF tests)
    from tests.reporting.test_stocktake_pdf_ua import PDFUA_BROKEN_RULES  # noqa: PLC0415

    record_cross(world)
    rendered = pdf.render(content.build(year=2026, as_at=timezone.now()))
    path = tmp_path / "cross.pdf"
    path.write_bytes(rendered.data)
    report = pdfua.validate(str(path))
    assert [f"{f.rule_id} page {f.location.page}: {f.message}" for f in report.findings] == []
    assert {outcome.rule_id for outcome in report.skipped} <= PDFUA_BROKEN_RULES
    problems = pdf_structure.problems(rendered.data)
    assert problems == [], pdf_structure.summary(problems)
    shown = " ".join(pdf_structure.marked_text(rendered.data).values())
    assert "by ethnicity and sex" in " ".join(shown.split())  # the cross-table, tagged as content
