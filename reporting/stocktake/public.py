"""The published stocktakes, for anyone, without signing in: the page, the PDF, the open data.

A stocktake that is not published does not exist here (404), whoever asks.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from config.db_router import reads_from_replica
from reporting.models import Stocktake
from reporting.stocktake import content as stocktake_content
from reporting.stocktake import opendata, suppression


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


@require_GET
@reads_from_replica
def public_stocktake(request, year: int):
    stocktake = _published(year)
    return render(
        request,
        "public/stocktake.html",
        {
            "stocktake": stocktake,
            "content": stocktake_content.for_stocktake(stocktake),
            "files": opendata.DATA_FILES,
        },
    )


@require_GET
@reads_from_replica
def public_stocktake_pdf(request, year: int):
    stocktake = _published(year)
    data = bytes(
        type(stocktake.published_render)
        .objects.values_list("pdf", flat=True)
        .get(pk=stocktake.published_render_id)
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="stocktake-{stocktake.year}.pdf"'
    return _licence_link(response)


@require_GET
@reads_from_replica
def public_stocktake_data(request, year: int):
    stocktake = _published(year)
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
    text = opendata.csv_text(stocktake_content.for_stocktake(stocktake), name)
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="stocktake-{stocktake.year}-{name}.csv"'
    )
    return _licence_link(response)
