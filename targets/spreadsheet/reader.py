"""Reading a framework file into sheets of text cells, with the row numbers a spreadsheet shows.

Nothing here knows what a cell means; it only turns .xlsx, a folder of CSVs or a zip of CSVs into
``Sheet`` objects, and refuses files it cannot read safely (too big, not UTF-8, not a workbook).
A workbook or zip is measured before anything in it is unzipped: how many files it holds, what it
would unzip to and (a workbook) how far each sheet reaches. Workbook XML is parsed by openpyxl
with defusedxml, which refuses entity and document type declarations.
"""

import contextlib
import csv
import datetime
import io
import logging
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from targets.spreadsheet.errors import FrameworkFileError, Problem, shown
from targets.spreadsheet.schema import SHEET_NAMES, SHEETS

logger = logging.getLogger(__name__)

# Invisible characters a spreadsheet program or an editor may leave in a heading or a sheet name:
# the byte order mark, zero-width space, zero-width (non-)joiner and word joiner. Forgiven there.
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_NO_INVISIBLE = str.maketrans("", "", INVISIBLE)

# What a zip's central directory may take per file before it is read (a name of about 1,000
# characters): a directory larger than this for the files it declares is refused unread.
_DIRECTORY_BYTES_PER_MEMBER = 1024


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


def _refuse(message: str, sheet: str = "", row: int = 0) -> FrameworkFileError:
    return FrameworkFileError([Problem(sheet, row, message=message)])


def _clean_name(text: str) -> str:
    """A heading or sheet name as meant: invisible characters and surrounding spaces removed."""
    return text.translate(_NO_INVISIBLE).strip()


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
    archive = open_archive(
        data, "The zip file", not_a_zip="The file is not a zip file that can be opened."
    )
    files: dict[str, bytes] = {}
    total = 0
    with archive:
        for info in archive.infolist():
            # Zips made on Windows may separate folders with backslashes.
            path = info.filename.replace("\\", "/")
            name = path.rsplit("/", 1)[-1]
            if path.endswith("/") or path.startswith("__MACOSX/") or name.startswith("."):
                continue
            if Path(name).suffix.lower() != ".csv":
                continue
            if info.flag_bits & 0x1:
                raise _refuse("The zip file is password-protected. Upload it without a password.")
            total += info.file_size
            if total > _size_limit():
                raise _refuse(
                    f"The CSV files in the zip add up to more than "
                    f"{_megabytes(_size_limit())}, the most a framework may be."
                )
            if name in files:
                raise _refuse(f"The zip file holds more than one {shown(name)}.")
            try:
                files[name] = archive.read(info)
            except NotImplementedError:
                raise _refuse(
                    f"{shown(name)} in the zip file is compressed in a way that cannot be read. "
                    "Make the zip file again with your computer's own zip tool and try again."
                ) from None
            except MemoryError:
                raise _refuse(
                    "The zip file is too large to read. Make it smaller and try again."
                ) from None
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, zlib.error):
                raise _refuse(
                    f"{shown(name)} in the zip file is damaged and could not be read."
                ) from None
    return read_csv_files(files, where="the zip file")


def open_archive(data: bytes, noun: str, *, not_a_zip: str) -> zipfile.ZipFile:
    """Open a zip (or .xlsx) after checking, from its directory alone, that it is within limits.

    Nothing is unzipped here. How many files it holds is read from the end record before the
    directory is parsed (parsing the directory of a zip of a million empty files takes seconds and
    hundreds of MB); what it would unzip to is the sum of the sizes the directory declares, which
    are also the most ``zipfile`` will ever unzip of each file.
    """
    most = settings.FRAMEWORK_IMPORT_MAX_MEMBERS
    too_many = f"{noun} holds more than {most:,} files, the most a framework file may hold."
    # zipfile has no public way to read the end record; _EndRecData has been there since Python 2
    # (typeshed leaves the private names out).
    try:
        end = zipfile._EndRecData(io.BytesIO(data))  # type: ignore[attr-defined]
    except OSError:
        end = None
    if not end:
        raise _refuse(not_a_zip)
    entries = end[zipfile._ECD_ENTRIES_TOTAL]  # type: ignore[attr-defined]
    directory_bytes = end[zipfile._ECD_SIZE]  # type: ignore[attr-defined]
    if entries > most or directory_bytes > most * _DIRECTORY_BYTES_PER_MEMBER:
        raise _refuse(too_many)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _refuse(not_a_zip) from None
    infos = archive.infolist()
    if len(infos) > most:
        archive.close()
        raise _refuse(too_many)
    if sum(info.file_size for info in infos) > settings.FRAMEWORK_IMPORT_MAX_UNZIPPED_BYTES:
        archive.close()
        limit = _megabytes(settings.FRAMEWORK_IMPORT_MAX_UNZIPPED_BYTES)
        raise _refuse(f"{noun} would unzip to more than {limit}, the most a framework may be.")
    return archive


