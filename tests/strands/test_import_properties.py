"""Property: any mutated framework either imports or is refused clearly, never another exception.

Hypothesis starts from two real frameworks (the other council's and Islington's), changes cells,
headings, rows and sheets, writes the result as a folder of CSVs, a zip or a workbook, and may then
damage the file's bytes or the XML inside it. Whatever comes out, the import keeps its contract:
``FrameworkFileError`` with problems written for a person (one line each, invisible characters
escaped), or an import that the dry run predicted and that a second dry run finds nothing to change.

The example counts are kept small so the suite stays quick; for a long search set
IMPORT_PROPERTY_SCALE (10 runs ten times as many examples).
"""

import copy
import io
import os
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from targets.spreadsheet import FrameworkFileError, import_framework
from tests.conftest import ANYTOWN, ISLINGTON
from tests.strands.hostile import SHEETS, WHEN, csv_rows, members, rezip, same_bytes_each_time

pytestmark = pytest.mark.django_db

BASES = {
    folder: {sheet: csv_rows(folder, sheet) for sheet in SHEETS} for folder in (ANYTOWN, ISLINGTON)
}

NASTY_CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "=1+1",
            "'=1+1",
            "\t=1+1",
            "-",
            "1" * 4300,
            "9" * 20,
            "1e5",
            "NaN",
            "Infinity",
            "-0",
            "2025-02-30",
            "0000-01-01",
            "9999-12-31",
            "yes",
            "No",
            "101",
            "-1",
            "\u0661\u0662",  # Arabic-Indic digits
            "\ufeffref",
            "ref\u200b",
            "HOU\u202e01",
            "a;;b;",
            ";",
            '"',
            "x" * 300,
            "x" * 21_000,
            "ST-LEAD",
            "leis-t1;LEIS-T2;JOBS-T1",
            "numeric",
            "milestone",
            "ethnicity",
            "WHITE",
        ]
    ),
)

# Values a real edit might leave: most files so changed still import, and then change something.
PLAIN_CELLS = st.sampled_from(
    ["A new description", "Women", "women", "12.5", "2026-03-31", "yes", "no", "on_track", "50", ""]
)
OPERATIONS = [
    "plain",
    "plain",
    "cell",
    "case",
    "copy",
    "delete_row",
    "duplicate_row",
    "heading",
    "drop_sheet",
]
HEADINGS = st.one_of(
    st.sampled_from(["ref", "name", "group", "progress", "targets", "", "colour"]),
    st.text(max_size=8),
)


@st.composite
def mutated_tables(draw, base: Path) -> dict[str, list[list[str]]]:
    tables = copy.deepcopy(BASES[base])
    for _ in range(draw(st.integers(0, 3))):
        operation = draw(st.sampled_from(OPERATIONS))
        sheet = draw(st.sampled_from([s for s in SHEETS if s in tables] or SHEETS))
        if sheet not in tables:
            continue
        rows = tables[sheet]
        row = draw(st.integers(1, len(rows) - 1)) if len(rows) > 1 else 0
        column = draw(st.integers(0, len(rows[row]))) if rows[row] else 0
        if operation in ("cell", "plain"):
            while len(rows[row]) <= column:
                rows[row].append("")
            rows[row][column] = draw(NASTY_CELLS if operation == "cell" else PLAIN_CELLS)
        elif operation == "case" and column < len(rows[row]):
            rows[row][column] = rows[row][column].swapcase()
        elif operation == "copy" and column < len(rows[row]):
            other = tables[draw(st.sampled_from(list(tables)))]
            source = other[draw(st.integers(0, len(other) - 1))]
            if source:
                rows[row][column] = source[draw(st.integers(0, len(source) - 1))]
        elif operation == "delete_row" and len(rows) > 1:
            del rows[row]
        elif operation == "duplicate_row":
            rows.append(list(rows[row]))
        elif operation == "heading" and rows and rows[0]:
            rows[0][draw(st.integers(0, len(rows[0]) - 1))] = draw(HEADINGS)
        elif operation == "drop_sheet" and draw(st.integers(0, 3)) == 0:
            del tables[sheet]
    return tables


