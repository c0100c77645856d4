"""A document as its blocks: the text the rules read, with every character's offset in the file.

Every input becomes a `Document`: its analysis text (markup gone, typography normalized, blocks
apart by a blank line), the file offset of each character of that text, and its blocks (heading
with its level, paragraph, list item, table cell, quote) with the section each stands in. Markdown
is read by a real parser (markdown-it-py); plain text keeps its lines, and its headings are found
by the segmenter's heuristics. Findings are made on the analysis text and mapped back, so offsets,
lines and columns point into the file as the user opened it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Sequence

import regex

from .normalize import normalize

HEADING, PARAGRAPH, LIST_ITEM, TABLE_CELL, QUOTE = "heading", "paragraph", "list_item", "table_cell", "quote"
# Characters that carry no text: zero-width spaces and joiners, the soft hyphen, a BOM inside text.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\u00ad\ufeff")
_VISIBLE_RUN = regex.compile("[^\u200b\u200c\u200d\u2060\u00ad\ufeff]+")
# kramdown's attribute lists: "{: datetime="2026-05-04" }", "{:.note}", "{#anchor}"
_ATTRIBUTE_LIST = regex.compile(r"\{[:#][^{}\n]*\}")
_BREAK_TAG = regex.compile(r"(?i)<br\s*/?>")
_TAG = regex.compile(r"<[^<>]*>")


@dataclass(frozen=True, slots=True)
class Block:
    """A run of the analysis text that the document's structure makes one unit."""

    kind: str
    start: int
    end: int
    level: int  # a heading's level (1 for h1); 0 for the other kinds
    section: tuple[str, ...]  # the headings above it, outermost first


@dataclass(frozen=True, slots=True)
class Document:
    original: str  # the decoded file
    text: str  # what the rules read
    display: str  # the same characters before normalization, for evidence
    offsets: Sequence[int] | None  # file offset of each character of `text`, and one past the end; None: the same
    blocks: tuple[Block, ...]
    structured: bool  # headings are known from markup; no heuristic needed
    block_starts: tuple[int, ...] = ()  # the blocks' starts, for lookup

    def source_offset(self, offset: int) -> int:
        return offset if self.offsets is None else self.offsets[offset]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The file span of the analysis text's [start, end)."""
        if self.offsets is None:
            return start, end
        return self.offsets[start], (self.offsets[end - 1] + 1 if end > start else self.offsets[start])

    def block_at(self, offset: int) -> Block | None:
        index = bisect.bisect_right(self.block_starts, offset) - 1
        if index >= 0 and self.blocks[index].start <= offset < self.blocks[index].end:
            return self.blocks[index]
        return None


def _document(original: str, display: str, offsets, blocks: list[Block], structured: bool) -> Document:
    """A document from its display text: the rules read it normalized; blocks are looked up by start."""
    return Document(original, normalize(display), display, offsets, tuple(blocks), structured, tuple(b.start for b in blocks))


def _line_starts(text: str) -> list[int]:
    """The offset of each line's first character, and the text's length after the last."""
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    starts.append(len(text))
    return starts


class _Sections:
    """The headings above the current block, outermost first."""

    def __init__(self) -> None:
        self.open: list[tuple[int, str]] = []  # (level, title)

    @property
    def current(self) -> tuple[str, ...]:
        return tuple(title for _, title in self.open)

    @property
    def next_level(self) -> int:
        """The level of a heading written as emphasis: one below the heading it stands under."""
        return self.open[-1][0] + 1 if self.open else 1

    def enter(self, level: int, title: str) -> tuple[str, ...]:
        """Open a heading; return the section the heading itself stands in."""
        while self.open and self.open[-1][0] >= level:
            self.open.pop()
        section = self.current
        self.open.append((level, " ".join(title.split())))
        return section


def text_document(original: str) -> Document:
    """A plain-text document: the text as it stands (normalized), one block per paragraph."""
    cleaned = original
    offsets = None
    if any(ch in original for ch in _INVISIBLE):
        builder = _Builder(original)
        builder.copy(0, len(original))
        cleaned = builder.text()
        offsets = builder.finish()
    blocks = []
    for match in regex.finditer(r"[^\n]+(?:\n[ \t]*[^\s][^\n]*)*", cleaned):
        if match.group().strip():
            blocks.append(Block(PARAGRAPH, match.start(), match.end(), 0, ()))
    return _document(original, cleaned, offsets, blocks, structured=False)


