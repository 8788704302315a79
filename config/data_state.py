"""The state of the data a page reads, named in one query, so what was drawn from it can be kept.

Every change the services make to a model with history (django-simple-history) writes a history
row, deletions included. So the largest history id of each model a page reads names the state of
that data: any save or delete gives a new value, and a drawing kept under a key made of these values
is never served once the data has moved on. Ids are handed out when rows are written, not when they
are committed, so on PostgreSQL a drawing is kept only when no other transaction was writing as the
ids were read (``State.settled``). Changes made without history (``QuerySet.update()``, which the
services never use) show when the entry's time runs out.

Callers: the dashboard (reporting/dashboard/cache.py) and the action page's targets and outcomes
(targets/action_page.py).
"""

import hashlib
from collections.abc import Sequence
from functools import cache
from typing import NamedTuple

from django.db import connections, models, router


class State(NamedTuple):
    ids: tuple[int | None, ...]
    # No other transaction was writing when the ids were read. On PostgreSQL a transaction that
    # took a lower id may commit after one that took a higher: until it does, the ids cannot name
    # the state, so what is drawn from them must not be kept (SQLite has one writer at a time).
    settled: bool


# Other transactions writing as the ids are read: those in progress at the statement's snapshot
# (its list) and those given an id since (they hold their id's lock). Transaction ids belong to the
# whole cluster, so the writers that cannot touch this database's tables are left out: backends of
# other databases and PostgreSQL's own (autovacuum's ANALYZE writes statistics, in a transaction).
# A writer that has finished by the time it is looked up is counted: never settled by mistake.
_NOT_OURS = (
    "SELECT 1 FROM pg_stat_activity AS a WHERE {match}"
    " AND (a.datname IS DISTINCT FROM current_database() OR a.backend_type <> 'client backend')"
)
_OTHERS_LOCKS = (
    "FROM pg_locks AS l WHERE l.locktype = 'transactionid' AND l.pid <> pg_backend_pid()"
)
# pg_stat_activity (a snapshot of every backend) is read only when some transaction is writing at
# all: CASE evaluates only the branch it takes.
_POSTGRESQL_WRITERS = (
    "(CASE WHEN EXISTS (SELECT 1 FROM pg_snapshot_xip(pg_current_snapshot()))"
    f" OR EXISTS (SELECT 1 {_OTHERS_LOCKS}) THEN"
    " (SELECT COUNT(*) FROM pg_snapshot_xip(pg_current_snapshot()) AS x(xid)"
    f" WHERE NOT EXISTS ({_NOT_OURS.format(match='a.backend_xid = xid(x.xid)')}))"
    f" + (SELECT COUNT(*) {_OTHERS_LOCKS}"
    f" AND NOT EXISTS ({_NOT_OURS.format(match='a.pid = l.pid')}))"
    " ELSE 0 END)"
)


@cache
def _sql(tables: tuple[tuple[str, str], ...], alias: str) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    columns = [f"(SELECT MAX({quote(column)}) FROM {quote(table)})" for table, column in tables]
    # Which database this is: a database built again, or another one, starts its ids again, and
    # a cache shared by processes (and kept on disk) outlives it. The first migration's time names it.
    columns.append(f"(SELECT MIN({quote('applied')}) FROM {quote('django_migrations')})")
    if connection.vendor == "postgresql":
        columns.append(_POSTGRESQL_WRITERS)
    else:
        columns.append("0")
    return "SELECT " + ", ".join(columns)


@cache
def history_table(model: type[models.Model]) -> tuple[str, str]:
    """The table and id column of a model's history (of the model itself if it keeps none).
    Looked up once: ``Model.history`` builds a new manager class at every use (~0.8 ms)."""
    history = getattr(model, "history", None)
    meta = history.model._meta if history is not None else model._meta
    return meta.db_table, meta.pk.column


def latest_changes(tracked: Sequence[type[models.Model]]) -> State:
    """For each model, the id of its latest history row (None before the first), then which
    database this is, and whether they were read while no other transaction was writing: one
    query."""
    alias = router.db_for_read(tracked[0])
    tables = tuple(history_table(model) for model in tracked)
    with connections[alias].cursor() as cursor:
        cursor.execute(_sql(tables, alias))
        *ids, writing = cursor.fetchone()
    return State(tuple(ids), settled=not writing)


def digest(value: object) -> str:
    """A short, stable name for a value built of plain Python data (its ``repr``)."""
    return hashlib.sha256(repr(value).encode()).hexdigest()[:20]
