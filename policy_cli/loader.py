"""Find the inputs a command names and read each into text; one bad input never stops the others."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .decode import decode_bytes
from .errors import InputError
from .htmltext import looks_like_html

# Files a directory scan picks up; a file named on the command line is read whatever its name.
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".rst", ".html", ".htm", ".xhtml"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
STDIN = "-"


@dataclass(frozen=True, slots=True)
class Source:
    """A named input: a file path, or '-' for standard input."""

    name: str
    path: Path | None  # None for stdin, or for a path that names nothing


def discover(arguments: list[str]) -> Iterator[Source]:
    """Expand the command's arguments into sources: directories recursively, sorted, hidden entries skipped."""
    for argument in arguments:
        if argument == STDIN:
            yield Source(STDIN, None)
            continue
        path = Path(argument)
        if path.is_dir():
            yield from _walk(path)
        else:
            yield Source(argument, path)


def _walk(root: Path) -> Iterator[Source]:
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(directory, name)
            if path.suffix.lower() in TEXT_SUFFIXES:
                yield Source(str(path), path)


MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
TEXT, MARKDOWN, HTML = "text", "markdown", "html"


def read_source(source: Source) -> tuple[str, str, str]:
    """Return (text, encoding, format) of a source, or raise InputError naming what went wrong.

    The format ("text", "markdown", "html") comes from the file's suffix; stdin and files without
    one are sniffed for HTML.
    """
    suffix = "" if source.path is None else source.path.suffix.lower()
    data = sys.stdin.buffer.read() if source.path is None else _read_file(source.path)
    text, encoding = decode_bytes(data)
    fmt = MARKDOWN if suffix in MARKDOWN_SUFFIXES else TEXT
    if suffix in HTML_SUFFIXES or suffix == "" and looks_like_html(text):
        fmt = HTML
    if not text.strip():
        raise InputError("empty", "no text to analyze" if not data else "only white space, no text to analyze")
    return text, encoding, fmt


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("not_found", "no such file or directory") from None
    except IsADirectoryError:
        raise InputError("unreadable", "is a directory") from None
    except PermissionError:
        raise InputError("unreadable", "permission denied") from None
    except OSError as exc:
        raise InputError("unreadable", exc.strerror or "cannot be read") from None
