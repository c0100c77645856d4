"""The prefilter finds the strings a pattern needs, and never changes what the taxonomy finds."""

from __future__ import annotations

import pytest
import regex
from conftest import SAMPLES

from policy_cli.matcher import language_matcher
from policy_cli.prefilter import (
    leading_factors,
    opens_at_word_boundary,
    required_factors,
    start_factors,
    top_level_alternatives,
)
from policy_cli.scan import scan_text
from policy_cli.segment import is_definition, is_heading, segment_document
from policy_cli.taxonomy import FLAGS, VETO_KINDS, load_taxonomy


@pytest.mark.parametrize(
    "pattern, factors",
    [
        (r"\b(?:we|us)\b.{0,80}(?:collect|gather)", {"collect", "gather"}),
        (r"third[- ]part(?:y|ies)", {"third-party", "third party", "third-parties", "third parties"}),
        (r"(?:a|b)?cookie", {"cookie"}),
        (r"\b[\w.+-]+@[\w-]+", {"@"}),
        (r"(?<=\b(?:we|us)\b.{0,40})\buse\b", {"use"}),
        (r"x{2,}", None),
        (r".*", None),
    ],
)
def test_required_factors(pattern, factors):
    found = required_factors(pattern)
    assert (set(found) if found else None) == factors


def test_leading_factors_and_boundaries():
    assert leading_factors(r"\bopt(?:[- ]?out)\b|\bunsubscrib\w*") == {"opt", "unsubscrib"}
    assert leading_factors(r"(?:a|b)?cookie") is None
    assert opens_at_word_boundary(r"(?<!x )\b(?:a|b)")
    assert not opens_at_word_boundary(r"(?:\ba|b)")


def test_start_factors_and_sentence_start_patterns(tmp_path):
    """A pattern held to the sentence start (`^`, optional marks) is tried only on sentences that
    open with its words, a list mark before them allowed; elsewhere in a sentence they do not count."""
    assert start_factors(r"^\W*(?:provide|send)\b") == {"provide", "send"}
    assert start_factors(r"^\W*to (?:provide|send)\b") == {"to provide", "to send"}
    assert start_factors(r"\b(?:provide|send)\b") is None
    text = (
        'category = "contact"\n[[rules]]\nid = "contact.zz_item"\n'
        "patterns.en = ['''^\\W*(?:provide|send)\\b''']\n"
        'examples.en.match = ["send you notices;"]\nexamples.en.no_match = ["We send you notices."]\n'
    )
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "zz.toml").write_text(text, encoding="utf-8")
    taxonomy = load_taxonomy(str(folder))
    found = [f.sentence for f in scan_text("We write to you.\n\n● send you notices;\n\nWe send you notices.", language="en", taxonomy=taxonomy).findings]
    assert found == ["● send you notices;"]


def test_top_level_alternatives():
    assert top_level_alternatives(r"\b(?:a|b)c|[|x]d|e\|f") == [r"\b(?:a|b)c", "[|x]d", r"e\|f"]
    assert top_level_alternatives("a|") == ["a|"]


def _brute_force(text: str) -> set[tuple[int, str]]:
    """Every (sentence start, rule) that some pattern of the rule matches, trying all patterns."""
    taxonomy = load_taxonomy()
    fired = set()
    for sentence in segment_document(text).sentences:
        if sentence.language not in ("en", "zh", "ru") or is_heading(text, sentence) or is_definition(text, sentence):
            continue
        matcher = language_matcher(taxonomy, sentence.language)
        flat = text[sentence.start:sentence.end].replace("\r", " ").replace("\n", " ")
        views = {}
        for pattern in matcher.patterns:
            compiled = regex.compile(pattern.source, FLAGS)
            if pattern.view == "surface":
                match = compiled.search(flat)
                found = match is not None and match.end() > match.start()
            else:
                view = matcher._view(pattern.view, text, sentence, views)
                match = compiled.search(view.text)
                found = match is not None and match.end() > match.start() and view.to_surface(*match.span()) is not None
            if found and not _vetoed(pattern.rule, sentence.language, flat, matcher, text, sentence, views):
                fired.add((sentence.start, pattern.rule.id))
    return fired


def _vetoed(rule, language, flat, matcher, text, sentence, views) -> bool:
    """A veto of the rule matches, read with `regex` alone, with no string gate and no memo."""
    for kind, sources in rule.vetoes.items():
        lang, view = VETO_KINDS[kind]
        if lang != language:
            continue
        subject = flat if view == "surface" else matcher._view(view, text, sentence, views).text
        if any(regex.compile(source, FLAGS).search(subject) for source in sources):
            return True
    return False


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name[:3])
def test_prefilter_finds_what_trying_every_pattern_finds(sample):
    text = sample.read_text(encoding="utf-8")
    found = {(f.sentence_start, f.rule_id) for f in scan_text(text).findings}
    assert found == _brute_force(text)
