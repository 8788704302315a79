"""The stocktake as a tagged PDF (PDF/UA-1), rendered by WeasyPrint.

Only the background task (reporting.tasks) and the build_stocktake command call this: rendering
takes seconds, never a web request's time.
"""

import logging
import multiprocessing
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
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
    import pydyf  # noqa: PLC0415 (WeasyPrint's PDF writer: only the worker needs it)

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

    page_references.cached = True  # type: ignore[attr-defined]  # marks the patch as made
    pydyf.PDF.page_references = property(page_references)


def static_roots() -> list[Path]:
    """The folders of the project's own static files."""
    # An entry is a folder or (prefix, folder).
    roots = [
        Path(str(d[1] if isinstance(d, tuple | list) else d)) for d in settings.STATICFILES_DIRS
    ]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


def url_fetcher():
    """WeasyPrint's fetcher for the stocktake: `data:` URLs and files in the project's own static
    folders, nothing else (no network, no other file). The PDF's charts are `data:` URLs."""
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 (slow to import; only the worker needs it)

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                parts = urlsplit(url)
                path = Path(url2pathname(parts.path)).resolve()
                inside = any(path.is_relative_to(root) for root in static_roots())
                if parts.netloc in ("", "localhost") and inside and path.is_file():
                    return super().fetch(path.as_uri(), headers)
            raise ValueError(f"The stocktake PDF uses only its own static files, not {url}")

    return StaticOnly(allowed_protocols=("data", "file"), allow_redirects=False)


@dataclass
class RenderedPdf:
    data: bytes
    pages: int
    html_seconds: float  # our own work: the template
    weasyprint_seconds: float  # WeasyPrint's: layout and writing the PDF


def document_html(content: StocktakeContent) -> str:
    return render_to_string("reporting/stocktake/pdf.html", {"content": content})


def render(content: StocktakeContent) -> RenderedPdf:
    """The stocktake's PDF. WeasyPrint lays it out in a child process of its own, which ends
    when the PDF is made: the hundreds of megabytes a long document's layout takes go back to
    the system then, not to a worker process that keeps them until it stops (Python seldom gives
    memory back). The child has only the HTML: it never touches the database."""
    started = time.perf_counter()
    html = document_html(content)
    templated = time.perf_counter()
    data, pages = in_child_process(pdf_from_html, html)
    return RenderedPdf(
        data=data,
        pages=pages,
        html_seconds=templated - started,
        weasyprint_seconds=time.perf_counter() - templated,
    )


def pdf_from_html(html: str) -> tuple[bytes, int]:
    """The tagged PDF of the stocktake's HTML, and its number of pages."""
    from weasyprint import HTML  # noqa: PLC0415 (slow to import; only the worker needs it)

    cache_page_references()
    document = HTML(string=html, url_fetcher=url_fetcher()).render(**PDF_OPTIONS)
    pages = len(document.pages)
    raw = document.write_pdf(**PDF_OPTIONS)
    del document  # its layout is most of the memory: let it go before the tags are corrected
    return pdf_tags.fix(raw), pages


class RendererStopped(RuntimeError):
    """The child process making the PDF ended without one (killed, or out of memory)."""


def in_child_process(function, *args):
    """function(*args), run in a forked child process; its result or its exception comes back."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run_and_send, args=(sender, function, args), daemon=True)
    child.start()
    sender.close()
    try:
        ok, result = receiver.recv()
    except EOFError:
        child.join()
        raise RendererStopped(
            f"The PDF renderer stopped without a PDF (exit code {child.exitcode})"
        ) from None
    finally:
        receiver.close()
    child.join()
    if not ok:
        raise result
    return result


def _run_and_send(sender, function, args) -> None:
    try:
        outcome = (True, function(*args))
    except Exception as error:  # sent to the parent, which raises it
        outcome = (False, error)
    try:
        sender.send(outcome)
    except Exception:  # an exception that cannot be pickled: its words, then
        failure = outcome[1]
        sender.send((False, RuntimeError(f"{type(failure).__name__}: {failure}")))
    sender.close()
