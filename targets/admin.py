from django.contrib import admin

from config.history_admin import TrackedAdmin
from targets.models import Measurement, Outcome, Target


@admin.register(Target)
class TargetAdmin(TrackedAdmin):
    list_display = ["ref", "description", "action", "kind", "due_text", "due_date", "status"]
    list_filter = ["kind", "status", "action__service_area"]
    search_fields = ["ref", "description", "due_text"]
    autocomplete_fields = ["action"]
    list_select_related = ["action"]
    # Progress changes only through targets.services.update_target, with its history.
    readonly_fields = ["status", "met_on", "current_value"]


@admin.register(Outcome)
class OutcomeAdmin(TrackedAdmin):
    list_display = [
        "ref",
        "description",
        "service_area",
        "indicator",
        "group_share",
        "benchmark_share",
    ]
    list_filter = ["service_area", "unit", "direction"]
    search_fields = ["ref", "description", "indicator"]
    filter_horizontal = ["targets"]
    list_select_related = ["service_area"]


@admin.register(Measurement)
class MeasurementAdmin(TrackedAdmin):
    list_display = ["__str__", "period_end", "value", "dimension", "group", "source"]
    list_filter = ["dimension"]
    search_fields = ["outcome__ref", "target__ref", "group", "source"]
    autocomplete_fields = ["outcome", "target"]
    list_select_related = ["outcome", "target"]
    readonly_fields = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user  # who recorded a value never changes afterwards
        super().save_model(request, obj, form, change)
