"""``{{ mapping|item:key }}`` (config/templatetags/lookup.py): a value found by a variable key."""

from django.template import Context, Template

PAGE = Template(
    "{% load lookup %}{% with form=forms|item:ref %}{{ form|default:'none' }}{% endwith %}"
)


def test_a_value_is_found_by_a_key_held_in_a_variable():
    assert PAGE.render(Context({"forms": {"T-1": "form of T-1"}, "ref": "T-1"})) == "form of T-1"


def test_a_missing_key_or_a_missing_mapping_gives_nothing_rather_than_an_error():
    assert PAGE.render(Context({"forms": {"T-1": "form of T-1"}, "ref": "T-2"})) == "none"
    assert PAGE.render(Context({"ref": "T-1"})) == "none"
