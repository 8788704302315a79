"""HTMX helpers shared by every app."""


def is_partial(request) -> bool:
    """True when HTMX asks for a fragment to swap in; boosted and history-restore requests get the
    whole page."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted and not htmx.history_restore_request
