"""Building damaged and hostile framework files for the tests: workbooks and zips, member by member."""

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl

SHEETS = ["strands", "service_areas", "actions", "targets", "outcomes", "measurements"]
# Every member is dated the same, so the same content always makes the same bytes.
WHEN = (2000, 1, 1, 0, 0, 0)


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=WHEN)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def csv_rows(folder: Path, sheet: str) -> list[list[str]]:
    with open(folder / f"{sheet}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def workbook_from_csvs(folder: Path, edit=None) -> bytes:
    """The framework in FOLDER as an .xlsx workbook; edit(workbook) may change it before saving."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet)
        for row in csv_rows(folder, sheet):
            worksheet.append(row)
    if edit is not None:
        edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return same_bytes_each_time(buffer.getvalue())


def same_bytes_each_time(workbook: bytes) -> bytes:
    """A saved workbook without the moment it was saved (openpyxl writes the time into it)."""
    core = members(workbook)["docProps/core.xml"]
    core = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", core)
    return rezip(workbook, {"docProps/core.xml": core})


def zip_from_csvs(folder: Path, prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sheet in SHEETS:
            archive.writestr(
                _member(f"{prefix}{sheet}.csv"), (folder / f"{sheet}.csv").read_bytes()
            )
    return buffer.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(data: bytes, replace=None, *, add=None, drop=()) -> bytes:
    """The same archive with some members replaced, added or dropped."""
    contents = members(data)
    contents.update(replace or {})
    contents.update(add or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in contents.items():
            if name not in drop:
                archive.writestr(_member(name), content)
    return buffer.getvalue()


def sheet_member(data: bytes, sheet: str) -> str:
    """The archive path of a worksheet's XML, as openpyxl writes it (sheet1.xml is the first)."""
    return f"xl/worksheets/sheet{SHEETS.index(sheet) + 1}.xml"


def corrupt_compressed_data(data: bytes, member: str) -> bytes:
    """The archive with the middle of MEMBER's compressed bytes overwritten (its sizes kept)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    damaged = bytearray(data)
    # The local header is 30 bytes, then the name and the extra field, then the compressed data.
    name_length = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    for offset in range(start + 2, start + max(3, info.compress_size - 2)):
        damaged[offset] ^= 0x5A
    return bytes(damaged)


SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)


def with_shared_strings(data: bytes, xml: bytes) -> bytes:
    """The workbook with xl/sharedStrings.xml set to XML and declared, so openpyxl reads it."""
    types = members(data)["[Content_Types].xml"]
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/>'
    if b"sharedStrings" not in types:
        types = types.replace(b"</Types>", override.encode() + b"</Types>")
    return rezip(data, {"[Content_Types].xml": types, "xl/sharedStrings.xml": xml})
