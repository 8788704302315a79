"""The programme team's stocktake pages: start, preview, make the PDF, publish, start next year.

Only the programme team may use them (403 for anyone else signed in). The PDF is made by the
background worker; the page polls its status with HTMX, or offers "Check again" without
JavaScript.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.forms import add_service_errors
from config.htmx import back_with_message, is_partial
from config.roles import programme_team_required
from reporting.models import Stocktake, StocktakeRender
from reporting.stocktake import content as stocktake_content
from reporting.stocktake import published, services
from reporting.stocktake.forms import AsAtForm, StartForm

DETAIL = "reporting/stocktake/detail.html"


def _stocktake(year: int) -> Stocktake:
    return get_object_or_404(
        Stocktake.objects.select_related("baseline", "created_by", "published_by", "withdrawn_by"),
        year=year,
    )


@require_http_methods(["GET", "POST"])
@programme_team_required("prepare the stocktake")
def stocktake_list(request):
    stocktakes = list(
        Stocktake.objects.select_related("created_by", "published_by").order_by("-year")
    )
    today = timezone.localdate()
    form = None
    status = 200
    if not stocktakes or request.method == "POST":
        form = StartForm(request.POST or None, initial={"year": today.year, "as_at": today})
    if request.method == "POST":
        if stocktakes:
            form.add_error(
                "year",
                "Start later years from the published stocktake before them, "
                "so that open actions carry forward",
            )
        elif form.is_valid():
            try:
                stocktake = services.start_stocktake(
                    year=form.cleaned_data["year"],
                    day=form.cleaned_data["as_at"],
                    user=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"The {stocktake.year} stocktake has been started.")
                return redirect("stocktake-detail", year=stocktake.year)
        status = 422
    return render(
        request,
        "reporting/stocktake/list.html",
        {"stocktakes": stocktakes, "form": form, "has_errors": status == 422},
        status=status,
    )


def _pdf_context(stocktake: Stocktake) -> dict:
    latest = services.give_up_if_stalled(services.latest_render(stocktake))
    return {
        "stocktake": stocktake,
        "render": latest,
        "render_is_current": services.is_current(latest, stocktake),
    }


def _detail_context(request, stocktake: Stocktake, *, as_at_form=None) -> dict:
    context = _pdf_context(stocktake)
    built = stocktake_content.for_stocktake(stocktake)
    context.update(
        {
            "content": built,
            "as_at_form": as_at_form
            or (
                None
                if stocktake.is_published
                else AsAtForm(initial={"as_at": timezone.localdate(stocktake.as_at)})
            ),
            "attempts": list(stocktake.renders.defer("pdf").select_related("requested_by")[:5]),
            "following": stocktake.following_years.first(),
            "redactions": list(stocktake.redactions.select_related("redacted_by")),
        }
    )
    if stocktake.baseline is not None:
        carried, kept = stocktake_content.carried_forward(stocktake.baseline, stocktake.as_at)
        context.update({"carried": carried, "kept": kept})
    return context


@require_GET
@programme_team_required("prepare the stocktake")
def stocktake_detail(request, year: int):
    stocktake = _stocktake(year)
    if is_partial(request):
        # The PDF's status, polled every two seconds while it is being made.
        return render(request, DETAIL + "#pdf-status", _pdf_context(stocktake))
    return render(request, DETAIL, _detail_context(request, stocktake))


@require_POST
@programme_team_required("prepare the stocktake")
def stocktake_as_at(request, year: int):
    stocktake = _stocktake(year)
    form = AsAtForm(request.POST)
    if form.is_valid():
        try:
            stocktake = services.change_as_at(
                stocktake=stocktake, day=form.cleaned_data["as_at"], user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The stocktake is now as at {timezone.localtime(stocktake.as_at):%-d %B %Y}. "
                "Make the PDF again before publishing.",
            )
            return redirect("stocktake-detail", year=stocktake.year)
    context = _detail_context(request, stocktake, as_at_form=form)
    context["has_errors"] = True
    return render(request, DETAIL, context, status=422)


@require_POST
@programme_team_required("prepare the stocktake")
def stocktake_render(request, year: int):
    """Ask for the PDF (again). The background worker makes it."""
    stocktake = _stocktake(year)
    problem = ""
    try:
        services.request_pdf(stocktake=stocktake, user=request.user)
    except ValidationError as error:
        problem = " ".join(error.messages)
    if is_partial(request):
        context = {**_pdf_context(stocktake), "problem": problem}
        return render(request, DETAIL + "#pdf-status", context, status=409 if problem else 200)
    page = reverse("stocktake-detail", args=[stocktake.year])
    if problem:
        return back_with_message(request, page, problem, level=messages.ERROR)
    return back_with_message(
        request, page, "The PDF is being made. This page shows when it is ready."
    )


def _pdf_response(render: StocktakeRender, filename: str) -> HttpResponse:
    data = bytes(render.pdf or b"")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Length"] = str(len(data))
    return response


@require_GET
@programme_team_required("prepare the stocktake")
def stocktake_pdf(request, year: int):
    """The latest PDF that was made (published or not), for the programme team."""
    stocktake = _stocktake(year)
    ready = stocktake.renders.filter(state=StocktakeRender.State.READY).first()
    if ready is None:
        raise Http404("No PDF has been made for this stocktake yet.")
    suffix = "" if stocktake.is_published else "-draft"
    return _pdf_response(ready, f"stocktake-{stocktake.year}{suffix}.pdf")


@require_GET
@programme_team_required("prepare the stocktake")
def stocktake_preview(request, year: int):
    stocktake = _stocktake(year)
    return render(
        request,
        "reporting/stocktake/preview.html",
        {"stocktake": stocktake, "content": stocktake_content.for_stocktake(stocktake)},
    )


@require_http_methods(["GET", "POST"])
@programme_team_required("prepare the stocktake")
def stocktake_publish(request, year: int):
    stocktake = _stocktake(year)
    if stocktake.is_published:
        messages.success(request, f"The {stocktake.year} stocktake is already published.")
        return redirect("stocktake-detail", year=stocktake.year)
    problem = ""
    if request.method == "POST":
        try:
            stocktake = services.publish(stocktake=stocktake, user=request.user)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            published.warm(stocktake)  # built once, now, so the public never waits for it
            messages.success(
                request,
                f"The {stocktake.year} stocktake is published. Anyone can now read it, "
                "download the PDF and the open data, without signing in.",
            )
            return redirect("stocktake-detail", year=stocktake.year)
    context = _pdf_context(stocktake)
    context["problem"] = problem
    return render(
        request, "reporting/stocktake/publish.html", context, status=422 if problem else 200
    )


@require_http_methods(["GET", "POST"])
@programme_team_required("prepare the stocktake")
def stocktake_next_year(request, year: int):
    stocktake = _stocktake(year)
    following = stocktake.following_years.first()
    if following is not None:
        messages.success(request, f"The {following.year} stocktake has already been started.")
        return redirect("stocktake-detail", year=following.year)
    problem = ""
    if request.method == "POST":
        try:
            following = services.start_next_year(stocktake=stocktake, user=request.user)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            carried, kept = stocktake_content.carried_forward(stocktake, following.as_at)
            messages.success(
                request,
                f"The {following.year} stocktake has been started: {len(carried)} "
                f"action{'s' if len(carried) != 1 else ''} carried forward, {len(kept)} kept as "
                f"history in the {stocktake.year} stocktake.",
            )
            return redirect("stocktake-detail", year=following.year)
    carried, kept = stocktake_content.carried_forward(stocktake, timezone.now())
    return render(
        request,
        "reporting/stocktake/next_year.html",
        {
            "stocktake": stocktake,
            "next_year": stocktake.year + 1,
            "carried": carried,
            "kept": kept,
            "problem": problem,
        },
        status=422 if problem else 200,
    )
