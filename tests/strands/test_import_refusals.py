"""Bad input of every kind: a clear message per problem, all at once, and nothing written."""

import zipfile

import pytest
from django.contrib.auth import get_user_model

from tests.strands.helpers import framework_counts, import_errors, rewrite

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_is_written():
    people_before = get_user_model().objects.count()
    yield
    assert set(framework_counts().values()) == {0}, "a refused import wrote something"
    assert get_user_model().objects.count() == people_before


def append(folder, sheet, line):
    with open(folder / f"{sheet}.csv", "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


CELL_PROBLEMS = [
    (
        "actions",
        "2025-04-01,2026-03-31",
        "summer 2025,2026-03-31",
        'actions row 2, column start: "summer 2025" is not a date (use YYYY-MM-DD, for example 2021-08-31).',
    ),
    (
        "targets",
        "2025-08-31,by summer 2025",
        "summer 2025,by summer 2025",
        'targets row 2, column due: "summer 2025" is not a date (use YYYY-MM-DD; put the words in due_text).',
    ),
    (
        "actions",
        "2025-04-01,2026-03-31",
        "2025-02-30,2026-03-31",
        'actions row 2, column start: "2025-02-30" is not a real date (use YYYY-MM-DD, for example 2021-08-31).',
    ),
    (
        "targets",
        "numeric,0,1200",
        'numeric,0,"1,200"',
        'targets row 3, column target: "1,200" is not a number: write it without commas, for example 1000.',
    ),
    (
        "targets",
        "numeric,0,1200",
        "numeric,0,lots",
        'targets row 3, column target: "lots" is not a number (write a plain decimal, for example 25 or 12.5).',
    ),
    (
        "outcomes",
        ",50,38.5,",
        ",50%,38.5,",
        'outcomes row 3, column group_share: "50%" is not a number: write it without the % sign, for example 50.',
    ),
    (
        "outcomes",
        ",50,38.5,",
        ",50,138.5,",
        'outcomes row 3, column benchmark_share: "138.5" is not a percentage from 0 to 100.',
    ),
    (
        "actions",
        ",on_track,40,",
        ",green,40,",
        'actions row 2, column status: "green" is not one of: not_started, on_track, at_risk, off_track, complete, closed.',
    ),
    (
        "actions",
        ",on_track,40,",
        ",on_track,140,",
        'actions row 2, column progress: "140" is more than 100; % complete runs from 0 to 100.',
    ),
    (
        "actions",
        ",on_track,40,",
        ",on_track,40.5,",
        'actions row 2, column progress: "40.5" must be a whole number from 0 to 100, without a % sign.',
    ),
    (
        "actions",
        "socio_economic;age",
        "socio_economic;ethnicity",
        'actions row 2, column characteristics: "ethnicity" is not characteristic codes (use age, disability, '
        "gender_reassignment, marriage_civil_partnership, pregnancy_maternity, race, religion_belief, sex, "
        "sexual_orientation, socio_economic).",
    ),
    (
        "actions",
        "40,yes",
        "40,maybe",
        'actions row 2, column public: "maybe" must be "yes" or "no".',
    ),
    (
        "targets",
        "numeric,0,1200",
        "number,0,1200",
        'targets row 3, column kind: "number" is not one of: milestone, numeric.',
    ),
    (
        "outcomes",
        "count,increase,0,1200",
        "people,increase,0,1200",
        'outcomes row 2, column unit: "people" is not one of: count, percent.',
    ),
    (
        "actions",
        ",lee.lead@anytown.example,",
        ",lee.lead at anytown,",
        'actions row 2, column lead_email: "lee.lead at anytown" is not an email address.',
    ),
    (
        "actions",
        "LEIS-01,LEIS,",
        "LEIS 01,LEIS,",
        'actions row 2, column ref: "LEIS 01" is not a valid reference (use letters, numbers, hyphens, '
        "full stops or underscores, up to 40 characters, for example HOU-03).",
    ),
    (
        "actions",
        "LEIS-02,LEIS,",
        "LEIS-02,LEISURE,",
        'actions row 3, column service_area: "LEISURE" is not a service area in this file or the framework.',
    ),
    (
        "targets",
        "JOBS-T1,JOBS-01,",
        "JOBS-T1,JOBS-O1,",
        'targets row 4, column action: "JOBS-O1" is an outcome, not an action.',
    ),
    (
        "outcomes",
        ",JOBS-T1\n",
        ",JOBS-T1;JOBS-T9\n",
        'outcomes row 3, column targets: "JOBS-T9" is not a target in this file or the framework.',
    ),
    (
        "actions",
        "PART-01,PART,Fairness partnership charter,",
        "PART-01,PART,,",
        "actions row 4, column title: this is required but is empty.",
    ),
    (
        "actions",
        "Free swimming for carers",
        '"=HYPERLINK(""http://x"")"',
        'actions row 2, column title: "=HYPERLINK("http://x")" looks like a spreadsheet formula; formulas are '
        "not accepted. Type the value itself.",
    ),
    (
        "actions",
        "Free swimming for carers",
        "@SUM(A1)",
        'actions row 2, column title: "@SUM(A1)" looks like a spreadsheet formula; formulas are not accepted. '
        "Type the value itself.",
    ),
    (
        "targets",
        "JOBS-T1,JOBS-01,People into work,2026-12-31,by the end of 2026,numeric,,300,",
        "JOBS-T1,JOBS-01,People into work,2026-12-31,by the end of 2026,numeric,,,",
        "targets row 4, column target: a numeric target needs a target value (or set kind to milestone).",
    ),
    (
        "targets",
        "milestone,,,,met",
        "milestone,,5,,met",
        "targets row 2, column target: a milestone target has no baseline or target value; set kind to "
        "numeric, or leave target blank.",
    ),
    (
        "actions",
        "2025-01-01,2025-12-31",
        "2025-12-31,2025-01-01",
        "actions row 4, column due: 2025-01-01 is before the start date 2025-12-31.",
    ),
    (
        "outcomes",
        "Partners share the council's aims,,,,",
        "Partners share the council's aims,,count,,",
        "outcomes row 4, column indicator: this outcome has a unit but no indicator; name the indicator, "
        "or leave unit blank.",
    ),
    (
        "outcomes",
        'ethnicity,"Black, Asian and Minority Ethnic",50',
        "ethnicity,,50",
        "outcomes row 3, column group: group_share and benchmark_share are given, so name the group the "
        "share is for.",
    ),
    (
        "measurements",
        "LEIS-T2,2025-09-30",
        "LEIS-T1,2025-09-30",
        'measurements row 7, column indicator: "LEIS-T1" is a milestone target; only outcomes with an '
        "indicator and numeric targets take measurements.",
    ),
    (
        "measurements",
        "LEIS-T2,2025-09-30",
        "PART-O1,2025-09-30",
        'measurements row 7, column indicator: outcome "PART-O1" has no indicator to measure; give it one in '
        "the outcomes sheet first.",
    ),
    (
        "measurements",
        "LEIS-T2,2025-09-30",
        "LEIS-01,2025-09-30",
        'measurements row 7, column indicator: "LEIS-01" is an action, not an outcome or a numeric target.',
    ),
    (
        "measurements",
        "JOBS-O1,2025-09-30,3,ethnicity,Other",
        "JOBS-O1,2025-06-30,3,ethnicity,White",
        "measurements row 6: this measurement (JOBS-O1 2025-06-30 ethnicity: White) is already given in row 4.",
    ),
    (
        "measurements",
        "JOBS-O1,2025-06-30,80,",
        "JOBS-O1,,80,",
        "measurements row 2, column period_end: this is required but is empty.",
    ),
]


@pytest.mark.parametrize(("sheet", "old", "new", "expected"), CELL_PROBLEMS)
def test_a_bad_cell_is_named_by_sheet_row_and_column(anytown_copy, sheet, old, new, expected):
    rewrite(anytown_copy, sheet, old, new)
    assert import_errors(anytown_copy) == [expected]


def test_a_duplicate_ref_is_refused_wherever_it_appears(anytown_copy):
    append(anytown_copy, "targets", "LEIS-01,LEIS-01,A target reusing an action's ref,,,,,,,")
    assert import_errors(anytown_copy) == [
        'targets row 6, column ref: "LEIS-01" is used more than once (first in actions row 2); '
        "a ref must be unique in the whole workbook.",
    ]


def test_every_problem_is_reported_at_once_in_file_order(anytown_copy):
    rewrite(anytown_copy, "actions", "2025-04-01,2026-03-31", "summer 2025,2026-03-31")
    rewrite(anytown_copy, "targets", "numeric,0,1200", 'numeric,0,"1,200"')
    rewrite(anytown_copy, "actions", ",on_track,40,", ",green,40,")
    rewrite(anytown_copy, "strands", "ST-LEAD,Anytown as a community leader,", "ST-LEAD,,")
    errors = import_errors(anytown_copy)
    assert errors == [
        "strands row 2, column name: this is required but is empty.",
        'actions row 2, column start: "summer 2025" is not a date (use YYYY-MM-DD, for example 2021-08-31).',
        'actions row 2, column status: "green" is not one of: not_started, on_track, at_risk, off_track, '
        "complete, closed.",
        'targets row 3, column target: "1,200" is not a number: write it without commas, for example 1000.',
    ]


def test_an_error_does_not_set_off_errors_in_rows_that_depend_on_it(anytown_copy):
    # The strand's ref is unreadable: the service areas naming it (as "ST SERV" or as the "ST-SERV"
    # it was meant to be) are not blamed as well,
    rewrite(anytown_copy, "strands", "ST-SERV,", "ST SERV,")
    rewrite(anytown_copy, "service_areas", ",LEIS,ST-SERV,", ",LEIS,ST SERV,")
    # and a broken target row does not make its measurements "not a numeric target".
    rewrite(anytown_copy, "targets", "numeric,0,1200", "numeric,0,twelve hundred")
    errors = import_errors(anytown_copy)
    assert errors == [
        'strands row 3, column ref: "ST SERV" is not a valid reference (use letters, numbers, hyphens, '
        "full stops or underscores, up to 40 characters, for example HOU-03).",
        'service_areas row 2, column strand: "ST SERV" is not a valid reference (use letters, numbers, '
        "hyphens, full stops or underscores, up to 40 characters, for example HOU-03).",
        'targets row 3, column target: "twelve hundred" is not a number (write a plain decimal, for example '
        "25 or 12.5).",
    ]


def test_a_csv_row_spanning_lines_is_named_by_its_record_number(anytown_copy):
    # service_areas row 2 spans two physical lines; row 3 is the third record, on line 4.
    rewrite(anytown_copy, "service_areas", ",PART,ST-LEAD,Partnerships,", ",PART,ST-LEAD,,")
    assert import_errors(anytown_copy) == [
        "service_areas row 3, column name: this is required but is empty."
    ]


def test_a_missing_sheet_is_named(anytown_copy):
    (anytown_copy / "targets.csv").unlink()
    assert import_errors(anytown_copy) == [
        "The targets.csv is missing. A framework needs all of: strands, service_areas, actions, targets, "
        "outcomes, measurements (one may hold only its header row)."
    ]


def test_an_unknown_sheet_is_named(anytown_copy):
    (anytown_copy / "risks.csv").write_text("ref,name\nR1,Risk\n")
    assert import_errors(anytown_copy) == [
        'risks.csv in the folder "anytown" is not a sheet of the framework format. The sheets are: '
        "strands, service_areas, actions, targets, outcomes, measurements."
    ]


def test_an_unknown_column_is_named(anytown_copy):
    rewrite(anytown_copy, "strands", "ref,name,description", "ref,name,description,colour")
    assert import_errors(anytown_copy) == [
        'strands row 1, column 4: "colour" is not a column of strands. The columns are: ref, name, '
        "description."
    ]


def test_a_missing_required_column_is_named(anytown_copy):
    path = anytown_copy / "strands.csv"
    lines = [
        line.rsplit(",", 1)[0] if i else "ref,name"
        for i, line in enumerate(path.read_text().splitlines())
    ]
    path.write_text("\n".join(line.split(",")[0] for line in lines) + "\n")
    assert import_errors(anytown_copy) == ["strands, column name: this required column is missing."]


def test_a_repeated_column_heading_is_refused(anytown_copy):
    rewrite(anytown_copy, "strands", "ref,name,description", "ref,name,name")
    assert import_errors(anytown_copy) == [
        'strands row 1, column 3: "name" is a column heading already used in column 2.'
    ]


def test_values_beyond_the_last_heading_are_refused(anytown_copy):
    append(anytown_copy, "strands", "ST-X,Extra,Text,stray")
    assert import_errors(anytown_copy) == [
        "strands row 4: this row has values beyond the last column heading."
    ]


def test_a_file_that_is_not_utf8_is_refused(anytown_copy):
    (anytown_copy / "strands.csv").write_bytes("ref,name\nS1,Caf\xe9 culture\n".encode("latin-1"))
    assert import_errors(anytown_copy) == [
        'strands: strands.csv is not UTF-8 text (the first problem is on line 2). Save it as "CSV UTF-8" '
        "and try again."
    ]


def test_a_file_over_the_size_limit_is_refused(anytown_copy, settings):
    settings.FRAMEWORK_IMPORT_MAX_BYTES = 1024 * 1024
    (anytown_copy / "strands.csv").write_text("ref,name\n" + "S1,x\n" * 300_000)
    assert import_errors(anytown_copy) == [
        "strands.csv is larger than 1 MB, the most a framework file may be."
    ]


def test_a_sheet_over_the_row_limit_is_refused(anytown_copy, settings):
    settings.FRAMEWORK_IMPORT_MAX_ROWS = 100
    (anytown_copy / "strands.csv").write_text(
        "ref,name\n" + "".join(f"S{i},Strand {i}\n" for i in range(150))
    )
    assert import_errors(anytown_copy) == [
        "strands: has more than 100 rows, the most a sheet may have."
    ]


def test_a_corrupt_workbook_is_refused(tmp_path):
    path = tmp_path / "framework.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    assert import_errors(path) == ["The file is not an Excel workbook (.xlsx) that can be opened."]


def test_a_password_protected_workbook_is_refused(tmp_path):
    path = tmp_path / "framework.xlsx"
    # Encrypted .xlsx files are OLE compound documents, not zip files.
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 512)
    assert import_errors(path) == [
        "The workbook is password-protected or in the old .xls format. Remove the password, save it as an "
        ".xlsx workbook and try again."
    ]


