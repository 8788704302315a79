from django.contrib import admin

from config.history_admin import TrackedAdmin
from targets.models import Category, CategoryList, Dimension, Measurement, Outcome, Target


class CategoryInline(admin.TabularInline):
    model = Category
    fields = ["name", "kind", "synonyms", "position"]
    extra = 1


class CategoryListInline(admin.TabularInline):
    model = CategoryList
    fields = ["name", "is_custom", "position"]
    extra = 0
    show_change_link = True


@admin.register(Dimension)
class DimensionAdmin(TrackedAdmin):
    """What breakdowns are by; each dimension's lists hold its categories."""

    list_display = ["name", "synonyms", "position"]
    search_fields = ["name", "synonyms"]
    inlines = [CategoryListInline]


@admin.register(CategoryList)
class CategoryListAdmin(TrackedAdmin):
    list_display = ["__str__", "is_custom", "position"]
    list_filter = ["dimension", "is_custom"]
    search_fields = ["name", "dimension__name"]
    list_select_related = ["dimension"]
    inlines = [CategoryInline]


@admin.register(Category)
class CategoryAdmin(TrackedAdmin):
    list_display = ["name", "category_list", "kind", "synonyms", "position"]
    list_filter = ["kind", "category_list__dimension", "category_list"]
    search_fields = ["name", "synonyms"]
    list_select_related = ["category_list__dimension"]


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
        "share_comparison",
    ]
    list_filter = ["service_area", "unit", "direction", "share_comparison"]
    search_fields = ["ref", "description", "indicator"]
    filter_horizontal = ["targets"]
    list_select_related = ["service_area"]


@admin.register(Measurement)
class MeasurementAdmin(TrackedAdmin):
    list_display = [
        "__str__",
        "period_end",
        "value",
        "dimension",
        "group",
        "dimension_2",
        "group_2",
        "source",
    ]
    list_filter = ["dimension", "dimension_2"]
    raw_id_fields = ["category", "category_2"]
    search_fields = ["outcome__ref", "target__ref", "group", "source"]
    autocomplete_fields = ["outcome", "target"]
    list_select_related = ["outcome", "target"]
    readonly_fields = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user  # who recorded a value never changes afterwards
        super().save_model(request, obj, form, change)
