"""The dashboard's filters, chosen in the form the page renders and sent as it sends them."""

import pytest

from tests.reporting import dashboard_world as programme
from tests.webforms import HX, form_to

pytestmark = pytest.mark.django_db
dashboard_world = programme.dashboard_world  # the fixture
URL = "/dashboard/"


def test_the_board_filters_the_dashboard_in_the_rendered_form(web, dashboard_world):
    form = form_to(web(dashboard_world.world.board).get(URL), URL)
    form["area"] = "PH"
    form["status"] = ["off_track"]  # checkboxes, as in the framework browser
    response = form.submit()
    # Blank fields the plain form sends are dropped from the address.
    assert response.location == URL + "?area=PH&status=off_track"
    page = response.follow()
    assert "For the 1 action that matches the filters" in " ".join(page.text.split())
    form = form_to(page, URL)
    assert form["area"].value == "PH"
    assert [box._value for box in form.fields["status"] if box.checked] == ["off_track"]


def test_with_htmx_the_filters_answer_with_the_dashboard_body(web, dashboard_world):
    form = form_to(web(dashboard_world.world.board).get(URL), URL)
    form["area"] = "PH"
    response = form.submit(headers=HX).maybe_follow(headers=HX)
    assert "<html" not in response.text and 'id="dashboard-body"' in response.text
