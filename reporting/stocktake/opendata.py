"""The stocktake as open data: CSV files of actions, targets, outcomes and measurements, and a
data dictionary describing every column, under the Open Government Licence.

The files are also described as a Frictionless Data Package (``datapackage.json`` beside them:
titles, column types, the licence and the dictionary's words), so a data portal or a researcher
loads them with their types (https://specs.frictionlessdata.io/data-package/).

The files are made from the same content as the page and the PDF, so they hold exactly what was
published: public actions only, and small numbers in breakdowns as "fewer than 5" (or "not
shown"), never the number (see reporting.stocktake.suppression). Text cells are made safe to
open in a spreadsheet program (a cell never starts a formula).
"""

import json
from dataclasses import dataclass

from config import tables
from reporting.stocktake.content import StocktakeContent, long_date, number
from reporting.stocktake.suppression import SECONDARY, PublishedBreakdown, fewer_than


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "text", "code", "date", "number", "yes/no"
    description: str

    def described(self) -> str:
        """The description, with the small-number threshold in force."""
        return self.description.replace("{fewer_than}", fewer_than())


@dataclass(frozen=True)
class DataFile:
    name: str  # the file name without ".csv"
    title: str
    description: str
    columns: tuple[Column, ...]

    primary_key: str = ""
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, other file, its column)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


ACTIONS = DataFile(
    "actions",
    "Actions",
    "Every public action in the stocktake, with its status and latest progress. One row per action.",
    (
        Column("ref", "code", "The action's stable reference, for example HOU-01."),
        Column("strand", "text", "The strand (the council's capacity) the action belongs to."),
        Column("service_area_ref", "code", "The reference of the action's service area."),
        Column("service_area", "text", "The name of the action's service area."),
        Column("title", "text", "The action's title."),
        Column("issue", "text", "What inequality or issue are we tackling?"),
        Column("planned_action", "text", "What action will we take?"),
        Column("intended_outcome", "text", "What outcome do we hope to achieve?"),
        Column("evidence", "text", "How will we know we have made an impact?"),
        Column(
            "characteristics",
            "text",
            "The protected characteristics (and socio-economic disadvantage) the action is for, "
            "separated by semicolons.",
        ),
        Column("start_date", "date", "When the action started (YYYY-MM-DD), if given."),
        Column("due_date", "date", "When the action is due (YYYY-MM-DD), if given."),
        Column(
            "status",
            "code",
            "not_started, on_track, at_risk, off_track, complete or closed.",
        ),
        Column("status_label", "text", "The status in words."),
        Column("percent_complete", "number", "How much of the action is done, 0 to 100."),
        Column("closed_reason", "text", "Why the action was closed, for a closed action."),
        Column("latest_update_date", "date", "The date of the latest progress update."),
        Column("latest_update_narrative", "text", "What the latest progress update said."),
        Column(
            "demo_data",
            "yes/no",
            "yes when the latest update is illustrative demo data, not real progress.",
        ),
    ),
    primary_key="ref",
)

TARGETS = DataFile(
    "targets",
    "Targets",
    "The key targets of the public actions, and whether they were met. One row per target.",
    (
        Column("ref", "code", "The target's stable reference."),
        Column("action_ref", "code", "The reference of the action the target belongs to."),
        Column("description", "text", "The target as the framework states it."),
        Column("due_date", "date", "The target's deadline (YYYY-MM-DD), if given."),
        Column("due_text", "text", "The deadline in the framework's own words."),
        Column("kind", "code", "milestone (done or not) or numeric (a number to reach)."),
        Column("baseline", "number", "A numeric target's starting value, if given."),
        Column("target_value", "number", "A numeric target's value to reach."),
        Column("unit", "text", "What a numeric target counts, for example staff or %."),
        Column("status", "code", "not_started, in_progress, met or not_met."),
        Column("status_label", "text", "The target's progress in words."),
        Column("met_on", "date", "The date the target was met (YYYY-MM-DD), if it was."),
        Column("latest_value", "number", "A numeric target's latest value, if recorded."),
    ),
    primary_key="ref",
    foreign_keys=(("action_ref", "actions", "ref"),),
)

