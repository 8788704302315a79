"""HTMX helpers shared by every app, and the plain answer to a form HTMX did not send."""

from django.contrib import messages
from django.shortcuts import redirect


def is_partial(request) -> bool:
    """True when HTMX asks for a fragment to swap in; boosted and history-restore requests get the
    whole page."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted and not htmx.history_restore_request


# Where a page is shown from when it answers with a banner: the start of <main>, where the banner
# is (templates/base.html).
MAIN = "#main-content"


def back_with_message(request, url: str, message: str, *, level: int = messages.SUCCESS):
    """The answer to a plain form post (no JavaScript, so no panel swapped in): the page, from the
    start of its content, with the message in a banner there.

    Any ``#fragment`` in ``url`` is replaced: scrolled to the panel that was saved, the person would
    not see the banner, and a screen reader would not read it. The redirect names ``#main-content``
    because a browser keeps the fragment of the form's own action (a panel's form posts to
    ``…#its-panel``, so that a page drawn in answer, with errors, opens at the panel) when the
    redirect names none. With JavaScript the panel itself is swapped in, with its banner.
    """
    messages.add_message(request, level, message)
    return redirect(url.partition("#")[0] + MAIN)
