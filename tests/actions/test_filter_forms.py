"""The framework browser's filters, chosen in the form the page renders and sent as it sends them."""

import pytest

from tests.webforms import HX, form_to

pytestmark = pytest.mark.django_db
URL = "/framework/"


def shown(response) -> list[str]:
    return [action.ref for action in response.context["page"].object_list]


@pytest.fixture
def at_risk(world):
    world.undelegated.status = "at_risk"
    world.undelegated.save()
    return world


def test_the_board_filters_by_status_and_search_in_the_rendered_form(web, at_risk):
    page = web(at_risk.board).get(URL)
    assert shown(page) == ["HOU-01", "HOU-02", "PH-01"]
    form = form_to(page, URL)
    form["status"] = ["at_risk"]
    response = form.submit()
    # A plain form sends every field; blank ones are dropped from the address it is sent to.
    assert response.location == URL + "?status=at_risk"
    response = response.follow()
    assert shown(response) == ["HOU-02"]
    form = form_to(response, URL)  # the form shows what was chosen
    checked = [box._value for box in form.fields["status"] if box.checked]
    assert checked == ["at_risk"]
    form["status"] = ["not_started"]
    form["q"] = "diabetes"
    assert shown(form.submit().maybe_follow()) == ["PH-01"]


def test_with_htmx_the_filters_answer_with_the_results_alone(web, at_risk):
    form = form_to(web(at_risk.board).get(URL), URL)
    form["area"] = "PH"
    response = form.submit(headers=HX).maybe_follow(headers=HX)
    assert "<html" not in response.text and 'id="framework-results"' in response.text
    assert shown(response) == ["PH-01"]
