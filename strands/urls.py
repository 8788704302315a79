from django.urls import path

from strands import views

urlpatterns = [
    path("framework/", views.framework, name="framework"),
    path("framework/load/", views.framework_load, name="framework-load"),
    path("framework/load/download/<str:fmt>/", views.framework_download, name="framework-download"),
    path("framework/load/<str:token>/", views.framework_load_report, name="framework-load-report"),
    path(
        "framework/load/<str:token>/confirm/",
        views.framework_load_confirm,
        name="framework-load-confirm",
    ),
]
