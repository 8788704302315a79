"""The two corrections reporting/stocktake/pdf_tags.py makes to WeasyPrint's tags, and the
structure checker of tests/reporting/pdf_structure.py that finds what they correct.

The `..._still_...` tests render with WeasyPrint alone and assert that it still gets the thing
wrong: when one fails after an upgrade, WeasyPrint has fixed it upstream and the correction in
pdf_tags.py (and its test here) can go.
"""

import pytest

from reporting.stocktake import pdf_tags
from tests.reporting import pdf_structure
from tests.reporting.stocktake_world import pdf_text

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><title>A tagged page</title><style>
@page {{ size: A6; margin: 20mm 10mm; @top-left {{ content: "Running head" }}
         @bottom-right {{ content: "Page " counter(page) " of " counter(pages) }} }}
{css}</style></head><body><main><h1>A heading</h1>{body}</main></body></html>"""

TABLE = """<table><caption>Numbers</caption>
<thead><tr><th scope="col">Area</th><th scope="col">Count</th></tr></thead>
<tbody><tr><th scope="row">Housing</th><td>3</td></tr></tbody></table>"""


def weasyprint(body="<p>Words.</p>", css=""):
    from weasyprint import HTML

    return HTML(string=PAGE.format(body=body, css=css)).write_pdf(pdf_variant="pdf/ua-1")


def test_weasyprint_still_writes_the_page_margins_as_content_outside_the_tree():
    """WeasyPrint #1836: running heads and page numbers are neither tagged nor artefacts."""
    raw = weasyprint()
    assert [p for p in pdf_structure.problems(raw) if "not in the structure tree" in p] == [
        "page 1: 2 marked content not in the structure tree nor an artefact"
    ]


def test_the_page_margins_become_pagination_artefacts_and_still_show():
    fixed = pdf_tags.fix(weasyprint())
    assert pdf_structure.problems(fixed) == []
    assert "Running head" in pdf_text(fixed) and "Page 1 of 1" in pdf_text(fixed)


def test_weasyprint_still_gives_header_cells_no_scope():
    """WeasyPrint #2508: `scope` on a <th> does not reach the TH's attributes."""
    problems = pdf_structure.problems(weasyprint(TABLE))
    assert [p for p in problems if "Scope" in p] == ["page 1: TH has no Scope"] * 3


def test_header_cells_get_the_scope_their_markup_says():
    import io

    import pikepdf

    fixed = pdf_tags.fix(weasyprint(TABLE))
    assert pdf_structure.problems(fixed) == []
    with pikepdf.open(io.BytesIO(fixed)) as pdf:
        tree = pdf_structure.Tree(pdf)
        scopes = [
            str(pdf_structure.attributes(node)["Scope"])
            for name, node, _parent, _page in tree.elements
            if name == "TH"
        ]
    assert scopes == ["/Column", "/Column", "/Row"]


@pytest.mark.parametrize(
    "body, css, problem",
    [
        # The stocktake's targets tables had a caption for screen readers positioned like this.
        (TABLE, "caption { position: absolute; left: -9999px }", "page 1: Table contains Table"),
        # A GOV.UK summary list: rows in <div>s.
        ("<dl><div><dt>Status</dt><dd>On track</dd></div></dl>", "", "page 1: L contains Div"),
        ("<p>One</p><h3>Skips a level</h3>", "", "page 1: H3 follows H1"),
        ('<img src="data:image/svg+xml,<svg/>">', "", "page 1: Figure has no alternative text"),
    ],
)
def test_the_structure_checker_finds_markup_weasyprint_cannot_tag_well(body, css, problem):
    """What the stocktake's markup and print.css now avoid, so the Islington check can fail."""
    assert problem in pdf_structure.problems(pdf_tags.fix(weasyprint(body, css)))
