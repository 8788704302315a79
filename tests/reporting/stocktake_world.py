"""The test world with progress for a stocktake, and helpers to read what a stocktake says.

Adds to tests.world: progress on HOU-01 (on track, with a narrative) and PH-01 (complete), a
private action HOU-03 with a target and an outcome that serves only it, and values of HOU-O01
broken down by group, one of them a small number (3).
"""

import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from actions import services
from actions.models import Status
from reporting.models import Stocktake
from targets import services as target_services
from tests import factories

SMALL = Decimal(3)


@dataclass
class StocktakeWorld:
    world: object
    private: object  # HOU-03, not public
    private_target: object
    private_outcome: object


def progress(action, user, status, progress_, narrative=""):
    action.refresh_from_db()
    return services.record_progress(
        action=action,
        user=user,
        status=status,
        progress=progress_,
        narrative=narrative,
        seen_version=action.version,
    )


def measure(indicator, user, period_end, total, breakdown=(), dimension="ethnicity"):
    return target_services.add_measurement(
        indicator=indicator,
        user=user,
        period_end=period_end,
        total=Decimal(total),
        dimension=dimension,
        breakdown=[(group, Decimal(value)) for group, value in breakdown],
    )


@pytest.fixture(name="stocktake_world")
def stocktake_world_fixture(world) -> StocktakeWorld:
    import datetime

    progress(world.action, world.director, Status.ON_TRACK, 40, "Panels recruited in two areas")
    progress(world.other_action, world.other_director, Status.ON_TRACK, 90, "Nearly there")
    progress(world.other_action, world.other_director, Status.COMPLETE, 100, "Delivered")
    private = factories.action(
        "HOU-03",
        area=world.housing,
        title="Confidential pilot with a named estate",
        is_public=False,
    )
    private_target = factories.target(
        "HOU-T03", action_=private, description="Secret pilot milestone"
    )
    private_outcome = factories.outcome(
        "HOU-O02", area=world.housing, description="Outcome of the confidential pilot only"
    )
    private_outcome.targets.add(private_target)
    measure(
        world.outcome,
        world.director,
        datetime.date(2026, 3, 31),
        40,
        [("Black, Asian and Minority Ethnic", 20), ("White", 20)],
    )
    measure(
        world.outcome,
        world.director,
        datetime.date(2026, 6, 30),
        60,
        [("Black, Asian and Minority Ethnic", SMALL), ("White", 50), ("Mixed", 7)],
    )
    return StocktakeWorld(world, private, private_target, private_outcome)


def draft(year=2026, as_at=None, **fields) -> Stocktake:
    return Stocktake.objects.create(year=year, as_at=as_at or timezone.now(), **fields)


def published(year, *, as_at=None, published_at=None, by=None, pdf=b"%PDF-1.7 test") -> Stocktake:
    """A published stocktake, with a (pretend) PDF."""
    from reporting.models import StocktakeRender

    as_at = as_at or timezone.now()
    stocktake = Stocktake.objects.create(year=year, as_at=as_at, created_by=by)
    render = StocktakeRender.objects.create(
        stocktake=stocktake, as_at=as_at, state="ready", pdf=pdf, pages=1, size=len(pdf)
    )
    stocktake.state = Stocktake.State.PUBLISHED
    stocktake.published_at = published_at or timezone.now()
    stocktake.published_by = by
    stocktake.published_render = render
    stocktake.save()
    return stocktake


def pdf_text(data: bytes) -> str:
    """The PDF's text, extracted with pypdf, with runs of white space made single spaces."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def html_text(html: str) -> str:
    """The visible words of a page: tags dropped, white space collapsed."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text)
