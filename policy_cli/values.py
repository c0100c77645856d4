"""Read the values a sentence names (data types, purposes, recipients, periods, ages...) with the
vocabularies: attribute -> entry ids, the same ids whatever the language."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .vocabulary import Shape, Vocabulary, load_vocabularies

# The view a language's forms are written for needs word boundaries in English and Russian
# (words, lemmas); Chinese has no spaces between words.
_BOUNDED = {"en": True, "ru": True, "zh": False}
_HOURS = re.compile(r"^P(\d+)H$")


@dataclass(frozen=True, slots=True)
class ValueHit:
    attribute: str
    value: str
    start: int  # in the text read (the sentence, or its lemmas in Russian)
    end: int
    source: str  # lexicon.entry or the shape that gave it


class ValueReader:
    """Every attribute lexicon and shape of one language.

    Each form is its own regex, tried only where a string it cannot match without stands in the
    text (an Aho-Corasick automaton over those strings), so a sentence costs its few candidate
    forms, not hundreds of alternatives tried at every position.
    """

    def __init__(self, vocabulary: Vocabulary):
        import ahocorasick

        bounded = _BOUNDED[vocabulary.language]
        self.vocabulary = vocabulary
        self.lexicons = [lexicon for lexicon in vocabulary.lexicons.values() if lexicon.attribute]
        self.bounded = bounded
        self.forms: list[tuple[str, int, str]] = []  # (form, lexicon index, entry id), compiled when first a candidate
        self._compiled: dict[int, object] = {}
        for index, lexicon in enumerate(self.lexicons):
            for entry in lexicon.entries:
                for form in entry.forms:
                    self.forms.append((form, index, entry.id))
        self.fallbacks = [frozenset(e.id for e in lexicon.entries if e.fallback) for lexicon in self.lexicons]
        self.shapes = [(shape, _compile(shape.pattern, bounded)) for shape in vocabulary.shapes]
        plan = _factor_plan(vocabulary.language, [_source(f, bounded) for f, _i, _e in self.forms] + [c.pattern for _s, c in self.shapes])
        self.always = [number for number, factors in enumerate(plan) if not factors]
        table: dict[str, list[int]] = {}
        for number, factors in enumerate(plan):
            for factor in factors or ():
                table.setdefault(factor, []).append(number)
        self.automaton = ahocorasick.Automaton()
        for factor, numbers in table.items():
            self.automaton.add_word(factor, tuple(numbers))
        if table:
            self.automaton.make_automaton()

    def hits(self, text: str) -> list[tuple[tuple[str, ...] | None, ValueHit]]:
        """Every value in the text, with the categories it may be given to (None: any)."""
        candidates = set(self.always)
        if len(self.automaton):
            for _end, numbers in self.automaton.iter(text.lower()):
                candidates.update(numbers)
        per_lexicon: dict[int, list[tuple[int, int, str]]] = {}
        results = []
        count = len(self.forms)
        for number in sorted(candidates):
            if number < count:
                form, lexicon, entry_id = self.forms[number]
                compiled = self._compiled.get(number)
                if compiled is None:
                    compiled = self._compiled[number] = _compile(form, self.bounded)
                for match in compiled.finditer(text):
                    if match.end() > match.start():
                        per_lexicon.setdefault(lexicon, []).append((match.start(), match.end(), entry_id))
            else:
                shape, compiled = self.shapes[number - count]
                results.extend((shape.categories, hit) for hit in self._shape_hits(shape, compiled, text))
        for index, spans in per_lexicon.items():
            lexicon = self.lexicons[index]
            kept, reach = [], -1
            for start, end, entry_id in sorted(spans, key=lambda span: (span[0], span[0] - span[1])):
                if start >= reach:  # the longest form at each place, as an alternation of them all would
                    kept.append(ValueHit(lexicon.attribute, entry_id, start, end, f"{lexicon.name}.{entry_id}"))
                    reach = end
            fallbacks = self.fallbacks[index]
            if fallbacks and any(hit.value not in fallbacks for hit in kept):
                kept = [hit for hit in kept if hit.value not in fallbacks]
            results.extend((lexicon.categories, hit) for hit in kept)
        return results

    def _shape_hits(self, shape: Shape, compiled: re.Pattern, text: str):
        for match in compiled.finditer(text):
            ids = {}
            for group, said in match.groupdict().items():
                if said is not None:
                    name = group.split("__")[0]
                    ids[name] = self._entry_id(name, said)
            try:
                value = shape.value.format(**ids)
            except (KeyError, IndexError):
                continue
            yield ValueHit(shape.attribute, _HOURS.sub(r"PT\1H", value), match.start(), match.end(), f"shape.{shape.attribute}")

    def _entry_id(self, lexicon_name: str, said: str) -> str:
        """The id of the entry a group read: digits stand for themselves, a word for its entry."""
        if said.isdigit():
            return str(int(said))
        for entry in self.vocabulary.lexicons[lexicon_name].entries:
            if any(re.fullmatch(form, said, re.IGNORECASE) for form in entry.forms):
                return entry.id
        return said


def _source(form: str, bounded: bool) -> str:
    return rf"\b(?:{form})\b" if bounded else form


def _compile(form: str, bounded: bool):
    """`re` where it reads the form, else `regex` (variable-length lookbehind)."""
    import regex

    source = _source(form, bounded)
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error:
        return regex.compile(source, regex.IGNORECASE)


def _factor_plan(language: str, sources: list[str]) -> list:
    """Per form (then shape): the strings one of which stands in every text it matches, or None.
    Parsing every form costs more than start-up may, so the plan is kept in the user's cache."""
    from .cache import cache_path, cached_plan
    from .prefilter import required_factors

    digest = hashlib.sha256("\0".join(sources).encode() + Path(__file__).read_bytes()).hexdigest()[:16]
    min_length = 1 if language == "zh" else 2

    def compute() -> list:
        return [sorted(factors) if (factors := required_factors(source, min_length)) else None for source in sources]

    return cached_plan(cache_path(f"values-{language}-{digest}.json"), f"values-{language}-*.json", len(sources), compute)


def values_for(hits, category: str) -> dict[str, list[str]]:
    """The values of a finding of `category`: attribute -> ids in order of appearance, once each."""
    values: dict[str, list[str]] = {}
    for categories, hit in sorted(hits, key=lambda item: item[1].start):
        if categories is not None and category not in categories:
            continue
        found = values.setdefault(hit.attribute, [])
        if hit.value not in found:
            found.append(hit.value)
    return values


@functools.cache
def value_reader(language: str) -> ValueReader | None:
    vocabulary = load_vocabularies().get(language)
    return ValueReader(vocabulary) if vocabulary else None


@functools.cache
def opp115_names() -> dict[tuple[str, str], str]:
    """(attribute, value id) -> OPP-115's name of that value, from every language's vocabulary;
    a shape's values (P30D) are keyed by the shape's attribute and '*'."""
    names = {}
    for vocabulary in load_vocabularies().values():
        for lexicon in vocabulary.lexicons.values():
            for entry in lexicon.entries:
                if lexicon.attribute and entry.opp115:
                    names[(lexicon.attribute, entry.id)] = entry.opp115
        for shape in vocabulary.shapes:
            if shape.opp115:
                names[(shape.attribute, "*")] = shape.opp115
    return names


def to_opp115(attribute: str, value: str) -> str | None:
    names = opp115_names()
    return names.get((attribute, value)) or names.get((attribute, "*"))
