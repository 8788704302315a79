"""A dashboard table as a CSV or Excel file: text that could start a formula is neutralised."""

import csv
import datetime
import io
from decimal import Decimal

from django.http import HttpResponse

from reporting.dashboard.tables import Table
from targets.spreadsheet.cells import neutralise

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return neutralise(str(value))


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_text(value) for value in row])
    # A byte order mark, so Excel reads the file as UTF-8 when it is opened by double-clicking.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(table: Table) -> bytes:
    import openpyxl  # noqa: PLC0415 (openpyxl is heavy: imported only when a workbook is asked for)
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(table.name[:31])
    header = []
    for value in table.headers:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        cells = []
        for value in row:
            if isinstance(value, bool) or value is None:
                cell = WriteOnlyCell(sheet, value=None if value is None else str(value))
            elif isinstance(value, int | float | Decimal):
                cell = WriteOnlyCell(sheet, value=value)  # numbers stay numbers
            elif isinstance(value, datetime.datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
            else:
                cell = WriteOnlyCell(sheet, value=neutralise(str(value)))
                cell.data_type = "s"  # text is text, never a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(table: Table, fmt: str, *, today: datetime.date) -> HttpResponse:
    filename = f"dashboard-{table.name}-{today.isoformat()}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(csv_bytes(table), content_type=CSV_TYPE)
    else:
        response = HttpResponse(xlsx_bytes(table), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
