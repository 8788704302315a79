"""A published stocktake as the public sees it: built once, then served from the cache.

Building a stocktake reads the framework's history (about 0.15 s), so the public page's content
and the open data files are built once per published version and kept in Django's cache. A
version is the stocktake's id, its publication moment and its latest redaction: removing an item
makes a new version, so nothing stale is ever served. The cache is warmed when a stocktake is
published or an item is removed; a cold cache (a restarted or another server) builds on the
first request.

Removing (redacting) an item puts "This item was removed on <date>: <reason>" in its place on
the page and leaves it out of the open data. The published PDF still holds the item and cannot
be made again while the page waits (it takes the background worker seconds to minutes), so it is
withdrawn until the programme team has it made again without the item (pdf_render).
"""

from django.core.cache import cache
from django.template.loader import render_to_string

from reporting.models import Stocktake, StocktakeRedaction, StocktakeRender
from reporting.stocktake import content as stocktake_content
from reporting.stocktake import opendata
from reporting.stocktake.content import StocktakeContent, long_date

PAGE = "page"
DATAPACKAGE = "datapackage.json"


def notice(redaction: StocktakeRedaction) -> str:
    return f"This item was removed on {long_date(redaction.redacted_at)}: {redaction.reason}"


def redact(content: StocktakeContent, redactions) -> StocktakeContent:
    """``content`` with each removed item replaced by its notice, everywhere it appears."""
    notices = {r.ref: notice(r) for r in redactions}
    if not notices:
        return content
    gone = set(notices)
    for area in content.areas:
        for action in area.actions:
            if action.ref in notices:
                gone.update(t.ref for t in action.targets)
                _blank_action(action, notices[action.ref])
                continue
            for target in action.targets:
                if target.ref in notices:
                    _blank_target(target, notices[target.ref])
            action.outcomes = [o for o in action.outcomes if o.ref not in gone]
        for outcome in area.outcomes:
            if outcome.ref in notices:
                _blank_outcome(outcome, notices[outcome.ref])
    for outcome in content.outcomes:
        outcome.target_refs = [ref for ref in outcome.target_refs if ref not in gone]
        outcome.action_refs = [ref for ref in outcome.action_refs if ref not in gone]
    changes = content.changes
    changes.added = [row for row in changes.added if row[0] not in gone]
    changes.status_changes = [c for c in changes.status_changes if c.ref not in gone]
    changes.targets_met = [
        t for t in changes.targets_met if t.ref not in gone and t.action_ref not in gone
    ]
    changes.new_values = [row for row in changes.new_values if row[0] not in gone]
    changes.kept_as_history = [row for row in changes.kept_as_history if row[0] not in gone]
    return content


def _blank_action(action, words: str) -> None:
    action.removed = words
    action.title = action.issue = action.planned_action = ""
    action.intended_outcome = action.evidence = action.closed_reason = ""
    action.characteristics, action.targets, action.outcomes = [], [], []
    action.latest_update = action.start_date = action.due_date = None


def _blank_target(target, words: str) -> None:
    target.removed = words
    target.description = target.due_text = target.unit = ""
    target.baseline = target.target_value = target.current_value = None
    target.due_date = target.met_on = None
    target.periods = []


def _blank_outcome(outcome, words: str) -> None:
    outcome.removed = words
    outcome.description = outcome.indicator = outcome.group = outcome.dimension = ""
    outcome.baseline = outcome.target_value = outcome.target_date = None
    outcome.group_share = outcome.benchmark_share = None
    outcome.target_refs, outcome.action_refs, outcome.periods = [], [], []
    outcome.trend_chart = outcome.shares_chart = None


def redactions(stocktake: Stocktake) -> list[StocktakeRedaction]:
    return list(stocktake.redactions.select_related("redacted_by"))


def public_content(stocktake: Stocktake, removed=None) -> StocktakeContent:
    """What the public reads: the content as at the stocktake's moment, less what was removed."""
    removed = redactions(stocktake) if removed is None else removed
    return redact(stocktake_content.for_stocktake(stocktake), removed)


def pdf_render(stocktake: Stocktake, removed) -> StocktakeRender | None:
    """The PDF the public may download: the published one, or once items have been removed, one
    made again without them (None until it is ready)."""
    if not removed:
        return stocktake.published_render
    return (
        stocktake.renders.defer("pdf")
        .filter(
            state=StocktakeRender.State.READY,
            as_at=stocktake.as_at,
            requested_at__gt=max(r.redacted_at for r in removed),
        )
        .order_by("-requested_at", "-id")
        .first()
    )


def _key(stocktake: Stocktake, removed, name: str) -> str:
    version = max((r.pk for r in removed), default=0)
    published = stocktake.published_at.timestamp() if stocktake.published_at else 0
    remade = pdf_render(stocktake, removed) if removed else None
    return (
        f"public-stocktake:{stocktake.pk}:{published}:{version}:{remade.pk if remade else 0}:{name}"
    )


def build(stocktake: Stocktake, removed) -> dict[str, bytes]:
    """Every public output of one version: the page's content and each file, as bytes."""
    content = public_content(stocktake, removed)
    page = render_to_string(
        "reporting/stocktake/document.html",
        {
            "content": content,
            "for_pdf": False,
            "downloads_template": "public/_downloads.html",
            "stocktake": stocktake,
            "pdf_render": pdf_render(stocktake, removed),
        },
    )
    built = {PAGE: page.encode("utf-8")}
    for name in opendata.ALL_FILES:
        built[name] = opendata.csv_text(content, name).encode("utf-8")
    built[DATAPACKAGE] = opendata.datapackage_json(
        content, published_at=stocktake.published_at
    ).encode("utf-8")
    return built


def output(stocktake: Stocktake, name: str, removed=None) -> bytes:
    """One public output (PAGE, a file's name or DATAPACKAGE), from the cache if it is there."""
    removed = redactions(stocktake) if removed is None else removed
    data = cache.get(_key(stocktake, removed, name))
    if data is None:
        data = warm(stocktake, removed)[name]
    return data


def warm(stocktake: Stocktake, removed=None) -> dict[str, bytes]:
    """Build one version's outputs and keep them (without expiry: a version never changes)."""
    removed = redactions(stocktake) if removed is None else removed
    built = build(stocktake, removed)
    cache.set_many({_key(stocktake, removed, name): data for name, data in built.items()}, None)
    return built
