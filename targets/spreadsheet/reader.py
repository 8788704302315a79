"""Reading a framework file into sheets of text cells, with the row numbers a spreadsheet shows.

Nothing here knows what a cell means; it only turns .xlsx, a folder of CSVs or a zip of CSVs into
``Sheet`` objects, and refuses files it cannot read safely (too big, not UTF-8, not a workbook).
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from targets.spreadsheet.errors import FrameworkFileError, Problem
from targets.spreadsheet.schema import SHEET_NAMES, SHEETS


@dataclass
class Row:
    number: int  # as a spreadsheet program shows it: the header is row 1
    cells: dict[str, str]


@dataclass
class Sheet:
    name: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    # What is wrong with the sheet's headings. Such a sheet is not read further, but the other
    # sheets still are, so every problem in a file is reported at once (the importer adds these).
    problems: list[Problem] = field(default_factory=list)
    # Rows that cannot be read (values beyond the last heading): left out, and reported.
    row_problems: list[Problem] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return not self.problems


def _size_limit() -> int:
    return settings.FRAMEWORK_IMPORT_MAX_BYTES


def _row_limit() -> int:
    return settings.FRAMEWORK_IMPORT_MAX_ROWS


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def read_framework(path: str | Path) -> dict[str, Sheet]:
    """Read an .xlsx workbook, a .zip of CSVs or a folder of CSVs named after the sheets."""
    path = Path(path)
    if path.is_dir():
        files: dict[str, bytes] = {}
        for csv_path in sorted(path.iterdir()):
            if csv_path.suffix.lower() != ".csv" or not csv_path.is_file():
                continue  # a README or notes beside the CSVs are not sheets
            if csv_path.stat().st_size > _size_limit():
                raise FrameworkFileError(
                    [
                        Problem(
                            message=f"{csv_path.name} is larger than {_megabytes(_size_limit())}, "
                            "the most a framework file may be."
                        )
                    ]
                )
            files[csv_path.name] = csv_path.read_bytes()
        return read_csv_files(files, where=f'the folder "{path.name}"')
    if not path.exists():
        raise FrameworkFileError([Problem(message=f"{path} does not exist.")])
    if path.stat().st_size > _size_limit():
        raise FrameworkFileError(
            [
                Problem(
                    message=f"The file is larger than {_megabytes(_size_limit())}, "
                    "the most a framework file may be."
                )
            ]
        )
    return read_framework_bytes(path.name, path.read_bytes())


def read_framework_bytes(filename: str, data: bytes) -> dict[str, Sheet]:
    """Read an uploaded file: an .xlsx workbook or a .zip of CSV files."""
    if len(data) > _size_limit():
        raise FrameworkFileError(
            [
                Problem(
                    message=f"The file is larger than {_megabytes(_size_limit())}, "
                    "the most a framework file may be."
                )
            ]
        )
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return read_workbook(data)
    if suffix == ".zip":
        return read_zip(data)
    raise FrameworkFileError(
        [
            Problem(
                message="The file must be an Excel workbook (.xlsx), a zip of CSV files (.zip) "
                "or a folder of CSV files."
            )
        ]
    )


# --- CSV ------------------------------------------------------------------------------------


def read_zip(data: bytes) -> dict[str, Sheet]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FrameworkFileError(
            [Problem(message="The file is not a zip file that can be opened.")]
        ) from None
    files: dict[str, bytes] = {}
    total = 0
    with archive:
        for info in archive.infolist():
            name = Path(info.filename).name
            if info.is_dir() or info.filename.startswith("__MACOSX") or name.startswith("."):
                continue
            if Path(name).suffix.lower() != ".csv":
                continue
            if info.flag_bits & 0x1:
                raise FrameworkFileError(
                    [
                        Problem(
                            message="The zip file is password-protected. Upload it without a password."
                        )
                    ]
                )
            total += info.file_size
            if total > _size_limit():
                raise FrameworkFileError(
                    [
                        Problem(
                            message=f"The CSV files in the zip add up to more than "
                            f"{_megabytes(_size_limit())}, the most a framework may be."
                        )
                    ]
                )
            if name in files:
                raise FrameworkFileError(
                    [Problem(message=f"The zip file holds more than one {name}.")]
                )
            try:
                files[name] = archive.read(info)
            except (zipfile.BadZipFile, RuntimeError, OSError, NotImplementedError):
                raise FrameworkFileError(
                    [Problem(message=f"{name} in the zip file could not be read.")]
                ) from None
    return read_csv_files(files, where="the zip file")


def read_csv_files(files: dict[str, bytes], *, where: str) -> dict[str, Sheet]:
    problems: list[Problem] = []
    sheets: dict[str, Sheet] = {}
    for filename, data in files.items():
        name = Path(filename).stem
        if name not in SHEETS:
            problems.append(Problem(message=_unknown_sheet(f"{filename} in {where}", name)))
            continue
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            problems.append(
                Problem(
                    name,
                    message=f"{filename} is not UTF-8 text (the first problem is on "
                    f'line {line}). Save it as "CSV UTF-8" and try again.',
                )
            )
            continue
        if "\x00" in text:
            problems.append(Problem(name, message=f"{filename} is not a text file."))
            continue
        try:
            records = list(_csv_records(text))
        except csv.Error as error:
            problems.append(
                Problem(name, message=f"{filename} could not be read as CSV ({error}).")
            )
            continue
        sheets[name] = _sheet_from_records(name, records, problems)
    _require_all_sheets(sheets, problems, files_word="file")
    if problems:
        raise FrameworkFileError(problems)
    return sheets


def _csv_records(text: str):
    """Yield (record number, cells). A quoted field spanning lines is still one record."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    yield from enumerate(reader, start=1)


