"""Files made to hurt the server or crash the import: each is refused with a clear message, at once."""

import io
import warnings
import zipfile
from unittest import mock

import openpyxl
import pytest

from tests.strands.helpers import framework_counts, import_errors, rewrite, run_import
from tests.strands.hostile import (
    corrupt_compressed_data,
    members,
    rezip,
    sheet_member,
    with_shared_strings,
    workbook_from_csvs,
    zip_from_csvs,
)

pytestmark = pytest.mark.django_db

DAMAGED = "The workbook is damaged and could not be read."


def refused(tmp_path, name: str, data: bytes, *, unzipping: bool = True) -> list[str]:
    """Import a file that must be refused; unzipping=False fails if any member is unzipped."""
    path = tmp_path / name
    path.write_bytes(data)
    if unzipping:
        problems = import_errors(path)
    else:
        unzipped = AssertionError("a member was unzipped before the limits were checked")
        with mock.patch.object(zipfile.ZipFile, "open", side_effect=unzipped):
            problems = import_errors(path)
    assert set(framework_counts().values()) == {0}, "a refused import wrote something"
    return problems


# --- limits, checked before anything is unzipped ------------------------------------------------


def test_a_zip_holding_too_many_files_is_refused_before_it_is_unzipped(
    tmp_path, anytown_dir, settings
):
    settings.FRAMEWORK_IMPORT_MAX_MEMBERS = 10
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(11):
            archive.writestr(f"notes/{number}.txt", "")
    assert refused(tmp_path, "framework.zip", buffer.getvalue(), unzipping=False) == [
        "The zip file holds more than 10 files, the most a framework file may hold."
    ]


def test_a_workbook_holding_too_many_files_is_refused_before_it_is_unzipped(
    tmp_path, anytown_dir, settings
):
    settings.FRAMEWORK_IMPORT_MAX_MEMBERS = 10
    data = workbook_from_csvs(anytown_dir)
    assert len(members(data)) <= 20
    assert refused(tmp_path, "framework.xlsx", data, unzipping=False) == [
        "The workbook holds more than 10 files, the most a framework file may hold."
    ]


def test_a_zip_that_would_unzip_too_large_is_refused_before_it_is_unzipped(
    tmp_path, anytown_dir, settings
):
    settings.FRAMEWORK_IMPORT_MAX_UNZIPPED_BYTES = 1024 * 1024
    bomb = rezip(zip_from_csvs(anytown_dir), add={"padding.csv": b"\0" * (2 * 1024 * 1024)})
    assert len(bomb) < 20_000
    assert refused(tmp_path, "framework.zip", bomb, unzipping=False) == [
        "The zip file would unzip to more than 1 MB, the most a framework may be."
    ]


def test_one_huge_cell_in_a_small_workbook_is_refused_before_it_is_unzipped(
    tmp_path, anytown_dir, settings
):
    # The case: a 1 GB cell in a 1 MB workbook. Here 4 MB under a 1 MB limit.
    settings.FRAMEWORK_IMPORT_MAX_UNZIPPED_BYTES = 1024 * 1024
    data = workbook_from_csvs(anytown_dir)
    sheet = sheet_member(data, "strands")
    head, tail = members(data)[sheet].split(b"</sheetData>")
    huge = (
        b'<row r="9"><c r="B9" t="inlineStr"><is><t>'
        + b"x" * (4 * 1024 * 1024)
        + b"</t></is></c></row>"
    )
    bomb = rezip(data, {sheet: head + huge + b"</sheetData>" + tail})
    assert len(bomb) < 100_000
    assert refused(tmp_path, "framework.xlsx", bomb, unzipping=False) == [
        "The workbook would unzip to more than 1 MB, the most a framework may be."
    ]


def test_running_out_of_memory_while_reading_is_a_refusal(tmp_path, anytown_dir, monkeypatch):
    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(openpyxl, "load_workbook", out_of_memory)
    assert refused(tmp_path, "framework.xlsx", workbook_from_csvs(anytown_dir)) == [
        "The workbook is too large to read. Make it smaller and try again."
    ]


