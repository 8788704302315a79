from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class ReportingCycle(models.Model):
    """A period (normally a quarter) in which every live action owes an update."""

    name = models.CharField(max_length=100, unique=True, help_text='For example "2021 Q2".')
    start_date = models.DateField()
    close_date = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(close_date__gte=F("start_date")), name="cycle_closes_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name
