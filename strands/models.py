from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from strands.refs import REF_HELP, REF_MAX_LENGTH, validate_ref


class Strand(models.Model):
    """One of the council's capacities: strategic leader, employer, service provider."""

    ref = models.CharField(
        max_length=REF_MAX_LENGTH, unique=True, validators=[validate_ref], help_text=REF_HELP
    )
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order in the framework.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "ref"]

    def __str__(self) -> str:
        return self.name


class ServiceArea(models.Model):
    """A service area (or, for the employer strand, a theme) with a responsible director."""

    ref = models.CharField(
        max_length=REF_MAX_LENGTH, unique=True, validators=[validate_ref], help_text=REF_HELP
    )
    strand = models.ForeignKey(Strand, on_delete=models.PROTECT, related_name="service_areas")
    name = models.CharField(max_length=255)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directed_service_areas",
        help_text="The service director responsible for this area's actions.",
    )
    description = models.TextField(blank=True, help_text="The narrative introduction.")
    position = models.PositiveIntegerField(default=0, help_text="Order in the framework.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["strand__position", "position", "ref"]

    def __str__(self) -> str:
        return self.name


class FrameworkUpload(models.Model):
    """A framework file uploaded in the browser, kept between its dry run and its confirmation.

    Stored in the database (not on one server's disk) so any app server can confirm it; found by
    an unguessable token and only by the person who uploaded it; it expires. The file's hash is
    checked on confirmation and the report digest says which dry run the person saw.
    """

    token = models.CharField(max_length=64, unique=True)
    filename = models.CharField(max_length=255)
    data = models.BinaryField(blank=True)
    sha256 = models.CharField(max_length=64)
    report_digest = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="framework_uploads"
    )
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    # The people this import created, so its result page can invite exactly them.
    people_added = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="added_by_framework_uploads"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} uploaded {self.created_at:%Y-%m-%d %H:%M}"