# How open data spells a direction of travel (targets.trends), as its data dictionary says.
OPEN_DATA_TRAVEL = {"improving": "right", "worsening": "wrong", "same": "same"}

OUTCOMES = DataFile(
    "outcomes",
    "Outcomes",
    "The outcomes the service areas hope to achieve, with their indicators. One row per outcome.",
    (
        Column("ref", "code", "The outcome's stable reference."),
        Column("service_area_ref", "code", "The reference of the outcome's service area."),
        Column("description", "text", "The outcome as the framework states it."),
        Column("indicator", "text", "What is measured; blank for a qualitative outcome."),
        Column("unit", "code", "count or percent; blank for a qualitative outcome."),
        Column("direction", "code", "increase or decrease: which way is good."),
        Column("baseline", "number", "The indicator's starting value, if given."),
        Column("target_value", "number", "The indicator's value to reach, if given."),
        Column("target_date", "date", "When the target value should be reached, if given."),
        Column("dimension", "text", "The breakdown the equity share applies to, e.g. ethnicity."),
        Column("group", "text", "The group the equity share or benchmark is for."),
        Column("group_share", "number", "The equity share: the percent the group should make up."),
        Column("benchmark_share", "number", "The group's percent of the population."),
        Column(
            "share_comparison",
            "code",
            "at_least, at_most or close_to: how the group's share should compare with the equity "
            "share or benchmark (at_most where over-representation is the problem).",
        ),
        Column(
            "share_tolerance",
            "number",
            "For close_to: how many percentage points from it the group's share may be.",
        ),
        Column(
            "target_refs", "text", "The public targets the outcome serves, separated by semicolons."
        ),
        Column(
            "action_refs", "text", "The public actions the outcome serves, separated by semicolons."
        ),
        Column("latest_period_end", "date", "The end of the latest period with a value."),
        Column("latest_value", "number", "The indicator's latest total."),
        Column(
            "direction_of_travel",
            "code",
            "right, wrong or same: the latest total against the one before (or the baseline); "
            "blank when there are not enough values to say.",
        ),
    ),
    primary_key="ref",
)

MEASUREMENTS = DataFile(
    "measurements",
    "Measurements",
    "Values of the outcomes' indicators and of numeric targets, for each period: the total, then "
    "its breakdown by group. One row per value.",
    (
        Column("indicator_ref", "code", "The reference of the outcome or numeric target."),
        Column("indicator_kind", "code", "outcome or target."),
        Column("period_end", "date", "The last day of the period the value is for."),
        Column("dimension", "text", "The breakdown, for example ethnicity; blank for the total."),
        Column("group", "text", "The group; blank for the total."),
        Column(
            "dimension_2",
            "text",
            "For a cross-table of two dimensions (for example ethnicity × sex): the second one. "
            "A row with group_2 is a cell; a row with group_2 blank is the total of its group "
            "in the cross-table (a margin).",
        ),
        Column("group_2", "text", "For a cell of a cross-table: its group of dimension_2."),
        Column(
            "value",
            "number",
            "The value; for a group with a small number, the words “{fewer_than}” (or “not shown”, "
            "hidden so that a small number cannot be worked out from the total, nor, in a "
            "cross-table, from the rows' and columns' totals) instead.",
        ),
        Column(
            "share_percent",
            "number",
            "The group's percent of the total; blank for the total and for hidden groups.",
        ),
        Column(
            "expected_share_percent",
            "number",
            "The equity share or population benchmark for the outcome's named group.",
        ),
        Column(
            "representation",
            "text",
            "The named group's share against the share it should have, in words: "
            "Under-represented, Over-represented or Meets it; blank for hidden groups.",
        ),
        Column("suppressed", "yes/no", "yes when the value is hidden to protect small numbers."),
        Column("source", "text", "Where the value comes from."),
        Column("note", "text", "A note on the value."),
        Column("demo_data", "yes/no", "yes when the value is illustrative demo data, not real."),
    ),
)

DICTIONARY = DataFile(
    "data-dictionary",
    "Data dictionary",
    "What each file and each column means. Rows with a blank column describe a whole file.",
    (
        Column("file", "text", "The file name."),
        Column("column", "text", "The column name; blank for a row about the whole file."),
        Column("type", "code", "text, code, date (YYYY-MM-DD), number, yes/no; file for a file."),
        Column("description", "text", "What the file or column holds."),
    ),
)

