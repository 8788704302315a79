"""The stocktake PDF: what its text says, that it is tagged PDF/UA, that it is reproducible, and the
build_stocktake command."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from actions.models import Action, Status
from reporting.stocktake import content, pdf
from tests.reporting.stocktake_world import (
    measure,
    pdf_text,
    progress,
)

pytestmark = pytest.mark.django_db


def render(as_at=None, year=2026):
    built = content.build(year=year, as_at=as_at or timezone.now())
    return pdf.render(built)


def structure(reader):
    """Every structure element under the StructTreeRoot, as (type, element) pairs."""
    found = []

    def walk(node):
        node = node.get_object()
        if hasattr(node, "get") and node.get("/S"):
            found.append((str(node["/S"]), node))
        kids = node.get("/K") if hasattr(node, "get") else None
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(kid, "get"):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_pdf_names_every_public_action_with_its_status_and_no_private_one(stocktake_world):
    text = pdf_text(render().data)
    assert "HOU-01: Diverse housing panels" in text
    assert "HOU-02: Tenant engagement" in text
    assert "PH-01: Diabetes prevention" in text
    assert "Panels recruited in two areas" in text
    # Each action's status, as its tag says it, just under its title.
    assert "HOU-01: Diverse housing panels Status: On track % complete: 40%" in text
    assert "HOU-02: Tenant engagement Status: Not started % complete: 0%" in text
    assert "PH-01: Diabetes prevention Status: Complete % complete: 100%" in text
    for secret in ("HOU-03", "Confidential pilot", "Secret pilot", "HOU-O02"):
        assert secret not in text
    assert "fewer than 5" in text


def test_the_pdf_is_tagged_with_title_language_and_alternative_text(stocktake_world):
    rendered = render()
    reader = PdfReader(io.BytesIO(rendered.data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "Challenging Inequality Programme: annual stocktake 2026"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    elements = structure(reader)
    kinds = {kind for kind, _ in elements}
    assert {"/Document", "/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Figure", "/L"} <= kinds
    figures = [element for kind, element in elements if kind == "/Figure"]
    # Charts: status by area for the strand, the outcome's trend, and its shares by group.
    assert len(figures) >= 3
    for figure in figures:
        assert str(figure.get("/Alt", "")).strip(), "a figure without alternative text"
    alts = " ".join(str(f["/Alt"]) for f in figures)
    assert "Actions by status in each service area" in alts
    assert "HOU-O01: People into work" in alts
    # PDF/UA-1 says so in its XMP metadata.
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()
    assert rendered.pages == len(reader.pages) >= 5


def test_the_pdf_has_page_numbers_and_a_contents_page_with_page_numbers(stocktake_world):
    reader = PdfReader(io.BytesIO(render().data))
    pages = len(reader.pages)
    assert f"Page 2 of {pages}" in reader.pages[1].extract_text()
    contents = reader.pages[1].extract_text()
    assert "Contents" in contents
    # "Housing ........ 5": each entry ends with the page it starts on.
    housing = next(line for line in contents.splitlines() if line.startswith("Housing"))
    page = int(housing.rstrip().split()[-1])
    assert "Diverse housing panels" in reader.pages[page - 1].extract_text()


def test_cached_page_references_stay_right_as_pages_are_added():
    import pydyf

    pdf.cache_page_references()
    document = pydyf.PDF()
    assert document.page_references == ()
    document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = document.page_references
    assert first == tuple(f"{n} 0 R".encode() for n in document.pages["Kids"][::3])
    document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(document.page_references) == 2
    assert document.page_references[0] == first[0]
    assert document.page_references == tuple(
        f"{n} 0 R".encode() for n in document.pages["Kids"][::3]
    )


def test_building_again_for_the_same_moment_gives_the_same_text(stocktake_world):
    world = stocktake_world.world
    as_at = timezone.now()
    first = pdf_text(render(as_at).data)
    progress(world.action, world.director, Status.OFF_TRACK, 45, "Went wrong after the date")
    Action.objects.filter(ref="HOU-02").first().characteristics.add("age")
    measure(world.outcome, world.director, datetime.date(2026, 9, 30), 900)
    private = stocktake_world.private
    private.is_public = True
    private.save()
    again = pdf_text(render(as_at).data)
    assert again == first
    assert "Went wrong after the date" in pdf_text(render().data)


def test_the_command_writes_the_pdf(stocktake_world, tmp_path):
    output = tmp_path / "stocktake.pdf"
    out = io.StringIO()
    call_command("build_stocktake", "--year", "2026", "--output", str(output), stdout=out)
    text = pdf_text(output.read_bytes())
    assert "Diverse housing panels" in text
    assert "Confidential pilot" not in text
    assert "Wrote" in out.getvalue() and "3 public actions" in out.getvalue()


def test_the_command_as_at_a_day_shows_that_day(stocktake_world, tmp_path):
    output = tmp_path / "old.pdf"
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    call_command(
        "build_stocktake",
        "--year",
        "2026",
        "--as-at",
        yesterday.isoformat(),
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    text = pdf_text(output.read_bytes())
    # Everything in the test world was recorded today, after the end of yesterday.
    assert "Diverse housing panels" not in text
    assert f"Progress as at {yesterday.day} {yesterday:%B %Y}" in text


@pytest.mark.parametrize(
    "as_at, message",
    [
        ("31/03/2026", '--as-at: "31/03/2026" is not a date (use YYYY-MM-DD)'),
        ("2999-01-01", "--as-at: The ‘as at’ date must be today or in the past"),
    ],
)
def test_the_command_refuses_bad_dates(world, tmp_path, as_at, message):
    with pytest.raises(CommandError) as error:
        call_command(
            "build_stocktake", "--year", "2026", "--as-at", as_at, "--output", str(tmp_path / "x")
        )
    assert str(error.value) == message


def test_the_command_refuses_a_missing_folder(world, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "build_stocktake", "--year", "2026", "--output", str(tmp_path / "no" / "x.pdf")
        )


def _pid_and_double(number):
    import os

    return os.getpid(), number * 2


def _fail():
    raise ValueError("The layout went wrong")


def _die():
    import os

    os._exit(9)


def test_the_pdf_is_laid_out_in_a_child_process_whose_result_comes_back():
    import os

    child, doubled = pdf.in_child_process(_pid_and_double, 21)
    assert doubled == 42 and child != os.getpid()


def test_an_error_in_the_child_process_is_raised_in_the_worker():
    with pytest.raises(ValueError, match="The layout went wrong"):
        pdf.in_child_process(_fail)


def test_a_child_process_that_dies_is_reported_not_waited_for():
    with pytest.raises(pdf.RendererStopped, match="exit code 9"):
        pdf.in_child_process(_die)