def test_a_file_of_the_wrong_type_is_refused(tmp_path):
    path = tmp_path / "framework.pdf"
    path.write_bytes(b"%PDF-1.7")
    assert import_errors(path) == [
        "The file must be an Excel workbook (.xlsx), a zip of CSV files (.zip) or a folder of CSV files."
    ]


def test_a_zip_of_csvs_with_a_broken_file_is_refused(anytown_copy, tmp_path):
    rewrite(anytown_copy, "actions", ",on_track,40,", ",green,40,")
    path = tmp_path / "framework.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for csv_file in anytown_copy.glob("*.csv"):
            archive.write(csv_file, f"anytown/{csv_file.name}")
    assert import_errors(path) == [
        'actions row 2, column status: "green" is not one of: not_started, on_track, at_risk, off_track, '
        "complete, closed.",
    ]


def test_a_workbook_formula_is_refused(tmp_path, anytown_dir):
    import csv

    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet in ["strands", "service_areas", "actions", "targets", "outcomes", "measurements"]:
        worksheet = workbook.create_sheet(sheet)
        with open(anytown_dir / f"{sheet}.csv", encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                worksheet.append(row)
    workbook["actions"]["N2"] = "=20+20"
    workbook["strands"]["D1"] = None
    path = tmp_path / "formula.xlsx"
    workbook.save(path)
    assert import_errors(path) == [
        'actions row 2, column progress: "=20+20" looks like a spreadsheet formula; formulas are not accepted. '
        "Type the value itself.",
    ]
