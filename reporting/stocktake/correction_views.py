"""The programme team's pages for correcting a published stocktake: withdraw it, remove an item.

Each is a GOV.UK confirmation page: what will happen, a reason the public page will show, and a
button; afterwards the stocktake's page says what was done, by whom and why.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from config.forms import add_service_errors
from config.roles import programme_team_required
from reporting.stocktake import corrections
from reporting.stocktake.forms import RedactForm, WithdrawForm
from reporting.stocktake.views import _stocktake


def _not_correctable(request, stocktake):
    """Where to send someone who asks to correct a draft or an already withdrawn stocktake."""
    if not stocktake.is_published:
        messages.error(
            request, "Only a published stocktake can be withdrawn or have items removed."
        )
    else:
        messages.error(request, f"The {stocktake.year} stocktake has already been withdrawn.")
    return redirect("stocktake-detail", year=stocktake.year)


@require_http_methods(["GET", "POST"])
@programme_team_required("correct a published stocktake")
def stocktake_withdraw(request, year: int):
    stocktake = _stocktake(year)
    if not stocktake.is_published or stocktake.is_withdrawn:
        return _not_correctable(request, stocktake)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.withdraw(
                stocktake=stocktake, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The {stocktake.year} stocktake has been withdrawn. Its public page now says so, "
                "and its PDF and open data can no longer be downloaded.",
            )
            return redirect("stocktake-detail", year=stocktake.year)
    return render(
        request,
        "reporting/stocktake/withdraw.html",
        {"stocktake": stocktake, "form": form},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@programme_team_required("correct a published stocktake")
def stocktake_redact(request, year: int):
    stocktake = _stocktake(year)
    if not stocktake.is_published or stocktake.is_withdrawn:
        return _not_correctable(request, stocktake)
    items = corrections.removable_items(stocktake)
    form = RedactForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            redaction = corrections.redact(
                stocktake=stocktake,
                user=request.user,
                ref=form.cleaned_data["ref"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{redaction.ref} has been removed from the public page and the open data. "
                "The published PDF is withdrawn, as it still holds the item.",
            )
            return redirect("stocktake-detail", year=stocktake.year)
    return render(
        request,
        "reporting/stocktake/redact.html",
        {"stocktake": stocktake, "form": form, "items": items},
        status=422 if form.errors else 200,
    )


@require_POST
@programme_team_required("correct a published stocktake")
def stocktake_remake_pdf(request, year: int):
    stocktake = _stocktake(year)
    try:
        corrections.remake_pdf(stocktake=stocktake, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "The PDF is being made again without the removed items. The public can download it "
            "once it is ready.",
        )
    return redirect("stocktake-detail", year=stocktake.year)
