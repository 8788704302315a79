"""``{{ mapping|item:key }}``: a value looked up by a key held in a variable, which a Django
template cannot write by itself: ``{% with form=target_forms|item:target.ref %}``."""

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def item(mapping: object, key: object) -> object:
    """The value for key, or None (also when there is no mapping, as a variable left unset)."""
    return mapping.get(key) if isinstance(mapping, Mapping) else None
