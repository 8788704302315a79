"""Who may see and update which actions: enforced in querysets."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from actions.models import Action
from config import roles
from tests import factories

pytestmark = pytest.mark.django_db


def refs(queryset):
    return sorted(queryset.values_list("ref", flat=True))


def test_the_programme_team_sees_and_updates_everything(world):
    assert refs(Action.objects.visible_to(world.team)) == ["HOU-01", "HOU-02", "PH-01"]
    assert refs(Action.objects.editable_by(world.team)) == ["HOU-01", "HOU-02", "PH-01"]


def test_the_board_sees_everything_and_updates_nothing(world):
    assert refs(Action.objects.visible_to(world.board)) == ["HOU-01", "HOU-02", "PH-01"]
    assert refs(Action.objects.editable_by(world.board)) == []


def test_a_director_sees_and_updates_only_their_areas_actions(world):
    assert refs(Action.objects.visible_to(world.director)) == ["HOU-01", "HOU-02"]
    assert refs(Action.objects.editable_by(world.director)) == ["HOU-01", "HOU-02"]
    assert refs(Action.objects.visible_to(world.other_director)) == ["PH-01"]


def test_an_action_reached_three_ways_is_listed_once(world):
    # The director directs its area, owns it and leads it: still one row, and a count of one.
    world.undelegated.owner = world.undelegated.lead_officer = world.director
    world.undelegated.save()
    assert refs(Action.objects.visible_to(world.director)) == ["HOU-01", "HOU-02"]
    assert Action.objects.editable_by(world.director).filter(ref="HOU-02").count() == 1


def test_a_lead_officer_updates_only_what_is_delegated_to_them(world):
    assert refs(Action.objects.visible_to(world.lead)) == ["HOU-01"]
    assert refs(Action.objects.editable_by(world.lead)) == ["HOU-01"]


def test_a_named_owner_outside_the_area_sees_their_action(world):
    owner = factories.person(role="Service director")
    world.other_action.owner = owner
    world.other_action.save()
    assert refs(Action.objects.visible_to(owner)) == ["PH-01"]
    assert refs(Action.objects.owned_or_led_by(owner)) == ["PH-01"]
    # The area's director no longer owns it, but still sees and updates it.
    assert refs(Action.objects.owned_or_led_by(world.other_director)) == []
    assert refs(Action.objects.editable_by(world.other_director)) == ["PH-01"]


def test_someone_without_a_role_sees_nothing(world):
    nobody = factories.person()
    assert refs(Action.objects.visible_to(nobody)) == []
    assert refs(Action.objects.visible_to(AnonymousUser())) == []
    # Even named as an action's owner, a person without a role cannot update it.
    world.action.owner = nobody
    world.action.save()
    assert refs(Action.objects.visible_to(nobody)) == ["HOU-01"]
    assert refs(Action.objects.editable_by(nobody)) == []


def test_my_actions_are_those_owned_or_led(world):
    assert refs(Action.objects.owned_or_led_by(world.director)) == ["HOU-01", "HOU-02"]
    assert refs(Action.objects.owned_or_led_by(world.lead)) == ["HOU-01"]
    assert refs(Action.objects.owned_or_led_by(world.board)) == []


def test_whether_one_action_may_be_updated_is_what_the_queryset_says(world):
    # Action.is_editable_by answers without a query on the action page and at every save; it
    # must agree with ActionQuerySet.editable_by for every role and every way of reaching it.
    owner = factories.person("owner@council.example", role=roles.SERVICE_DIRECTOR)
    world.other_action.owner = owner
    world.other_action.save()
    both = factories.person("both@council.example", role=roles.PROGRAMME_BOARD)
    both.groups.add(Group.objects.get(name=roles.SERVICE_DIRECTOR))
    world.undelegated.lead_officer = world.lead
    world.undelegated.owner = both
    world.undelegated.save()
    unrolled = factories.person("nobody@council.example")
    world.action.owner = unrolled
    world.action.save()
    people = [
        world.team,
        world.board,
        world.director,
        world.other_director,
        world.lead,
        owner,
        both,
        unrolled,
        AnonymousUser(),
    ]
    for person in people:
        editable = set(Action.objects.editable_by(person).values_list("ref", flat=True))
        for action in Action.objects.select_related("service_area"):
            fresh = type(person).objects.get(pk=person.pk) if person.pk else person
            assert action.is_editable_by(fresh) == (action.ref in editable), (person, action.ref)
    assert Action.objects.editable_by(both).count() == 1  # the Board member owns one action
    assert not Action.objects.editable_by(unrolled).exists()  # an owner without a role
