"""The state of the data a page reads, named in one query, so what was drawn from it can be kept.

Every change the services make to a model with history (django-simple-history) writes a history
row, deletions included. So the largest history id of each model a page reads names the state of
that data: any save or delete gives a new value, and a drawing kept under a key made of these values
is never served once the data has moved on. Changes made without history (``QuerySet.update()``,
which the services never use) show when the entry's time runs out.

Callers: the dashboard (reporting/dashboard/cache.py) and the action page's targets and outcomes
(targets/action_page.py).
"""

import hashlib
from collections.abc import Sequence
from functools import cache

from django.db import connections, models, router


@cache
def _sql(tables: tuple[tuple[str, str], ...], alias: str) -> str:
    quote = connections[alias].ops.quote_name
    return "SELECT " + ", ".join(
        f"(SELECT MAX({quote(column)}) FROM {quote(table)})" for table, column in tables
    )


def history_table(model: type[models.Model]) -> tuple[str, str]:
    """The table and id column of a model's history (of the model itself if it keeps none)."""
    history = getattr(model, "history", None)
    meta = history.model._meta if history is not None else model._meta
    return meta.db_table, meta.pk.column


def latest_changes(tracked: Sequence[type[models.Model]]) -> tuple[int | None, ...]:
    """For each model, the id of its latest history row (None before the first), in one query."""
    alias = router.db_for_read(tracked[0])
    tables = tuple(history_table(model) for model in tracked)
    with connections[alias].cursor() as cursor:
        cursor.execute(_sql(tables, alias))
        row = cursor.fetchone()
    return tuple(row)


def digest(value: object) -> str:
    """A short, stable name for a value built of plain Python data (its ``repr``)."""
    return hashlib.sha256(repr(value).encode()).hexdigest()[:20]
