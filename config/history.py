"""Saying who made a change and why, for django-simple-history (which reads these two attributes
at the next save). Every service sets both explicitly: a background task has no request."""

from typing import Any


def attribute(obj: Any, *, user, reason: str = "") -> None:
    obj._history_user = user
    obj._change_reason = reason
