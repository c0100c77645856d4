"""The pipeline for one document: segment, match every analyzed language, collect the findings."""

from __future__ import annotations

import dataclasses

from .errors import InputError, UsageError
from .loader import Source, read_source
from .matcher import LineIndex, language_matcher
from .model import ANALYZED_LANGUAGES, FileError, FileResult
from .segment import is_definition, is_heading, is_heading_run, segment_document
from .taxonomy import Taxonomy, load_taxonomy


def scan_text(text: str, language: str | None = None, path: str = "<text>", taxonomy: Taxonomy | None = None) -> FileResult:
    """Analyze a decoded document; `language` skips detection and reads all of it as that language."""
    if language is not None and language not in ANALYZED_LANGUAGES:
        raise UsageError(f"--lang must be one of {', '.join(ANALYZED_LANGUAGES)}, not {language!r}")
    taxonomy = taxonomy or load_taxonomy()
    segmentation = segment_document(text, language)
    lines = LineIndex(text)
    by_language: dict[str, list] = {}
    for sentence in segmentation.sentences:
        if (
            sentence.language in ANALYZED_LANGUAGES
            and not is_heading(text, sentence)
            and not is_heading_run(text, sentence)
            and not is_definition(text, sentence)
        ):
            by_language.setdefault(sentence.language, []).append(sentence)
    findings = []
    for lang, sentences in by_language.items():
        findings.extend(language_matcher(taxonomy, lang).match_document(text, sentences, lines))
    findings.sort(key=lambda f: f.sentence_start)
    return FileResult(
        path=path,
        language=segmentation.language,
        languages=segmentation.languages,
        characters=len(text),
        segments=segmentation.segments,
        findings=tuple(findings),
    )


def scan_source(source: Source, language: str | None = None, taxonomy: Taxonomy | None = None) -> FileResult:
    """Read and analyze one input; an unreadable input gives a result with its error, never an exception."""
    try:
        text, encoding = read_source(source)
    except InputError as exc:
        return FileResult(path=source.name, error=FileError(exc.code, str(exc)))
    return dataclasses.replace(scan_text(text, language, source.name, taxonomy), encoding=encoding)