# --- xlsx -----------------------------------------------------------------------------------


def read_workbook(data: bytes) -> dict[str, Sheet]:
    import openpyxl  # noqa: PLC0415 (openpyxl is heavy: imported only when a workbook is read)
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    if data[:8] == bytes.fromhex("d0cf11e0a1b11ae1"):
        raise FrameworkFileError(
            [
                Problem(
                    message="The workbook is password-protected or in the old .xls format. "
                    "Remove the password, save it as an .xlsx workbook and try again."
                )
            ]
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FrameworkFileError(
            [Problem(message="The file is not an Excel workbook (.xlsx) that can be opened.")]
        ) from None
    problems: list[Problem] = []
    sheets: dict[str, Sheet] = {}
    try:
        for worksheet in workbook.worksheets:
            name = worksheet.title.strip()
            if name not in SHEETS:
                problems.append(
                    Problem(message=_unknown_sheet(f'The sheet "{worksheet.title}"', name))
                )
                continue
            records = (
                (number, [_cell_text(value) for value in values])
                for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
            )
            sheets[name] = _sheet_from_records(name, records, problems)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FrameworkFileError(
            [Problem(message="The workbook is damaged and could not be read.")]
        ) from None
    finally:
        workbook.close()
    _require_all_sheets(sheets, problems, files_word="sheet")
    if problems:
        raise FrameworkFileError(problems)
    return sheets


def _cell_text(value) -> str:
    """A workbook cell as the text the format defines (dates ISO, numbers plain decimals)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, str):
        return value
    # An array formula or a data-table formula: keep its text so the formula rule refuses it.
    text = getattr(value, "text", None)
    return f"={text}" if text else str(value)


# --- shared ---------------------------------------------------------------------------------


def _unknown_sheet(what: str, name: str) -> str:
    return (
        f"{what} is not a sheet of the framework format. The sheets are: {', '.join(SHEET_NAMES)}."
    )


def _require_all_sheets(
    sheets: dict[str, Sheet], problems: list[Problem], *, files_word: str
) -> None:
    """A missing sheet is reported as that sheet's problem, so the others are still checked."""
    for name in SHEET_NAMES:
        if name not in sheets and not any(p.sheet == name for p in problems):
            noun = f"{name}.csv" if files_word == "file" else f'sheet "{name}"'
            missing = Problem(
                message=f"The {noun} is missing. A framework needs all of: "
                f"{', '.join(SHEET_NAMES)} (one may hold only its header row)."
            )
            sheets[name] = Sheet(name=name, columns=[], problems=[missing])


def _sheet_from_records(name: str, records, problems: list[Problem]) -> Sheet:
    """A sheet from its records. A problem with the headings goes on the sheet (which then holds
    no rows); a problem with the file as a whole goes on ``problems``, and the file is refused."""
    known = [c.name for c in SHEETS[name]]
    header: list[str] | None = None
    sheet = Sheet(name=name, columns=[])
    file_problems, problems = problems, sheet.problems
    for number, cells in records:
        if header is None:
            header = [c.strip().lower() for c in cells]
            while header and not header[-1]:
                header.pop()
            if not header:
                problems.append(
                    Problem(name, message="the first row must hold the column headings.")
                )
                return sheet
            ok = True
            for position, heading in enumerate(header, start=1):
                if not heading:
                    problems.append(Problem(name, 1, message=f"column {position} has no heading."))
                    ok = False
                elif heading not in known:
                    problems.append(
                        Problem(
                            name,
                            1,
                            heading,
                            f'"{heading}" is not a column of {name}. '
                            f"The columns are: {', '.join(known)}.",
                        )
                    )
                    ok = False
                elif header.index(heading) != position - 1:
                    problems.append(Problem(name, 1, heading, "this column heading appears twice."))
                    ok = False
            for column in SHEETS[name]:
                if column.required and column.name not in header:
                    problems.append(
                        Problem(
                            name, column=column.name, message="this required column is missing."
                        )
                    )
                    ok = False
            if not ok:
                return sheet
            sheet.columns = header
            continue
        if not any(c.strip() for c in cells):
            continue  # a blank row
        if len(sheet.rows) >= _row_limit():
            file_problems.append(
                Problem(
                    name, message=f"has more than {_row_limit():,} rows, the most a sheet may have."
                )
            )
            return sheet
        extra = [c for c in cells[len(header) :] if c.strip()]
        if extra:
            sheet.row_problems.append(
                Problem(name, number, message="this row has values beyond the last column heading.")
            )
            continue
        padded = list(cells[: len(header)]) + [""] * (len(header) - len(cells))
        sheet.rows.append(Row(number, dict(zip(header, padded, strict=True))))
    if header is None:
        problems.append(
            Problem(name, message="the sheet is empty; it needs at least its header row.")
        )
    return sheet
