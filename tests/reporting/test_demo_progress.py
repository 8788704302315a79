"""Demo progress: illustrative, flagged as demo data, loaded once, never in production."""

import io

import pytest
from django.core.management import CommandError, call_command

from actions.models import Action, Challenge, ProgressUpdate, ReportingCycle
from targets.models import Measurement
from tests.conftest import ISLINGTON
from tests.strands.helpers import run_import

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_demo_progress", stdout=out)
    return out.getvalue()


@pytest.fixture
def islington_with_people():
    run_import(ISLINGTON)
    call_command("create_demo_people", stdout=io.StringIO())


def test_demo_progress_is_loaded_once_and_flagged(islington_with_people):
    output = load()
    assert "Demo progress loaded" in output
    assert ProgressUpdate.objects.exists()
    assert not ProgressUpdate.objects.filter(is_demo=False).exists()
    assert Measurement.objects.exists() and not Measurement.objects.filter(is_demo=False).exists()
    assert Challenge.objects.exists() and not Challenge.objects.filter(is_demo=False).exists()
    assert all(u.narrative.startswith("Demo") for u in ProgressUpdate.objects.all())
    counts = (ProgressUpdate.objects.count(), Measurement.objects.count())
    assert "already loaded" in load()
    assert (ProgressUpdate.objects.count(), Measurement.objects.count()) == counts


def test_demo_progress_follows_the_rules(islington_with_people):
    load()
    # Every status reached is allowed, off-track updates explain themselves, and the demo cycle
    # has closed so a real one can be opened from today.
    assert not ProgressUpdate.objects.filter(status="off_track", narrative="").exists()
    assert Action.objects.filter(status="complete", progress=100).exists()
    cycle = ReportingCycle.objects.get(name="Demo reporting cycle")
    from django.utils import timezone

    assert cycle.close_date < timezone.localdate()


def test_demo_progress_needs_the_demo_people():
    run_import(ISLINGTON)
    with pytest.raises(CommandError, match="Create the demo people first"):
        load()


def test_demo_progress_refuses_production(settings, islington_with_people):
    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="local running only"):
        load()
    assert not ProgressUpdate.objects.exists()
