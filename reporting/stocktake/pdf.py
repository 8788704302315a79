"""The stocktake as a tagged PDF (PDF/UA-1), rendered by WeasyPrint.

Only the background task (reporting.tasks) and the build_stocktake command call this: rendering
takes seconds, never a web request's time.
"""

import logging
import time
from dataclasses import dataclass

from django.template.loader import render_to_string

from reporting.stocktake import pdf_tags
from reporting.stocktake.content import StocktakeContent

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}

# WeasyPrint reports every step of its work at INFO: keep its warnings and errors only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def cache_page_references() -> None:
    """Make tagged PDFs take time in proportion to their pages again.

    pydyf (0.13) rebuilds the tuple of every page's reference each time ``PDF.page_references``
    is read, and WeasyPrint's PDF/UA tagging reads it once for every structure element, so the
    time grew with pages × elements (a 280-page stocktake spent more time there than in layout).
    The tuple changes only when a page is added, so it is kept until the number of pages changes.
    The answer is the same; only the time differs (tests/reporting/test_stocktake_pdf.py).
    """
    import pydyf

    original = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(original, property) or getattr(original.fget, "cached", False):
        return

    def page_references(pdf):
        kids = pdf.pages["Kids"]
        cached = pdf.__dict__.get("_cached_page_references")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), original.fget(pdf))
            pdf.__dict__["_cached_page_references"] = cached
        return cached[1]

    page_references.cached = True
    pydyf.PDF.page_references = property(page_references)


@dataclass
class RenderedPdf:
    data: bytes
    pages: int
    html_seconds: float  # our own work: the template
    weasyprint_seconds: float  # WeasyPrint's: layout and writing the PDF


def document_html(content: StocktakeContent) -> str:
    return render_to_string("reporting/stocktake/pdf.html", {"content": content})


def render(content: StocktakeContent) -> RenderedPdf:
    from weasyprint import HTML  # imported here: it is slow to import and only the worker needs it

    cache_page_references()
    started = time.perf_counter()
    html = document_html(content)
    templated = time.perf_counter()
    document = HTML(string=html).render(**PDF_OPTIONS)
    data = pdf_tags.fix(document.write_pdf(**PDF_OPTIONS))
    finished = time.perf_counter()
    return RenderedPdf(
        data=data,
        pages=len(document.pages),
        html_seconds=templated - started,
        weasyprint_seconds=finished - templated,
    )
