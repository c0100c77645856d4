"""Word-level views of a sentence: jieba words for Chinese, pymorphy3 lemmas for Russian.

A view is a string of space-separated tokens plus, for every token, where it came from in the
document, so that a match on the view maps back to offsets in the original text. The jieba
dictionary and the pymorphy3 analyzer are built the first time a sentence needs them.
"""

from __future__ import annotations

import bisect
import functools
import os
from dataclasses import dataclass
from pathlib import Path

import regex

from .cache import cache_dir

_RUSSIAN_TOKEN = regex.compile(r"[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*")


@dataclass(frozen=True, slots=True)
class TokenView:
    """Tokens joined by single spaces, with each token's place in the view and in the document."""

    text: str
    view_starts: tuple[int, ...]
    surface: tuple[tuple[int, int], ...]

    def to_surface(self, start: int, end: int) -> tuple[int, int] | None:
        """Document span covering the tokens that the view span [start, end) touches."""
        if not self.surface or end <= start:
            return None
        first = bisect.bisect_right(self.view_starts, start) - 1
        last = bisect.bisect_left(self.view_starts, end) - 1
        first = max(first, 0)
        if last < first:
            return None
        return self.surface[first][0], self.surface[last][1]


def _build(tokens: list[tuple[str, int, int]]) -> TokenView:
    parts, starts, surface = [], [], []
    position = 0
    for token, start, end in tokens:
        starts.append(position)
        parts.append(token)
        surface.append((start, end))
        position += len(token) + 1
    return TokenView(" ".join(parts), tuple(starts), tuple(surface))


@functools.cache
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


# Where pymorphy3's likeliest reading is wrong for policy text ("данные" as a form of "дать"),
# the reading with one of these lemmas wins whenever the analyzer offers it. Otherwise a
# participle reading wins, so that "собранные" and "собираем" both read as their verb.
_PREFERRED_LEMMAS = frozenset({"данные", "персональный", "третий"})
# Latin words a Russian policy inflects in English: one lemma, as for the Russian ones
_LATIN_LEMMAS = {"cookies": "cookie"}
_PARTICIPLES = frozenset({"PRTF", "PRTS"})


class _LemmaCache:
    """Lemmas already worked out, kept in the user's cache between runs: pymorphy3 takes tens of
    microseconds a word, and policies repeat the same few thousand words."""

    LIMIT = 300_000

    def __init__(self) -> None:
        # Named by this module's source: a changed lemmatiser never reads lemmas of the old one.
        import hashlib

        digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
        self.path = cache_dir() / f"lemmas-ru-{digest}.marshal"
        self.known: dict[str, str] = {}
        self.added = 0
        try:
            import marshal

            loaded = marshal.loads(self.path.read_bytes())
            if isinstance(loaded, dict):
                self.known = loaded
        except (OSError, ValueError, EOFError, TypeError):
            pass
        import atexit

        atexit.register(self.save)

    def save(self) -> None:
        if not self.added or len(self.known) > self.LIMIT:
            return
        import marshal

        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}")
        try:
            temporary.write_bytes(marshal.dumps(self.known))
            os.replace(temporary, self.path)
            for old in self.path.parent.glob("lemmas-ru*.marshal"):
                if old != self.path:
                    old.unlink()
        except OSError:
            pass


@functools.cache
def _lemma_cache() -> _LemmaCache:
    return _LemmaCache()


def lemma(word: str) -> str:
    """The dictionary form of a Russian word, lower case, with ё read as е."""
    cache = _lemma_cache()
    found = cache.known.get(word)
    if found is None:
        found = cache.known[word] = _lemma(word)
        cache.added += 1
    return found


def _lemma(word: str) -> str:
    lowered = word.lower().replace("ё", "е")
    if not any("а" <= ch <= "я" for ch in lowered):
        return _LATIN_LEMMAS.get(lowered, lowered)
    parses = _morph().parse(lowered)
    chosen = next((p for p in parses if p.normal_form in _PREFERRED_LEMMAS), None)
    if chosen is None:
        chosen = next((p for p in parses[:3] if p.tag.POS in _PARTICIPLES), parses[0])
    return chosen.normal_form.replace("ё", "е")


def russian_view(text: str, start: int, end: int) -> TokenView:
    """Lemmas of the Russian words in text[start:end]."""
    return _build([(lemma(m.group()), m.start(), m.end()) for m in _RUSSIAN_TOKEN.finditer(text, start, end)])


@functools.cache
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.CRITICAL)  # its "Building prefix dict" lines are not for our users
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(cache_dir())
    tokenizer.initialize()
    for word, frequency in _POLICY_WORDS:
        tokenizer.add_word(word, frequency)
    return tokenizer


# Words of policies jieba's dictionary lacks, where its cut would make a word a rule looks for:
# "提出售中、售后申请" (a pre-sale or after-sale request) is cut 提/出售/中, selling. The frequency is
# just enough for 提出/售中 to win there, and too small to split 出售 elsewhere ("出售中的商品").
_POLICY_WORDS = (("售中", 50), ("售前", 50))


def chinese_view(text: str, start: int, end: int) -> TokenView:
    """jieba words of text[start:end], white space dropped, lower case."""
    tokens = []
    position = start
    for word in _jieba().cut(text[start:end], HMM=True):
        if not word.isspace():
            tokens.append((word.lower(), position, position + len(word)))
        position += len(word)
    return _build(tokens)
