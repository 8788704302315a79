"""Element ids in a page: a page whose ids repeat breaks labels, error-summary links and HTMX targets."""

from collections import Counter
from html.parser import HTMLParser


class _IdCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)

    handle_startendtag = handle_starttag


def element_ids(html: str) -> list[str]:
    """Every id attribute in the page, in document order (repeats included)."""
    collector = _IdCollector()
    collector.feed(html)
    collector.close()
    return collector.ids


def duplicate_ids(html: str) -> dict[str, int]:
    """Each id used more than once, with how many times."""
    return {id_: n for id_, n in Counter(element_ids(html)).items() if n > 1}