DATA_FILES = (ACTIONS, TARGETS, OUTCOMES, MEASUREMENTS)
ALL_FILES = {f.name: f for f in (*DATA_FILES, DICTIONARY)}


def _write(data_file: DataFile, rows) -> str:
    return tables.csv_text(tables.Sheet(data_file.name, [c.name for c in data_file.columns], rows))


def _actions(content: StocktakeContent):
    for strand in content.strands:
        for area in strand.areas:
            for a in area.actions:
                if a.removed:
                    continue  # redacted: not in the open data at all
                update = a.latest_update
                yield (
                    a.ref,
                    strand.name,
                    area.ref,
                    area.name,
                    a.title,
                    a.issue,
                    a.planned_action,
                    a.intended_outcome,
                    a.evidence,
                    "; ".join(a.characteristics),
                    a.start_date,
                    a.due_date,
                    a.status,
                    a.status_label,
                    a.progress,
                    a.closed_reason,
                    update.created_at.date() if update else None,
                    update.narrative if update else "",
                    bool(update and update.is_demo),
                )


def _targets(content: StocktakeContent):
    for t in content.targets:
        if t.removed:
            continue
        yield (
            t.ref,
            t.action_ref,
            t.description,
            t.due_date,
            t.due_text,
            t.kind,
            number(t.baseline),
            number(t.target_value),
            t.unit,
            t.status,
            t.status_label,
            t.met_on,
            number(t.current_value),
        )


def _outcomes(content: StocktakeContent):
    for area in content.areas:
        for o in area.outcomes:
            if o.removed:
                continue
            latest = o.latest
            yield (
                o.ref,
                area.ref,
                o.description,
                o.indicator,
                o.unit,
                o.direction,
                number(o.baseline),
                number(o.target_value),
                o.target_date,
                o.dimension,
                o.group,
                number(o.group_share),
                number(o.benchmark_share),
                o.share_comparison,
                number(o.share_tolerance),
                "; ".join(o.target_refs),
                "; ".join(o.action_refs),
                latest.period_end if latest else None,
                number(latest.total) if latest else "",
                OPEN_DATA_TRAVEL.get(o.travel.code, "") if o.travel.judged else "",
            )


def _period_rows(ref: str, kind: str, periods):
    for period in sorted(periods, key=lambda p: p.period_end):
        yield (
            ref,
            kind,
            period.period_end,
            "",
            "",
            "",
            "",
            number(period.total),
            "",
            "",
            "",
            False,
            period.source,
            period.note,
            period.is_demo,
        )
        breakdowns = period.breakdowns or (
            [PublishedBreakdown(period.dimension, period.groups)] if period.groups else []
        )
        for breakdown in breakdowns:
            for g in breakdown.groups + breakdown.not_given:
                yield (
                    ref,
                    kind,
                    period.period_end,
                    breakdown.dimension,
                    g.group,
                    "",
                    "",
                    g.hidden or number(g.value),
                    "" if g.is_hidden or g.share is None else number(g.share),
                    number(g.expected),
                    g.judgement.label if g.judgement else "",
                    g.is_hidden,
                    period.source,
                    "",
                    period.is_demo,
                )
        for cross in period.crosses:
            for dimension, group, dimension_2, group_2, entry in _cross_entries(cross):
                yield (
                    ref,
                    kind,
                    period.period_end,
                    dimension,
                    group,
                    dimension_2,
                    group_2,
                    entry.words,
                    "",
                    "",
                    "",
                    bool(entry.hidden),
                    period.source,
                    "",
                    period.is_demo,
                )


def _cross_entries(cross):
    """A cross-table's rows in the file: each row's total, then its cells; then each column's
    total (a margin is written with its own dimension first, as the framework format does)."""
    for name, cells, row_total in cross.table:
        if row_total.given:
            yield cross.dimension, name, cross.dimension_2, "", row_total
        for column, entry in zip(cross.columns, cells, strict=True):
            if entry.given:
                yield cross.dimension, name, cross.dimension_2, column, entry
    for column, entry in zip(cross.columns, cross.column_row, strict=True):
        if entry.given:
            yield cross.dimension_2, column, cross.dimension, "", entry


