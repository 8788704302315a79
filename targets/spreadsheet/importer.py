"""Importing a framework file: check every cell, work out what would change, then write it all.

``plan_import(sheets)`` reads nothing but the sheets and the current framework and returns an
``ImportPlan``: every problem found (all of them, each once), or every item that would be added,
changed (field by field) or left alone. ``apply_plan`` writes a problem-free plan in one
transaction, with the person and the reason recorded in history.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max

from actions.models import Action, Characteristic, Status
from config.history import attribute
from config.models import User, normalise_email
from config.roles import LEAD_OFFICER, PROGRAMME_TEAM, SERVICE_DIRECTOR
from strands.models import ServiceArea, Strand
from targets.categories import Catalogue, find_or_add
from targets.models import Measurement, Outcome, Target
from targets.spreadsheet import cells as c
from targets.spreadsheet.errors import FrameworkFileError, Invalid, Problem
from targets.spreadsheet.exporter import (
    ROW_WRITERS,
    framework_querysets,
    measurement_key,
)
from targets.spreadsheet.reader import Sheet, read_framework
from targets.spreadsheet.schema import SHEET_NAMES, SHEETS

# What a cell is read as: text, a number, a date, yes or no, a list of refs or codes; None if blank.
CellValue = str | int | bool | Decimal | datetime.date | list[str] | None
V = TypeVar("V", bound=CellValue)
# The items with a ref, which other rows name, and all the items a framework file holds.
RefItem = Strand | ServiceArea | Action | Target | Outcome
FrameworkItem = RefItem | Measurement


@dataclass(frozen=True)
class Col(Generic[V]):
    """How one column is read: its parser, how its value is written back, its default text."""

    parse: Callable[[str], V]
    write: Callable[[V], str] = str
    default: str = ""

    def read(self, raw: str) -> tuple[V, str]:
        """The cell's value and its canonical text. Raises Invalid."""
        value = self.parse(raw)
        return value, self.write(value)

    @property
    def blank(self) -> CellValue:
        """The value of an empty cell."""
        return [] if self.write is c.write_list else None


class Column(Protocol):
    """A Col of any value (a sheet's columns read values of different types)."""

    @property
    def default(self) -> str: ...

    @property
    def blank(self) -> CellValue: ...

    def read(self, raw: str) -> tuple[CellValue, str]: ...


def _column_specs() -> dict[str, dict[str, Column]]:
    # The characteristics a framework may name are those in their table, in its order.
    characteristic_codes = list(
        Characteristic.objects.order_by("position", "code").values_list("code", flat=True)
    )
    text = Col(c.text_up_to(255))
    long_text = Col(c.parse_long_text)
    ref = Col(c.parse_ref)
    email = Col(c.parse_email)
    date = Col(c.parse_date, c.write_date)
    number = Col(c.parse_decimal, c.write_decimal)
    percent = Col(c.parse_percent, c.write_decimal)
    # Built before the dict: inside it, mypy would infer each against Column, losing its type.
    characteristics = Col(
        c.list_of(
            c.choice_parser(characteristic_codes),
            f"characteristic codes (use {', '.join(characteristic_codes)})",
        ),
        lambda codes: c.write_list(sorted(codes, key=characteristic_codes.index)),
    )
    yes_no = Col(c.parse_yes_no, c.write_yes_no, default="yes")
    due = Col(c.date_parser("use YYYY-MM-DD; put the words in due_text"), c.write_date)
    refs = Col(c.list_of(c.parse_ref, "valid references"), c.write_list)
    return {
        "strands": {"ref": ref, "name": text, "description": long_text},
        "service_areas": {
            "ref": ref,
            "strand": ref,
            "name": text,
            "director_email": email,
            "description": long_text,
        },
        "actions": {
            "ref": ref,
            "service_area": ref,
            "title": text,
            "issue": long_text,
            "action": long_text,
            "outcome": long_text,
            "evidence": long_text,
            "owner_email": email,
            "lead_email": email,
            "characteristics": characteristics,
            "start": date,
            "due": date,
            "status": Col(c.choice_parser(Status.values), default=Status.NOT_STARTED.value),
            "progress": Col(c.parse_progress, str, default="0"),
            "public": yes_no,
        },
        "targets": {
            "ref": ref,
            "action": ref,
            "description": long_text,
            "due": due,
            "due_text": text,
            "kind": Col(c.choice_parser(Target.Kind.values), default=Target.Kind.MILESTONE.value),
            "baseline": number,
            "target": number,
            "unit": Col(c.text_up_to(100)),
            "status": Col(
                c.choice_parser(Target.Status.values), default=Target.Status.NOT_STARTED.value
            ),
        },
        "outcomes": {
            "ref": ref,
            "service_area": ref,
            "description": long_text,
            "indicator": text,
            "unit": Col(c.choice_parser(Outcome.Unit.values)),
            "direction": Col(c.choice_parser(Outcome.Direction.values)),
            "baseline": number,
            "target": number,
            "target_date": date,
            "dimension": Col(c.text_up_to(100)),
            "group": text,
            "group_share": percent,
            "benchmark_share": percent,
            "share_comparison": Col(
                c.choice_parser(Outcome.ShareComparison.values),
                default=Outcome.ShareComparison.AT_LEAST.value,
            ),
            "share_tolerance": percent,
            "targets": refs,
        },
        "measurements": {
            "indicator": ref,
            "period_end": date,
            "value": number,
            "dimension": Col(c.text_up_to(100)),
            "list": Col(c.text_up_to(100)),
            "group": text,
            "dimension_2": Col(c.text_up_to(100)),
            "list_2": Col(c.text_up_to(100)),
            "group_2": text,
            "source": text,
            "note": long_text,
        },
    }


