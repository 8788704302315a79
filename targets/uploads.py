"""A framework file loaded in the browser: dry run first, kept safely, then confirmed.

The uploaded bytes are stored (``strands.FrameworkUpload``) under an unguessable token, for the
person who uploaded them only, until they expire. The plan is never taken from the browser: on
every look and on confirmation it is worked out again from the stored file, and confirmation is
refused when the report has changed since the person read it (someone changed the framework in
the meantime), so what is written is always what they saw.
"""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from strands.models import FrameworkUpload
from targets.spreadsheet import FrameworkFileError, ImportPlan, Problem, apply_plan, plan_import
from targets.spreadsheet.reader import read_framework_bytes

logger = logging.getLogger(__name__)

UNREADABLE = (
    "The file could not be read. Check it is an Excel workbook (.xlsx) or a zip of CSV files "
    "saved from a spreadsheet program, and try again."
)


class UploadChanged(Exception):
    """The dry-run report is no longer what the person read; ``plan`` is the new one."""

    def __init__(self, plan: ImportPlan):
        self.plan = plan
        super().__init__("The framework changed since the dry run.")


def dry_run(filename: str, data: bytes) -> ImportPlan:
    """Read and check a file and work out what it would change. Writes nothing.

    Raises FrameworkFileError with every problem, as ``manage.py import_framework`` reports them.
    """
    try:
        plan = plan_import(read_framework_bytes(filename, data))
    except FrameworkFileError:
        raise
    except Exception:  # a file damaged in a way the reader does not foresee: say so, never 500
        logger.exception("Could not read an uploaded framework file %r", filename)
        raise FrameworkFileError([Problem(message=UNREADABLE)]) from None
    if plan.problems:
        raise FrameworkFileError(plan.problems)
    return plan


def report_digest(plan: ImportPlan) -> str:
    """A fingerprint of what the dry run reported, to tell whether it has changed since."""
    return hashlib.sha256("\n".join(plan.report_lines()).encode()).hexdigest()


def expiry() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.FRAMEWORK_UPLOAD_EXPIRY_MINUTES)


def is_expired(upload: FrameworkUpload) -> bool:
    return upload.created_at < timezone.now() - expiry()


def store_upload(*, user, filename: str, data: bytes, plan: ImportPlan) -> FrameworkUpload:
    """Keep a checked file until it is confirmed; clear away uploads that have expired."""
    FrameworkUpload.objects.filter(
        applied_at__isnull=True, created_at__lt=timezone.now() - expiry()
    ).delete()
    return FrameworkUpload.objects.create(
        token=secrets.token_urlsafe(32),
        filename=filename[:255],
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        report_digest=report_digest(plan),
        uploaded_by=user,
    )


def pending_uploads_of(user):
    """The uploads a person may still look at or confirm (expiry is checked by the caller)."""
    return FrameworkUpload.objects.filter(uploaded_by=user, applied_at__isnull=True)


def imported_uploads_of(user):
    """The uploads a person has imported: each has a result page, for them to invite the people
    it added."""
    return FrameworkUpload.objects.filter(uploaded_by=user, applied_at__isnull=False)


def stored_bytes(upload: FrameworkUpload) -> bytes:
    data = bytes(upload.data)
    if hashlib.sha256(data).hexdigest() != upload.sha256:
        raise FrameworkFileError(
            [Problem(message="The stored copy of the file is damaged. Upload the file again.")]
        )
    return data


def plan_for(upload: FrameworkUpload) -> ImportPlan:
    """The dry run of a stored upload, worked out again against the framework as it is now."""
    return dry_run(upload.filename, stored_bytes(upload))


@transaction.atomic
def confirm_upload(*, upload: FrameworkUpload, user, reason: str, seen_digest: str) -> ImportPlan:
    """Import a stored upload in one transaction, as the person who read its dry run.

    Raises FrameworkFileError if the file now has problems, UploadChanged if the report differs
    from the one the person read (``seen_digest``); then nothing is written.
    """
    upload = FrameworkUpload.objects.select_for_update().get(pk=upload.pk)
    plan = plan_for(upload)
    if report_digest(plan) != seen_digest:
        raise UploadChanged(plan)
    apply_plan(plan, user=user, reason=reason)
    upload.people_added.set(get_user_model().objects.filter(email__in=plan.people_to_create))
    upload.applied_at = timezone.now()
    upload.reason = reason
    upload.report_digest = report_digest(plan)
    upload.data = b""  # the framework's history keeps what was imported; the file is not needed
    upload.save()
    return plan


def summary(plan: ImportPlan) -> str:
    """ "3 actions added, 2 targets changed" for a confirmation message."""
    parts = []
    for sheet, count in plan.counts().items():
        noun = sheet.replace("_", " ")
        if count["add"]:
            parts.append(f"{count['add']} {_singular(noun, count['add'])} added")
        if count["change"]:
            parts.append(f"{count['change']} {_singular(noun, count['change'])} changed")
    if plan.people_to_create:
        n = len(plan.people_to_create)
        parts.append(f"{n} {'person' if n == 1 else 'people'} added")
    return ", ".join(parts) if parts else "nothing changed"


def _singular(noun: str, n: int) -> str:
    return noun[:-1] if n == 1 and noun.endswith("s") else noun
