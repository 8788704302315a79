"""config.data_state names the state of the data by its latest history ids, and says when those
ids cannot be trusted to name it: while another transaction is writing (PostgreSQL)."""

import psycopg
import pytest
from django.db import connection

from config.data_state import latest_changes
from strands.models import Strand
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_save_moves_the_state():
    before = latest_changes((Strand,))
    factories.strand("NEW", name="A new strand")
    after = latest_changes((Strand,))
    assert after.ids != before.ids and after.settled


def _other_connection(**overrides):
    params = {k: v for k, v in connection.get_connection_params().items() if k != "cursor_factory"}
    return psycopg.connect(**(params | overrides))


def test_while_another_transaction_writes_the_state_is_not_settled():
    if connection.vendor != "postgresql":
        # SQLite lets one transaction write at a time, in the order the ids are given.
        assert latest_changes((Strand,)).settled
        return
    other = _other_connection()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT txid_current()")  # a transaction that is writing, not committed
            assert not latest_changes((Strand,)).settled
        other.rollback()
        assert latest_changes((Strand,)).settled
    finally:
        other.close()


def test_another_database_is_another_state():
    # A database built again starts its history ids again: its first migration's time tells it apart.
    before = latest_changes((Strand,))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE django_migrations SET applied = applied - INTERVAL '1 day'"
            if connection.vendor == "postgresql"
            else "UPDATE django_migrations SET applied = datetime(applied, '-1 day')"
        )
    after = latest_changes((Strand,))
    assert after.ids != before.ids


def test_the_server_s_processes_share_one_cache_on_disk(settings):
    from config.settings import base

    default = base.CACHES["default"]
    assert default["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert default["LOCATION"].endswith(".cache")


def test_a_writer_in_another_database_of_the_cluster_leaves_it_settled():
    """Transaction ids belong to the whole cluster: a transaction writing in another database (or
    autovacuum's ANALYZE, which writes statistics) cannot change these tables, so it must not stop
    pages being kept (CI once failed when autovacuum analysed a table during a test)."""
    if connection.vendor != "postgresql":
        assert latest_changes((Strand,)).settled  # one database, one writer at a time
        return
    other = _other_connection(dbname="postgres")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT txid_current()")
            assert latest_changes((Strand,)).settled
    finally:
        other.close()