KIND_OF_SHEET = {
    "strands": "strand",
    "service_areas": "service area",
    "actions": "action",
    "targets": "target",
    "outcomes": "outcome",
}
REF_SHEETS = list(KIND_OF_SHEET)


@dataclass
class Item:
    """One row of the file, parsed: its canonical text cells and its values."""

    sheet: str
    row: int
    key: str
    text: dict[str, str]
    values: dict[str, CellValue]
    broken: bool = False
    raw_ref: str = ""
    failed: frozenset[str] = frozenset()

    def ref(self, column: str) -> str:
        value = self.values.get(column)
        return value if isinstance(value, str) else ""

    def refs(self, column: str) -> list[str]:
        value = self.values.get(column)
        return value if isinstance(value, list) else []

    def date(self, column: str) -> datetime.date | None:
        value = self.values.get(column)
        return value if isinstance(value, datetime.date) else None


@dataclass
class Change:
    sheet: str
    key: str
    row: int
    kind: str  # "add", "change" or "same"
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (column, old, new)
    pk: int | None = None  # the item this row was matched with, which a change writes to


# The role each column that names a person gives them (docs/framework-format.md).
ROLE_COLUMNS = (
    ("service_areas", "director_email", SERVICE_DIRECTOR),
    ("actions", "owner_email", SERVICE_DIRECTOR),
    ("actions", "lead_email", LEAD_OFFICER),
)
ROLE_NOUNS = {SERVICE_DIRECTOR: "service director", LEAD_OFFICER: "lead officer"}


def _role_words(roles, *, plural_for: int = 1) -> str:
    nouns = [ROLE_NOUNS.get(r, r.lower()) for r in sorted(roles, key=list(ROLE_NOUNS).index)]
    return " and ".join(nouns) + ("s" if plural_for != 1 else "")


@dataclass
class PersonChange:
    """A person the import adds, or gives a role they do not hold yet."""

    email: str
    roles: list[str]  # the roles to give
    is_new: bool
    current: list[str] = field(default_factory=list)  # the roles they hold now