def read_csv_files(files: dict[str, bytes], *, where: str) -> dict[str, Sheet]:
    problems: list[Problem] = []
    sheets: dict[str, Sheet] = {}
    for filename, data in files.items():
        name = _clean_name(Path(filename).stem)
        if name not in SHEETS:
            problems.append(Problem(message=_unknown_sheet(f"{shown(filename)} in {where}", name)))
            continue
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            problems.append(
                Problem(
                    name,
                    message=f"{shown(filename)} is not UTF-8 text (the first problem is on "
                    f'line {line}). Save it as "CSV UTF-8" and try again.',
                )
            )
            continue
        if "\x00" in text:
            problems.append(Problem(name, message=f"{shown(filename)} is not a text file."))
            continue
        try:
            records = _csv_records(text)
        except _CsvError as error:
            problems.append(Problem(name, error.row, message=error.message))
            continue
        sheets[name] = _sheet_from_records(name, records, problems)
    _require_all_sheets(sheets, problems, files_word="file")
    if problems:
        raise FrameworkFileError(problems)
    return sheets


class _CsvError(Exception):
    def __init__(self, row: int, message: str):
        self.row = row
        self.message = message


# What the csv module says, in the words of a person who typed the file.
_CSV_MESSAGES = {
    "unexpected end of data": (
        'a quoted cell starts in this row and is never closed. Add the closing quotation mark (").'
    ),
    "',' expected after '\"'": (
        'a quotation mark (") ends a quoted cell but more text follows it. To put a quotation '
        'mark inside a cell, type it twice ("") inside quotes.'
    ),
}


