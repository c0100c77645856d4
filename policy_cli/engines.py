"""Compile a rule pattern with the faster of the two regex engines that reads it."""

from __future__ import annotations

import re
import warnings

import regex

from .prefilter import without_lookarounds
from .taxonomy import FLAGS


def compile_pattern(source: str):
    """A rule pattern compiled by the standard library's `re` where it can read it (it compiles
    faster and matches as fast or faster), else by `regex` (variable-length lookbehind, \\p{...}).

    Both read the rules' syntax the same way: Unicode classes and simple case folding; the tests
    check that the two agree on every example of every rule.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # re warns of syntax it reads differently (nested sets)
        try:
            return re.compile(source, re.IGNORECASE)
        except (re.error, FutureWarning):
            pass
        full = regex.compile(source, FLAGS)
        try:
            return _Gated(re.compile(without_lookarounds(source), re.IGNORECASE), full)
        except (re.error, FutureWarning):
            return full


class _Gated:
    """A `regex` pattern tried only where `re` finds its lookaround-free form: dropping assertions
    only loosens a pattern, so where the gate fails the pattern fails too, and the gate is cheap
    next to a variable-length lookbehind (most tries fail on the words, not on what precedes them)."""

    __slots__ = ("gate", "full")

    def __init__(self, gate, full):
        self.gate, self.full = gate, full

    def match(self, subject: str, position: int = 0):
        return self.full.match(subject, position) if self.gate.match(subject, position) else None

    def search(self, subject: str):
        return self.full.search(subject) if self.gate.search(subject) else None