def test_a_single_cell_at_the_last_column_and_row_is_refused_at_once(tmp_path, anytown_dir):
    # Reading this row by row, as openpyxl pads it, took about 28 minutes.
    def far_cell(workbook):
        workbook["strands"]["XFD1048576"] = "far away"

    data = workbook_from_csvs(anytown_dir, far_cell)
    assert b'<dimension ref="A1:XFD1048576"' in members(data)[sheet_member(data, "strands")]
    assert refused(tmp_path, "framework.xlsx", data) == [
        'The sheet "strands" reaches column XFD and row 1,048,576; a sheet may reach column AX '
        "(the 50th) and row 50,001 at most. Delete the columns and rows beyond your data and try again."
    ]


def test_a_far_cell_is_refused_at_once_when_the_sheet_does_not_declare_its_extent(
    tmp_path, anytown_dir
):
    def far_cell(workbook):
        workbook["strands"]["XFD1048576"] = "far away"

    data = workbook_from_csvs(anytown_dir, far_cell)
    sheet = sheet_member(data, "strands")
    xml = without_dimension(members(data)[sheet])
    assert refused(tmp_path, "framework.xlsx", rezip(data, {sheet: xml})) == [
        'The sheet "strands" reaches row 50,002; a sheet may reach row 50,001 at most. '
        "Delete the rows beyond your data and try again."
    ]


def test_a_wide_row_is_refused_when_the_sheet_does_not_declare_its_extent(tmp_path, anytown_dir):
    def wide_cell(workbook):
        workbook["actions"]["XFD3"] = "far away"

    data = workbook_from_csvs(anytown_dir, wide_cell)
    sheet = sheet_member(data, "actions")
    xml = without_dimension(members(data)[sheet])
    assert refused(tmp_path, "framework.xlsx", rezip(data, {sheet: xml})) == [
        'The sheet "actions" reaches column XFD; a sheet may reach column AX (the 50th) at most. '
        "Delete the columns beyond your data and try again."
    ]


def without_dimension(xml: bytes) -> bytes:
    start = xml.index(b"<dimension")
    xml = xml[:start] + xml[xml.index(b"/>", start) + 2 :]
    assert b"dimension" not in xml
    return xml


# --- XML parsed safely, damage reported --------------------------------------------------------


def test_openpyxl_parses_workbook_xml_with_defusedxml():
    from openpyxl.worksheet import _reader
    from openpyxl.xml import DEFUSEDXML, functions

    assert DEFUSEDXML is True
    assert functions.iterparse.__module__.startswith("defusedxml")
    assert _reader.iterparse.__module__.startswith("defusedxml")
    assert functions.fromstring.__module__.startswith("defusedxml")


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    b'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
)


def test_a_workbook_with_xml_entities_is_refused(tmp_path, anytown_dir):
    data = workbook_from_csvs(anytown_dir)
    bomb = with_shared_strings(data, BILLION_LAUGHS)
    assert refused(tmp_path, "framework.xlsx", bomb) == [
        "The workbook holds XML that is not accepted (entity or document type declarations). "
        "Save it again from your spreadsheet program and try again."
    ]


def test_a_worksheet_with_entities_is_refused(tmp_path, anytown_dir):
    data = workbook_from_csvs(anytown_dir)
    sheet = sheet_member(data, "strands")
    xml = members(data)[sheet]
    xml = b'<!DOCTYPE w [<!ENTITY e "boom">]>' + xml.replace(b"ST-LEAD", b"&e;")
    assert refused(tmp_path, "framework.xlsx", rezip(data, {sheet: xml}))[0].startswith(
        "The workbook holds XML that is not accepted"
    )


def test_malformed_xml_in_a_worksheet_is_refused(tmp_path, anytown_dir):
    data = workbook_from_csvs(anytown_dir)
    sheet = sheet_member(data, "targets")
    xml = members(data)[sheet].replace(b"</row>", b"</rowx>", 1)
    assert refused(tmp_path, "framework.xlsx", rezip(data, {sheet: xml})) == [
        'The sheet "targets" is damaged and could not be read.'
    ]