@dataclass
class ImportPlan:
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    people_to_create: list[str] = field(default_factory=list)
    role_changes: list[PersonChange] = field(default_factory=list)
    # What people stop doing (no longer director of an area): they keep their roles, and it is said.
    role_endings: list[str] = field(default_factory=list)
    items: dict[str, list[Item]] = field(default_factory=dict)

    def people_summary(self) -> str:
        """ "12 people will be added: 10 service directors, 2 lead officers" """
        new = [pc for pc in self.role_changes if pc.is_new]
        if not new:
            return ""
        by_role: dict[str, int] = defaultdict(int)
        for pc in new:
            by_role[_role_words(pc.roles)] += 1
        parts = ", ".join(f"{n} {words}{'s' if n != 1 else ''}" for words, n in by_role.items())
        return f"{len(new)} {'person' if len(new) == 1 else 'people'} will be added: {parts}"

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, dict[str, int]]:
        counts = {sheet: {"add": 0, "change": 0, "same": 0} for sheet in SHEET_NAMES}
        for change in self.changes:
            counts[change.sheet][change.kind] += 1
        return counts

    @property
    def changes_anything(self) -> bool:
        return bool(self.role_changes) or any(ch.kind != "same" for ch in self.changes)

    def report_lines(self) -> list[str]:
        if self.problems:
            return [str(p) for p in self.problems]
        lines = []
        for sheet, count in self.counts().items():
            lines.append(
                f"{sheet}: {count['add']} to add, {count['change']} to change, "
                f"{count['same']} unchanged"
            )
        if self.people_summary():
            lines.append(f"people: {self.people_summary()}")
        for pc in self.role_changes:
            if pc.is_new:
                lines.append(
                    f"people: {pc.email} will be added as a {_role_words(pc.roles)} "
                    "(without a password until invited)"
                )
            else:
                now = f" (now {_role_words(pc.current)})" if pc.current else " (no role now)"
                lines.append(f"people: {pc.email} will also be a {_role_words(pc.roles)}{now}")
        for ending in self.role_endings:
            lines.append(f"people: {ending}")
        for change in self.changes:
            if change.kind == "add":
                lines.append(f"{change.sheet} row {change.row}: add {change.key}")
            elif change.kind == "change":
                for column, old, new in change.fields:
                    lines.append(
                        f"{change.sheet} row {change.row}: {change.key} {column}: "
                        f"{c.quoted(old, 50)} → {c.quoted(new, 50)}"
                    )
        return lines


class _Checker:
    """Collects problems, each once, and remembers which rows are broken."""

    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, sheet: str, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(sheet, row, column, message))


def _parse_rows(sheets: dict[str, Sheet], checker: _Checker) -> dict[str, list[Item]]:
    specs = _column_specs()
    items: dict[str, list[Item]] = {}
    for sheet_name in SHEET_NAMES:
        sheet = sheets[sheet_name]
        checker.problems += sheet.problems + sheet.row_problems
        if not sheet.readable:
            items[sheet_name] = []  # its headings are wrong: its rows cannot be checked
            continue
        spec = specs[sheet_name]
        required = {col.name for col in _schema_columns(sheet_name) if col.required}
        parsed: list[Item] = []
        for row in sheet.rows:
            text: dict[str, str] = {}
            values: dict[str, CellValue] = {}
            broken = False
            failed: set[str] = set()
            for column, col in spec.items():
                raw = row.cells.get(column, "").replace("\r\n", "\n").strip()
                if raw and c.looks_like_formula(raw):
                    checker.add(
                        sheet_name,
                        row.number,
                        column,
                        f"{c.quoted(raw)} looks like a spreadsheet formula; formulas are "
                        "not accepted. Type the value itself.",
                    )
                    broken = True
                    values[column] = None
                    text[column] = ""
                    continue
                raw = c.unneutralise(raw)
                if not raw:
                    if column in required:
                        checker.add(
                            sheet_name, row.number, column, "this is required but is empty."
                        )
                        broken = True
                    raw = col.default
                    if not raw:
                        values[column] = col.blank
                        text[column] = ""
                        continue
                try:
                    value, canonical = col.read(raw)
                except Invalid as error:
                    message = str(error)
                    if message.startswith("is "):
                        message = "this " + message
                    checker.add(sheet_name, row.number, column, message)
                    broken = True
                    failed.add(column)
                    values[column] = None
                    text[column] = ""
                    continue
                values[column] = value
                text[column] = canonical
            key = (
                text.get("ref", "")
                if sheet_name != "measurements"
                else measurement_key(
                    text["indicator"],
                    text["period_end"],
                    text["dimension"],
                    text["group"],
                    text["dimension_2"],
                    text["group_2"],
                )
            )
            raw_ref = row.cells.get("ref", "").strip()
            parsed.append(
                Item(sheet_name, row.number, key, text, values, broken, raw_ref, frozenset(failed))
            )
        items[sheet_name] = parsed
    return items


def _schema_columns(sheet_name: str):
    return SHEETS[sheet_name]