class _Builder:
    """Collects the analysis text piece by piece with the file offset of every character."""

    def __init__(self, source: str):
        self.source = source
        self.parts: list[str] = []
        self.offsets: list[int] = []
        self.length = 0

    def copy(self, start: int, end: int) -> None:
        """The file's characters [start, end), less the invisible ones."""
        piece = self.source[start:end]
        if not any(ch in piece for ch in _INVISIBLE):
            self.parts.append(piece)
            self.offsets.extend(range(start, end))
            self.length += end - start
            return
        for run in _VISIBLE_RUN.finditer(self.source, start, end):
            self.parts.append(run.group())
            self.offsets.extend(range(run.start(), run.end()))
            self.length += run.end() - run.start()

    def add(self, characters: str, at: int) -> None:
        """Characters that stand for the file's text at `at` (a decoded entity, a line break)."""
        self.parts.append(characters)
        self.offsets.extend([at] * len(characters))
        self.length += len(characters)

    def place(self, content: str, cursor: int, limit: int) -> int:
        """Add `content`, found in the file at or after `cursor` (before `limit`); return the new cursor.

        Parsers give text without positions: each piece is found where it stands, in order. A piece
        the parser rewrote (an entity, an escape) is placed character by character.
        """
        position = self.source.find(content, cursor, limit)
        if position != -1:
            self.copy(position, position + len(content))
            return position + len(content)
        for character in content:
            position = self.source.find(character, cursor, limit)
            if position != -1:
                self.add(character, position)
                cursor = position + 1
            else:
                self.add(character, min(cursor, len(self.source) - 1) if self.source else 0)
        return cursor

    def text(self) -> str:
        return "".join(self.parts)

    def mark(self) -> tuple[int, int]:
        """Where the text stands now: (pieces so far, characters so far)."""
        return len(self.parts), self.length

    def since(self, mark: tuple[int, int]) -> str:
        """The text added since `mark`."""
        return "".join(self.parts[mark[0]:])

    def finish(self) -> list[int]:
        self.offsets.append(len(self.source))
        return self.offsets


@dataclass
class _Open:
    kind: str
    level: int = 0


_MARKDOWN = None


def _markdown_parser():
    global _MARKDOWN
    if _MARKDOWN is None:
        from markdown_it import MarkdownIt

        _MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")
    return _MARKDOWN


def markdown_document(original: str) -> Document:
    """A Markdown document read by markdown-it-py: headings, paragraphs, list items, table cells,
    quotes; link text kept, URLs, anchors, kramdown attribute lists and inline HTML dropped."""
    tokens = _markdown_parser().parse(original)
    line_starts = _line_starts(original)
    builder = _Builder(original)
    blocks: list[Block] = []
    sections = _Sections()
    stack: list[_Open] = []
    for token in tokens:
        if token.type == "heading_open":
            stack.append(_Open(HEADING, int(token.tag[1:])))
        elif token.type == "list_item_open":
            stack.append(_Open(LIST_ITEM))
        elif token.type in ("td_open", "th_open"):
            stack.append(_Open(TABLE_CELL))
        elif token.type == "blockquote_open":
            stack.append(_Open(QUOTE))
        elif token.type in ("heading_close", "list_item_close", "td_close", "th_close", "blockquote_close"):
            if stack:
                stack.pop()
        elif token.type == "inline" and token.map:
            first, last = token.map
            cursor, limit = line_starts[first], line_starts[min(last, len(line_starts) - 1)]
            mark = builder.mark()
            _inline(builder, token.children or [], cursor, limit)
            shown = builder.since(mark)
            if not shown.strip():
                continue
            kind = stack[-1].kind if stack else PARAGRAPH
            level = stack[-1].level if stack and kind == HEADING else 0
            if kind == PARAGRAPH and _emphasized_title(token.children or [], shown):
                kind, level = HEADING, sections.next_level
            section = sections.enter(level, shown) if kind == HEADING else sections.current
            blocks.append(Block(kind, mark[1], builder.length, level, section))
            builder.add("\n\n", max(limit - 1, 0))
        elif token.type in ("code_block", "fence") and token.map:
            continue  # code is not prose
        elif token.type == "html_block" and token.map:
            first, last = token.map
            end = line_starts[min(last, len(line_starts) - 1)]
            mark = builder.mark()
            _html_text(builder, line_starts[first], end)
            if builder.since(mark).strip():
                blocks.append(Block(stack[-1].kind if stack else PARAGRAPH, mark[1], builder.length, 0, sections.current))
            builder.add("\n\n", max(end - 1, 0))
    display = builder.text()
    return _document(original, display, builder.finish(), blocks, structured=True)


