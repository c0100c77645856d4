"""Apply the taxonomy to the sentences of a document and return findings with their evidence."""

from __future__ import annotations

import bisect
import functools
from typing import Callable

import ahocorasick
import regex

from .engines import compile_pattern
from .lines import LineIndex
from .model import Finding, Sentence
from .plan import prefilter_plan
from .prefilter import expected_hits, minimal, top_level_alternatives
from .stance import AFFIRMS, negation_window
from .taxonomy import FLAGS, PATTERN_KINDS, VETO_KINDS, Rule, Taxonomy
from .values import value_reader, values_for
from .words import TokenView, chinese_view, russian_view

_VIEW_BUILDERS: dict[str, Callable[[str, int, int], TokenView]] = {"words": chinese_view, "lemmas": russian_view}


class _Pattern:
    """A pattern of one rule, compiled the first time a sentence needs it."""

    __slots__ = ("rule", "view", "source", "_compiled", "also")

    def __init__(self, rule: Rule, view: str, source: str):
        self.rule, self.view, self.source, self._compiled = rule, view, source, None
        # Further sets of strings the sentence must hold one of, checked before the regex runs.
        self.also: tuple[tuple[str, ...], ...] = ()

    def compile(self):
        self._compiled = compile_pattern(self.source)
        return self._compiled


class _Veto:
    """A compiled veto and the string sets it cannot match without: one of each set must stand.

    `slot` numbers a veto the prefilter looks out for (its rarest set is in the automaton), so a
    sentence where none of that set stands never reads it; None where it is read on every sentence.
    """

    __slots__ = ("compiled", "needs", "slot")

    def __init__(self, compiled, needs: tuple[tuple[str, ...], ...]):
        self.compiled = compiled
        self.needs = needs
        self.slot: int | None = None

    def matches(self, subject: str, lowered: str) -> bool:
        return _holds_one_of_each(self.needs, lowered) and self.compiled.search(subject) is not None


