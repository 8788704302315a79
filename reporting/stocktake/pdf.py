"""The stocktake as a tagged PDF (PDF/UA-1), rendered by WeasyPrint.

Only the background task (reporting.tasks) and the build_stocktake command call this: rendering
takes seconds, never a web request's time.
"""

import logging
import time
from dataclasses import dataclass

from django.template.loader import render_to_string

from reporting.stocktake.content import StocktakeContent

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}

# WeasyPrint reports every step of its work at INFO: keep its warnings and errors only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


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

    started = time.perf_counter()
    html = document_html(content)
    templated = time.perf_counter()
    document = HTML(string=html).render(**PDF_OPTIONS)
    data = document.write_pdf(**PDF_OPTIONS)
    finished = time.perf_counter()
    return RenderedPdf(
        data=data,
        pages=len(document.pages),
        html_seconds=templated - started,
        weasyprint_seconds=finished - templated,
    )
