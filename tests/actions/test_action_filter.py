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


def owners(f: ActionFilter) -> list[str]:
    return [label for _, label in f.form.fields["owner"].choices]


def test_the_kept_choices_follow_every_change_of_what_they_name(world):
    """The choices are kept for each state of the data (actions.filters.kept_choices): an
    action given a new owner, a renamed area, person or characteristic shows at once."""
    from actions.models import Characteristic
    from tests import factories

    newcomer = factories.person("new@council.example")
    newcomer.first_name, newcomer.last_name = "Sam", "Newowner"
    newcomer.save()
    assert "Sam Newowner" not in owners(action_filter(""))  # owns nothing yet
    action = Action.objects.get(ref="HOU-02")
    action.owner = newcomer
    action.save()
    assert "Sam Newowner" in owners(action_filter(""))
    newcomer.first_name = "Samira"
    newcomer.save()
    assert "Samira Newowner" in owners(action_filter(""))
    world.housing.name = "Homes"
    world.housing.save()
    areas = dict(action_filter("").form.fields["area"].choices)
    assert ("HOU", "Homes") in [choice for group in areas.values() for choice in group]
    first = Characteristic.objects.order_by("position").first()
    Characteristic.objects.filter(pk=first.pk).update(name="Renamed characteristic")
    labels = [label for _, label in action_filter("").form.fields["characteristic"].choices]
    assert "Renamed characteristic" in labels


def test_the_choices_are_kept_for_each_persons_reach(world):
    everything = owners(action_filter(""))
    housing_only = owners(action_filter("", Action.objects.filter(service_area=world.housing)))
    assert housing_only != everything
    assert owners(action_filter("")) == everything


def test_someone_who_may_see_no_action_is_offered_no_choices(world):
    for nothing in (Action.objects.none(), Action.objects.filter(pk__in=[])):
        f = action_filter("", visible=nothing)
        assert [label for _, label in f.form.fields["owner"].choices] == ["Anyone"]
        assert [value for value, _ in f.form.fields["area"].choices] == [""]
        assert refs(f) == []
