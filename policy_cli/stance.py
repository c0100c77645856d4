"""A finding's stance: a denial when a negation cue stands before the match, in its clause,
within a few words ("we do not sell", "我们不会出售", "мы не передаём"). A denial is still a disclosure."""

from __future__ import annotations

import regex

DENIES, AFFIRMS = "denies", "affirms"
# How far before a match a negation cue may stand, in characters, within the match's clause.
NEGATION_WINDOW = {"en": 45, "ru": 40, "zh": 14}
CLAUSE_BREAK = regex.compile(r"[,;:()，；：、（）]|\b(?:and|but|or|и|а|но|или)\b|而且|但是|或者")


def negation_window(negation, language: str, text: str, sentence_start: int, match_start: int) -> tuple[str | None, str, str]:
    """(the cue found or None, the window read, the stance): the window runs back from the match
    to the last clause break within NEGATION_WINDOW characters, never before the sentence."""
    if negation is None:
        return None, "", AFFIRMS
    window_start = max(sentence_start, match_start - NEGATION_WINDOW[language])
    window = text[window_start:match_start]
    breaks = list(CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end():]
    cue = negation.search(window)
    return (cue.group(0) if cue else None), window, (DENIES if cue else AFFIRMS)
