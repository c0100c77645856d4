"""Literal factors a regular expression cannot match without, for an Aho-Corasick prefilter.

For a pattern such as ``\\b(?:we|us)\\b.{0,80}(?:collect|gather)`` this finds a set of strings
({"collect", "gather"}) such that every match contains at least one of them. The matcher then runs
a pattern only on the sentences where one of its factors occurs. A pattern whose factors cannot be
worked out (None) is run on every sentence: slower, never wrong.
"""

from __future__ import annotations

import re
import re._constants as C
import re._parser as P

_MAX_EXPANSION = 64
Factors = frozenset[str] | None
# Words in nearly every sentence of a policy make a prefilter that lets everything through; a
# pattern that also requires a rarer word is filtered on that one instead.
_COMMON = frozenset(
    "information data personal your you we us our the use used may will and with this that can "
    "to of a an or in on for by as at is are be it its "
    "service services site website provide such any other privacy policy from if you "
    "信息 个人信息 您 你 我们 数据 使用 服务 提供 的 产品 用户 "
    "данные персональный информация обработка мы вы оператор пользователь сайт".split()
)


def _parse(pattern: str):
    """The re parser's tree of `pattern`; lookarounds the re parser rejects (variable-width
    lookbehind, a regex-module feature) are dropped first: they match no text, so every string a
    match must contain is still found. None where the pattern is beyond the re parser."""
    for candidate in (pattern, without_lookarounds(pattern)):
        try:
            return P.parse(candidate, re.IGNORECASE)
        except Exception:
            continue
    return None


def without_lookarounds(pattern: str) -> str:
    """The pattern with its lookahead and lookbehind assertions removed."""
    out, index = [], 0
    while index < len(pattern):
        if pattern.startswith(("(?<=", "(?<!", "(?=", "(?!"), index):
            # Skip to the parenthesis that closes this one.
            index = next((i for i, char, depth in _structure(pattern, index) if char == ")" and depth == 0), len(pattern)) + 1
            continue
        step = 2 if pattern[index] == "\\" else 1
        out.append(pattern[index:index + step])
        index += step
    return "".join(out)


def _structure(pattern: str, start: int = 0):
    """Yield (index, char, depth) for each character of `pattern` from `start` that is neither
    escaped nor inside a character class; depth counts the groups open around it (a parenthesis
    is counted outside itself)."""
    depth, index, in_class = 0, start, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[index + 1:index + 2] == "]":
                index += 1  # a literal ] first in a class
        else:
            if char == ")":
                depth -= 1
            yield index, char, depth
            if char == "(":
                depth += 1
        index += 1


def required_factors(pattern: str, min_length: int = 2) -> Factors:
    """Strings one of which occurs (lower-cased) in every match of `pattern`, or None if unknown."""
    tree = _parse(pattern)
    if tree is None:  # syntax the re parser does not know: no prefilter, not an error
        return None
    factors = _sequence(list(tree))
    if not factors:
        return None
    if min(len(f) for f in factors) < min_length and not all(_is_symbol(f) for f in factors):
        return None
    return factors


def _is_symbol(factor: str) -> bool:
    """A punctuation factor such as '@' is rare enough to filter on, however short."""
    return not any(ch.isalnum() or ch.isspace() for ch in factor)


def required_factor_sets(pattern: str, min_length: int = 2) -> list[frozenset[str]]:
    """Every set of strings of which one must occur in a match: a sequence needs each of its parts.

    `\\b(?:share|disclose)\\b.{0,80}\\bpartners?` gives [{share, disclose}, {partner}]: a sentence
    that lacks either cannot match, whichever of them the automaton was asked to find.
    """
    tree = _parse(pattern)
    if tree is None:
        return []
    sets = _sequence(list(tree), every=True) or []
    return sorted(
        (s for s in sets if min(len(f) for f in s) >= min_length or all(_is_symbol(f) for f in s)),
        key=expected_hits,
    )


def _sequence(items, every: bool = False):
    candidates: list[frozenset[str]] = []
    run: set[str] = {""}

    def flush():
        nonlocal run
        # A run of white space or a single letter says nothing about a sentence.
        if run and all(len(s.strip()) >= 2 or _is_symbol(s.strip()) and s.strip() for s in run):
            candidates.append(frozenset(run))
        run = {""}

    for op, av in items:
        if op is C.LITERAL:
            run = {s + chr(av).lower() for s in run}
        elif op is C.IN and _literal_set(av) is not None:
            chars = _literal_set(av)
            if len(run) * len(chars) > _MAX_EXPANSION:
                flush()
            run = {s + ch for s in run for ch in chars}
        elif op is C.AT:
            continue
        elif op is C.BRANCH and _literal_alternatives(av) is not None and len(run) * len(_literal_alternatives(av)) <= _MAX_EXPANSION:
            # The re parser factors out shared prefixes: "not|never|no" becomes n(?:ot|ever|o).
            run = {s + tail for s in run for tail in _literal_alternatives(av)}
        elif op is C.SUBPATTERN:
            inner = _sequence(list(av[-1]))
            flush()
            if inner:
                candidates.append(inner)
        else:
            flush()
            inner = _node(op, av)
            if inner:
                candidates.append(inner)
    flush()
    if every:
        return candidates
    if not candidates:
        return None
    return min(candidates, key=expected_hits)


