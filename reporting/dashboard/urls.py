from django.urls import path

from reporting.dashboard import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/mine/", views.my_dashboard, name="my-dashboard"),
]
