from django.urls import path

from actions.views import browse, challenges, mine, updates
from actions.views.detail import action_detail

urlpatterns = [
    path("my-actions/", mine.my_actions, name="my-actions"),
    path("framework/", browse.framework, name="framework"),
    path("actions/<str:ref>/", action_detail, name="action-detail"),
    path("actions/<str:ref>/progress/", updates.action_progress, name="action-progress"),
    path("actions/<str:ref>/lead-officer/", updates.action_delegate, name="action-delegate"),
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
