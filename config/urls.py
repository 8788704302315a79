from django.contrib import admin
from django.urls import include, path

from config import invitation_views, two_step, views

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
    path("sign-in/council/", views.sso_start, name="sso-start"),
    path("sign-in/council/callback/", views.sso_callback, name="sso-callback"),
    path("sign-in/code/", two_step.verify, name="two-step-verify"),
    path("two-step/set-up/", two_step.set_up, name="two-step-set-up"),
    path("two-step/recovery-codes/", two_step.recovery_codes, name="two-step-codes"),
    path("people/<int:pk>/two-step/reset/", two_step.reset, name="two-step-reset"),
    path("account/emails/", views.email_settings, name="email-settings"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("", include("actions.urls")),
    path("", include("reporting.urls")),
    path("", include("reporting.dashboard.urls")),
    path("", include("targets.urls")),
    path("", include("reporting.stocktake.urls")),
]
# Static files, govuk-frontend's fonts and images among them, are served by WhiteNoise
# (config.storage.StaticFilesStorage), not by a view.

# With DEBUG off, errors get the product's own pages: templates/404.html and 403.html through
# Django's handlers, the 500 page without the request (config/errors.py).
handler500 = "config.errors.server_error"