class _Refs:
    """Where each ref is declared: in this file (first row wins) or already in the framework."""

    def __init__(self, items: dict[str, list[Item]], existing: dict[str, dict], checker: _Checker):
        self.in_file: dict[str, Item] = {}
        self.unreadable: set[str] = set()
        self.unreadable_sheets: set[str] = set()
        self.existing_kind: dict[str, str] = {}
        for sheet, by_ref in existing.items():
            for ref in by_ref:
                self.existing_kind.setdefault(ref.lower(), sheet)
        for sheet in REF_SHEETS:
            for item in items[sheet]:
                ref = item.text.get("ref")
                if not ref:
                    if item.raw_ref:
                        self.unreadable.add(_loose(item.raw_ref))
                    continue
                first = self.in_file.get(ref.lower())
                if first is not None:
                    checker.add(
                        sheet,
                        item.row,
                        "ref",
                        f'"{ref}" is used more than once (first in {first.sheet} row '
                        f"{first.row}); a ref must be unique in the whole workbook.",
                    )
                    item.broken = True
                    continue
                other = self.existing_kind.get(ref.lower())
                if other is not None and other != sheet:
                    checker.add(
                        sheet,
                        item.row,
                        "ref",
                        f'"{ref}" is already the ref of {_a(KIND_OF_SHEET[other])} in the '
                        "framework; a ref must be unique across all sheets.",
                    )
                    item.broken = True
                    continue
                self.in_file[ref.lower()] = item

    def resolve(self, ref: str) -> tuple[str | None, Item | None]:
        """Return (the sheet that declares ref, its row in this file if any)."""
        item = self.in_file.get(ref.lower())
        if item is not None:
            return item.sheet, item
        return self.existing_kind.get(ref.lower()), None


def _loose(ref: str) -> str:
    """A ref with case and punctuation folded: "HOU 01" and "hou-01" are taken as the same."""
    return re.sub(r"[^a-z0-9]", "", ref.lower())


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _check_reference(checker, refs, item, column, ref, wanted_sheets, *, what) -> bool:
    """Check that ref names an item of one of wanted_sheets. Returns False if it does not."""
    sheet, _ = refs.resolve(ref)
    if sheet in wanted_sheets or _loose(ref) in refs.unreadable:
        return True  # an unreadable ref is reported on its own row, not on every row naming it
    if refs.unreadable_sheets.intersection(wanted_sheets):
        return True  # the sheet it would name has wrong headings, reported once for that sheet
    if sheet is None:
        checker.add(
            item.sheet, item.row, column, f'"{ref}" is not {what} in this file or the framework.'
        )
    else:
        checker.add(
            item.sheet, item.row, column, f'"{ref}" is {_a(KIND_OF_SHEET[sheet])}, not {what}.'
        )
    return False