def expected_hits(factors: frozenset[str]) -> float:
    """A rough count of how often a factor set lets a sentence through: short strings and common
    words match often. The set with the fewest expected hits filters best."""
    return sum((60.0 if f.strip() in _COMMON else 1.0) / len(f) for f in factors)


def _literal_alternatives(av) -> set[str] | None:
    """The strings of an alternation whose every branch is plain letters, or None."""
    tails: set[str] = set()
    for branch in av[1]:
        tail = ""
        for op, value in branch:
            if op is not C.LITERAL:
                return None
            tail += chr(value).lower()
        tails.add(tail)
    return tails


def _literal_set(av) -> set[str] | None:
    chars = set()
    for op, value in av:
        if op is not C.LITERAL:
            return None
        chars.add(chr(value).lower())
    return chars if len(chars) <= 4 else None



def _union_of(branches, factors_of) -> Factors:
    """An alternation needs one of its branches: the union of their factors, if each has some."""
    union: set[str] = set()
    for branch in branches:
        found = factors_of(list(branch))
        if not found:
            return None
        union |= found
    return frozenset(union)


def _node(op, av) -> Factors:
    if op is C.BRANCH:
        return _union_of(av[1], _sequence)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        low, _high, body = av
        return _sequence(list(body)) if low >= 1 else None
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _sequence(list(av))
    return None


def leading_factors(pattern: str, min_length: int = 2) -> Factors:
    """Strings one of which every match of `pattern` starts with (lower-cased), or None.

    Where a pattern opens with a literal word or an alternation of words, the matcher tries the
    pattern only where one of them stands (`match` at that position) instead of searching the
    whole sentence.
    """
    tree = _parse(pattern)
    if tree is None:
        return None
    factors = _leading(list(tree))
    if not factors or min(len(f) for f in factors) < min_length:
        return None
    return factors


def start_factors(pattern: str, min_length: int = 2) -> Factors:
    """For a pattern held to the start of the sentence (`^`, then optional marks such as a list
    bullet, `\\W*`): the strings one of which every match has right after those marks. The matcher
    tries such a pattern only on sentences that open with one of them, not wherever they stand."""
    tree = _parse(pattern)
    if tree is None:
        return None
    items = list(tree)
    if not items or items[0] != (C.AT, C.AT_BEGINNING):
        return None
    rest = items[1:]
    while rest and rest[0][0] in (C.MAX_REPEAT, C.MIN_REPEAT) and rest[0][1][0] == 0 and all(op in (C.IN, C.CATEGORY) for op, _ in rest[0][1][2]):
        rest = rest[1:]
    factors = _leading(rest)
    if not factors or min(len(f) for f in factors) < min_length:
        return None
    return factors


def _leading(items) -> Factors:
    run: set[str] = {""}
    for index, (op, av) in enumerate(items):
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT) and not any(run):
            continue  # zero-width: the match still starts where the words do
        if op is C.LITERAL:
            run = {s + chr(av).lower() for s in run}
            continue
        if op is C.IN and _literal_set(av) is not None and len(run) * len(_literal_set(av)) <= _MAX_EXPANSION:
            run = {s + ch for s in run for ch in _literal_set(av)}
            continue
        if op is C.BRANCH and any(run) and _literal_alternatives(av) is not None and len(run) * len(_literal_alternatives(av)) <= _MAX_EXPANSION:
            run = {s + tail for s in run for tail in _literal_alternatives(av)}
            continue
        if any(run):
            return frozenset(run)
        if op is C.SUBPATTERN:
            return _leading(list(av[-1]))
        if op is C.BRANCH:
            return _union_of(av[1], _leading)
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            return _leading(list(av[2]))
        return None
    return frozenset(run) if any(run) else None


def top_level_alternatives(pattern: str) -> list[str]:
    """Split `a|b|c` at the top level only, so that each alternative gets its own prefilter.

    Bars inside groups, character classes or after a backslash stay where they are.
    """
    parts, start = [], 0
    for index, char, depth in _structure(pattern):
        if char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
    parts.append(pattern[start:])
    return parts if all(parts) else [pattern]


def opens_at_word_boundary(pattern: str) -> bool:
    """True when every match starts at a word boundary (the pattern opens with \\b), so a leading
    factor found inside a word ("lease" in "please") is no place to try it."""
    tree = _parse(pattern)
    return tree is not None and _opens_at_boundary(list(tree))


def _opens_at_boundary(items) -> bool:
    for op, av in items:
        if op is C.AT:
            return av in (C.AT_BOUNDARY, C.AT_BEGINNING, C.AT_BEGINNING_STRING)
        if op in (C.ASSERT, C.ASSERT_NOT):
            continue
        if op is C.SUBPATTERN:
            return _opens_at_boundary(list(av[-1]))
        if op is C.BRANCH:
            return all(_opens_at_boundary(list(branch)) for branch in av[1])
        return False
    return False


def minimal(factors: frozenset[str], prefix: bool) -> frozenset[str]:
    """Drop the factors that hold another factor of the set (as a prefix, where the pattern is
    tried at the factor's start): wherever they stand, the other stands too, and one hit is enough."""
    def implied(longer: str, shorter: str) -> bool:
        return longer != shorter and (longer.startswith(shorter) if prefix else shorter in longer)

    return frozenset(f for f in factors if not any(implied(f, other) for other in factors))
