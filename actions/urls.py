from django.urls import path

from actions.views import browse, challenges, mine, people, updates
from actions.views.detail import action_detail

urlpatterns = [
    path("my-actions/", mine.my_actions, name="my-actions"),
    path("framework/", browse.framework, name="framework"),
    path("actions/<str:ref>/", action_detail, name="action-detail"),
    path("actions/<str:ref>/progress/", updates.action_progress, name="action-progress"),
    path("actions/<str:ref>/lead-officer/", updates.action_delegate, name="action-delegate"),
    # People (the programme team)
    path("people/", people.people_list, name="people-list"),
    path("people/download.csv", people.people_download, name="people-download"),
    path("people/add/", people.person_add, name="person-add"),
    path("people/invite-everyone/", people.people_invite_all, name="people-invite-all"),
    path("people/unlock/", people.people_unlock, name="people-unlock"),
    path("people/<int:pk>/", people.person_detail, name="person-detail"),
    path("people/<int:pk>/roles/", people.person_roles, name="person-roles"),
    path("people/<int:pk>/invite/", people.person_invite, name="person-invite"),
    path(
        "people/<int:pk>/invitation/cancel/",
        people.person_invitation_cancel,
        name="person-invitation-cancel",
    ),
    path("people/<int:pk>/deactivate/", people.person_deactivate, name="person-deactivate"),
    path("people/<int:pk>/reactivate/", people.person_reactivate, name="person-reactivate"),
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
