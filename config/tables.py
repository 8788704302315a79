"""Tables written out as CSV or as an Excel workbook: the one writer behind every download.

The dashboard's downloads, the framework export and the open data all write through here, so a
value is spelt the same way in each and text that a spreadsheet program would run as a formula
is neutralised in one place: text starting with =, +, -, @, a tab or a carriage return gets an
apostrophe in front (a number such as "-5" is left alone), and in a workbook text is stored as
text, never as a formula (OWASP, "CSV injection").
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
SHEET_NAME_LIMIT = 31  # Excel's
# A fixed creation time, so the same table always makes the same bytes.
WORKBOOK_TIME = datetime.datetime(2000, 1, 1)


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and not NUMBER_RE.match(text)


def neutralise(text: str) -> str:
    """Make a cell safe to open in a spreadsheet program: text never starts a formula."""
    return "'" + text if looks_like_formula(text) else text


def unneutralise(text: str) -> str:
    """Undo the apostrophe ``neutralise`` puts before text that would read as a formula."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


@dataclass(frozen=True)
class Sheet:
    """One table: its name (a workbook's sheet), its header row and its rows of values."""

    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence]


def cell_text(value) -> str:
    """A value as the text of a CSV cell: blank for nothing, yes or no, ISO dates, plain
    decimals (never "1E+1"), and any other text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return str(value)
    return neutralise(str(value))


def csv_text(sheet: Sheet, *, line_end: str = "\r\n") -> str:
    """The table as CSV text (RFC 4180: comma-separated, quoted where needed, CRLF line ends;
    files kept in git, like the framework's, may ask for "\n")."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow([cell_text(value) for value in row])
    return buffer.getvalue()


def csv_bytes(sheet: Sheet, *, byte_order_mark: bool = False, line_end: str = "\r\n") -> bytes:
    """The table as UTF-8 CSV. A byte order mark makes Excel read it as UTF-8 when the file is
    opened by double-clicking; a file for machines to read goes without."""
    bom = "\ufeff" if byte_order_mark else ""
    return (bom + csv_text(sheet, line_end=line_end)).encode("utf-8")


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """The tables as an Excel workbook, a sheet each, with a bold header row. Numbers stay
    numbers and dates dates; text is stored as text, so it is never run as a formula."""
    import openpyxl  # noqa: PLC0415 (openpyxl is heavy: imported only when a workbook is asked for)
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    workbook = openpyxl.Workbook(write_only=True)
    workbook.properties.created = WORKBOOK_TIME
    workbook.properties.modified = WORKBOOK_TIME
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.name[:SHEET_NAME_LIMIT])
        header = []
        for value in sheet.headers:
            cell = WriteOnlyCell(worksheet, value=value)
            cell.font = bold
            header.append(cell)
        worksheet.append(header)
        for row in sheet.rows:
            worksheet.append([_xlsx_cell(worksheet, value, WriteOnlyCell) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(worksheet, value, make):
    if value is None or value == "":
        return make(worksheet, value=None)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return make(worksheet, value=value)
    if isinstance(value, datetime.datetime):
        cell = make(worksheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, datetime.date):
        cell = make(worksheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    cell = make(worksheet, value=cell_text(value))
    cell.data_type = "s"  # text is text, never a formula
    return cell
