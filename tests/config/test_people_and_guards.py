"""A person's name as every page shows it, and the programme team's guard on its pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory

from config import roles
from config.roles import programme_team_required
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_person_is_named_by_their_name_or_else_their_email():
    named = factories.person("ayesha.khan@council.example")
    named.first_name, named.last_name = "Ayesha", "Khan"
    unnamed = factories.person("no.name@council.example")
    page = Template("{{ a|person }}|{{ b|person }}|{{ nobody|person }}").render(
        Context({"a": named, "b": unnamed, "nobody": None})
    )
    assert page == "Ayesha Khan|no.name@council.example|"
    assert named.name_and_email == "Ayesha Khan (ayesha.khan@council.example)"
    assert unnamed.name_and_email == "no.name@council.example"


@programme_team_required("do this")
def guarded(request):
    return HttpResponse("done")


def request_by(user):
    request = RequestFactory().get("/guarded/")
    request.user = user
    return request


def test_the_programme_team_may_pass():
    team = factories.person("team@council.example", role=roles.PROGRAMME_TEAM)
    assert guarded(request_by(team)).content == b"done"


@pytest.mark.parametrize(
    "role", [roles.PROGRAMME_BOARD, roles.SERVICE_DIRECTOR, roles.LEAD_OFFICER]
)
def test_anyone_else_signed_in_is_refused_saying_who_may(role):
    with pytest.raises(PermissionDenied, match="Only the programme team can do this."):
        guarded(request_by(factories.person(role=role)))


def test_anyone_signed_out_is_sent_to_sign_in():
    response = guarded(request_by(AnonymousUser()))
    assert response.status_code == 302 and response.url.startswith("/sign-in/")
