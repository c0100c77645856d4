"""Plain, frozen result types shared by every stage of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 3

CATEGORIES: tuple[str, ...] = (
    "first_party_collection",
    "third_party_sharing",
    "user_choice",
    "user_access",
    "data_retention",
    "data_security",
    "policy_change",
    "do_not_track",
    "specific_audiences",
    "contact",
)

ANALYZED_LANGUAGES: tuple[str, ...] = ("en", "zh", "ru")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of one language; start/end are offsets into the document text."""

    start: int
    end: int
    language: str


@dataclass(slots=True)  # not frozen: the matcher makes thousands a second, and frozen init costs 3x
class Finding:
    """One rule matching one sentence, with the evidence to show for it."""

    rule_id: str
    category: str
    attributes: dict[str, Any]
    stance: str  # "affirms" or "denies"
    language: str
    start: int
    end: int
    line: int
    column: int
    match: str
    sentence: str
    sentence_start: int  # document offset of `sentence`
    section: tuple[str, ...] = ()  # the headings the sentence stands under, outermost first
    sentence_match: tuple[int, int] = (0, 0)  # where the match stands in `sentence` (which has no markup)
    values: dict[str, list[str]] = field(default_factory=dict)  # attribute -> value ids the sentence names

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "category": self.category,
            "attributes": self.attributes,
            "stance": self.stance,
            "language": self.language,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "match": self.match,
            "sentence": self.sentence,
            "sentence_start": self.sentence_start,
            "section": list(self.section),
            "sentence_match": list(self.sentence_match),
            "values": self.values,
        }


@dataclass(frozen=True, slots=True)
class FileError:
    """Why one input produced no analysis."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class FileResult:
    """Everything the analyzer says about one input."""

    path: str
    language: str | None = None
    languages: dict[str, float] = field(default_factory=dict)
    characters: int = 0
    segments: int = 0
    findings: tuple[Finding, ...] = ()
    error: FileError | None = None
    encoding: str | None = None
    analyzed: float = 0.0  # share of the text's characters in an analyzed language
    not_analyzed: tuple[dict[str, Any], ...] = ()  # blocks left out: language, line, characters

    @property
    def categories(self) -> dict[str, dict[str, Any]]:
        """Category id -> findings count and rule ids, for the categories found, in taxonomy order."""
        counts: dict[str, int] = {}
        rules: dict[str, set[str]] = {}
        for finding in self.findings:
            counts[finding.category] = counts.get(finding.category, 0) + 1
            rules.setdefault(finding.category, set()).add(finding.rule_id)
        return {c: {"findings": counts[c], "rules": sorted(rules[c])} for c in CATEGORIES if c in counts}

    @property
    def missing_categories(self) -> list[str]:
        found = self.categories
        return [c for c in CATEGORIES if c not in found]

    def to_dict(self, findings_as_objects: bool = False) -> dict[str, Any]:
        """Plain data for JSON; `findings_as_objects` leaves the findings as Finding objects, for a
        serializer that writes dataclasses itself (orjson), with the same keys in the same order."""
        return {
            "path": self.path,
            "language": self.language,
            "languages": self.languages,
            "characters": self.characters,
            "segments": self.segments,
            "categories": self.categories,
            "analyzed": self.analyzed,
            "not_analyzed": list(self.not_analyzed),
            "findings": list(self.findings) if findings_as_objects else [f.to_dict() for f in self.findings],
            "error": None if self.error is None else {"code": self.error.code, "message": self.error.message},
        }