def _cross_check(
    items: dict[str, list[Item]], refs: _Refs, existing: dict, checker: _Checker
) -> None:
    for item in items["service_areas"]:
        if item.values.get("strand"):
            _check_reference(
                checker, refs, item, "strand", item.values["strand"], ["strands"], what="a strand"
            )
    for item in items["actions"]:
        v = item.values
        if v.get("service_area"):
            _check_reference(
                checker,
                refs,
                item,
                "service_area",
                v["service_area"],
                ["service_areas"],
                what="a service area",
            )
        start, due = item.date("start"), item.date("due")
        if start and due and due < start:
            checker.add(
                "actions",
                item.row,
                "due",
                f"{c.write_date(due)} is before the start date {c.write_date(start)}.",
            )
    for item in items["targets"]:
        v = item.values
        if v.get("action"):
            _check_reference(
                checker, refs, item, "action", v["action"], ["actions"], what="an action"
            )
        if (
            item.text.get("kind") == "numeric"
            and v.get("target") is None
            and "target" not in item.failed
        ):
            checker.add(
                "targets",
                item.row,
                "target",
                "a numeric target needs a target value (or set kind to milestone).",
            )
        if item.text.get("kind") == "milestone":
            filled = [col for col in ("baseline", "target") if v.get(col) is not None]
            if filled:
                checker.add(
                    "targets",
                    item.row,
                    filled[0],
                    "a milestone target has no baseline or target value; set kind to numeric, "
                    f"or leave {' and '.join(filled)} blank.",
                )
    for item in items["outcomes"]:
        v = item.values
        if v.get("service_area"):
            _check_reference(
                checker,
                refs,
                item,
                "service_area",
                v["service_area"],
                ["service_areas"],
                what="a service area",
            )
        missing = []
        for ref in item.refs("targets"):
            if (
                refs.resolve(ref)[0] is None
                and _loose(ref) not in refs.unreadable
                and "targets" not in refs.unreadable_sheets
            ):
                missing.append(ref)  # many of these in one cell make one problem, not one each
            else:
                _check_reference(checker, refs, item, "targets", ref, ["targets"], what="a target")
        if missing:
            checker.add(
                "outcomes",
                item.row,
                "targets",
                f"{c.quoted_list(missing)} "
                f"{'is not a target' if len(missing) == 1 else 'are not targets'} "
                "in this file or the framework.",
            )
        if not item.text.get("indicator"):
            filled = [
                col for col in ("unit", "direction", "baseline", "target") if item.text.get(col)
            ]
            if filled:
                checker.add(
                    "outcomes",
                    item.row,
                    "indicator",
                    f"this outcome has a {' and a '.join(filled)} but no indicator; name the "
                    f"indicator, or leave {' and '.join(filled)} blank.",
                )
        if not item.text.get("group"):
            filled = [col for col in ("group_share", "benchmark_share") if item.text.get(col)]
            if filled and "group" not in item.failed:
                checker.add(
                    "outcomes",
                    item.row,
                    "group",
                    f"{' and '.join(filled)} {'is' if len(filled) == 1 else 'are'} given, so name "
                    "the group the share is for.",
                )
        if item.text.get("share_tolerance") and item.text.get("share_comparison") != "close_to":
            if "share_comparison" not in item.failed:
                checker.add(
                    "outcomes",
                    item.row,
                    "share_tolerance",
                    "a tolerance is only for a share that should be close to the equity share or "
                    "benchmark; set share_comparison to close_to, or leave share_tolerance blank.",
                )
    seen: dict[str, int] = {}
    seen_groups: dict[tuple, tuple[str, int]] = {}
    catalogue = Catalogue.load()
    for item in items["measurements"]:
        ref = item.ref("indicator")
        if ref:
            sheet, declaring = refs.resolve(ref)
            if sheet not in ("outcomes", "targets"):
                _check_reference(
                    checker,
                    refs,
                    item,
                    "indicator",
                    ref,
                    ["outcomes", "targets"],
                    what="an outcome or a numeric target",
                )
            elif declaring is not None and declaring.broken:
                pass  # its own row's problem is reported already
            elif sheet == "targets":
                kind = (
                    declaring.text["kind"]
                    if declaring
                    else existing["targets"][_exact(existing["targets"], ref)].kind
                )
                if kind != "numeric":
                    checker.add(
                        "measurements",
                        item.row,
                        "indicator",
                        f'"{ref}" is a milestone target; only outcomes with an indicator '
                        "and numeric targets take measurements.",
                    )
            else:
                indicator = (
                    declaring.text["indicator"]
                    if declaring
                    else existing["outcomes"][_exact(existing["outcomes"], ref)].indicator
                )
                if not indicator:
                    checker.add(
                        "measurements",
                        item.row,
                        "indicator",
                        f'outcome "{ref}" has no indicator to measure; give it one in the '
                        "outcomes sheet first.",
                    )
        _check_crossing(checker, item)
        if not item.broken:
            first = seen.get(item.key.lower())
            if first is not None:
                checker.add(
                    "measurements",
                    item.row,
                    "",
                    f"this measurement ({item.key}) is already given in row {first}.",
                )
                item.broken = True
            else:
                seen[item.key.lower()] = item.row
        same_group = _category_key(catalogue, item)
        if not item.broken and same_group is not None:
            first_group = seen_groups.get(same_group)
            if first_group is not None:
                words, row = first_group
                checker.add(
                    "measurements",
                    item.row,
                    "group",
                    f'"{item.text["group"]}" is the same group as row {row}\'s '
                    f'"{words}"; give each group once for a period.',
                )
                item.broken = True
            else:
                seen_groups[same_group] = (item.text["group"], item.row)


def _check_crossing(checker, item) -> None:
    """A cell of a cross-table names both its groups and both dimensions; a margin its own group."""
    t = item.text
    if t.get("group_2") and not t.get("dimension_2"):
        checker.add(
            "measurements",
            item.row,
            "dimension_2",
            "group_2 is given, so name its dimension in dimension_2 (for example sex).",
        )
        item.broken = True
    elif t.get("dimension_2") and not t.get("group"):
        checker.add(
            "measurements",
            item.row,
            "group",
            "a row of a cross-table (dimension_2 given) needs its group.",
        )
        item.broken = True
    elif t.get("group") and not t.get("dimension"):
        checker.add(
            "measurements",
            item.row,
            "dimension",
            f'name what "{t["group"]}" is a group of, for example ethnicity.',
        )
        item.broken = True


