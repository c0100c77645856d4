"""Vetoes are first-class: each has an id, a description and examples, and every pattern of every
veto is needed by one of its examples (the sentence fires without that pattern and not with it)."""

from __future__ import annotations

import pytest
import regex

from policy_cli.explain import explain_text, trace_sentence
from policy_cli.model import Sentence
from policy_cli.taxonomy import FLAGS, VETO_KINDS, load_taxonomy
from policy_cli.words import chinese_view, russian_view

TAXONOMY = load_taxonomy()
_VIEWS = {"words": chinese_view, "lemmas": russian_view}


def _view(sentence: str, name: str) -> str:
    return sentence if name == "surface" else _VIEWS[name](sentence, 0, len(sentence)).text


def _firing(sentence: str, language: str, rule) -> list[tuple[str, str]]:
    """(veto id, pattern) of every veto pattern that fires on the sentence for the rule."""
    fired = []
    for veto in TAXONOMY.vetoes_of(rule):
        for kind, items in veto.patterns.items():
            lang, view = VETO_KINDS[kind]
            if lang == language:
                subject = _view(sentence, view)
                fired.extend((veto.id, p) for p in items if regex.search(p, subject, FLAGS))
    return fired


def _cases():
    for veto in TAXONOMY.vetoes:
        for kind, items in veto.patterns.items():
            for number, pattern in enumerate(items):
                yield pytest.param(veto, kind, pattern, id=f"{veto.id}-{kind}-{number}")


@pytest.mark.parametrize("veto, kind, pattern", list(_cases()))
def test_every_veto_pattern_is_needed_by_an_example(veto, kind, pattern):
    language = VETO_KINDS[kind][0]
    for sentence in veto.examples[language]:
        trace = trace_sentence(sentence, Sentence(0, len(sentence), language), TAXONOMY)
        for match in trace.matches:
            rule = TAXONOMY.rule(match.rule_id)
            if veto.applies_to(rule) and _firing(sentence, language, rule) == [(veto.id, pattern)]:
                assert match.rule_id not in {f.rule_id for f in trace.findings}
                return
    pytest.fail(f"{veto.id}: no example of it fires a rule that this pattern alone silences: {pattern[:80]}")


def test_every_veto_has_an_id_and_a_description():
    assert TAXONOMY.vetoes
    for veto in TAXONOMY.vetoes:
        assert veto.id and len(veto.description) > 20, veto.id


def test_explain_names_the_veto_that_silenced_a_finding():
    """The issue's sentence: the collection finding is silenced by the deletion-choice veto."""
    [trace] = explain_text("We collect your email address; you can delete your account at any time.")
    silenced = {m.rule_id: trace.silenced_by(m.rule_id) for m in trace.matches}
    assert silenced["first_party_collection.collect"] == ["first_party_collection.other_practice_action"]
    assert "first_party_collection.collect" not in {f.rule_id for f in trace.findings}
    assert "user_access.edit" in {f.rule_id for f in trace.findings}
