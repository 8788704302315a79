"""A section of a page kept for the state of the data it shows, and served again until it changes.

A section (the action page's targets and challenges, the outcome page's indicator) is drawn once
for a key made of the state of the data it reads (config.data_state) and of whatever else it
depends on, and kept in Django's cache. A section with forms is drawn with a mark in place of the
CSRF token, so each page gets its own token back. Nothing is kept while the state cannot be
trusted (``settled`` false).
"""

from collections.abc import Callable

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

# Stands for the person's CSRF token in a kept section; each page gets its own token back.
CSRF_MARK = "csrf-token-of-this-request-7c1d9e4b"


def kept_section(key: str, *, settled: bool, seconds: int, draw: Callable[[], dict]) -> dict:
    """What ``draw`` returns (picklable), kept under ``key`` when the state was settled."""
    kept = cache.get(key)
    if kept is None:
        kept = draw()
        if settled:
            cache.set(key, kept, timeout=seconds)
    return kept


def with_token(html: str, request) -> SafeString:
    """A kept section's HTML with this request's CSRF token in place of the mark."""
    # The kept HTML was escaped when it was drawn; only the token mark is put back.
    return mark_safe(html.replace(CSRF_MARK, get_token(request)))  # noqa: S308
