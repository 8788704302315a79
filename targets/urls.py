from django.urls import path

from targets.views import corrections, load, outcome, updates

urlpatterns = [
    path("outcomes/<str:ref>/", outcome.outcome_detail, name="outcome-detail"),
    path("targets/<str:ref>/progress/", updates.target_progress, name="target-progress"),
    path("indicators/<str:ref>/measurements/", updates.measurement_add, name="measurement-add"),
    path(
        "measurements/<int:pk>/correct/",
        corrections.measurement_correct,
        name="measurement-correct",
    ),
    # Loading and downloading the framework spreadsheet (the programme team)
    path("framework/load/", load.framework_load, name="framework-load"),
    path("framework/load/download/<str:fmt>/", load.framework_download, name="framework-download"),
    path("framework/load/<str:token>/", load.framework_load_report, name="framework-load-report"),
    path(
        "framework/load/<str:token>/confirm/",
        load.framework_load_confirm,
        name="framework-load-confirm",
    ),
    path(
        "framework/load/<str:token>/imported/", load.framework_load_done, name="framework-load-done"
    ),
    path(
        "framework/load/<str:token>/invite/",
        load.framework_load_invite,
        name="framework-load-invite",
    ),
]