def _category_key(catalogue: Catalogue, item):
    """A row's period and groups as categories, where words name known categories, so that
    "Black" and "Black British" in one period are caught as one group given twice."""
    t = item.text
    if not t.get("group"):
        return None
    first = catalogue.category(t["dimension"], t["group"], t.get("list", ""))
    second = (
        catalogue.category(t["dimension_2"], t["group_2"], t.get("list_2", ""))
        if t.get("group_2")
        else None
    )
    if first is None or (t.get("group_2") and second is None):
        return None
    return (
        t["indicator"].lower(),
        t["period_end"],
        first.pk,
        t.get("dimension_2", "").casefold(),
        second.pk if second else None,
    )


def _exact(by_ref: dict, ref: str) -> str:
    for key in by_ref:
        if key.lower() == ref.lower():
            return key
    return ref


# The columns that name another item by its ref; a ref is matched whatever its letter case.
REFERENCE_COLUMNS = {
    ("service_areas", "strand"),
    ("actions", "service_area"),
    ("targets", "action"),
    ("outcomes", "service_area"),
    ("measurements", "indicator"),
}


# A measurement's list left blank (as in a workbook from before lists) names whichever list holds
# its group, so it is no change from the list the group was matched to.
UNNAMED_LISTS = {("measurements", "list", ""), ("measurements", "list_2", "")}


def _comparable(sheet: str, column: str, text: str):
    """Lists are sets: "T2;T1" and "T1;T2" name the same targets. "st-lead" names ST-LEAD."""
    if column in ("targets", "characteristics"):
        return frozenset(ref.lower() for ref in text.split(";") if ref)
    if (sheet, column) in REFERENCE_COLUMNS:
        return text.lower()
    return text


def _existing_framework() -> dict[str, dict]:
    querysets = framework_querysets()
    existing: dict[str, dict] = {sheet: {} for sheet in SHEET_NAMES}
    for sheet in REF_SHEETS:
        for obj in querysets[sheet]:
            existing[sheet][obj.ref] = obj
    for measurement in querysets["measurements"]:
        row = ROW_WRITERS["measurements"](measurement)
        key = measurement_key(
            row["indicator"],
            row["period_end"],
            row["dimension"],
            row["group"],
            row["dimension_2"],
            row["group_2"],
        )
        existing["measurements"][key.lower()] = measurement
    return existing


def _file_order(problem: Problem) -> tuple[int, int, int]:
    """Sheet, then row, then column, as a person reads the file."""
    sheet = SHEET_NAMES.index(problem.sheet) if problem.sheet in SHEET_NAMES else -1
    columns = [col.name for col in _schema_columns(problem.sheet)] if sheet >= 0 else []
    column = columns.index(problem.column) if problem.column in columns else -1
    return sheet, problem.row, column


def plan_import(sheets: dict[str, Sheet]) -> ImportPlan:
    checker = _Checker()
    items = _parse_rows(sheets, checker)
    existing = _existing_framework()
    refs = _Refs(items, existing, checker)
    refs.unreadable_sheets = {name for name, sheet in sheets.items() if not sheet.readable}
    _cross_check(items, refs, existing, checker)
    plan = ImportPlan(items=items)
    if checker.problems:
        plan.problems = sorted(checker.problems, key=_file_order)
        return plan

    _plan_people(plan, items, existing)

    for sheet in SHEET_NAMES:
        for item in items[sheet]:
            lookup = item.key if sheet != "measurements" else item.key.lower()
            current = (
                existing[sheet].get(lookup)
                if sheet == "measurements"
                else existing[sheet].get(_exact(existing[sheet], lookup))
            )
            if current is None:
                plan.changes.append(Change(sheet, item.key, item.row, "add"))
                continue
            current_text = ROW_WRITERS[sheet](current)
            differences = [
                (column, current_text[column], item.text[column])
                for column in item.text
                if _comparable(sheet, column, current_text[column])
                != _comparable(sheet, column, item.text[column])
                and (sheet, column, item.text[column]) not in UNNAMED_LISTS
            ]
            plan.changes.append(
                Change(
                    sheet,
                    item.key,
                    item.row,
                    "change" if differences else "same",
                    differences,
                    pk=current.pk,
                )
            )
    return plan


