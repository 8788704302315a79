from django.urls import path

from actions import views

urlpatterns = [
    path("my-actions/", views.my_actions, name="my-actions"),
    path("actions/<str:ref>/", views.action_detail, name="action-detail"),
    path("actions/<str:ref>/progress/", views.action_progress, name="action-progress"),
    path("actions/<str:ref>/lead-officer/", views.action_delegate, name="action-delegate"),
    path("targets/<str:ref>/progress/", views.target_progress, name="target-progress"),
    path("indicators/<str:ref>/measurements/", views.measurement_add, name="measurement-add"),
]
