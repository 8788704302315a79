"""A read replica for the dashboard and the reports, when ``DATABASE_REPLICA_URL`` names one.

Every write, and every read outside the views and steps marked here, goes to the primary
("default"), so people always see their own changes at once. Code marked with
``reads_from_replica`` (a view decorator) or ``reading_from_replica()`` (a block) reads from the
replica: the Programme Board dashboard, the published stocktake pages and open data, and the
stocktake PDF's contents. They may run a moment behind the primary (the replica's lag).

Without a replica the router is not installed and the marks change nothing.
"""

import contextvars
from contextlib import contextmanager
from functools import wraps

import dj_database_url

PRIMARY = "default"
REPLICA = "replica"
_reading = contextvars.ContextVar("reading_from_replica", default=False)


@contextmanager
def reading_from_replica():
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_from_replica(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        with reading_from_replica():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        return REPLICA if _reading.get() else PRIMARY

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same data, wherever it was read from

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == PRIMARY  # the replica follows the primary's schema by replication


def replica_database(url: str, *, conn_max_age: int) -> dict:
    """The replica's entry in DATABASES; in tests it stands for the primary (TEST MIRROR)."""
    return {**dj_database_url.parse(url, conn_max_age=conn_max_age), "TEST": {"MIRROR": PRIMARY}}
