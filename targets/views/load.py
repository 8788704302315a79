"""Loading the framework in the browser (programme team): upload, read the dry run, confirm.

Also the download of the current framework as a workbook or a zip of CSVs.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import people
from config import invitations, sso
from config.roles import programme_team_required
from config.security import locked_out_emails
from strands.models import FrameworkUpload
from targets import uploads
from targets.forms import FrameworkUploadForm, ImportConfirmForm
from targets.spreadsheet import FrameworkFileError
from targets.spreadsheet.exporter import framework_rows, workbook_bytes, zip_bytes
from targets.spreadsheet.schema import SHEET_NAMES

DOWNLOADS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workbook_bytes),
    "zip": ("application/zip", zip_bytes),
}


def _recent_imports():
    return (
        FrameworkUpload.objects.filter(applied_at__isnull=False)
        .select_related("uploaded_by")
        .order_by("-applied_at")[:5]
    )


@require_http_methods(["GET", "POST"])
@programme_team_required("load the framework")
def framework_load(request):
    """The upload form and the downloads; a posted file is checked and its dry run shown."""
    form = FrameworkUploadForm()
    problems = []
    status = 200
    if request.method == "POST":
        form = FrameworkUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                plan = uploads.dry_run(upload.name, data)
            except FrameworkFileError as error:
                problems = error.problems
            else:
                stored = uploads.store_upload(
                    user=request.user, filename=upload.name, data=data, plan=plan
                )
                return redirect("framework-load-report", token=stored.token)
        status = 422
    return render(
        request,
        "strands/load.html",
        {
            "form": form,
            "problems": problems,
            "filename": request.FILES["file"].name if problems else "",
            "has_errors": bool(problems or form.errors),
            "recent": _recent_imports(),
        },
        status=status,
    )


def _pending_upload(request, token: str) -> FrameworkUpload | None:
    """The person's own upload waiting for confirmation; None (with a message) if it expired."""
    upload = get_object_or_404(uploads.pending_uploads_of(request.user), token=token)
    if uploads.is_expired(upload):
        messages.info(
            request,
            f"Your upload of {upload.filename} has expired and nothing was imported. "
            "Upload the file again.",
        )
        return None
    return upload


@require_GET
@programme_team_required("load the framework")
def framework_load_report(request, token: str):
    """The dry run of a stored upload, worked out afresh, with the form to confirm it."""
    upload = _pending_upload(request, token)
    if upload is None:
        return redirect("framework-load")
    try:
        plan = uploads.plan_for(upload)
    except FrameworkFileError as error:
        return _refused(request, upload, error.problems)
    return _report(request, upload, plan, ImportConfirmForm(initial=_initial(plan)))


@require_POST
@programme_team_required("load the framework")
def framework_load_confirm(request, token: str):
    upload = _pending_upload(request, token)
    if upload is None:
        return redirect("framework-load")
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        try:
            plan = uploads.plan_for(upload)
        except FrameworkFileError as error:
            return _refused(request, upload, error.problems)
        return _report(request, upload, plan, form, status=422)
    try:
        plan = uploads.confirm_upload(
            upload=upload,
            user=request.user,
            reason=form.cleaned_data["reason"].strip(),
            seen_digest=form.cleaned_data["report_digest"],
        )
    except FrameworkFileError as error:
        return _refused(request, upload, error.problems)
    except uploads.UploadChanged as changed:
        fresh = ImportConfirmForm(
            initial={**_initial(changed.plan), "reason": form.cleaned_data["reason"]}
        )
        return _report(request, upload, changed.plan, fresh, status=409, changed=True)
    messages.success(
        request, f"Framework imported from {upload.filename}: {uploads.summary(plan)}."
    )
    return redirect("framework-load-done", token=upload.token)


def _imported_upload(request, token: str) -> FrameworkUpload:
    return get_object_or_404(uploads.imported_uploads_of(request.user), token=token)


def _added_not_yet_invited(upload: FrameworkUpload):
    return invitations.people_not_yet_invited().filter(pk__in=upload.people_added.values("pk"))


@require_GET
@programme_team_required("load the framework")
def framework_load_done(request, token: str):
    """What an import did, with the people it added and the offer to invite them all at once."""
    upload = _imported_upload(request, token)
    added = people.people_queryset().filter(pk__in=upload.people_added.values("pk"))
    locked, directory = locked_out_emails(), sso.roles_from_directory()
    context = {
        "upload": upload,
        "added": [
            people.person_row(person, locked=locked, directory=directory) for person in added
        ],
        "not_invited": _added_not_yet_invited(upload).count(),
    }
    return render(request, "strands/load_done.html", context)


@require_POST
@programme_team_required("load the framework")
def framework_load_invite(request, token: str):
    """Invite the people an import added who have not been invited yet (never twice)."""
    upload = _imported_upload(request, token)
    sent = invitations.invite_everyone_not_yet_invited(
        invited_by=request.user, among=upload.people_added.all()
    )
    if sent:
        n = len(sent)
        messages.success(
            request, f"You invited {n} {'person' if n == 1 else 'people'} added by this import"
        )
    else:
        messages.info(request, "Everyone this import added has already been invited")
    return redirect("framework-load-done", token=upload.token)


def _initial(plan) -> dict:
    return {"report_digest": uploads.report_digest(plan)}


def _report(request, upload, plan, form, *, status=200, changed=False):
    changes = plan.changes
    context = {
        "upload": upload,
        "form": form,
        "changed": changed,
        "has_errors": bool(form.errors) or changed,
        "expires_at": upload.created_at + uploads.expiry(),
        "counts": [(sheet, plan.counts()[sheet]) for sheet in SHEET_NAMES],
        "people_summary": plan.people_summary(),
        "role_changes": plan.role_changes,
        "role_endings": plan.role_endings,
        "role_lines": [
            line.removeprefix("people: ")
            for line in plan.report_lines()
            if line.startswith("people: ") and line != f"people: {plan.people_summary()}"
        ],
        "added": [c for c in changes if c.kind == "add"],
        "modified": [c for c in changes if c.kind == "change"],
        "unchanged": sum(1 for c in changes if c.kind == "same"),
        "changes_anything": plan.changes_anything,
        "lines": plan.report_lines(),
    }
    return render(request, "strands/load_report.html", context, status=status)


def _refused(request, upload, problems):
    """The stored file has problems now (the framework changed under it): nothing imported."""
    return render(
        request,
        "strands/load.html",
        {
            "form": FrameworkUploadForm(),
            "problems": problems,
            "filename": upload.filename,
            "has_errors": True,
            "recent": _recent_imports(),
        },
        status=422,
    )


@require_GET
@programme_team_required("load the framework")
def framework_download(request, fmt: str):
    """The current framework, every action public or not: a workbook or a zip of CSV files."""
    if fmt not in DOWNLOADS:
        raise Http404("No such format.")
    content_type, write = DOWNLOADS[fmt]
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(write(framework_rows()), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="framework-{stamp}.{fmt}"'
    return response
