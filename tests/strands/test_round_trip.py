"""Export then import gives the same framework; export → import → export gives identical files."""

import io

import openpyxl
import pytest
from django.core.management import call_command

from tests.strands.helpers import framework_counts, history_count, run_import

pytestmark = pytest.mark.django_db

SHEETS = ["strands", "service_areas", "actions", "targets", "outcomes", "measurements"]


def export(path) -> None:
    call_command("export_framework", str(path), stdout=io.StringIO())


def wipe_framework():
    from actions.models import Action
    from strands.models import ServiceArea, Strand
    from targets.models import Measurement, Outcome, Target

    for model in (Measurement, Outcome, Target, Action, ServiceArea, Strand):
        model.objects.all().delete()


def workbook_cells(path) -> dict[str, list[list]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    return {
        ws.title: [list(row) for row in ws.iter_rows(values_only=True)]
        for ws in workbook.worksheets
    }


def test_csv_export_import_export_gives_identical_files(anytown_dir, tmp_path):
    run_import(anytown_dir)
    export(tmp_path / "first")
    wipe_framework()
    run_import(tmp_path / "first")
    export(tmp_path / "second")
    for sheet in SHEETS:
        first = (tmp_path / "first" / f"{sheet}.csv").read_bytes()
        assert first == (tmp_path / "second" / f"{sheet}.csv").read_bytes(), sheet
    assert framework_counts()["measurements"] == 6


def test_xlsx_export_import_export_gives_identical_workbooks(anytown_dir, tmp_path):
    run_import(anytown_dir)
    export(tmp_path / "first.xlsx")
    wipe_framework()
    run_import(tmp_path / "first.xlsx")
    export(tmp_path / "second.xlsx")
    first = workbook_cells(tmp_path / "first.xlsx")
    assert list(first) == SHEETS
    assert first == workbook_cells(tmp_path / "second.xlsx")


def test_a_zip_export_imports(anytown_dir, tmp_path):
    run_import(anytown_dir)
    export(tmp_path / "framework.zip")
    wipe_framework()
    run_import(tmp_path / "framework.zip")
    assert framework_counts() == {
        "strands": 2,
        "service_areas": 3,
        "actions": 4,
        "targets": 4,
        "outcomes": 3,
        "measurements": 6,
    }


def test_reimporting_an_export_into_the_same_framework_changes_nothing(anytown_dir, tmp_path):
    run_import(anytown_dir)
    export(tmp_path / "export.xlsx")
    before = history_count()
    assert "nothing changed" in run_import(tmp_path / "export.xlsx")
    assert history_count() == before


def test_the_export_is_the_spec_format_with_every_column(anytown_dir, tmp_path):
    run_import(anytown_dir)
    export(tmp_path / "out")
    header = (tmp_path / "out" / "actions.csv").read_text().splitlines()[0]
    assert header == (
        "ref,service_area,title,issue,action,outcome,evidence,owner_email,lead_email,characteristics,"
        "start,due,status,progress,public"
    )
    outcomes = (tmp_path / "out" / "outcomes.csv").read_text()
    assert ',ethnicity,"Black, Asian and Minority Ethnic",50,38.5,JOBS-T1' in outcomes
    assert "LEIS-T1;LEIS-T2" in outcomes


def test_text_that_would_be_a_formula_is_neutralised_on_export(anytown_dir, tmp_path):
    run_import(anytown_dir)
    export(tmp_path / "out")
    export(tmp_path / "out.xlsx")
    assert (
        "PART-T1,PART-01,'=Charter signed by 10 partners"
        in (tmp_path / "out" / "targets.csv").read_text()
    )
    workbook = openpyxl.load_workbook(tmp_path / "out.xlsx")
    cell = workbook["targets"]["C5"]
    assert cell.value == "'=Charter signed by 10 partners"
    assert cell.data_type == "s"
    # Negative numbers are numbers, not formulas, and are left alone (tests/config/test_tables.py).
