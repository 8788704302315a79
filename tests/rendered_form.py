"""Read a form as the page renders it, so a test fills and submits what a person would see.

    form = rendered_form(response, action=url)
    client.post(form.action, form.filled(value="13", reason="Typed 31 for 13"))

A field the page does not render cannot be filled: ``filled`` refuses names it has not seen.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class RenderedForm:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # name → value as rendered

    def filled(self, **values: str) -> dict[str, str]:
        unknown = set(values) - set(self.fields)
        assert not unknown, f"the page's form has no field {sorted(unknown)}: {sorted(self.fields)}"
        return self.fields | values


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[RenderedForm] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self.options: dict[str, list[str]] = {}  # a select's name → the values it offers

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(RenderedForm(a.get("action") or "", (a.get("method") or "get")))
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self.forms[-1].fields.setdefault(a["name"], "")
                return
            self.forms[-1].fields[a["name"]] = a.get("value") or ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.options[a["name"]] = []
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            self.options[self._select].append(value)
            if "selected" in a or len(self.options[self._select]) == 1:
                self.forms[-1].fields[self._select] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.forms[-1].fields[a["name"]] = ""

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1].fields[self._textarea] += data.lstrip("\n")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        if tag == "select":
            self._select = None


def rendered_form(response, *, action: str) -> RenderedForm:
    parser = _Forms()
    parser.feed(response.content.decode())
    found = [f for f in parser.forms if f.action == action]
    assert found, f"no form posting to {action} on the page"
    return found[0]
