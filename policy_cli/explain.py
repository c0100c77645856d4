"""Say why a sentence gives the findings it gives: every rule whose pattern matched, through which
pattern and vocabulary entries; every veto that fired and what it silenced; the negation cue and
its window; the values read."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex

from .document import HEADING
from .engines import compile_pattern
from .lines import LineIndex
from .matcher import language_matcher
from .model import ANALYZED_LANGUAGES, Finding, Sentence
from .prefilter import top_level_alternatives
from .scan import build_document
from .segment import is_definition, is_heading, is_heading_run, segment_document
from .stance import negation_window
from .taxonomy import (
    FLAGS,
    PATTERN_KINDS,
    VETO_KINDS,
    Rule,
    Taxonomy,
    Veto,
    load_taxonomy,
)
from .values import ValueHit, value_reader
from .vocabulary import REFERENCE, load_vocabularies
from .words import chinese_view, russian_view

_VIEWS = {"words": chinese_view, "lemmas": russian_view}


@dataclass(frozen=True)
class PatternMatch:
    """A rule's first pattern that matched the sentence."""

    rule_id: str
    kind: str  # en, zh, ru, zh_words, ru_lemma
    number: int  # which of the rule's patterns of that kind, from 1
    written: str  # the pattern as written, with its {vocabulary} names
    text: str  # what it matched (on the words or lemmas view where the kind reads one)
    vocabulary: tuple[tuple[str, str], ...] = ()  # (lexicon.entry, the text it read) within the match


@dataclass(frozen=True)
class VetoHit:
    veto_id: str
    description: str
    kind: str
    written: str
    text: str
    silenced: tuple[str, ...]  # the matched rules it silenced


@dataclass(frozen=True)
class Negation:
    cue: str | None
    window: str
    stance: str


@dataclass
class SentenceTrace:
    text: str
    language: str
    line: int
    skipped: str | None = None  # why scan reads no practice here (a heading, a definition)
    matches: list[PatternMatch] = field(default_factory=list)
    vetoes: list[VetoHit] = field(default_factory=list)
    negations: dict[str, Negation] = field(default_factory=dict)  # rule id -> its stance and why
    values: list[tuple[ValueHit, str]] = field(default_factory=list)  # each value and the text it was read from
    findings: list[Finding] = field(default_factory=list)

    def silenced_by(self, rule_id: str) -> list[str]:
        return [hit.veto_id for hit in self.vetoes if rule_id in hit.silenced]

    def to_dict(self) -> dict:
        return {
            "sentence": self.text,
            "language": self.language,
            "line": self.line,
            "skipped": self.skipped,
            "matched": [
                {"rule_id": m.rule_id, "pattern": f"{m.kind}[{m.number}]", "written": m.written, "match": m.text,
                 "vocabulary": [{"entry": e, "text": t} for e, t in m.vocabulary]}
                for m in self.matches
            ],
            "vetoes": [
                {"veto_id": v.veto_id, "description": v.description, "pattern": v.written, "match": v.text, "silenced": list(v.silenced)}
                for v in self.vetoes
            ],
            "negation": {r: {"cue": n.cue, "window": n.window, "stance": n.stance} for r, n in self.negations.items()},
            "values": [{"attribute": h.attribute, "value": h.value, "entry": h.source, "text": t} for h, t in self.values],
            "findings": [{"rule_id": f.rule_id, "stance": f.stance, "values": f.values} for f in self.findings],
        }


def explain_text(text: str, language: str | None = None, taxonomy: Taxonomy | None = None, fmt: str = "text",
                 line: int | None = None) -> list[SentenceTrace]:
    """A trace of every analyzed sentence of a text (or of those on `line` of the file)."""
    taxonomy = taxonomy or load_taxonomy()
    document = build_document(text, fmt)
    analysis = document.text
    segmentation = segment_document(analysis, language)
    lines = LineIndex(analysis)
    file_lines = LineIndex(document.original)
    traces = []
    for sentence in segmentation.sentences:
        first = file_lines.locate(document.source_offset(sentence.start))[0]
        last = file_lines.locate(document.source_offset(max(sentence.start, sentence.end - 1)))[0]
        if line is not None and not first <= line <= last:
            continue
        if sentence.language not in ANALYZED_LANGUAGES:
            continue
        if document.structured:
            block = document.block_at(sentence.start)
            heading = block is not None and block.kind == HEADING
        else:
            heading = is_heading(analysis, sentence)
        skipped = "a heading: it names a section" if heading else (
            "a definition or a run of headings" if is_heading_run(analysis, sentence) or is_definition(analysis, sentence) else None
        )
        trace = trace_sentence(analysis, sentence, taxonomy, lines)
        trace.line, trace.skipped = first, skipped
        trace.text = document.display[sentence.start:sentence.end]
        if skipped:
            trace.findings = []
        traces.append(trace)
    return traces


