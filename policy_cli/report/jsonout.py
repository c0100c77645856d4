"""The versioned JSON and JSON Lines documents of `policy scan`."""

from __future__ import annotations

from typing import IO, Iterable

import orjson

from .. import __version__
from ..model import CATEGORIES, SCHEMA_VERSION, FileResult


def tool_info() -> dict[str, str]:
    return {"name": "policy", "version": __version__}


def summary(results: list[FileResult]) -> dict:
    """Counts over all files: how many were read, failed, and disclose each category."""
    return {
        "files": len(results),
        "errors": sum(1 for r in results if r.error is not None),
        "findings": sum(len(r.findings) for r in results),
        "categories": {c: sum(1 for r in results if c in r.categories) for c in CATEGORIES},
    }


def dumps(document, indent: bool = True) -> str:
    """The document as JSON text: UTF-8 characters as they are, keys in insertion order, indented
    by two spaces or (indent=False, for JSON Lines) on one line with no spaces between items."""
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 if indent else 0).decode("utf-8")


def write_json(results: list[FileResult], stream: IO[str]) -> None:
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": tool_info(),
        "files": [r.to_dict(findings_as_objects=True) for r in results],
        "summary": summary(results),
    }
    stream.write(dumps(document) + "\n")


def write_jsonl_line(result: FileResult, stream: IO[str]) -> None:
    record = {"schema_version": SCHEMA_VERSION, **result.to_dict(findings_as_objects=True)}
    stream.write(dumps(record, indent=False) + "\n")
    stream.flush()


def write_jsonl(results: Iterable[FileResult], stream: IO[str]) -> None:
    for result in results:
        write_jsonl_line(result, stream)


class JsonStream:
    """The JSON document of write_json, written one file at a time, with the same bytes: nothing
    is kept but the summary's counts, so memory stays flat in the number of files."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.files = self.errors = self.findings = 0
        self.categories = dict.fromkeys(CATEGORIES, 0)
        head = dumps({"schema_version": SCHEMA_VERSION, "tool": tool_info()})
        stream.write(head[: head.rindex("\n")] + ',\n  "files": [')

    def add(self, result: FileResult) -> None:
        body = dumps(result.to_dict(findings_as_objects=True)).replace("\n", "\n    ")
        self.stream.write(("," if self.files else "") + "\n    " + body)
        self.files += 1
        self.errors += result.error is not None
        self.findings += len(result.findings)
        for category in result.categories:
            self.categories[category] += 1

    def close(self) -> None:
        summary = {"files": self.files, "errors": self.errors, "findings": self.findings, "categories": self.categories}
        tail = dumps({"summary": summary})
        self.stream.write(("\n  ]" if self.files else "]") + ",\n" + tail[tail.index("\n") + 1:] + "\n")
