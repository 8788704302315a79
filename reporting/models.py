from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Stocktake(models.Model):
    """The annual report for a year, as the framework stood at its "as at" moment.

    A stocktake is also where a year of the framework begins: a year started from a published
    stocktake (its ``baseline``) carries forward the actions that were open then, and leaves those
    already complete or closed as history (see reporting.stocktake.content).
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    year = models.PositiveSmallIntegerField(unique=True)
    as_at = models.DateTimeField(
        "As at", help_text="The stocktake shows the framework as recorded at this moment."
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    baseline = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="following_years",
        help_text="The published stocktake this year's framework was started from.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="stocktakes_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stocktakes_published",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_render = models.ForeignKey(
        "StocktakeRender",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The PDF that was published.",
    )
    # A published stocktake withdrawn (for a legal or data-protection error) stays listed, with
    # a notice saying when and why, and none of its content or files.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stocktakes_withdrawn",
    )
    withdrawn_reason = models.TextField(
        blank=True, help_text="Why it was withdrawn, as the public page says."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["draft", "published"]), name="stocktake_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state="draft")
                | Q(published_at__isnull=False, published_render__isnull=False),
                name="stocktake_published_has_pdf",
            ),
        ]

    def __str__(self) -> str:
        return f"Stocktake {self.year}"

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class StocktakeRedaction(models.Model):
    """One item (an action, a target or an outcome) removed from a published stocktake, and why.

    The public page says "This item was removed on <date>: <reason>" in its place; the open data
    leaves it out, and the published PDF is withdrawn, as it still holds the item.
    """

    class Kind(models.TextChoices):
        ACTION = "action", "Action"
        TARGET = "target", "Target"
        OUTCOME = "outcome", "Outcome"

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="redactions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    ref = models.CharField(max_length=40)
    reason = models.TextField(help_text="Why it was removed, as the public page says.")
    redacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    redacted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["redacted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "ref"], name="stocktake_redaction_once"),
            models.CheckConstraint(
                condition=Q(kind__in=["action", "target", "outcome"]),
                name="stocktake_redaction_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} removed from {self.stocktake}"


class StocktakeRender(models.Model):
    """One attempt to make a stocktake's PDF in the background: queued, rendering, ready or failed.

    The PDF is kept in the database, so every app server and worker sees the same file without
    shared storage. Each retry is a new attempt; earlier ones stay as a log.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RENDERING = "rendering", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="renders")
    as_at = models.DateTimeField(help_text="The stocktake's as-at moment when this was asked for.")
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When the worker making it last said it was still at it."
    )
    error = models.TextField(blank=True, help_text="Why the PDF could not be made.")
    task_id = models.CharField(max_length=64, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField("Size in bytes", null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "rendering", "ready", "failed"]),
                name="stocktake_render_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stocktake} PDF ({self.get_state_display().lower()})"

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RENDERING)


class ReminderSent(models.Model):
    """A reminder emailed for a reporting cycle: one per cycle, kind and person, never twice."""

    class Kind(models.TextChoices):
        OPENING = "opening", "Cycle open: updates due"
        CLOSING = "closing", "Cycle closing soon"
        LATE = "late", "Updates late"
        SUMMARY = "summary", "Late summary for the programme team"

    cycle = models.ForeignKey(
        "actions.ReportingCycle", on_delete=models.PROTECT, related_name="reminders_sent"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders_received"
    )
    email = models.EmailField(help_text="The address the reminder went to.")
    sent_on = models.DateField(help_text="The day the reminder run was for.")
    sent_at = models.DateTimeField(default=timezone.now)
    action_refs = models.TextField(blank=True, help_text="The actions listed, separated by ;")

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name_plural = "reminders sent"
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind", "recipient"], name="one_reminder_per_cycle_kind_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.email} on {self.sent_on}"
