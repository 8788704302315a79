from django.contrib import admin

from reporting.models import ReportingCycle
from strands.history import TrackedAdmin


@admin.register(ReportingCycle)
class ReportingCycleAdmin(TrackedAdmin):
    list_display = ["name", "start_date", "close_date"]