def _measurements(content: StocktakeContent):
    for o in content.outcomes:
        if not o.removed:
            yield from _period_rows(o.ref, "outcome", o.periods)
    for t in content.targets:
        if not t.removed:
            yield from _period_rows(t.ref, "target", t.periods)


def _dictionary(content: StocktakeContent):
    licence = (
        f"Published by {content.council_name} under the {content.licence_name} "
        f"({content.licence_url}). {content.title}, as at {long_date(content.as_at)}."
    )
    for data_file in DATA_FILES:
        yield (data_file.filename, "", "file", f"{data_file.description} {licence}")
        for column in data_file.columns:
            yield (data_file.filename, column.name, column.kind, column.described())
    yield (DICTIONARY.filename, "", "file", f"{DICTIONARY.description} {licence}")
    for column in DICTIONARY.columns:
        yield (DICTIONARY.filename, column.name, column.kind, column.described())


_ROWS = {
    "actions": _actions,
    "targets": _targets,
    "outcomes": _outcomes,
    "measurements": _measurements,
    "data-dictionary": _dictionary,
}


def csv_text(content: StocktakeContent, name: str) -> str:
    """The named file's text (actions, targets, outcomes, measurements or data-dictionary)."""
    return _write(ALL_FILES[name], _ROWS[name](content))


# --- the Data Package ---------------------------------------------------------------------------

# Our column kinds as Table Schema field types. Numbers are written as the page shows them
# ("1,234.5"), so the group character is declared.
_FIELD_TYPES: dict[str, dict[str, object]] = {
    "text": {"type": "string"},
    "code": {"type": "string"},
    "date": {"type": "date"},
    "number": {"type": "number", "groupChar": ","},
    "yes/no": {"type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]},
}
_INTEGERS = {("actions", "percent_complete")}
OGL_ID = "OGL-UK-3.0"  # the licence's SPDX identifier


def _schema(data_file: DataFile) -> dict:
    fields = []
    for column in data_file.columns:
        field_type: dict[str, object] = dict(_FIELD_TYPES[column.kind])
        if (data_file.name, column.name) in _INTEGERS:
            field_type = {"type": "integer"}
        fields.append({"name": column.name, **field_type, "description": column.described()})
    schema: dict = {"fields": fields, "missingValues": [""]}
    if data_file is MEASUREMENTS:
        # A hidden small number reads as words, not a number: to a program it is a missing value.
        schema["missingValues"] = ["", fewer_than(), SECONDARY]
    if data_file.primary_key:
        schema["primaryKey"] = [data_file.primary_key]
    if data_file.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [column], "reference": {"resource": other, "fields": [other_column]}}
            for column, other, other_column in data_file.foreign_keys
        ]
    return schema


def datapackage(content: StocktakeContent, *, published_at) -> dict:
    """The Data Package descriptor of the stocktake's CSV files (paths relative to it)."""
    as_at = long_date(content.as_at)
    return {
        "profile": "tabular-data-package",
        "name": f"stocktake-{content.year}",
        "title": f"{content.title}: open data",
        "description": (
            f"The actions, targets, outcomes and measurements of the {content.title}, as at "
            f"{as_at}. Public actions only; numbers for groups that are {fewer_than()} are "
            f"shown as “{fewer_than()}” (or “{SECONDARY}”), never the number."
        ),
        "version": f"{content.year}.0",
        "created": published_at.isoformat(),
        "licenses": [{"name": OGL_ID, "title": content.licence_name, "path": content.licence_url}],
        "contributors": [{"title": content.council_name, "role": "publisher"}],
        "keywords": ["equality", "stocktake", content.programme_name],
        "resources": [
            {
                "name": data_file.name,
                "path": data_file.filename,
                "title": data_file.title,
                "description": data_file.description,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "licenses": [{"name": OGL_ID, "path": content.licence_url}],
                "schema": _schema(data_file),
            }
            for data_file in (*DATA_FILES, DICTIONARY)
        ],
    }


def datapackage_json(content: StocktakeContent, *, published_at) -> str:
    return json.dumps(datapackage(content, published_at=published_at), indent=2, ensure_ascii=False)
