"""Turning django-simple-history records into "who changed what, from what to what, when and why"."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.models import User

IGNORED_FIELDS = {
    "version",
    "shown_version",
    "cycle_version",
    "updated_at",
    "created_at",
    "position",
    "id",
}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: "User | None"
    reason: str
    what: str  # e.g. "HOU-01" or "Target HOU-T01"
    kind: str  # "Created", "Changed", "Deleted"
    changes: list[FieldChange] = field(default_factory=list)


def _display(model, field_name: str, value) -> str:
    if value is None or value == "":
        return "(blank)"
    model_field = model._meta.get_field(field_name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        # Stored with four decimal places; said as typed: 14, not 14.0000; 12.5, not 12.5000.
        number = value.normalize()
        return f"{number:f}" if number != number.to_integral() else f"{int(number):d}"
    if model_field.is_relation and not model_field.many_to_many:
        return str(value)
    return str(value)


def _label(model, field_name: str) -> str:
    name = str(model._meta.get_field(field_name).verbose_name)
    return name[:1].upper() + name[1:]


def entries_for(
    records,
    model,
    *,
    what: str,
    related: dict[str, dict] | None = None,
    keep_unchanged: bool = False,
) -> list[HistoryEntry]:
    """History entries, oldest first, from historical records of ONE object ordered oldest first.

    A foreign key is shown through ``related[field name]`` (id → words) where given, so no query is
    made per row. Each field has its own lookup: a person's id never names a service area. A save
    that changed none of the model's own fields (say, only a linked progress update) is left out
    unless ``keep_unchanged``.
    """
    related = related or {}
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        kind = {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type]
        entry = HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            reason=record.history_change_reason or "",
            what=what,
            kind=kind,
        )
        if previous is not None:
            for model_field in model._meta.concrete_fields:
                name = model_field.attname
                if model_field.name in IGNORED_FIELDS:
                    continue
                old, new = getattr(previous, name), getattr(record, name)
                if old == new:
                    continue
                if model_field.is_relation:
                    names = related.get(model_field.name, {})
                    old_shown = str(names.get(old, old)) if old is not None else "(blank)"
                    new_shown = str(names.get(new, new)) if new is not None else "(blank)"
                else:
                    old_shown = _display(model, model_field.name, old)
                    new_shown = _display(model, model_field.name, new)
                entry.changes.append(
                    FieldChange(_label(model, model_field.name), old_shown, new_shown)
                )
            if not entry.changes and kind == "Changed" and not keep_unchanged:
                continue  # a save that changed nothing shown here (e.g. linked items only)
        entries.append(entry)
        previous = record
    return entries