def csv_bytes(rows: list[list[str]]) -> bytes:
    import csv

    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def as_zip(tables, folder_prefix: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sheet, rows in tables.items():
            info = zipfile.ZipInfo(f"{folder_prefix}{sheet}.csv", date_time=WHEN)
            archive.writestr(info, csv_bytes(rows), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def as_workbook(tables) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet, rows in tables.items():
        worksheet = workbook.create_sheet(sheet)
        for row in rows:
            # Characters XML cannot hold at all cannot be typed into a workbook either.
            worksheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return same_bytes_each_time(buffer.getvalue())


XML_DAMAGE = [
    (b"<worksheet", b'<!DOCTYPE w [<!ENTITY e "x">]><worksheet'),
    (b"</row>", b"</rowx>"),
    (b't="inlineStr"><is><t>', b't="s"><v>7</v><is><t>'),
    (b'r="A2"', b'r="XFD1048576"'),
    (b'r="B2"', b'r="ZZZZ2"'),
    (b"<v>", b"<v>1" + b"9" * 5000),
    (b"</sheetData>", b""),
    (b'<dimension ref="', b'<dimension ref="A1:XFD'),
]


@st.composite
def framework_files(draw, base: Path) -> tuple[str, bytes | dict[str, bytes]]:
    """(file name, its bytes), or ("folder", {csv name: bytes}) for a folder of CSVs."""
    tables = draw(mutated_tables(base))
    form = draw(st.sampled_from(["folder", "zip", "xlsx"]))
    if form == "folder":
        return "folder", {f"{sheet}.csv": csv_bytes(rows) for sheet, rows in tables.items()}
    if form == "zip":
        data = as_zip(tables, draw(st.sampled_from(["", "framework/", "framework\\2025\\"])))
    else:
        data = as_workbook(tables)
        if draw(st.booleans()):
            contents = members(data)
            name = draw(st.sampled_from(sorted(contents)))
            old, new = draw(st.sampled_from(XML_DAMAGE))
            data = rezip(data, {name: contents[name].replace(old, new, draw(st.integers(1, 3)))})
    damage = draw(st.sampled_from([None, None, "flip", "truncate"]))
    if damage == "flip":
        damaged = bytearray(data)
        for position in draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=8)):
            damaged[position] ^= draw(st.integers(1, 255))
        data = bytes(damaged)
    elif damage == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    return f"framework.{form}", data


def written(directory: Path, name: str, content) -> Path:
    path = directory / name
    if isinstance(content, dict):
        path.mkdir()
        for csv_name, data in content.items():
            (path / csv_name).write_bytes(data)
    else:
        path.write_bytes(content)
    return path


def assert_clear(refusal: FrameworkFileError) -> None:
    assert refusal.problems, "a refusal says why"
    for problem in refusal.problems:
        text = str(problem)
        assert text.strip(), "a problem is never blank"
        hidden = [
            ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf") or ch in "\u2028\u2029"
        ]
        assert not hidden, f"a problem shows invisible characters escaped: {text!r}"
        assert len(text) < 1_000, f"a problem is short: {text[:200]!r}…"


def import_keeps_its_contract(base: Path, start_from_base: bool, name: str, content) -> None:
    with tempfile.TemporaryDirectory() as directory, transaction.atomic():
        if start_from_base:
            import_framework(base, reason="The framework as it was")
        path = written(Path(directory), name, content)
        try:
            import_framework(path, dry_run=True)
        except FrameworkFileError as refusal:
            event(f"refused ({name.split('.')[-1]})")
            assert_clear(refusal)
            with pytest.raises(FrameworkFileError) as again:
                import_framework(path, reason="Refused")
            assert [str(p) for p in again.value.problems] == [str(p) for p in refusal.problems]
        else:
            event(f"imported ({name.split('.')[-1]})")
            import_framework(path, reason="Mutated")  # what the dry run said would work does
            assert not import_framework(path, dry_run=True).changes_anything
        transaction.set_rollback(True)


SCALE = int(os.environ.get("IMPORT_PROPERTY_SCALE", "1"))


def property_settings(examples: int) -> settings:
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@property_settings(30)
@given(start_from_base=st.booleans(), file=framework_files(ANYTOWN))
def test_a_mutated_small_framework_imports_or_is_refused_clearly(start_from_base, file):
    import_keeps_its_contract(ANYTOWN, start_from_base, *file)


@property_settings(4)
@given(start_from_base=st.booleans(), file=framework_files(ISLINGTON))
def test_a_mutated_islington_framework_imports_or_is_refused_clearly(start_from_base, file):
    import_keeps_its_contract(ISLINGTON, start_from_base, *file)
