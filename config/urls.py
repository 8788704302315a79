from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from config import invitation_views, views

admin.site.site_header = "Outcomes framework administration"
admin.site.site_title = "Outcomes framework"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path(
        "sign-in/forgotten-password/", views.ForgottenPasswordView.as_view(), name="password-reset"
    ),
    path(
        "sign-in/forgotten-password/sent/",
        views.ForgottenPasswordSentView.as_view(),
        name="password-reset-sent",
    ),
    path(
        "sign-in/reset-password/<uidb64>/<token>/",
        views.ResetPasswordView.as_view(),
        name="password-reset-confirm",
    ),
    path("invitation/<str:token>/", invitation_views.invitation, name="invitation"),
    path("account/password/", views.ChangePasswordView.as_view(), name="password-change"),
    path("account/stay-signed-in/", views.keep_signed_in, name="stay-signed-in"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("", views.home, name="home"),
    path("", include("actions.urls")),
    path("", include("reporting.urls")),
    path("", include("reporting.dashboard.urls")),
    path("", include("targets.urls")),
    path("", include("reporting.stocktake.urls")),
    # govuk-frontend's CSS asks for its fonts and images at /assets/.
    re_path(
        r"^assets/(?P<path>.*)$",
        serve,
        {"document_root": settings.BASE_DIR / "node_modules/govuk-frontend/dist/govuk/assets"},
    ),
]