_TITLE_LENGTH = 120  # characters: a longer bold paragraph is a statement set in bold
_SENTENCE_END = ".。!?！？;；"


def _emphasized_title(children, shown: str) -> bool:
    """A paragraph that is one run of bold text, short and with no closing punctuation
    ("**Sharing with partners**"), is a heading written as emphasis."""
    kinds = [c.type for c in children if not (c.type == "text" and not c.content.strip())]
    if len(kinds) < 3 or kinds[0] != "strong_open" or kinds[-1] != "strong_close" or "strong_open" in kinds[1:]:
        return False
    title = shown.strip()
    return len(title) <= _TITLE_LENGTH and title[-1] not in _SENTENCE_END


def _inline(builder: _Builder, children, cursor: int, limit: int) -> int:
    for child in children:
        if child.type in ("text", "code_inline"):
            content = _ATTRIBUTE_LIST.sub("", child.content) if "{" in child.content else child.content
            if content:
                cursor = builder.place(content, cursor, limit)
        elif child.type == "softbreak":
            builder.add(" ", cursor)
        elif child.type == "hardbreak":
            builder.add("\n", cursor)
        elif child.type == "html_inline":
            if _BREAK_TAG.fullmatch(child.content.strip()):
                builder.add("\n", cursor)
            position = builder.source.find(child.content, cursor, limit)
            if position != -1:
                cursor = position + len(child.content)
        elif child.type == "image" and child.children:
            cursor = _inline(builder, child.children, cursor, limit)
    return cursor


def _html_text(builder: _Builder, start: int, end: int) -> None:
    """The text of a raw HTML block inside Markdown: tags dropped, entities decoded, in place."""
    import html

    source = builder.source
    position = start
    for tag in _TAG.finditer(source, start, end):
        _entities(builder, html, position, tag.start())
        if _BREAK_TAG.fullmatch(tag.group()) or tag.group().lower().startswith(("</p", "</td", "</th", "</li", "</div", "</h")):
            builder.add(" ", tag.start())
        position = tag.end()
    _entities(builder, html, position, end)


_ENTITY = regex.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")


def _entities(builder: _Builder, html, start: int, end: int) -> None:
    position = start
    for entity in _ENTITY.finditer(builder.source, start, end):
        builder.copy(position, entity.start())
        builder.add(html.unescape(entity.group()), entity.start())
        position = entity.end()
    builder.copy(position, end)


_HTML_SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "title"})
_HTML_BLOCKS = {
    **{f"h{n}": HEADING for n in range(1, 7)},
    "li": LIST_ITEM, "dt": LIST_ITEM, "dd": LIST_ITEM, "td": TABLE_CELL, "th": TABLE_CELL, "blockquote": QUOTE,
    **dict.fromkeys(
        ("p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "address", "figcaption",
         "caption", "summary", "details", "form", "fieldset", "table", "tr", "ul", "ol", "dl", "body", "html", "pre", "hr"),
        PARAGRAPH,
    ),
}
_HTML_PIECE = regex.compile(r"[^ \t\r\n\f\v]+|[ \t\r\n\f\v]+")


