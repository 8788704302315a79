"""Element ids in a page: a page whose ids repeat breaks labels, error-summary links and HTMX targets."""

import re
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


def broken_links(html: str) -> dict[str, int]:
    """Each in-page link target ("#id", as the error summary's links) that is not exactly one
    element, with how many elements have that id."""
    ids = Counter(element_ids(html))
    targets = re.findall(r'href="#([^"]+)"', html)
    return {target: ids[target] for target in targets if ids[target] != 1}