class LanguageMatcher:
    """Every pattern of one language, with an Aho-Corasick prefilter per sentence view."""

    def __init__(self, taxonomy: Taxonomy, language: str):
        self.language = language
        self.patterns: list[_Pattern] = []
        self.vetoes: dict[str, list[tuple[_Veto, str]]] = {}  # rule id -> (veto, view)
        # view -> factor -> {(pattern index, mode)}
        factors: dict[str, dict[str, set[tuple[int, int]]]] = {}
        self.unfiltered: dict[str, list[int]] = {}
        for rule in taxonomy.rules:
            for kind, items in rule.patterns.items():
                lang, view = PATTERN_KINDS[kind]
                if lang == language:
                    for pattern in (part for item in items for part in top_level_alternatives(item)):
                        self.patterns.append(_Pattern(rule, view, pattern))
        veto_sources = list(
            dict.fromkeys(
                (source, VETO_KINDS[kind][1])
                for rule in taxonomy.rules
                for kind, items in rule.vetoes.items()
                if VETO_KINDS[kind][0] == language
                for source in items
            )
        )
        plan = prefilter_plan(taxonomy, language, [(p.source, p.view) for p in self.patterns] + veto_sources)
        plan, veto_plan = plan[: len(self.patterns)], plan[len(self.patterns):]
        for index, (pattern, (required, leading, boundary, conjuncts, opening)) in enumerate(zip(self.patterns, plan)):
            # A pattern that opens with words is tried only where they stand; otherwise on the
            # sentences holding a string it cannot match without. Factors are searched in the
            # lower-cased surface text, so a words pattern (read on jieba words) keeps only its
            # factors' pieces between spaces and is never anchored.
            scan_view = "surface" if pattern.view == "words" else pattern.view
            found = frozenset(required) if required else None
            # Opening words that are common ("we", "information") would try the pattern at many
            # places: then a rarer string it needs, and a search, do better.
            anchored = bool(leading) and (found is None or expected_hits(frozenset(leading)) <= 2 * expected_hits(found))
            if anchored:
                found = minimal(frozenset(leading), prefix=True)
            elif found:
                found = minimal(found, prefix=False)
            if found and pattern.view == "words":
                found = frozenset(max(f.split(" "), key=len) for f in found)
                found = found if all(found) else None
            # 0: try anywhere; 1: try at the factor; 2: at the factor, where it starts a word;
            # 3: at the sentence start, where the factor opens the sentence (after a list mark)
            mode = (2 if boundary else 1) if anchored else 0
            if opening:
                found, mode = minimal(frozenset(opening), prefix=True), 3
            pattern.also = tuple(
                tuple(sorted(minimal(frozenset(s), prefix=False))) for s in conjuncts if not found or frozenset(s) != found
            )[:3]
            if found:
                for factor in found:
                    factors.setdefault(scan_view, {}).setdefault(factor, set()).add((index, mode))
            else:
                self.unfiltered.setdefault(scan_view, []).append(index)
        # A veto is read only where a string it cannot match without stands. A category's shared
        # vetoes stand in every rule of it: one object for all, so a sentence reads each once.
        compiled_vetoes = {}
        for key, (required, _leading, _boundary, conjuncts, _opening) in zip(veto_sources, veto_plan):
            needs = dict.fromkeys(tuple(s) for s in ([required] if required else []) + conjuncts)  # required is often a conjunct too
            veto = compiled_vetoes[key] = _Veto(compile_pattern(key[0]), tuple(needs))
            if key[1] == "surface" and veto.needs:
                veto.slot = len(compiled_vetoes) - 1
                for factor in min(veto.needs, key=lambda strings: expected_hits(frozenset(strings))):
                    factors.setdefault("surface", {}).setdefault(factor, set()).add((veto.slot, 4))
        for rule in taxonomy.rules:
            for kind, items in rule.vetoes.items():
                lang, view = VETO_KINDS[kind]
                if lang == language:
                    self.vetoes.setdefault(rule.id, []).extend((compiled_vetoes[(source, view)], view) for source in items)
        self.automata: dict[str, ahocorasick.Automaton] = {}
        for view, table in factors.items():
            automaton = ahocorasick.Automaton()
            for factor, entries in table.items():
                # the pattern indices of each mode of trying (above); 4: the vetoes (slots) this factor may let in
                by_mode = [tuple(sorted(i for i, mode in entries if mode == m)) for m in (0, 1, 2, 3, 4)]
                automaton.add_word(factor, (len(factor), *by_mode))
            automaton.make_automaton()
            self.automata[view] = automaton
        negation = taxonomy.negations.get(language)
        self.negation = regex.compile(negation, FLAGS) if negation else None
        self.needs_lemmas = any(p.view == "lemmas" for p in self.patterns)

    def candidates(self, view: str, lowered: str, exact: bool) -> dict[int, list[int] | None]:
        """Pattern index -> start positions to try it at (anchored patterns), or None to search.

        `exact` says whether positions in `lowered` are positions in the text matched; where
        lower-casing changed the length, every pattern is searched instead.
        """
        automaton = self.automata.get(view)
        if automaton is None or not lowered:
            return dict.fromkeys(self.unfiltered.get(view, ()))
        return self._collect(automaton.iter(lowered), lowered, view, exact)

    def _collect(self, hits, lowered: str, view: str, exact: bool) -> dict[int, list[int] | None]:
        """Candidates from the automaton's hits over `lowered`."""
        found: dict[int, list[int] | None] = dict.fromkeys(self.unfiltered.get(view, ()))
        for end, (length, searched, anchored, at_word_start, at_start, _vetoes) in hits:
            if exact:
                _record_hit(found, lowered, end - length + 1, 0, searched, anchored, at_word_start, at_start)
            else:
                for index in searched + anchored + at_word_start + at_start:
                    found[index] = None
        return found

    def match_document(self, text: str, sentences: list[Sentence], lines: "LineIndex") -> list[Finding]:
        """Findings in the given sentences (all of this matcher's language), in sentence order.

        The surface prefilter runs once over the whole text; its hits are dealt out to the
        sentences they fall in.
        """
        # Matching reads line breaks as spaces; the length, and so every offset, stays.
        flat = text.replace("\r", " ").replace("\n", " ")
        lowered = flat.lower()
        if len(lowered) != len(flat):
            return [f for s in sentences for f in self.match_sentence(text, s, lines)]
        starts = [s.start for s in sentences]
        # Candidates per sentence, built in one walk over the prefilter's hits (which come in
        # order of their end) alongside the sentences.
        unfiltered = self.unfiltered.get("surface", ())
        found_per_sentence: list[dict | None] = [None] * len(sentences)
        # The vetoes that may match in each sentence: those whose rarest strings stand in it.
        vetoes_per_sentence: list[set | None] = [None] * len(sentences)
        automaton = self.automata.get("surface")
        if automaton is not None and sentences:
            position, count = 0, len(sentences)
            sentence_start, sentence_end = starts[0], sentences[0].end
            found = None
            for end, (length, searched, anchored, at_word_start, at_start, vetoes) in automaton.iter(lowered):
                if end >= sentence_end:
                    while end >= sentence_end and position < count - 1:
                        position += 1
                        sentence_end = sentences[position].end
                    sentence_start = starts[position]
                    found = None
                start = end - length + 1
                if end >= sentence_end or start < sentence_start:
                    continue
                if vetoes:
                    possible = vetoes_per_sentence[position]
                    if possible is None:
                        vetoes_per_sentence[position] = set(vetoes)
                    else:
                        possible.update(vetoes)
                if not (searched or anchored or at_word_start) and (not at_start or start - sentence_start > _START_SLACK):
                    continue  # only sentence-start patterns want this factor, and it stands further in
                if found is None:
                    found = found_per_sentence[position] = dict.fromkeys(unfiltered)
                _record_hit(found, lowered, start, sentence_start, searched, anchored, at_word_start, at_start)
        # Sentences holding a negation cue: only their findings can deny.
        negated = set()
        if self.negation is not None:
            for cue in self.negation.finditer(flat):
                negated.add(bisect.bisect_right(starts, cue.start()) - 1)
        findings: list[Finding] = []
        for number, (sentence, found) in enumerate(zip(sentences, found_per_sentence)):
            if found is None:
                if not unfiltered and not self.needs_lemmas:
                    continue
                found = dict.fromkeys(unfiltered)
            findings.extend(
                self.match_sentence(
                    text, sentence, lines, flat[sentence.start:sentence.end], lowered[sentence.start:sentence.end],
                    found, number in negated, vetoes_per_sentence[number] or _NO_SLOTS,
                )
            )
        return findings

    def match_sentence(
        self, text: str, sentence: Sentence, lines: "LineIndex", flat=None, lowered=None, surface_candidates=None, may_deny=None,
        possible_vetoes=None,
    ) -> list[Finding]:
        """Findings in one sentence. `possible_vetoes`, the slots of the vetoes whose rarest strings
        the prefilter found in the sentence, spares reading the others; None reads them all."""
        surface = text[sentence.start:sentence.end]
        if flat is None:
            flat = surface.replace("\r", " ").replace("\n", " ")
            lowered = flat.lower()
        views: dict[str, TokenView] = {}
        if surface_candidates is None:
            candidates = self.candidates("surface", lowered, len(lowered) == len(flat))
        else:
            candidates = surface_candidates
        if self.needs_lemmas:
            views["lemmas"] = _VIEW_BUILDERS["lemmas"](text, sentence.start, sentence.end)
            candidates.update(self.candidates("lemmas", views["lemmas"].text, True))
        findings: list[Finding] = []
        fired: set[str] = set()
        veto_memo: dict = {}
        patterns = self.patterns
        # Most sentences hold no negation at all: then every finding affirms, and no window is read.
        if may_deny is None:
            may_deny = self.negation is not None and self.negation.search(flat) is not None
        for index in sorted(candidates):
            pattern = patterns[index]
            rule = pattern.rule
            if rule.id in fired:
                continue
            if pattern.also and not _holds_all(pattern, lowered, views):
                continue
            positions = candidates[index]
            if pattern.view == "surface":
                match = _first_match(pattern._compiled or pattern.compile(), flat, positions)
                if match is None:
                    continue
                start, end = sentence.start + match.start(), sentence.start + match.end()
                groups = _groups(match) if match.re.groupindex else None
            else:
                span = self._search_view(pattern, sentence, text, views, positions)
                if span is None:
                    continue
                (start, end), groups = span, None
            fired.add(rule.id)  # a vetoed rule is done with this sentence too: vetoes read the whole sentence
            vetoes = self.vetoes.get(rule.id)
            if vetoes is not None and self._vetoed(vetoes, flat, lowered, sentence, text, views, veto_memo, possible_vetoes):
                continue
            line, column = lines.locate(start)
            attributes = dict(rule.attributes)
            if groups:
                attributes.update(groups)
            findings.append(
                Finding(
                    rule_id=rule.id,
                    category=rule.category,
                    attributes=attributes,
                    stance=self._stance(text, sentence.start, start) if may_deny else AFFIRMS,
                    language=self.language,
                    start=start,
                    end=end,
                    line=line,
                    column=column,
                    match=text[start:end],
                    sentence=surface,
                    sentence_start=sentence.start,
                )
            )
        if findings:
            self._add_values(findings, flat, sentence, text, views)
        return findings

    def _add_values(self, findings: list[Finding], flat: str, sentence: Sentence, text: str, views) -> None:
        """Give each finding the values its sentence names (read once per sentence)."""
        reader = value_reader(self.language)
        if reader is None:
            return
        subject = self._view("lemmas", text, sentence, views).text if self.language == "ru" else flat
        hits = reader.hits(subject)
        for finding in findings:
            finding.values = values_for(hits, finding.category)

    def _view(self, kind: str, text: str, sentence: Sentence, views: dict[str, TokenView]) -> TokenView:
        if kind not in views:
            views[kind] = _VIEW_BUILDERS[kind](text, sentence.start, sentence.end)
        return views[kind]

    def _search_view(self, pattern: _Pattern, sentence: Sentence, text: str, views, positions) -> tuple[int, int] | None:
        """The surface span of the pattern's first match in a word or lemma view of the sentence."""
        match = _first_match(pattern._compiled or pattern.compile(), self._view(pattern.view, text, sentence, views).text, positions)
        if match is None:
            return None
        return views[pattern.view].to_surface(match.start(), match.end())

    def _vetoed(self, vetoes, flat: str, lowered: str, sentence: Sentence, text: str, views, memo: dict, possible=None) -> bool:
        """Whether one of a rule's vetoes matches the sentence; `memo` keeps each veto's answer for
        the sentence, as the vetoes a category shares come up once per rule of it."""
        for veto, view in vetoes:
            if possible is not None and veto.slot is not None and veto.slot not in possible:
                continue
            hit = memo.get(veto)
            if hit is None:
                if view == "surface":
                    hit = veto.matches(flat, lowered)
                else:
                    lemmas = self._view(view, text, sentence, views).text
                    hit = veto.matches(lemmas, lemmas)
                memo[veto] = hit
            if hit:
                return True
        return False

    def _stance(self, text: str, sentence_start: int, match_start: int) -> str:
        return negation_window(self.negation, self.language, text, sentence_start, match_start)[2]


