import io

import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from config import roles
from strands.models import ServiceArea
from tests.conftest import ISLINGTON
from tests.strands.helpers import run_import

pytestmark = pytest.mark.django_db


def authenticate(**credentials):
    """Sign-in as the sign-in page does it: with a request (django-axes needs one)."""
    return django_authenticate(RequestFactory().post("/sign-in/"), **credentials)


def test_the_four_roles_exist_with_their_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)
    board = Group.objects.get(name=roles.PROGRAMME_BOARD)
    codenames = set(board.permissions.values_list("codename", flat=True))
    assert "add_challenge" in codenames and "view_action" in codenames
    assert "change_action" not in codenames
    director = set(
        Group.objects.get(name=roles.SERVICE_DIRECTOR).permissions.values_list(
            "codename", flat=True
        )
    )
    assert {"change_action", "add_progressupdate", "add_measurement"} <= director
    assert "add_strand" not in director
    team = set(
        Group.objects.get(name=roles.PROGRAMME_TEAM).permissions.values_list("codename", flat=True)
    )
    assert {"add_action", "change_servicearea", "add_reportingcycle"} <= team
    assert not any(
        code.startswith("delete_")
        for group in Group.objects.all()
        for code in group.permissions.values_list("codename", flat=True)
    )


def demo(**env) -> str:
    out = io.StringIO()
    call_command("create_demo_people", stdout=out)
    return out.getvalue()


def test_demo_people_cover_every_role_and_every_service_area(monkeypatch):
    run_import(ISLINGTON)
    monkeypatch.setenv("DEMO_PASSWORD", "correct-horse-battery")
    output = demo()
    assert "password for all: correct-horse-battery" in output
    for role in roles.ROLES:
        assert role in output
    for area in ServiceArea.objects.select_related("director"):
        assert area.director is not None
        assert area.director.groups.filter(name=roles.SERVICE_DIRECTOR).exists()
        assert area.director.email in output
    assert authenticate(username="board@demo.example", password="correct-horse-battery")
    assert authenticate(username="BOARD@demo.example ", password="correct-horse-battery")


def test_demo_passwords_are_generated_when_not_given(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    output = demo()
    password = output.split("password for all: ")[1].split(")")[0]
    assert len(password) >= 12
    assert authenticate(username="programme@demo.example", password=password)
    # Running again gives everyone the new password and creates nobody twice.
    count = get_user_model().objects.count()
    second = demo().split("password for all: ")[1].split(")")[0]
    assert second != password
    assert get_user_model().objects.count() == count
    assert authenticate(username="programme@demo.example", password=second)


def test_demo_people_never_replace_a_director_the_framework_names(anytown_dir):
    run_import(anytown_dir)
    demo()
    assert ServiceArea.objects.get(ref="LEIS").director.email == "dana.director@anytown.example"
    assert ServiceArea.objects.get(ref="PART").director.email == "director.part@demo.example"


def test_demo_people_refuse_production_settings(settings):
    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="local running only"):
        demo()
    assert not get_user_model().objects.exists()


def test_demo_people_refuse_the_real_production_settings_module(tmp_path):
    import os
    import secrets
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),  # production refuses a weak one
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "SITE_URL": "https://example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "create_demo_people"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "local running only" in result.stderr