def html_document(original: str) -> Document:
    """An HTML page or fragment read by the standard library's parser, with the file position of
    every piece of text: headings with their level, paragraphs, list items, table cells, quotes;
    scripts, styles and attributes dropped, entities decoded in place."""
    from html import unescape
    from html.parser import HTMLParser

    line_starts = _line_starts(original)
    builder = _Builder(original)
    blocks: list[Block] = []
    sections = _Sections()
    # "bold": depth inside <strong>/<b>; "loose": the block has text outside them
    state = {"skip": 0, "head": False, "kind": PARAGRAPH, "level": 0, "mark": builder.mark(), "space": True, "bold": 0, "loose": False}

    def offset(parser) -> int:
        line, column = parser.getpos()
        return line_starts[line - 1] + column

    def close_block(at: int) -> None:
        shown = builder.since(state["mark"])
        if shown.strip():
            kind, level = state["kind"], state["level"]
            title = shown.strip()
            if kind == PARAGRAPH and not state["loose"] and len(title) <= _TITLE_LENGTH and title[-1] not in _SENTENCE_END:
                kind, level = HEADING, sections.next_level  # <p><strong>Title</strong></p>
            section = sections.enter(level, shown) if kind == HEADING else sections.current
            blocks.append(Block(kind, state["mark"][1], builder.length, level, section))
            builder.add("\n\n", at)
        state["mark"] = builder.mark()
        state["space"] = True
        state["loose"] = False

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if state["head"] and (tag == "body" or tag in _HTML_BLOCKS):
                # the body begins where the page never closed its head, as browsers read it
                state["head"] = False
                state["skip"] = max(0, state["skip"] - 1)
            if tag in _HTML_SKIP:
                state["skip"] += 1
                state["head"] = state["head"] or tag == "head"
            elif tag in ("strong", "b"):
                state["bold"] += 1
            elif tag == "br":
                builder.add("\n", offset(self))
                state["space"] = True
            elif tag in _HTML_BLOCKS and not state["skip"]:
                close_block(offset(self))
                state["kind"], state["level"] = _HTML_BLOCKS[tag], int(tag[1]) if _HTML_BLOCKS[tag] == HEADING else 0

        def handle_startendtag(self, tag, attrs):
            if tag == "br":
                builder.add("\n", offset(self))
                state["space"] = True

        def handle_endtag(self, tag):
            if tag == "head" and not state["head"]:
                return  # already closed by the body's first block
            if tag in _HTML_SKIP:
                state["skip"] = max(0, state["skip"] - 1)
                state["head"] = state["head"] and tag != "head"
            elif tag in ("strong", "b"):
                state["bold"] = max(0, state["bold"] - 1)
            elif tag in _HTML_BLOCKS and not state["skip"]:
                close_block(offset(self))
                state["kind"], state["level"] = PARAGRAPH, 0

        def handle_data(self, data):
            if state["skip"]:
                return
            base = offset(self)
            for piece in _HTML_PIECE.finditer(data):
                if piece.group()[0] in " \t\r\n\f\v":
                    if not state["space"]:
                        builder.add(" ", base + piece.start())
                        state["space"] = True
                else:
                    builder.copy(base + piece.start(), base + piece.end())
                    state["space"] = False
                    state["loose"] = state["loose"] or not state["bold"]

        def handle_entityref(self, name):
            self._reference(f"&{name};")

        def handle_charref(self, name):
            self._reference(f"&#{name};")

        def _reference(self, raw):
            if not state["skip"]:
                builder.add(unescape(raw), offset(self))
                state["space"] = False
                state["loose"] = state["loose"] or not state["bold"]

    reader = Reader(convert_charrefs=False)
    try:
        reader.feed(original)
        reader.close()
    except (AssertionError, ValueError):  # markup html.parser gives up on ("<![ if IE ]>")
        return _tag_stripped_document(original)
    close_block(len(original) - 1 if original else 0)
    return _document(original, builder.text(), builder.finish(), blocks, structured=True)


def _tag_stripped_document(original: str) -> Document:
    """The last resort for markup no parser reads: tags dropped, entities decoded, no structure."""
    builder = _Builder(original)
    _html_text(builder, 0, len(original))
    display = builder.text()
    return _document(original, display, builder.finish(), [Block(PARAGRAPH, 0, len(display), 0, ())], structured=False)
