"""A dashboard table as a CSV or Excel file, written by config.tables (which neutralises text
that could start a formula)."""

import datetime

from django.http import HttpResponse

from config import tables
from reporting.dashboard.tables import Table

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def _sheet(table: Table) -> tables.Sheet:
    return tables.Sheet(table.name, table.headers, table.rows)


def csv_bytes(table: Table) -> bytes:
    # With a byte order mark: people open these by double-clicking, and Excel then reads UTF-8.
    return tables.csv_bytes(_sheet(table), byte_order_mark=True)


def xlsx_bytes(table: Table) -> bytes:
    return tables.xlsx_bytes([_sheet(table)])


def download(table: Table, fmt: str, *, today: datetime.date) -> HttpResponse:
    filename = f"dashboard-{table.name}-{today.isoformat()}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(csv_bytes(table), content_type=CSV_TYPE)
    else:
        response = HttpResponse(xlsx_bytes(table), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
