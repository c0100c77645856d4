"""Find the inputs a command names and read each into text; one bad input never stops the others."""

from __future__ import annotations

import os
import stat
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
    problem: str | None = None  # found while walking (a folder that cannot be listed): reported as its error


# Inputs larger than this are refused with a clear error rather than read until memory runs out
# (a device, a runaway file); POLICY_MAX_BYTES sets another limit.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def display_name(name: str) -> str:
    """A file name as results show it: bytes that are not UTF-8 (kept by the OS as surrogates)
    become U+FFFD, so JSON, SARIF and terminals can always write it."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def max_bytes() -> int:
    value = os.environ.get("POLICY_MAX_BYTES")
    if value is None:
        return DEFAULT_MAX_BYTES
    try:
        limit = int(value)
    except ValueError:
        limit = -1
    if limit <= 0:
        from .errors import UsageError

        raise UsageError(f"POLICY_MAX_BYTES must be a positive number of bytes, not {value!r}")
    return limit


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
    """The policy files below `root`, in sorted order, walked with a stack (any depth); a folder
    that cannot be listed, and a FIFO, device or socket named like a policy, are yielded with their
    problem so they are reported. Links to folders are not followed (no loops)."""
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            yield Source(str(directory), Path(directory), f"cannot list this folder ({exc.strerror or exc})")
            continue
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(Path(entry.path))
                    continue
            except OSError:
                pass
            path = Path(entry.path)
            if path.suffix.lower() in TEXT_SUFFIXES:
                yield Source(str(path), path)
        stack.extend(reversed(folders))


MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
TEXT, MARKDOWN, HTML = "text", "markdown", "html"


def read_source(source: Source) -> tuple[str, str, str]:
    """Return (text, encoding, format) of a source, or raise InputError naming what went wrong.

    The format ("text", "markdown", "html") comes from the file's suffix; stdin and files without
    one are sniffed for HTML.
    """
    if source.problem is not None:
        raise InputError("unreadable", source.problem)
    suffix = "" if source.path is None else source.path.suffix.lower()
    data = _read_stdin() if source.path is None else _read_file(source.path)
    text, encoding = decode_bytes(data)
    fmt = MARKDOWN if suffix in MARKDOWN_SUFFIXES else TEXT
    if suffix in HTML_SUFFIXES or suffix == "" and looks_like_html(text):
        fmt = HTML
    if not text.strip():
        raise InputError("empty", "no text to analyze" if not data else "only white space, no text to analyze")
    return text, encoding, fmt


def _read_stdin() -> bytes:
    limit = max_bytes()
    stream = sys.stdin
    if stream is None:
        raise InputError("unreadable", "standard input is closed")
    try:
        data = stream.buffer.read(limit + 1)
    except (OSError, ValueError) as exc:
        raise InputError("unreadable", f"standard input cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    if len(data) > limit:
        raise InputError("too_large", f"over {limit:,} bytes (POLICY_MAX_BYTES sets the limit)")
    return data


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _read_file(path: Path) -> bytes:
    """The bytes of a regular file, up to the size limit: anything else (a FIFO, a device, a socket)
    is an error, never a read that blocks or runs without end."""
    limit = max_bytes()
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError("unreadable", "is a directory")
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
            raise InputError("unreadable", f"not a regular file ({kind}): not read")
        if info.st_size > limit:
            raise InputError("too_large", f"{info.st_size:,} bytes, over the limit of {limit:,} (POLICY_MAX_BYTES sets it)")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise InputError("too_large", f"over the limit of {limit:,} bytes (POLICY_MAX_BYTES sets it)")
        return data
    except FileNotFoundError:
        raise InputError("not_found", "no such file or directory") from None
    except IsADirectoryError:
        raise InputError("unreadable", "is a directory") from None
    except PermissionError:
        raise InputError("unreadable", "permission denied") from None
    except OSError as exc:
        raise InputError("unreadable", exc.strerror or "cannot be read") from None
