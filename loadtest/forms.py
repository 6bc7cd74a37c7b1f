"""Reading a page's form as a browser would submit it (shared by the Locust users and the
freshness check)."""

from __future__ import annotations

from html.parser import HTMLParser


class Form(HTMLParser):
    """The fields of the page's POST form as a browser would send them unchanged."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.radios: dict[str, list[str]] = {}
        self._select = self._textarea = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind == "radio":
                self.radios.setdefault(name, []).append(attrs.get("value", ""))
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value", "")
            elif kind in {"submit", "button", "image", "reset"}:
                return
            elif kind != "checkbox" or "checked" in attrs:
                self.fields[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and ("selected" in attrs or self._select not in self.fields):
            self.fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data
