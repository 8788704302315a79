"""The words of a refusal: short, each thing said once, invisible characters shown, rows named."""

import io

import pytest
from django.core.management import call_command

from actions.models import Action
from config.tables import neutralise
from targets.models import Measurement
from tests.strands.helpers import framework_counts, import_errors, rewrite, run_import
from tests.strands.hostile import workbook_from_csvs

pytestmark = pytest.mark.django_db


def test_a_long_unknown_heading_is_shortened_and_said_once(anytown_copy):
    rewrite(anytown_copy, "strands", "ref,name,description", "ref,name," + "colour" * 100)
    assert import_errors(anytown_copy) == [
        'strands row 1, column 3: "' + ("colour" * 10)[:59] + '…" is not a column of strands. '
        "The columns are: ref, name, description."
    ]


def test_a_long_list_of_bad_codes_is_shortened(anytown_copy):
    codes = ";".join(f"code{n}" for n in range(500))
    rewrite(anytown_copy, "actions", ",socio_economic;age,", f",{codes},")
    (problem,) = import_errors(anytown_copy)
    assert problem.startswith(
        'actions row 2, column characteristics: "code0", "code1", "code2" and 497 more are not '
        "characteristic codes (use "
    )
    assert len(problem) < 400


def test_many_unknown_target_refs_in_one_cell_are_one_short_problem(anytown_copy):
    refs = ";".join(f"NO-T{n}" for n in range(300))
    rewrite(anytown_copy, "outcomes", ",LEIS-T2;LEIS-T1", f",{refs}")
    assert import_errors(anytown_copy) == [
        'outcomes row 2, column targets: "NO-T0", "NO-T1", "NO-T2" and 297 more are not targets '
        "in this file or the framework."
    ]


def test_control_and_bidirectional_characters_are_shown_escaped(anytown_copy):
    rewrite(anytown_copy, "strands", "ST-LEAD,", "ST-LEAD\u202e\x07,")
    (problem,) = import_errors(anytown_copy)
    assert problem.startswith(
        'strands row 2, column ref: "ST-LEAD\\u202e\\x07" is not a valid reference'
    )
    assert "\u202e" not in problem and "\x07" not in problem


def test_an_escaped_heading_is_shown_escaped(anytown_copy):
    rewrite(anytown_copy, "strands", "ref,name,description", "ref,name,desc\u2066ription\x1b")
    assert import_errors(anytown_copy) == [
        'strands row 1, column 3: "desc\\u2066ription\\x1b" is not a column of strands. '
        "The columns are: ref, name, description."
    ]


def test_a_byte_order_mark_or_zero_width_space_in_a_heading_is_forgiven(anytown_copy, tmp_path):
    rewrite(anytown_copy, "strands", "ref,name,description", "\ufeffref,name\u200b, description")
    rewrite(anytown_copy, "actions", "ref,service_area,", "re\u200bf,\u2060service_area,")
    output = run_import(anytown_copy)
    assert "Framework imported." in output
    assert framework_counts()["strands"] == 2


def test_a_byte_order_mark_in_a_workbook_heading_is_forgiven(anytown_dir, tmp_path):
    def bom(workbook):
        workbook["strands"]["A1"] = "\ufeffref"
        workbook["targets"]["B1"] = "action\u200b"

    path = tmp_path / "framework.xlsx"
    path.write_bytes(workbook_from_csvs(anytown_dir, bom))
    run_import(path)
    assert framework_counts()["targets"] == 4


def test_a_quoted_cell_never_closed_names_its_row(anytown_copy):
    with open(anytown_copy / "strands.csv", "a", encoding="utf-8") as handle:
        handle.write('ST-X,"Unclosed strand,\n')
    assert import_errors(anytown_copy) == [
        "strands row 4: a quoted cell starts in this row and is never closed. Add the closing "
        'quotation mark (").'
    ]


def test_a_stray_quotation_mark_names_its_row(anytown_copy):
    rewrite(
        anytown_copy,
        "targets",
        "LEIS-T1,LEIS-01,Scheme launched,",
        'LEIS-T1,LEIS-01,"Scheme" launched,',
    )
    assert import_errors(anytown_copy) == [
        'targets row 2: a quotation mark (") ends a quoted cell but more text follows it. '
        'To put a quotation mark inside a cell, type it twice ("") inside quotes.'
    ]


def test_a_cell_over_the_csv_field_limit_names_its_row(anytown_copy):
    rewrite(
        anytown_copy,
        "strands",
        "ST-SERV,Anytown as a service provider,",
        'ST-SERV,"' + "x" * 200_000 + '",',
    )
    assert import_errors(anytown_copy) == [
        "strands row 3: a cell holds more than 131,072 characters, too many to read."
    ]


def test_a_measurement_whose_group_differs_only_in_case_updates_the_one_there(
    anytown_dir, anytown_copy
):
    run_import(anytown_dir)
    rewrite(
        anytown_copy,
        "measurements",
        '30,ethnicity,"Black, Asian and Minority Ethnic"',
        '30,Ethnicity,"black, asian and minority ethnic"',
    )
    out = io.StringIO()
    call_command("import_framework", str(anytown_copy), "--dry-run", stdout=out)
    assert "measurements: 0 to add, 1 to change, 5 unchanged" in out.getvalue()

    output = run_import(anytown_copy)
    assert "Framework imported." in output
    assert Measurement.objects.count() == 6
    changed = Measurement.objects.get(value=30)
    assert (changed.dimension, changed.group) == ("Ethnicity", "black, asian and minority ethnic")
    assert "measurements: 0 to add, 0 to change, 6 unchanged" in run_import(
        anytown_copy, "--dry-run"
    )


def test_text_starting_with_a_tab_or_carriage_return_is_neutralised_on_export(
    anytown_dir, tmp_path
):
    assert neutralise("\t=1+1") == "'\t=1+1"
    assert neutralise("\r=1+1") == "'\r=1+1"
    assert neutralise("\tplain text") == "'\tplain text"

    run_import(anytown_dir)
    action = Action.objects.get(ref="LEIS-01")
    action.title = '\t=HYPERLINK("http://example.com")'
    action.save()
    call_command("export_framework", str(tmp_path / "out"), stdout=io.StringIO())
    assert "LEIS-01,LEIS,\"'\t=HYPERLINK(" in (tmp_path / "out" / "actions.csv").read_text()
    # And it imports back as the same title, changing nothing.
    assert "actions: 0 to add, 0 to change, 4 unchanged" in run_import(
        tmp_path / "out", "--dry-run"
    )


def test_a_reference_in_other_letter_case_is_no_change_on_the_next_import(anytown_copy):
    # Found by the property test: "ST-LEAD" names strand "st-lead", so importing twice changes nothing.
    rewrite(anytown_copy, "strands", "ST-LEAD,", "st-lead,")
    run_import(anytown_copy)
    assert "service_areas: 0 to add, 0 to change, 3 unchanged" in run_import(
        anytown_copy, "--dry-run"
    )
