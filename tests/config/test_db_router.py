"""A read replica (DATABASE_REPLICA_URL) serves the dashboard and the reports; the rest, and
every write, uses the primary."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from config.db_router import (
    PRIMARY,
    REPLICA,
    ReplicaRouter,
    reading_from_replica,
    reads_from_replica,
    replica_database,
)
from strands.models import ServiceArea
from tests.support.deployment import ROOT, Deployment

router = ReplicaRouter()


def test_reads_go_to_the_primary_unless_marked_for_the_replica():
    assert router.db_for_read(ServiceArea) == PRIMARY
    with reading_from_replica():
        assert router.db_for_read(ServiceArea) == REPLICA
        assert router.db_for_write(ServiceArea) == PRIMARY  # writes never go to the replica
    assert router.db_for_read(ServiceArea) == PRIMARY


def test_a_marked_view_reads_from_the_replica_and_only_while_it_runs():
    @reads_from_replica
    def view(request):
        return router.db_for_read(ServiceArea)

    assert view(None) == REPLICA
    assert router.db_for_read(ServiceArea) == PRIMARY


def test_only_the_primary_is_migrated():
    assert router.allow_migrate(PRIMARY, "strands")
    assert not router.allow_migrate(REPLICA, "strands")


def test_the_replica_stands_for_the_primary_in_tests():
    entry = replica_database("postgresql://reader@replica.internal:5432/outcomes", conn_max_age=60)
    assert (entry["HOST"], entry["NAME"], entry["USER"]) == (
        "replica.internal",
        "outcomes",
        "reader",
    )
    assert entry["CONN_MAX_AGE"] == 60
    assert entry["TEST"] == {"MIRROR": PRIMARY}


def settings_with(env: dict) -> dict:
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps({'databases': sorted(settings.DATABASES), "
        "'routers': settings.DATABASE_ROUTERS}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"},
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_router_is_installed_only_when_a_replica_is_named():
    assert settings_with({}) == {"databases": ["default"], "routers": []}
    named = settings_with({"DATABASE_REPLICA_URL": "postgresql://reader@127.0.0.1:5432/x"})
    assert named == {
        "databases": ["default", "replica"],
        "routers": ["config.db_router.ReplicaRouter"],
    }


PAGES = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
team = get_user_model().objects.get(email="team@council.example")
client = Client()
client.force_login(team)
session = client.session  # the programme team's second step, done (config/two_step.py)
session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(user=team, confirmed=True).persistent_id
session.save()
print(json.dumps({url: client.get(url).content.decode() for url in ["/dashboard/", "/framework/"]}))
"""


@pytest.fixture
def primary_and_replica(tmp_path):
    primary = Deployment(tmp_path, DJANGO_ALLOWED_HOSTS="testserver")
    primary.support("setup")
    if primary.postgres:
        import psycopg

        replica_name = f"{primary.name}_replica"
        with psycopg.connect(primary.server, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{replica_name}" TEMPLATE "{primary.name}"')
        replica = primary.url.rsplit("/", 1)[0] + f"/{replica_name}"
    else:
        path = tmp_path / "replica.sqlite3"
        shutil.copy(primary.url.removeprefix("sqlite:///"), path)
        replica = f"sqlite:///{path}"
    yield primary, replica
    if primary.postgres:
        with psycopg.connect(primary.server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{replica_name}" WITH (FORCE)')
    primary.drop()


def test_the_dashboard_reads_the_replica_and_the_rest_the_primary(primary_and_replica):
    primary, replica = primary_and_replica
    # A change on the primary that the replica has not caught up with yet.
    primary.manage(
        "shell",
        "-c",
        "from strands.models import ServiceArea as A; a = A.objects.get(ref='AREA1'); "
        "a.name = 'Renamed on the primary'; a.save()",
    )
    # DEBUG on: the pages name their static files without a collectstatic manifest.
    shown = primary.manage(
        "shell", "-c", PAGES, DATABASE_REPLICA_URL=replica, DJANGO_DEBUG="true"
    ).stdout
    pages = json.loads(shown.strip().splitlines()[-1])
    assert "Renamed on the primary" not in pages["/dashboard/"]  # from the replica
    assert "Area" in pages["/dashboard/"]
    assert "Renamed on the primary" in pages["/framework/"]  # from the primary