_ABSENT: list = []  # a marker: no entry yet
_NO_SLOTS: frozenset = frozenset()  # no veto's strings found in the sentence


def _record_hit(found: dict, lowered: str, start: int, offset: int, searched, anchored, at_word_start, at_start=()) -> None:
    """Add one prefilter hit, a factor at `start` of `lowered`, to a sentence's candidates: its
    search-mode patterns are searched; its anchored ones are tried at the hit, kept relative to
    `offset` (the sentence start), the word-start ones only where no word goes on before it, and
    the sentence-start ones at the start, where the factor stands among the sentence's first characters."""
    for index in searched:
        found[index] = None
    if at_start and start - offset <= _START_SLACK:
        for index in at_start:
            positions = found.get(index, _ABSENT)
            if positions is _ABSENT:
                found[index] = [0]
            elif positions is not None and 0 not in positions:
                positions.append(0)
    if at_word_start and not (start > 0 and (lowered[start - 1].isalnum() or lowered[start - 1] == "_")):
        anchored = anchored + at_word_start
    relative = start - offset
    for index in anchored:
        positions = found.get(index, _ABSENT)
        if positions is _ABSENT:
            found[index] = [relative]
        elif positions is not None:
            positions.append(relative)


# How far into a sentence a sentence-start factor may stand: a list mark and "to " before it
# ("(iv) to provide ...", "● Providing ...").
_START_SLACK = 12


