"""The sheets and columns of the framework spreadsheet, in the order an export writes them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False


def _columns(spec: str) -> tuple[Column, ...]:
    return tuple(Column(name.rstrip("*"), required=name.endswith("*")) for name in spec.split())


SHEETS: dict[str, tuple[Column, ...]] = {
    "strands": _columns("ref* name* description"),
    "service_areas": _columns("ref* strand* name* director_email description"),
    "actions": _columns(
        "ref* service_area* title* issue* action* outcome* evidence* owner_email lead_email "
        "characteristics start due status progress public"
    ),
    "targets": _columns("ref* action* description* due due_text kind baseline target unit status"),
    "outcomes": _columns(
        "ref* service_area* description* indicator unit direction baseline target target_date "
        "dimension group group_share benchmark_share share_comparison share_tolerance targets"
    ),
    "measurements": _columns(
        "indicator* period_end* value* dimension list group dimension_2 list_2 group_2 source note"
    ),
}

SHEET_NAMES = list(SHEETS)


def column_names(sheet: str) -> list[str]:
    return [c.name for c in SHEETS[sheet]]


def required_columns(sheet: str) -> list[str]:
    return [c.name for c in SHEETS[sheet] if c.required]
