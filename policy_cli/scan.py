"""The pipeline for one document: build its blocks, segment, match every analyzed language, map
the findings back into the file."""

from __future__ import annotations

import dataclasses

from .document import HEADING, Document, html_document, markdown_document, text_document
from .errors import InputError, UsageError
from .lines import LineIndex
from .loader import HTML, MARKDOWN, TEXT, Source, display_name, read_source
from .matcher import language_matcher
from .model import ANALYZED_LANGUAGES, FileError, FileResult
from .segment import is_definition, is_heading, is_heading_run, segment_document
from .taxonomy import Taxonomy, load_taxonomy

_BUILDERS = {TEXT: text_document, MARKDOWN: markdown_document, HTML: html_document}
_BLANKS = frozenset(" \t\n\r\f\v\u00a0\u3000")


def build_document(text: str, fmt: str = TEXT) -> Document:
    """The document model of a decoded input of the given format ("text", "markdown" or "html")."""
    try:
        return _BUILDERS[fmt](text)
    except KeyError:
        raise UsageError(f"unknown document format {fmt!r}") from None


def scan_text(
    text: str, language: str | None = None, path: str = "<text>", taxonomy: Taxonomy | None = None, fmt: str = TEXT
) -> FileResult:
    """Analyze a decoded document; `language` skips detection and reads all of it as that language."""
    if language is not None and language not in ANALYZED_LANGUAGES:
        raise UsageError(f"--lang must be one of {', '.join(ANALYZED_LANGUAGES)}, not {language!r}")
    taxonomy = taxonomy or load_taxonomy()
    document = build_document(text, fmt)
    analysis = document.text
    segmentation = segment_document(analysis, language)
    lines = LineIndex(analysis)
    by_language: dict[str, list] = {}
    sections: dict[int, tuple[str, ...]] = {}  # sentence start -> its section
    section: tuple[str, ...] = ()
    for sentence in segmentation.sentences:
        # A heading names the section of what follows and states no practice: markup says which
        # blocks are headings; in plain text the heuristics do.
        if document.structured:
            block = document.block_at(sentence.start)
            if block is not None and block.kind == HEADING:
                continue
            section = block.section if block is not None else section
        elif is_heading(analysis, sentence):
            section = (" ".join(document.display[sentence.start:sentence.end].split()),)
            continue
        if is_heading_run(analysis, sentence) or is_definition(analysis, sentence):
            continue
        if sentence.language in ANALYZED_LANGUAGES:
            by_language.setdefault(sentence.language, []).append(sentence)
            if section:
                sections[sentence.start] = section
    findings = []
    for lang, sentences in by_language.items():
        findings.extend(language_matcher(taxonomy, lang).match_document(analysis, sentences, lines))
    findings.sort(key=lambda f: f.sentence_start)
    _locate_in_file(document, findings, sections)
    return FileResult(
        path=path,
        language=segmentation.language,
        languages=segmentation.languages,
        characters=len(text),
        segments=segmentation.segments,
        findings=tuple(findings),
        analyzed=round(sum(share for lang, share in segmentation.languages.items() if lang in ANALYZED_LANGUAGES), 3),
        not_analyzed=_not_analyzed(document, segmentation.unanalyzed),
    )


def _locate_in_file(document: Document, findings: list, sections: dict[int, tuple[str, ...]]) -> None:
    """Findings were made on the analysis text: point them into the file, quote the file's own
    characters as the match, and the sentence as the reader sees it (markup gone, typography kept)."""
    original = document.original
    lines = LineIndex(original) if document.offsets is not None else None
    for finding in findings:
        sentence_end = finding.sentence_start + len(finding.sentence)
        finding.section = sections.get(finding.sentence_start, ())
        finding.sentence_match = (finding.start - finding.sentence_start, finding.end - finding.sentence_start)
        finding.sentence = document.display[finding.sentence_start:sentence_end]
        if document.offsets is not None:
            finding.start, finding.end = document.source_span(finding.start, finding.end)
            finding.sentence_start = document.source_offset(finding.sentence_start)
            finding.line, finding.column = lines.locate(finding.start)
        finding.match = original[finding.start:finding.end]


def _not_analyzed(document: Document, blocks) -> tuple[dict, ...]:
    """The blocks in no analyzed language, with their line in the file and their size."""
    if not blocks:
        return ()
    lines = LineIndex(document.original)
    left = []
    for start, end, lang in blocks:
        size = sum(1 for ch in document.display[start:end] if ch not in _BLANKS)
        left.append({"language": lang, "line": lines.locate(document.source_offset(start))[0], "characters": size})
    return tuple(left)


# A warning is due when more of a document than this is in no analyzed language.
NOT_ANALYZED_WARNING = 0.10


def coverage_warning(result: FileResult) -> str | None:
    """A line saying how much of a document was not analyzed and in which languages, where that is
    a real part of it; None where (nearly) all of it was read."""
    if result.error is not None or 1 - result.analyzed <= NOT_ANALYZED_WARNING:
        return None
    others = ", ".join(f"{lang} {share:.0%}" for lang, share in result.languages.items() if lang not in ANALYZED_LANGUAGES)
    return f"{1 - result.analyzed:.0%} of the text not analyzed, in {others} (only {', '.join(ANALYZED_LANGUAGES)} are read)"


def require_analyzed(result: FileResult) -> FileResult:
    """The result, or (where no text of it is in an analyzed language) the result with an input
    error saying so: a check must not report every requirement missing for a text it never read."""
    if result.error is not None or result.analyzed > 0:
        return result
    others = ", ".join(lang for lang in result.languages if lang not in ANALYZED_LANGUAGES) or "none"
    message = f"not analyzed: the text is in no analyzed language (found {others}; only {', '.join(ANALYZED_LANGUAGES)} are read)"
    return dataclasses.replace(result, error=FileError("not_analyzed", message))


def scan_source(source: Source, language: str | None = None, taxonomy: Taxonomy | None = None) -> FileResult:
    """Read and analyze one input; an unreadable input gives a result with its error, never an exception."""
    name = display_name(source.name)
    try:
        text, encoding, fmt = read_source(source)
    except InputError as exc:
        return FileResult(path=name, error=FileError(exc.code, str(exc)))
    result = scan_text(text, language, name, taxonomy, fmt)
    if result.segments == 0:
        return FileResult(path=name, error=FileError("empty", "only markup, no text to analyze"))
    return dataclasses.replace(result, encoding=encoding)
