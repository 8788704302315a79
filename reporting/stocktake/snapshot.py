"""The framework as it was recorded at a moment, read from django-simple-history.

Every tracked model keeps a historical record per save; the latest record of each item saved at or
before the moment is how the item stood then (unless that record is its deletion). Ties on the
same instant are broken by the record's own id, so the answer never depends on the database's
choice of order. Many-to-many links come from the snapshot each historical record keeps of them.

Each read is one query, whatever the size of the framework: ``Snapshot.load`` makes nine.
"""

import datetime
from dataclasses import dataclass, field
from typing import Protocol

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from actions.models import Action, ProgressUpdate
from strands.models import ServiceArea, Strand
from targets.models import Measurement, Outcome, Target


def records_as_at(model, moment: datetime.datetime, **filters) -> list:
    """The historical record that was current at ``moment`` for each item of ``model``, in id order.

    Items created after the moment, or deleted by then, are left out.
    """
    latest = (
        model.history.filter(history_date__lte=moment, **filters)
        .annotate(
            newest_first=Window(
                RowNumber(),
                partition_by=[F("id")],
                order_by=[F("history_date").desc(), F("history_id").desc()],
            )
        )
        .filter(newest_first=1)
        .order_by("id")
    )
    return [record for record in latest if record.history_type != "-"]


def m2m_as_at(records: list, m2m_field: str, target_attname: str) -> dict[int, list]:
    """For each historical record, the ids it was linked to through ``m2m_field`` at that time."""
    if not records:
        return {}
    through = getattr(type(records[0]), m2m_field).model
    by_record = {record.history_id: record.id for record in records}
    links: dict[int, list] = {item_id: [] for item_id in by_record.values()}
    rows = (
        through.objects.filter(history_id__in=list(by_record))
        .order_by(target_attname)
        .values_list("history_id", target_attname)
    )
    for history_id, target_id in rows:
        links[by_record[history_id]].append(target_id)
    return links


class UpdateRecord(Protocol):
    """A progress update's historical record, as a stocktake reads it."""

    action_id: int
    created_at: datetime.datetime
    status: str
    progress: int
    narrative: str
    is_demo: bool


@dataclass
class Snapshot:
    """Historical records (which read like the model's instances) of the whole framework."""

    moment: datetime.datetime
    strands: list = field(default_factory=list)
    areas: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    characteristics: dict[int, list[str]] = field(default_factory=dict)  # action id → codes
    targets: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    outcome_targets: dict[int, list[int]] = field(default_factory=dict)  # outcome id → target ids
    measurements: list = field(default_factory=list)
    latest_updates: dict[int, UpdateRecord] = field(default_factory=dict)  # action id → latest

    @classmethod
    def load(cls, moment: datetime.datetime) -> "Snapshot":
        actions = records_as_at(Action, moment)
        outcomes = records_as_at(Outcome, moment)
        updates = records_as_at(ProgressUpdate, moment)
        latest_updates: dict[int, UpdateRecord] = {}
        for update in sorted(updates, key=lambda u: (u.created_at, u.id)):
            latest_updates[update.action_id] = update
        return cls(
            moment=moment,
            strands=records_as_at(Strand, moment),
            areas=records_as_at(ServiceArea, moment),
            actions=actions,
            characteristics=m2m_as_at(actions, "characteristics", "characteristic_id"),
            targets=records_as_at(Target, moment),
            outcomes=outcomes,
            outcome_targets=m2m_as_at(outcomes, "targets", "target_id"),
            measurements=records_as_at(Measurement, moment),
            latest_updates=latest_updates,
        )
