from django.contrib import admin
from django.urls import include, path

from config import views

admin.site.site_header = "Outcomes framework administration"
admin.site.site_title = "Outcomes framework"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("", include("actions.urls")),
    path("", include("strands.urls")),
    path("", include("reporting.urls")),
    path("", include("reporting.dashboard.urls")),
    path("", include("targets.urls")),
    path("", include("reporting.stocktake.urls")),
]
# Static files, govuk-frontend's fonts and images among them, are served by WhiteNoise
# (config.storage.StaticFilesStorage), not by a view.
