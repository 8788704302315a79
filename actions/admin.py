from django.contrib import admin

from actions.models import (
    Action,
    Challenge,
    ChallengeEntry,
    Characteristic,
    ProgressUpdate,
    ReportingCycle,
)
from config.history_admin import TrackedAdmin

# Status and % complete change only through actions.services (the status rules and the progress
# log); who wrote an update, a challenge or an entry, and when, never changes.


@admin.register(Characteristic)
class CharacteristicAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(Action)
class ActionAdmin(TrackedAdmin):
    list_display = ["ref", "title", "service_area", "status", "progress", "owner", "is_public"]
    list_filter = ["service_area__strand", "service_area", "status", "is_public", "characteristics"]
    search_fields = ["ref", "title", "issue", "planned_action", "intended_outcome", "evidence"]
    autocomplete_fields = ["owner", "lead_officer"]
    filter_horizontal = ["characteristics"]
    list_select_related = ["service_area", "owner"]
    readonly_fields = ["status", "progress"]
    fieldsets = [
        (None, {"fields": ["ref", "service_area", "title"]}),
        (
            "The four questions",
            {"fields": ["issue", "planned_action", "intended_outcome", "evidence"]},
        ),
        ("People", {"fields": ["owner", "lead_officer"]}),
        (
            "Progress",
            {
                "fields": [
                    "characteristics",
                    "start_date",
                    "due_date",
                    "status",
                    "progress",
                    "closed_reason",
                    "is_public",
                    "position",
                ]
            },
        ),
        ("Why", {"fields": ["change_reason"]}),
    ]

    def get_fields(self, request, obj=None):
        return super(TrackedAdmin, self).get_fields(request, obj)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(TrackedAdmin):
    list_display = ["action", "status", "progress", "author", "created_at"]
    list_filter = ["status"]
    search_fields = ["action__ref", "narrative"]
    list_select_related = ["action", "author"]
    readonly_fields = ["action", "cycle", "status", "progress", "author", "created_at"]

    def has_add_permission(self, request):
        return False  # updates are recorded on the action's page, with the status rules


@admin.register(Challenge)
class ChallengeAdmin(TrackedAdmin):
    list_display = ["action", "state", "raised_by", "raised_at", "due_date"]
    list_filter = ["state"]
    search_fields = ["action__ref", "question", "response"]
    list_select_related = ["action", "raised_by"]
    readonly_fields = ["action", "state", "raised_by", "raised_at", "responded_by", "responded_at"]

    def has_add_permission(self, request):
        return False  # Board members raise challenges on the action's page


@admin.register(ChallengeEntry)
class ChallengeEntryAdmin(TrackedAdmin):
    list_display = ["challenge", "kind", "author", "created_at"]
    list_filter = ["kind"]
    search_fields = ["challenge__action__ref", "text"]
    list_select_related = ["challenge__action", "author"]
    readonly_fields = ["challenge", "kind", "author", "created_at"]

    def has_add_permission(self, request):
        return False  # entries are added in the challenge's thread


@admin.register(ReportingCycle)
class ReportingCycleAdmin(TrackedAdmin):
    list_display = ["name", "start_date", "close_date"]
