import pytest
from django.urls import reverse

from tests.conftest import ISLINGTON
from tests.strands.helpers import run_import

pytestmark = pytest.mark.django_db


def test_the_admin_shows_the_islington_framework(admin_client):
    run_import(ISLINGTON)
    actions = admin_client.get(reverse("admin:actions_action_changelist"))
    assert actions.status_code == 200
    assert "48 actions" in actions.text
    assert "HOU-01" in actions.text
    for name in [
        "strands_strand",
        "strands_servicearea",
        "targets_target",
        "targets_outcome",
        "targets_measurement",
        "actions_progressupdate",
        "actions_challenge",
        "actions_reportingcycle",
    ]:
        assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    searched = admin_client.get(
        reverse("admin:actions_action_changelist"), {"q": "placement board"}
    )
    assert "CYP-04" in searched.text


def test_the_root_address_leads_to_sign_in(client):
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert "Log in" in response.text or "Sign in" in response.text
