from django.urls import path

from reporting.dashboard import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]
