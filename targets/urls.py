from django.urls import path

from targets import views

urlpatterns = [
    path("outcomes/<str:ref>/", views.outcome_detail, name="outcome-detail"),
]
