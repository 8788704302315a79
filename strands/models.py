from django.conf import settings
from django.db import models
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
