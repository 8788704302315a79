"""``{{ user|person }}``: how a page names a person (config.User.display_name), blank for nobody.

A builtin (config/settings/base.py), so every template has it without ``{% load %}``.
"""

from django import template

register = template.Library()


@register.filter
def person(user) -> str:
    """A person's name, or their email address when no name is known; "" for no one."""
    return "" if user is None else user.display_name
