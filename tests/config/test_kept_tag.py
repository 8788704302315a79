"""{% kept %} keeps what it draws under a key, and draws afresh when there is no key."""

from django.core.cache import cache
from django.template import Context, Template

TEMPLATE = Template("{% load kept %}{% kept 60 key part %}{{ value }}{% endkept %}|{{ value }}")


def draw(**context) -> str:
    return TEMPLATE.render(Context(context))


def test_what_is_drawn_under_a_key_is_served_as_drawn():
    cache.clear()
    assert (
        draw(key="state-1", part="a", value="<b>first</b>")
        == "&lt;b&gt;first&lt;/b&gt;|&lt;b&gt;first&lt;/b&gt;"
    )
    assert draw(key="state-1", part="a", value="second") == "&lt;b&gt;first&lt;/b&gt;|second"


def test_another_key_or_part_is_drawn_for_itself():
    cache.clear()
    draw(key="state-1", part="a", value="first")
    assert draw(key="state-2", part="a", value="second").startswith("second|")
    assert draw(key="state-1", part="b", value="third").startswith("third|")


def test_without_a_key_it_is_drawn_every_time_and_nothing_is_kept():
    cache.clear()
    for key in (None, ""):
        assert draw(key=key, part="a", value="first") == "first|first"
        assert draw(key=key, part="a", value="second") == "second|second"
