"""The one table writer behind the dashboard's downloads, the framework export and open data."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from config.tables import Sheet, csv_bytes, csv_text, neutralise, unneutralise, xlsx_bytes


@pytest.mark.parametrize(
    "text", ["=1+1", "+44 20 7527 2000", "-x", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("a")']
)
def test_text_that_would_start_a_formula_gets_an_apostrophe_and_comes_back(text):
    assert neutralise(text) == "'" + text
    assert unneutralise(neutralise(text)) == text


@pytest.mark.parametrize("text", ["-5", "+3.5", "12", "plain words", "", "'quoted"])
def test_numbers_and_plain_text_are_left_alone(text):
    assert neutralise(text) == text
    assert unneutralise(text) == text


SHEET = Sheet(
    "people",
    ["Name", "Count", "Share", "Day", "Moment", "Public", "Note"],
    [
        [
            "=cmd|' /C calc'!A0",
            3,
            Decimal("12.50"),
            datetime.date(2026, 3, 31),
            datetime.datetime(2026, 3, 31, 9, 30),
            True,
            None,
        ],
        ["Amara Osei", -2, Decimal("1E+1"), None, None, False, 'a, "quoted" note'],
    ],
)


def test_csv_spells_each_kind_of_value_one_way():
    text = csv_text(SHEET)
    assert text.split("\r\n") == [
        "Name,Count,Share,Day,Moment,Public,Note",
        "'=cmd|' /C calc'!A0,3,12.50,2026-03-31,2026-03-31 09:30:00,yes,",
        'Amara Osei,-2,10,,,no,"a, ""quoted"" note"',
        "",
    ]


def test_csv_bytes_are_utf8_with_a_byte_order_mark_only_when_asked():
    assert csv_bytes(Sheet("s", ["Café"], [])) == "Café\r\n".encode()
    assert csv_bytes(Sheet("s", ["Café"], []), byte_order_mark=True) == "\ufeffCafé\r\n".encode()


def test_a_workbook_keeps_numbers_and_dates_and_stores_text_as_text():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([SHEET, Sheet("second", ["A"], [])])))
    assert book.sheetnames == ["people", "second"]
    sheet = book["people"]
    assert sheet["A1"].value == "Name" and sheet["A1"].font.bold
    formula, count, share, day = (sheet.cell(2, column) for column in range(1, 5))
    assert (formula.value, formula.data_type) == ("'=cmd|' /C calc'!A0", "s")
    assert count.value == 3 and share.value == 12.5
    assert day.value == datetime.datetime(2026, 3, 31)
    assert day.number_format == "yyyy-mm-dd"
    assert sheet.cell(2, 6).value == "yes"
    assert sheet.cell(2, 7).value is None


def test_the_same_tables_make_the_same_workbook():
    assert xlsx_bytes([SHEET]) == xlsx_bytes([SHEET])


def test_a_long_sheet_name_is_cut_to_excels_limit():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([Sheet("x" * 40, ["A"], [])])))
    assert book.sheetnames == ["x" * 31]


def test_a_file_kept_in_git_may_end_its_lines_with_a_line_feed():
    assert csv_text(Sheet("s", ["A"], [["x"]]), line_end="\n") == "A\nx\n"
