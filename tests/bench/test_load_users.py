"""The load run's people read the pages as they are: the patterns bench/load_users.py finds the
progress form with match the action page the director is given. (The file itself starts Locust
when run, so its patterns are read from its source, not imported.)"""

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2] / "bench" / "load_users.py"


def pattern(name: str) -> re.Pattern:
    """The regular expression load_users.py compiles into the module constant ``name``."""
    for node in ast.parse(SOURCE.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            # re.compile(<a constant>[, re.S]) of our own file: evaluated with re alone.
            expression = ast.Expression(node.value)
            return eval(compile(expression, SOURCE.name, "eval"), {"re": re})  # noqa: S307
    raise AssertionError(f"{SOURCE.name} has no {name}")


def test_the_load_run_finds_the_progress_form_and_its_fields(as_user, world):
    page = as_user(world.director).get(reverse("action-detail", args=["HOU-01"])).content.decode()
    form = pattern("PROGRESS_FORM").search(page)
    assert form is not None, "the load run would find no progress form on the action page"
    html = form.group(1)
    assert pattern("VERSION").search(html)
    assert pattern("FIRST_STATUS").search(html)
    assert pattern("CSRF").search(page)
