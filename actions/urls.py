from django.urls import path

from actions import views
from actions.views import challenges

urlpatterns = [
    path("my-actions/", views.my_actions, name="my-actions"),
    path("actions/<str:ref>/", views.action_detail, name="action-detail"),
    path("actions/<str:ref>/progress/", views.action_progress, name="action-progress"),
    path("actions/<str:ref>/lead-officer/", views.action_delegate, name="action-delegate"),
    path("targets/<str:ref>/progress/", views.target_progress, name="target-progress"),
    path("indicators/<str:ref>/measurements/", views.measurement_add, name="measurement-add"),
    # Programme Board challenges
    path("challenges/", challenges.challenge_list, name="challenge-list"),
    path("actions/<str:ref>/challenges/", challenges.challenge_raise, name="challenge-raise"),
    path("challenges/<int:pk>/answer/", challenges.challenge_answer, name="challenge-answer"),
    path("challenges/<int:pk>/accept/", challenges.challenge_accept, name="challenge-accept"),
    path(
        "challenges/<int:pk>/follow-up/",
        challenges.challenge_follow_up,
        name="challenge-follow-up",
    ),
]
