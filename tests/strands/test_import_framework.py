"""Importing a framework from a folder of CSVs or a workbook: the good path, idempotence, updates."""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from actions.models import Action
from strands.models import ServiceArea
from targets.models import Measurement, Outcome, Target
from tests.strands.helpers import framework_counts, history_count, rewrite, run_import

pytestmark = pytest.mark.django_db


def test_another_councils_framework_imports_with_every_field(anytown_dir):
    output = run_import(anytown_dir)

    assert "Framework imported." in output
    assert framework_counts() == {
        "strands": 2,
        "service_areas": 3,
        "actions": 4,
        "targets": 4,
        "outcomes": 3,
        "measurements": 6,
    }
    leisure = ServiceArea.objects.get(ref="LEIS")
    assert leisure.description == "Our libraries and leisure centres.\nTwo paragraphs, one cell."
    assert leisure.director.email == "dana.director@anytown.example"
    swimming = Action.objects.get(ref="LEIS-01")
    assert swimming.lead_officer.email == "lee.lead@anytown.example"
    assert swimming.responsible_owner == leisure.director
    assert sorted(c.code for c in swimming.characteristics.all()) == ["age", "socio_economic"]
    assert swimming.start_date == datetime.date(2025, 4, 1)
    assert (swimming.status, swimming.progress, swimming.is_public) == ("on_track", 40, True)
    library = Action.objects.get(ref="LEIS-02")
    assert library.title == 'Library outreach, "books on wheels"'
    assert (library.status, library.progress, library.is_public) == ("not_started", 0, True)
    assert Action.objects.get(ref="PART-01").is_public is False
    swims = Target.objects.get(ref="LEIS-T2")
    assert (swims.kind, swims.baseline, swims.target_value, swims.unit) == (
        "numeric",
        Decimal("0"),
        Decimal("1200"),
        "swims",
    )
    assert swims.due_text == "by March 2026"
    # An apostrophe that an export put before formula-like text is taken off again.
    assert Target.objects.get(ref="PART-T1").description == "=Charter signed by 10 partners"
    jobs = Outcome.objects.get(ref="JOBS-O1")
    assert (jobs.dimension, jobs.group, jobs.group_share, jobs.benchmark_share) == (
        "ethnicity",
        "Black, Asian and Minority Ethnic",
        Decimal("50"),
        Decimal("38.5"),
    )
    assert list(jobs.targets.values_list("ref", flat=True)) == ["JOBS-T1"]
    assert sorted(Outcome.objects.get(ref="LEIS-O1").targets.values_list("ref", flat=True)) == [
        "LEIS-T1",
        "LEIS-T2",
    ]
    assert Outcome.objects.get(ref="PART-O1").has_indicator is False
    breakdown = Measurement.objects.get(outcome=jobs, period_end="2025-06-30", group="White")
    assert (breakdown.dimension, breakdown.value) == ("ethnicity", Decimal("50"))
    assert Measurement.objects.get(target__ref="LEIS-T2").value == Decimal("410.5")


def test_people_named_by_email_are_created_without_a_usable_password(anytown_dir):
    run_import(anytown_dir)
    people = get_user_model().objects.filter(email__endswith="@anytown.example")
    assert sorted(p.email for p in people) == [
        "dana.director@anytown.example",
        "jo.jobs@anytown.example",
        "lee.lead@anytown.example",
        "pat.partner@anytown.example",
    ]
    assert not any(p.has_usable_password() for p in people)


def test_a_dry_run_reports_and_writes_nothing(anytown_dir):
    output = run_import(anytown_dir, "--dry-run")
    assert "actions: 4 to add, 0 to change, 0 unchanged" in output
    assert "Dry run: nothing was written." in output
    assert set(framework_counts().values()) == {0}
    assert not get_user_model().objects.filter(email__endswith="@anytown.example").exists()


def test_importing_the_same_file_twice_changes_nothing(anytown_dir):
    run_import(anytown_dir)
    before = history_count()
    output = run_import(anytown_dir)
    assert "nothing changed" in output
    assert "actions: 0 to add, 0 to change, 4 unchanged" in output
    assert history_count() == before


def test_a_changed_row_updates_its_item_with_history(anytown_copy):
    run_import(anytown_copy)
    unchanged_history = Action.objects.get(ref="LEIS-02").history.count()
    rewrite(anytown_copy, "actions", "on_track,40", "at_risk,45")
    rewrite(anytown_copy, "actions", "socio_economic;age", "age")

    dry = run_import(anytown_copy, "--dry-run")
    assert 'actions row 2: LEIS-01 status: "on_track" → "at_risk"' in dry
    assert 'actions row 2: LEIS-01 progress: "40" → "45"' in dry
    assert 'actions row 2: LEIS-01 characteristics: "age;socio_economic" → "age"' in dry
    assert "actions: 0 to add, 1 to change, 3 unchanged" in dry

    run_import(anytown_copy, "--reason", "Quarter 2 refresh")
    action = Action.objects.get(ref="LEIS-01")
    assert (action.status, action.progress) == ("at_risk", 45)
    assert [c.code for c in action.characteristics.all()] == ["age"]
    latest = action.history.latest()
    assert latest.history_change_reason == "Quarter 2 refresh"
    assert action.history.filter(status="on_track").exists()
    # Rows that did not change got no new history.
    assert Action.objects.get(ref="LEIS-02").history.count() == unchanged_history


def test_a_changed_measurement_updates_in_place(anytown_copy):
    run_import(anytown_copy)
    rewrite(anytown_copy, "measurements", "JOBS-O1,2025-09-30,150", "JOBS-O1,2025-09-30,155")
    run_import(anytown_copy)
    assert Measurement.objects.count() == 6
    assert (
        Measurement.objects.get(outcome__ref="JOBS-O1", period_end="2025-09-30", group="").value
        == 155
    )


def test_items_missing_from_a_later_file_are_left_alone(anytown_copy):
    run_import(anytown_copy)
    path = anytown_copy / "measurements.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    run_import(anytown_copy)
    assert Measurement.objects.count() == 6


def test_a_workbook_imports_like_the_csv_folder(anytown_dir, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    import csv

    for sheet in ["strands", "service_areas", "actions", "targets", "outcomes", "measurements"]:
        worksheet = workbook.create_sheet(sheet)
        with open(anytown_dir / f"{sheet}.csv", encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                worksheet.append(row)
    # Spreadsheet programs store dates and numbers as such, not as text.
    actions = workbook["actions"]
    actions["K2"] = datetime.datetime(2025, 4, 1)
    actions["N2"] = 40
    path = tmp_path / "anytown.xlsx"
    workbook.save(path)

    run_import(path)

    action = Action.objects.get(ref="LEIS-01")
    assert action.start_date == datetime.date(2025, 4, 1)
    assert action.progress == 40
    assert framework_counts()["measurements"] == 6
