"""On PostgreSQL the statements a page sends again and again are prepared once per connection
(planning them cost more than running them), unless a pooler that cannot keep them is in front."""

import pytest
from django.db import connection

from tests.config.production import load

POSTGRES = {"DATABASE_URL": "postgresql://outcomes@db.internal:5432/outcomes"}
REPLICA = {"DATABASE_REPLICA_URL": "postgresql://reader@replica.internal:5432/outcomes"}


def _options(**env) -> dict:
    databases = load(["DATABASES"], **env)["DATABASES"]
    return {alias: database.get("OPTIONS", {}) for alias, database in databases.items()}


def test_postgresql_binds_on_the_server_and_prepares_what_runs_often():
    options = _options(**POSTGRES, **REPLICA)
    for alias in ("default", "replica"):
        assert options[alias]["server_side_binding"] is True
        assert options[alias]["prepare_threshold"] == 5


def test_behind_a_transaction_pooler_it_can_be_turned_off():
    options = _options(**POSTGRES, **REPLICA, DATABASE_PREPARED_STATEMENTS="false")
    for alias in ("default", "replica"):
        assert "server_side_binding" not in options[alias]
        assert "prepare_threshold" not in options[alias]


def test_sqlite_is_left_as_it_is():
    assert "server_side_binding" not in _options()["default"]


@pytest.mark.django_db
def test_a_statement_run_often_is_prepared_on_the_server():
    if connection.vendor != "postgresql":
        assert "server_side_binding" not in connection.settings_dict.get("OPTIONS", {})
        return
    from strands.models import Strand

    for _ in range(6):
        list(Strand.objects.filter(ref="NONE"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "strands_strand" WHERE "strands_strand"."ref" = $1%'],
        )
        assert cursor.fetchone()[0] == 1