def _csv_records(text: str) -> list[tuple[int, list[str]]]:
    """(record number, cells) for each record. A quoted field spanning lines is still one record.

    Raises _CsvError naming the record (the spreadsheet row) that could not be read.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error as error:
            row = len(records) + 1
            message = str(error)
            if message.startswith("field larger than field limit"):
                message = f"a cell holds more than {csv.field_size_limit():,} characters, too many to read."
            else:
                message = _CSV_MESSAGES.get(message, "this row could not be read as CSV.")
            raise _CsvError(row, message) from None
        records.append((len(records) + 1, cells))


# --- xlsx -----------------------------------------------------------------------------------


def read_workbook(data: bytes) -> dict[str, Sheet]:
    import openpyxl  # noqa: PLC0415 (openpyxl is heavy: imported only when a workbook is read)
    from openpyxl.xml import DEFUSEDXML  # noqa: PLC0415

    if not DEFUSEDXML:  # openpyxl uses defusedxml when installed unless OPENPYXL_DEFUSEDXML=False
        raise ImproperlyConfigured("openpyxl must parse workbooks with defusedxml.")
    if data[:8] == bytes.fromhex("d0cf11e0a1b11ae1"):
        raise _refuse(
            "The workbook is password-protected or in the old .xls format. "
            "Remove the password, save it as an .xlsx workbook and try again."
        )
    not_a_workbook = "The file is not an Excel workbook (.xlsx) that can be opened."
    open_archive(data, "The workbook", not_a_zip=not_a_workbook).close()
    with _library_warnings_logged():
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except Exception as error:
            raise _workbook_refusal(
                error, "The workbook is damaged and could not be read."
            ) from None
        try:
            return _read_worksheets(workbook)
        finally:
            workbook.close()


def _read_worksheets(workbook) -> dict[str, Sheet]:
    problems: list[Problem] = []
    sheets: dict[str, Sheet] = {}
    for worksheet in workbook.worksheets:
        name = _clean_name(worksheet.title)
        if name not in SHEETS:
            problems.append(
                Problem(message=_unknown_sheet(f"The sheet {_quoted(worksheet.title)}", name))
            )
            continue
        _check_declared_extent(worksheet, name)
        # Read rows as they are, not padded to the declared extent, which may be missing or wrong.
        worksheet.reset_dimensions()
        sheets[name] = _sheet_from_records(name, _worksheet_records(worksheet, name), problems)
    _require_all_sheets(sheets, problems, files_word="sheet")
    if problems:
        raise FrameworkFileError(problems)
    return sheets


def _extent_limits() -> tuple[int, int]:
    """The furthest column and row a sheet may reach: enough for the most rows, and a heading."""
    return settings.FRAMEWORK_IMPORT_MAX_COLUMNS, _row_limit() + 1


def _check_declared_extent(worksheet, name: str) -> None:
    """Refuse a sheet whose declared extent (its <dimension>) is beyond the limits, unread."""
    columns, rows = worksheet.max_column or 0, worksheet.max_row or 0
    most_columns, most_rows = _extent_limits()
    if columns > most_columns or rows > most_rows:
        raise _extent_refusal(
            name, columns if columns > most_columns else 0, rows if rows > most_rows else 0
        )


def _extent_refusal(name: str, columns: int, rows: int) -> FrameworkFileError:
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 (as in read_workbook)

    most_columns, most_rows = _extent_limits()
    reaches, limits, beyond = [], [], []
    if columns:
        reaches.append(f"column {get_column_letter(columns)}")
        limits.append(f"column {get_column_letter(most_columns)} (the {_ordinal(most_columns)})")
        beyond.append("columns")
    if rows:
        reaches.append(f"row {rows:,}")
        limits.append(f"row {most_rows:,}")
        beyond.append("rows")
    return _refuse(
        f"The sheet {_quoted(name)} reaches {' and '.join(reaches)}; a sheet may reach "
        f"{' and '.join(limits)} at most. Delete the {' and '.join(beyond)} beyond your data and "
        "try again."
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _worksheet_records(worksheet, name: str):
    """(row number, cell texts) for each row openpyxl reads, refusing a damaged or too-wide sheet."""
    most_columns, most_rows = _extent_limits()
    rows = worksheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as error:
            raise _workbook_refusal(
                error, f"The sheet {_quoted(name)} is damaged and could not be read."
            ) from None
        number += 1
        if number > most_rows:
            raise _extent_refusal(name, 0, number)
        if len(values) > most_columns:
            raise _extent_refusal(name, len(values), 0)
        yield number, [_cell_text(value) for value in values]


def _workbook_refusal(error: BaseException | None, damaged: str) -> FrameworkFileError:
    """What openpyxl raised reading a workbook, as a refusal. Anything it raises means a file it
    cannot read: it does not check a damaged file first, so IndexError, TypeError and their kin
    come from deep inside it (a shared string that is not there, a number that is not one)."""
    causes: list[BaseException] = []
    while error is not None and len(causes) < 10:  # openpyxl wraps what it met in a ValueError
        causes.append(error)
        error = error.__cause__ or error.__context__
    if any(isinstance(cause, DefusedXmlException) for cause in causes):
        return _refuse(
            "The workbook holds XML that is not accepted (entity or document type declarations). "
            "Save it again from your spreadsheet program and try again."
        )
    if any(isinstance(cause, MemoryError) for cause in causes):
        return _refuse("The workbook is too large to read. Make it smaller and try again.")
    expected = (zipfile.BadZipFile, ParseError, zlib.error, EOFError, KeyError, ValueError)
    unforeseen = not isinstance(causes[-1], expected)
    logger.info(
        "Refused a workbook openpyxl could not read", exc_info=causes[0] if unforeseen else None
    )
    return _refuse(damaged)


@contextlib.contextmanager
def _library_warnings_logged():
    """openpyxl's warnings (a workbook without styles, an unsupported extension) are about the
    library, not the person's file: logged, never shown or printed among the problems."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for warning in caught:
                logger.info("While reading a workbook: %s", warning.message)


def _quoted(text: str) -> str:
    return f'"{shown(text, 40)}"'


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


def _quoted_heading(heading: str) -> str:
    return f'"{shown(heading)}"'


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
            header = [_clean_name(c).lower() for c in cells]
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
                            str(position),
                            f"{_quoted_heading(heading)} is not a column of {name}. "
                            f"The columns are: {', '.join(known)}.",
                        )
                    )
                    ok = False
                elif header.index(heading) != position - 1:
                    problems.append(
                        Problem(
                            name,
                            1,
                            str(position),
                            f'"{heading}" is a column heading already used in column '
                            f"{header.index(heading) + 1}.",
                        )
                    )
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
