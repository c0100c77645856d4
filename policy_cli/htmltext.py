"""Visible text of an HTML page: script and style dropped, blocks become paragraphs, entities decoded."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "object"})
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "dd", "details", "dialog", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul", "title", "caption",
    }
)
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_BREAKS = re.compile(r" *\n[ \n]*")


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(_SPACES.sub(" ", data))


def html_to_text(markup: str) -> str:
    """Return the visible text of an HTML document, paragraphs separated by blank lines."""
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    # Normalise the breaks the tags produced: at most one blank line between blocks.
    text = _BREAKS.sub(lambda m: "\n\n" if m.group().count("\n") > 1 else "\n", text)
    return "\n".join(line.strip() for line in text.strip().split("\n"))


# Tags of a page's body: a fragment ("<p>We collect…</p><ul><li>…") opens with one of them.
_BODY_TAG = re.compile(r"<(?:p|div|h[1-6]|ul|ol|li|table|tr|td|th|section|article|main|span|a|strong|b|em|br|dl|dt|dd)\b[^<>]*>", re.I)


def looks_like_html(text: str) -> bool:
    """Sniff stdin and extension-less inputs for HTML: a page, or a fragment of a page's body."""
    head = text[:1024].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text[:65536]):
        return True
    return bool(_BODY_TAG.match(head)) and "</" in text[:65536]