def _holds_all(pattern: _Pattern, lowered: str, views: dict[str, TokenView]) -> bool:
    """Whether the sentence holds one string of each further group the pattern needs."""
    if pattern.view == "surface":
        subject = lowered
    elif pattern.view in views:
        subject = views[pattern.view].text
    else:
        return True
    return _holds_one_of_each(pattern.also, subject)


def _holds_one_of_each(groups: tuple[tuple[str, ...], ...], subject: str) -> bool:
    """Whether `subject` holds at least one string of every group (a pattern's or a veto's needs)."""
    for group in groups:
        for string in group:
            if string in subject:
                break
        else:
            return False
    return True


def _first_match(compiled, subject: str, positions: list[int] | None):
    """The pattern searched in `subject`, or (given `positions`) tried at each of them in order;
    None where nothing matches, or where the first match is empty (it shows no evidence)."""
    if positions is None:
        match = compiled.search(subject)
    else:
        match = None
        for position in sorted(set(positions)) if len(positions) > 1 else positions:
            match = compiled.match(subject, position)
            if match is not None:
                break
    return match if match is not None and match.end() > match.start() else None


def _groups(match) -> dict[str, str]:
    """Named groups of a match become attributes of the finding (a retention period, say)."""
    return {name: value.strip() for name, value in match.groupdict().items() if value}


@functools.cache
def language_matcher(taxonomy: Taxonomy, language: str) -> LanguageMatcher:
    """The compiled matcher of one language, built on first use."""
    return LanguageMatcher(taxonomy, language)
