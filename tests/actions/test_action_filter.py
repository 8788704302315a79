"""The one action filter (actions.filters.ActionFilter), as the framework browser and the
dashboard use it: bad values are ignored, not reported, and the others still apply."""

import pytest
from django.http import QueryDict

from actions.cycles import current_cycle, today
from actions.filters import ActionFilter
from actions.models import Action

pytestmark = pytest.mark.django_db


def action_filter(query: str, visible=None) -> ActionFilter:
    visible = Action.objects.all() if visible is None else visible
    return ActionFilter(QueryDict(query), visible=visible, cycle=current_cycle(), on=today())


def refs(f: ActionFilter) -> list[str]:
    return sorted(f.qs.values_list("ref", flat=True))


def test_a_bad_value_is_ignored_not_reported_and_the_others_still_apply(world):
    f = action_filter("area=NOPE&owner=999999&due=someday&status=not_started&status=bogus")
    assert refs(f) == ["HOU-01", "HOU-02", "PH-01"]  # every action is not started
    assert f.form.errors == {}
    assert set(f.form.ignored) == {"area", "owner", "due", "status"}
    assert f.values == {}
    f = action_filter("area=NOPE&q=panels")
    assert refs(f) == ["HOU-01"] and f.values == {"q": "panels"}


def test_filters_narrow_and_say_so_in_words(world):
    f = action_filter(f"area=HOU&owner={world.lead.pk}")
    assert refs(f) == ["HOU-01"]  # the action the lead officer leads
    assert f.labels() == ["Service area: Housing", "Owner or lead officer: lead@council.example"]
    assert f.narrows_actions
    assert not action_filter("strand=SERV").narrows_actions


def test_the_choices_are_what_the_person_may_see(world):
    housing_only = Action.objects.filter(service_area=world.housing)
    form = action_filter("", visible=housing_only).form
    assert [value for value, _ in form.fields["area"].choices] == ["", "Service provider"]
    assert dict(form.fields["area"].choices)["Service provider"] == [("HOU", "Housing")]
    people = [label for _, label in form.fields["owner"].choices]
    assert people == ["Anyone", "lead@council.example", "Hana Osei"]  # by first name, then email


def test_without_a_query_nothing_is_filtered(world):
    f = ActionFilter(None, visible=Action.objects.all(), cycle=current_cycle(), on=today())
    assert refs(f) == ["HOU-01", "HOU-02", "PH-01"] and f.values == {}
