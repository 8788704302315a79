"""Who may see an outcome: one rule (Outcome.objects.visible_to) for its page and for recording
its values, so whoever may record a value may also open the page, and nobody else learns of it."""

import pytest
from django.urls import reverse

from config import roles
from targets.models import Measurement, Outcome
from tests import factories

pytestmark = pytest.mark.django_db

VALUE = {
    "m-HOU-O01-period_end_day": "30",
    "m-HOU-O01-period_end_month": "6",
    "m-HOU-O01-period_end_year": "2021",
    "m-HOU-O01-value": "200",
}


def visible_refs(user) -> set[str]:
    return set(Outcome.objects.visible_to(user).values_list("ref", flat=True))


def test_the_team_and_the_board_see_every_outcome(world):
    factories.outcome("PH-O05", area=world.health, description="Healthier")
    assert visible_refs(world.team) == visible_refs(world.board) == {"HOU-O01", "PH-O05"}


def test_a_director_sees_their_areas_outcomes_and_those_their_actions_serve(world):
    factories.outcome("PH-O05", area=world.health, description="Healthier")
    assert visible_refs(world.director) == {"HOU-O01"}
    assert visible_refs(world.other_director) == {"PH-O05"}
    # A Public Health outcome served by a Housing target is the Housing director's to see too.
    served = factories.outcome("PH-O06", area=world.health, description="Served from Housing")
    served.targets.add(world.numeric)
    assert visible_refs(world.director) == {"HOU-O01", "PH-O06"}


def test_a_lead_officer_sees_the_outcomes_their_actions_serve_and_no_others(world):
    factories.outcome("HOU-O02", area=world.housing, description="Not served by HOU-01")
    assert visible_refs(world.lead) == {"HOU-O01"}
    stranger = factories.person("stranger@council.example", role=roles.LEAD_OFFICER)
    assert visible_refs(stranger) == set()


def test_a_lead_officer_who_may_record_a_value_may_open_the_outcomes_page(as_user, world):
    client = as_user(world.lead)
    response = client.post(reverse("measurement-add", args=["HOU-O01"]), VALUE)
    assert response.status_code == 302
    assert Measurement.objects.filter(outcome=world.outcome).count() == 1
    assert client.get(reverse("outcome-detail", args=["HOU-O01"])).status_code == 200


def test_who_may_not_see_an_outcome_can_neither_open_it_nor_record_a_value(as_user, world):
    stranger = factories.person("stranger@council.example", role=roles.LEAD_OFFICER)
    for person in (world.other_director, stranger):
        client = as_user(person)
        assert client.get(reverse("outcome-detail", args=["HOU-O01"])).status_code == 404
        assert client.post(reverse("measurement-add", args=["HOU-O01"]), VALUE).status_code == 404
    assert not Measurement.objects.exists()


def test_the_board_may_open_an_outcome_but_not_record_its_values(as_user, world):
    client = as_user(world.board)
    assert client.get(reverse("outcome-detail", args=["HOU-O01"])).status_code == 200
    assert client.post(reverse("measurement-add", args=["HOU-O01"]), VALUE).status_code == 403
    assert not Measurement.objects.exists()