def trace_sentence(text: str, sentence: Sentence, taxonomy: Taxonomy, lines: LineIndex | None = None) -> SentenceTrace:
    """Every rule of the sentence's language tried on it, with no prefilter, and the vetoes of
    those that matched; the findings are what the matcher itself gives."""
    language = sentence.language
    lines = lines or LineIndex(text)
    surface = text[sentence.start:sentence.end]
    flat = surface.replace("\r", " ").replace("\n", " ")
    views: dict[str, str] = {"surface": flat}

    def view(name: str) -> str:
        if name not in views:
            views[name] = _VIEWS[name](text, sentence.start, sentence.end).text
        return views[name]

    trace = SentenceTrace(surface, language, lines.locate(sentence.start)[0])
    matched: list[Rule] = []
    for rule in taxonomy.rules:
        hit = _first_pattern(rule, language, view)
        if hit is not None:
            trace.matches.append(hit)
            matched.append(rule)
    for veto in taxonomy.vetoes:
        silenced = tuple(r.id for r in matched if veto.applies_to(r))
        if not silenced:
            continue
        for kind, items in veto.patterns.items():
            lang, view_name = VETO_KINDS[kind]
            if lang != language:
                continue
            for number, item in enumerate(items):
                found = regex.search(item, view(view_name), FLAGS)
                if found is not None:
                    written = veto.written.get(kind, items)[number]
                    trace.vetoes.append(VetoHit(veto.id, veto.description, kind, written, found.group(0), silenced))
                    break
            else:
                continue
            break
    matcher = language_matcher(taxonomy, language)
    trace.findings = matcher.match_sentence(text, sentence, lines)
    for finding in trace.findings:
        trace.negations[finding.rule_id] = _negation(matcher, text, sentence.start, finding.start, language)
    reader = value_reader(language)
    if reader is not None:
        subject = view("lemmas") if language == "ru" else flat
        trace.values = [(hit, subject[hit.start:hit.end]) for _categories, hit in reader.hits(subject)]
    return trace


def _first_pattern(rule: Rule, language: str, view) -> PatternMatch | None:
    """The rule's first pattern that matches, in the matcher's order (kinds, then alternatives)."""
    for kind, items in rule.patterns.items():
        lang, view_name = PATTERN_KINDS[kind]
        if lang != language:
            continue
        subject = view(view_name)
        for number, item in enumerate(items):
            for alternative in top_level_alternatives(item):
                found = _compiled(alternative).search(subject)
                if found is not None and found.end() > found.start():
                    written = rule.written.get(kind, items)[number]
                    return PatternMatch(rule.id, kind, number + 1, written, found.group(0), _vocabulary_in(written, found.group(0), lang))
    return None


@functools.lru_cache(maxsize=4096)
def _compiled(source: str):
    return compile_pattern(source)


def _vocabulary_in(written: str, matched: str, language: str) -> tuple[tuple[str, str], ...]:
    """The vocabulary entries the pattern names that read a part of the match."""
    vocabulary = load_vocabularies().get(language)
    if vocabulary is None:
        return ()
    found = []
    for reference in REFERENCE.finditer(written):
        lexicon = vocabulary.lexicons[reference.group(1)]
        for entry in lexicon.entries:
            if reference.group(2) not in (None, entry.id):
                continue
            for form in entry.forms:
                hit = regex.search(form, matched, FLAGS)
                if hit is not None:
                    found.append((f"{lexicon.name}.{entry.id}", hit.group(0)))
                    break
    return tuple(dict.fromkeys(found))


def _negation(matcher, text: str, sentence_start: int, match_start: int, language: str) -> Negation:
    """The matcher's stance rule, said: a negation cue in the match's clause, within a window before it."""
    return Negation(*negation_window(matcher.negation, language, text, sentence_start, match_start))


def veto_needs(taxonomy: Taxonomy, veto: Veto) -> dict[str, list[str]]:
    """Language -> the veto's examples that need it: a rule it applies to matches the sentence and
    this veto alone silences it (the sentence fires without the veto and not with it)."""
    needed: dict[str, list[str]] = {}
    for language, sentences in veto.examples.items():
        for sentence in sentences:
            trace = trace_sentence(sentence, Sentence(0, len(sentence), language), taxonomy)
            if any(trace.silenced_by(m.rule_id) == [veto.id] for m in trace.matches if veto.applies_to(taxonomy.rule(m.rule_id))):
                needed.setdefault(language, []).append(sentence)
    return needed
