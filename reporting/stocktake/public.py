"""The published stocktakes, for anyone, without signing in: the page, the PDF, the open data.

A stocktake that is not published does not exist here (404), whoever asks. The page's content
and the files come from the cache (reporting.stocktake.published), built once per version.

A withdrawn stocktake's page remains, saying when and why, with no content; its files answer
410 Gone with a page saying the same. Once an item has been removed, the PDF (which still holds
it) answers 410 too, until a PDF without it is published.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from config.db_router import reads_from_replica
from reporting.models import Stocktake
from reporting.stocktake import content as stocktake_content
from reporting.stocktake import opendata, published, suppression


def _published(year: int) -> Stocktake:
    return get_object_or_404(
        Stocktake.objects.select_related("baseline", "published_render").defer(
            "published_render__pdf"
        ),
        year=year,
        state=Stocktake.State.PUBLISHED,
    )


def _licence_link(response: HttpResponse) -> HttpResponse:
    response["Link"] = f'<{stocktake_content.OGL_URL}>; rel="license"'
    return response


@require_GET
@reads_from_replica
def public_stocktakes(request):
    stocktakes = list(
        Stocktake.objects.filter(state=Stocktake.State.PUBLISHED)
        .select_related("published_render")
        .defer("published_render__pdf")
        .order_by("-year")
    )
    return render(request, "public/stocktakes.html", {"stocktakes": stocktakes})


def _gone(request, stocktake: Stocktake, what: str, removed=()) -> HttpResponse:
    """410 Gone: the file was published, and has been withdrawn."""
    return render(
        request,
        "public/withdrawn_file.html",
        {"stocktake": stocktake, "what": what, "removed": removed},
        status=410,
    )


@require_GET
@reads_from_replica
def public_stocktake(request, year: int):
    stocktake = _published(year)
    removed = published.redactions(stocktake)
    document = None
    if not stocktake.is_withdrawn:
        document = mark_safe(published.output(stocktake, published.PAGE, removed).decode())
    return render(
        request,
        "public/stocktake.html",
        {
            "stocktake": stocktake,
            "document": document,
            "title": f"{settings.PROGRAMME_NAME}: annual stocktake {stocktake.year}",
            "removed": removed,
        },
    )


@require_GET
@reads_from_replica
def public_stocktake_pdf(request, year: int):
    stocktake = _published(year)
    if stocktake.is_withdrawn:
        return _gone(request, stocktake, "The PDF")
    removed = published.redactions(stocktake)
    render = published.pdf_render(stocktake, removed)
    if render is None:
        return _gone(request, stocktake, "The PDF", removed)
    data = bytes(type(render).objects.values_list("pdf", flat=True).get(pk=render.pk) or b"")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="stocktake-{stocktake.year}.pdf"'
    return _licence_link(response)


@require_GET
@reads_from_replica
def public_stocktake_data(request, year: int):
    stocktake = _published(year)
    if stocktake.is_withdrawn:
        return _gone(request, stocktake, "The open data")
    return render(
        request,
        "public/data.html",
        {
            "stocktake": stocktake,
            "files": opendata.DATA_FILES,
            "dictionary": opendata.DICTIONARY,
            "licence_name": stocktake_content.OGL_NAME,
            "licence_url": stocktake_content.OGL_URL,
            "fewer_than": suppression.fewer_than(),
        },
    )


@require_GET
@reads_from_replica
def public_stocktake_csv(request, year: int, name: str):
    if name not in opendata.ALL_FILES:
        raise Http404("There is no such file.")
    stocktake = _published(year)
    if stocktake.is_withdrawn:
        return _gone(request, stocktake, "The open data")
    response = HttpResponse(
        published.output(stocktake, name), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="stocktake-{stocktake.year}-{name}.csv"'
    )
    return _licence_link(response)


@require_GET
def public_stocktake_datapackage(request, year: int):
    """The Frictionless Data Package describing the CSV files beside it."""
    stocktake = _published(year)
    if stocktake.is_withdrawn:
        return _gone(request, stocktake, "The open data")
    response = HttpResponse(
        published.output(stocktake, published.DATAPACKAGE),
        content_type="application/json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"  # so a data portal's page can load it
    return _licence_link(response)