def test_malformed_xml_in_the_workbook_part_is_refused(tmp_path, anytown_dir):
    data = workbook_from_csvs(anytown_dir)
    broken = rezip(data, {"xl/workbook.xml": members(data)["xl/workbook.xml"][:-20]})
    assert refused(tmp_path, "framework.xlsx", broken) == [DAMAGED]


def test_a_shared_string_index_naming_no_string_is_refused(tmp_path, anytown_dir):
    data = workbook_from_csvs(anytown_dir)
    assert "xl/sharedStrings.xml" not in members(data)  # openpyxl writes its text inline
    sheet = sheet_member(data, "strands")
    xml = members(data)[sheet]
    # A cell naming shared string 99 in a workbook that holds none.
    xml = xml.replace(
        b'<c r="A2" t="inlineStr"><is><t>ST-LEAD</t></is></c>', b'<c r="A2" t="s"><v>99</v></c>'
    )
    assert b't="s"' in xml
    assert refused(tmp_path, "framework.xlsx", rezip(data, {sheet: xml})) == [
        'The sheet "strands" is damaged and could not be read.'
    ]


def test_corrupt_compressed_data_in_a_workbook_is_refused(tmp_path, anytown_dir):
    data = workbook_from_csvs(anytown_dir)
    broken = corrupt_compressed_data(data, sheet_member(data, "actions"))
    # openpyxl reads the start of every sheet as it opens the workbook, so no sheet is named.
    assert refused(tmp_path, "framework.xlsx", broken) == [DAMAGED]


def test_a_corrupt_compressed_workbook_part_is_refused(tmp_path, anytown_dir):
    data = workbook_from_csvs(anytown_dir)
    broken = corrupt_compressed_data(data, "xl/styles.xml")
    assert refused(tmp_path, "framework.xlsx", broken) == [DAMAGED]


def test_corrupt_compressed_data_in_a_zip_is_refused(tmp_path, anytown_dir):
    broken = corrupt_compressed_data(zip_from_csvs(anytown_dir), "actions.csv")
    assert refused(tmp_path, "framework.zip", broken) == [
        "actions.csv in the zip file is damaged and could not be read."
    ]


def test_library_warnings_stay_out_of_the_problems(tmp_path, anytown_copy, capsys):
    # openpyxl warns about a workbook without styles; that is no problem of the person's file.
    rewrite(anytown_copy, "actions", ",on_track,40,", ",green,40,")
    data = rezip(workbook_from_csvs(anytown_copy), drop=["xl/styles.xml"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        problems = refused(tmp_path, "framework.xlsx", data)
    assert problems == [
        'actions row 2, column status: "green" is not one of: not_started, on_track, at_risk, '
        "off_track, complete, closed."
    ]
    assert caught == []


def test_a_workbook_without_styles_still_imports_without_warnings(tmp_path, anytown_dir):
    path = tmp_path / "framework.xlsx"
    path.write_bytes(rezip(workbook_from_csvs(anytown_dir), drop=["xl/styles.xml"]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run_import(path)
    assert caught == []
    assert framework_counts()["actions"] == 4


# --- cells that broke the parsers ------------------------------------------------------------


def test_a_progress_of_thousands_of_digits_is_refused(anytown_copy):
    rewrite(anytown_copy, "actions", ",on_track,40,", ",on_track," + "1" * 4300 + ",")
    assert import_errors(anytown_copy) == [
        'actions row 2, column progress: "' + "1" * 59 + '…" is more than 100; % complete runs '
        "from 0 to 100."
    ]


def test_a_zip_whose_folders_use_backslashes_reads_them_as_folders(tmp_path, anytown_dir):
    path = tmp_path / "framework.zip"
    path.write_bytes(zip_from_csvs(anytown_dir, prefix="Anytown framework\\2025\\"))
    run_import(path)
    assert framework_counts()["strands"] == 2