def _plan_people(plan: ImportPlan, items: dict[str, list[Item]], existing) -> None:
    """Who the import adds, which roles it gives, and what people stop doing. Roles only grow:
    someone no longer named keeps their role, and the report says what they no longer do."""
    wanted: dict[str, set[str]] = {}
    for sheet, column, role in ROLE_COLUMNS:
        for item in items[sheet]:
            email = normalise_email(item.text.get(column, ""))
            if email:
                wanted.setdefault(email, set()).add(role)
    User = get_user_model()
    people = {p.email: p for p in User.objects.filter(email__in=wanted).prefetch_related("groups")}
    for email, roles in wanted.items():
        person = people.get(email)
        if person is None:
            plan.people_to_create.append(email)
            plan.role_changes.append(PersonChange(email, sorted(roles), is_new=True))
            continue
        held = {g.name for g in person.groups.all()}
        if person.is_superuser or PROGRAMME_TEAM in held:
            continue  # the programme team may do anything already
        missing = roles - held
        if missing:
            plan.role_changes.append(
                PersonChange(email, sorted(missing), is_new=False, current=sorted(held))
            )
    named = {
        i.key.lower(): normalise_email(i.text.get("director_email", ""))
        for i in items["service_areas"]
    }
    for key, area in existing["service_areas"].items():
        new_director = named.get(key.lower())
        if area.director_id and new_director is not None and area.director.email != new_director:
            plan.role_endings.append(
                f"{area.director.email} will no longer be the director of {area.name} "
                f"({area.ref}); they keep their roles until the programme team changes them"
            )


# --- writing --------------------------------------------------------------------------------


# Who an import is recorded against when no person is named (a command-line import).
IMPORT_ACCOUNT = "Framework import"


def apply_plan(plan: ImportPlan, *, user=None, reason: str = "Framework import") -> None:
    """Write a problem-free plan in one transaction, recording user and reason in history.
    Without a person, the change is recorded against the "Framework import" account."""
    if plan.problems:
        raise FrameworkFileError(plan.problems)
    user = user or get_user_model().objects.system_person(IMPORT_ACCOUNT)
    with transaction.atomic():
        _Writer(plan, user, reason).write()


