from django.contrib import admin

from config.history_admin import TrackedAdmin
from strands.models import ServiceArea, Strand


@admin.register(Strand)
class StrandAdmin(TrackedAdmin):
    list_display = ["ref", "name", "position"]
    search_fields = ["ref", "name"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(TrackedAdmin):
    list_display = ["ref", "name", "strand", "director"]
    list_filter = ["strand"]
    search_fields = ["ref", "name", "description"]
    autocomplete_fields = ["director"]
    list_select_related = ["strand", "director"]
