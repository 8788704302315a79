"""A PDF whose worker died, stuck or never started is noticed, given up on and made again at once.

(A real worker killed while making a PDF: tests/reporting/test_worker_restarts.py.)
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import StocktakeRender
from reporting.stocktake import services
from tests.reporting.stocktake_world import draft

pytestmark = pytest.mark.django_db
State = StocktakeRender.State


@pytest.fixture
def team(as_user, world):
    return as_user(world.team)


def attempt(stocktake, *, state=State.RENDERING, started=0, heard=None) -> StocktakeRender:
    """An attempt begun `started` seconds ago whose worker was last heard from `heard` ago."""
    now = timezone.now()
    render = StocktakeRender.objects.create(stocktake=stocktake, as_at=stocktake.as_at)
    StocktakeRender.objects.filter(pk=render.pk).update(
        state=state,
        requested_at=now - datetime.timedelta(seconds=started + 1),
        started_at=now - datetime.timedelta(seconds=started) if state == State.RENDERING else None,
        heartbeat_at=None if heard is None else now - datetime.timedelta(seconds=heard),
    )
    render.refresh_from_db()
    return render


def test_a_render_whose_worker_went_silent_fails_with_a_plain_message_and_is_made_again_at_once(
    team, stocktake_world
):
    stocktake = draft(2026)
    lost = attempt(stocktake, started=60, heard=31)  # three 10-second heartbeats missed
    page = team.get(reverse("stocktake-detail", args=[2026])).content.decode()
    assert "The PDF could not be made." in page
    assert "The background worker stopped before the PDF was made." in page
    assert "Try again" in page
    lost.refresh_from_db()
    assert (lost.state, lost.error) == ("failed", services.WORKER_LOST)
    assert lost.finished_at is not None
    team.post(reverse("stocktake-render", args=[2026]))
    assert [r.state for r in stocktake.renders.order_by("id")] == ["failed", "ready"]


def test_a_render_whose_worker_is_still_beating_is_left_to_finish(team, stocktake_world):
    stocktake = draft(2026)
    busy = attempt(stocktake, started=120, heard=5)
    again = team.post(reverse("stocktake-render", args=[2026]), headers={"HX-Request": "true"})
    assert again.status_code == 409
    assert "The PDF is already being made" in again.content.decode()
    busy.refresh_from_db()
    assert busy.state == "rendering"
    assert stocktake.renders.count() == 1


def test_a_render_past_the_time_limit_is_given_up_even_if_its_worker_still_beats(
    team, stocktake_world
):
    stocktake = draft(2026)
    stuck = attempt(stocktake, started=601, heard=1)
    team.post(reverse("stocktake-render", args=[2026]))
    stuck.refresh_from_db()
    assert stuck.state == "failed"
    assert stuck.error.startswith("Making the PDF took longer than 10 minutes")
    assert services.latest_render(stocktake).state == "ready"


def test_an_attempt_given_up_on_is_not_made_if_its_task_turns_up_later(stocktake_world):
    stocktake = draft(2026)
    lost = attempt(stocktake, started=60, heard=40)
    services.give_up_if_stalled(lost)
    services.make_pdf(lost.pk)  # the old task delivered again, say by a restarted worker
    lost.refresh_from_db()
    assert (lost.state, lost.pdf) == ("failed", None)


def test_a_task_delivered_twice_makes_the_pdf_once(team, stocktake_world):
    team.post(reverse("stocktake-render", args=[2026]))  # no stocktake yet: nothing happens
    stocktake = draft(2026)
    team.post(reverse("stocktake-render", args=[2026]))
    render = services.latest_render(stocktake)
    finished = render.finished_at
    services.make_pdf(render.pk)
    render.refresh_from_db()
    assert (render.state, render.finished_at) == ("ready", finished)
    assert stocktake.renders.count() == 1


@pytest.mark.parametrize(
    ("state", "started", "heard", "stalled"),
    [
        (State.QUEUED, 0, None, False),
        (State.QUEUED, 901, None, True),
        (State.RENDERING, 20, None, False),  # no heartbeat yet: counted from the start
        (State.RENDERING, 31, None, True),
        (State.RENDERING, 300, 29, False),
        (State.RENDERING, 300, 31, True),
        (State.READY, 5000, 5000, False),
        (State.FAILED, 5000, 5000, False),
    ],
)
def test_what_counts_as_stalled(stocktake_world, state, started, heard, stalled):
    render = attempt(draft(2026), state=state, started=started, heard=heard)
    assert services.is_stalled(render) is stalled
