"""HTMX helpers shared by every app, and the plain answer to a form HTMX did not send."""

from django.contrib import messages
from django.shortcuts import redirect


def is_partial(request) -> bool:
    """True when HTMX asks for a fragment to swap in; boosted and history-restore requests get the
    whole page."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def back_with_message(request, url: str, message: str, *, level: int = messages.SUCCESS):
    """The answer to a plain form post (no JavaScript, so no panel swapped in): the page, from its
    top, with the message in a banner there.

    Any ``#fragment`` in ``url`` is dropped: scrolled to the panel that was saved, the person would
    not see the banner at the top of the page, and a screen reader would not read it. (With
    JavaScript the panel itself is swapped in, with its banner.)
    """
    messages.add_message(request, level, message)
    return redirect(url.partition("#")[0])
