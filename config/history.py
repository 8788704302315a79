"""Saying who made a change and why, for django-simple-history (which reads these two attributes
at the next save). Every service sets both explicitly: a background task has no request."""

import functools
from typing import Any

from simple_history.manager import HistoryDescriptor, HistoryManager
from simple_history.models import HistoricalRecords
from simple_history.signals import (
    post_create_historical_m2m_records,
    pre_create_historical_m2m_records,
)
from simple_history.utils import get_m2m_field_name


def attribute(obj: Any, *, user, reason: str = "") -> None:
    obj._history_user = user
    obj._change_reason = reason


# --- Two costs of django-simple-history 3.13, worked around (no upstream issue found) ---------
#
# 1. Each ``Model.history`` or ``instance.history`` builds a new manager class
#    (HistoryDescriptor.__get__ calls HistoryManager.from_queryset, which walks the queryset's
#    members with inspect), about 0.3 ms of CPU each time; a page or a save reads it several times.
#    The class depends only on the manager and queryset classes, so it is made once for each pair.
# 2. A save of a model whose history keeps many-to-many fields reads the history row's instance
#    back (one query for the excluded fields) only to find the through model, then reads the
#    through rows joined to both ends (every column of both) to copy their ids.
#    LeanHistoricalRecords reads the through rows' ids alone, in one query.


@functools.cache
def _manager_class(manager: type[HistoryManager], queryset: type) -> type[HistoryManager]:
    return manager.from_queryset(queryset)


def _history_manager(descriptor: HistoryDescriptor, instance, owner):
    return _manager_class(descriptor.manager_class, descriptor.queryset_class)(
        descriptor.model, instance
    )


def keep_history_manager_classes() -> None:
    """Called once, from ConfigConfig.ready: HistoryDescriptor.__get__ without the rebuild."""
    HistoryDescriptor.__get__ = _history_manager


class LeanHistoricalRecords(HistoricalRecords):
    """HistoricalRecords whose many-to-many history rows are written from one light query."""

    def create_historical_record_m2ms(self, history_instance, instance):
        for field in history_instance._history_m2m_fields:
            m2m_history_model = self.m2m_models[field]
            through = field.remote_field.through
            columns = [f.attname for f in through._meta.fields]
            rows = through.objects.filter(**{get_m2m_field_name(field): instance}).values_list(
                *columns
            )
            insert_rows = [
                m2m_history_model(history=history_instance, **dict(zip(columns, row, strict=True)))
                for row in rows
            ]
            pre_create_historical_m2m_records.send(
                sender=m2m_history_model,
                rows=insert_rows,
                history_instance=history_instance,
                instance=instance,
                field=field,
            )
            created_rows = m2m_history_model.objects.bulk_create(insert_rows)
            post_create_historical_m2m_records.send(
                sender=m2m_history_model,
                created_rows=created_rows,
                history_instance=history_instance,
                instance=instance,
                field=field,
            )