class _Writer:
    def __init__(self, plan: ImportPlan, user, reason: str):
        self.plan = plan
        self.user = user
        self.reason = reason
        self.people: dict[str, User | None] = {}
        self.objects: dict[str, dict[str, FrameworkItem | None]] = defaultdict(dict)
        self.catalogue: Catalogue | None = None

    def write(self) -> None:
        self._write_people()
        changes = {(ch.sheet, ch.key): ch for ch in self.plan.changes}
        for sheet in SHEET_NAMES:
            model = MODELS[sheet]
            next_position = model.objects.aggregate(m=Max("position"))["m"] or 0
            for item in self.plan.items[sheet]:
                change = changes[(sheet, item.key)]
                if change.kind == "same":
                    if sheet != "measurements":
                        self.objects[sheet][item.key] = None  # resolved lazily when referenced
                    continue
                if change.kind == "add":
                    obj = model()
                    next_position += 1
                    obj.position = next_position
                else:
                    # The very item the plan compared this row with: looking it up again by the
                    # row's own text could miss it (a group differing only in letter case).
                    assert change.pk is not None  # plan_import gives every change its item
                    obj = model.objects.get(pk=change.pk)
                getattr(self, f"_fill_{sheet}")(obj, item.values)
                attribute(obj, user=self.user, reason=self.reason)
                obj.full_clean(validate_unique=False, validate_constraints=False)
                obj.save()
                if isinstance(obj, Action):
                    # django-stubs types set()'s keys as ints; a characteristic's key is its code.
                    obj.characteristics.set(item.refs("characteristics"))  # type: ignore[arg-type]
                if isinstance(obj, Outcome):
                    obj.targets.set([self._target(ref) for ref in item.refs("targets")])
                if sheet != "measurements":
                    self.objects[sheet][item.key] = obj

    def _write_people(self) -> None:
        User = get_user_model()
        groups = {g.name: g for g in Group.objects.filter(name__in=ROLE_NOUNS)}
        for pc in self.plan.role_changes:
            if pc.is_new:
                person = User(email=pc.email)
                person.set_unusable_password()
            else:
                person = User.objects.get(email=pc.email)
            attribute(
                person,
                user=self.user,
                reason=f"{self.reason}: given the {_role_words(pc.roles)} role"
                + ("" if len(pc.roles) == 1 else "s"),
            )
            person.save()
            person.groups.add(*(groups[role] for role in pc.roles))

    def _target(self, ref: str) -> Target:
        target = self._ref("targets", ref)
        assert isinstance(target, Target)  # the targets sheet's items are targets
        return target

    def _ref(self, sheet: str, ref: str) -> FrameworkItem:
        for key, obj in self.objects[sheet].items():
            if key.lower() == ref.lower() and obj is not None:
                return obj
        return REF_MODELS[sheet].objects.get(ref__iexact=ref)

    def _person(self, email):
        if not email:
            return None
        if email not in self.people:
            User = get_user_model()
            self.people[email] = User.objects.filter(email=normalise_email(email)).first()
        return self.people[email]

    def _indicator(self, ref: str):
        outcome = Outcome.objects.filter(ref__iexact=ref).first()
        return outcome or Target.objects.get(ref__iexact=ref)

    def _fill_strands(self, obj, v):
        obj.ref, obj.name, obj.description = v["ref"], v["name"], v["description"] or ""

    def _fill_service_areas(self, obj, v):
        obj.ref, obj.name, obj.description = v["ref"], v["name"], v["description"] or ""
        obj.strand = self._ref("strands", v["strand"])
        obj.director = self._person(v["director_email"])

    def _fill_actions(self, obj, v):
        obj.ref, obj.title = v["ref"], v["title"]
        obj.service_area = self._ref("service_areas", v["service_area"])
        obj.issue, obj.planned_action = v["issue"], v["action"]
        obj.intended_outcome, obj.evidence = v["outcome"], v["evidence"]
        obj.owner = self._person(v["owner_email"])
        obj.lead_officer = self._person(v["lead_email"])
        obj.start_date, obj.due_date = v["start"], v["due"]
        obj.status, obj.progress, obj.is_public = v["status"], v["progress"], v["public"]

    def _fill_targets(self, obj, v):
        obj.ref, obj.description = v["ref"], v["description"]
        obj.action = self._ref("actions", v["action"])
        obj.due_date, obj.due_text = v["due"], v["due_text"] or ""
        obj.kind, obj.status = v["kind"], v["status"]
        obj.baseline, obj.target_value, obj.unit = v["baseline"], v["target"], v["unit"] or ""

    def _fill_outcomes(self, obj, v):
        obj.ref, obj.description = v["ref"], v["description"]
        obj.service_area = self._ref("service_areas", v["service_area"])
        obj.indicator, obj.unit, obj.direction = (
            v["indicator"] or "",
            v["unit"] or "",
            v["direction"] or "",
        )
        obj.baseline, obj.target_value, obj.target_date = (
            v["baseline"],
            v["target"],
            v["target_date"],
        )
        obj.dimension, obj.group = v["dimension"] or "", v["group"] or ""
        if obj.dimension and obj.group:  # the named group can then be chosen from a list
            self._category(obj.dimension, obj.group)
        obj.group_share, obj.benchmark_share = v["group_share"], v["benchmark_share"]
        obj.share_comparison = v["share_comparison"] or Outcome.ShareComparison.AT_LEAST
        obj.share_tolerance = v["share_tolerance"]

    def _fill_measurements(self, obj, v):
        indicator = self._indicator(v["indicator"])
        obj.outcome = indicator if isinstance(indicator, Outcome) else None
        obj.target = indicator if isinstance(indicator, Target) else None
        obj.period_end, obj.value = v["period_end"], v["value"]
        obj.dimension, obj.group = v["dimension"] or "", v["group"] or ""
        obj.dimension_2, obj.group_2 = v["dimension_2"] or "", v["group_2"] or ""
        obj.category = self._category(obj.dimension, obj.group, v["list"]) if obj.group else None
        obj.category_2 = (
            self._category(obj.dimension_2, obj.group_2, v["list_2"]) if obj.group_2 else None
        )
        obj.source, obj.note = v["source"] or "", v["note"] or ""

    def _category(self, dimension: str, group: str, list_name: str | None = ""):
        if self.catalogue is None:
            self.catalogue = Catalogue.load()
        return find_or_add(
            self.catalogue,
            dimension,
            group,
            list_name=list_name or "",
            user=self.user,
            reason=self.reason,
        )


REF_MODELS: dict[str, type[RefItem]] = {
    "strands": Strand,
    "service_areas": ServiceArea,
    "actions": Action,
    "targets": Target,
    "outcomes": Outcome,
}
MODELS: dict[str, type[FrameworkItem]] = {**REF_MODELS, "measurements": Measurement}


def import_framework(
    path: str | Path, *, user=None, reason: str = "", dry_run: bool = False
) -> ImportPlan:
    """Read, check and (unless dry_run) write a framework file. Raises FrameworkFileError."""
    sheets = read_framework(path)
    plan = plan_import(sheets)
    if plan.problems:
        raise FrameworkFileError(plan.problems)
    if not dry_run:
        apply_plan(plan, user=user, reason=reason or f"Imported from {Path(path).name}")
    return plan
