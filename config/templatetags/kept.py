"""``{% kept seconds key part… %}…{% endkept %}``: what is inside drawn once for a key and kept in
Django's cache for ``seconds``; drawn every time when the key is empty.

Django's ``{% cache %}`` keys a fragment by whatever it is given, an empty key included. Pages that
key what they keep by the state of the data (config/data_state.py) have no key when that state
cannot be trusted (another transaction was writing), and must then draw afresh: this tag does.
"""

from django import template
from django.core.cache import cache
from django.utils.safestring import mark_safe

from config.data_state import digest

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, nodelist, seconds, key, parts):
        self.nodelist, self.seconds, self.key, self.parts = nodelist, seconds, key, parts

    def render(self, context) -> str:
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        name = f"kept:{digest([key, *(part.resolve(context) for part in self.parts)])}"
        drawn = cache.get(name)
        if drawn is None:
            drawn = self.nodelist.render(context)
            cache.set(name, str(drawn), timeout=self.seconds.resolve(context))
        return mark_safe(drawn)  # noqa: S308 (drawn by this template, escaped as it was drawn)


@register.tag
def kept(parser, token) -> KeptNode:
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("{% kept %} takes the seconds, a key and any parts")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    seconds, key, *parts = (parser.compile_filter(bit) for bit in bits[1:])
    return KeptNode(nodelist, seconds, key, parts)
