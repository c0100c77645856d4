"""The prefilter plan of a language: per pattern, the strings it cannot match without and where
it may start, worked out by parsing every pattern once and kept in the user's cache."""

from __future__ import annotations

import functools

from .cache import cache_path, cached_plan
from .prefilter import (
    leading_factors,
    opens_at_word_boundary,
    required_factor_sets,
    required_factors,
    start_factors,
)
from .taxonomy import Taxonomy


@functools.cache
def _code_digest() -> str:
    """The source of the prefilter, of this module and of the matcher that reads the plan, so that
    changed code never reads an old plan."""
    import hashlib
    from pathlib import Path

    here = Path(__file__).parent
    return hashlib.sha256(b"".join((here / name).read_bytes() for name in ("prefilter.py", "plan.py", "matcher.py"))).hexdigest()[:12]


def prefilter_plan(taxonomy: Taxonomy, language: str, patterns: list[tuple[str, str]]) -> list:
    """Per pattern: its required factors, leading factors and whether it opens at a word boundary.

    Working these out means parsing every pattern; the answer depends only on the rule files, so
    it is kept in the user's cache under their digest.
    """
    path = cache_path(f"prefilter-{taxonomy.digest}-{_code_digest()}-{language}.json") if taxonomy.digest else None
    return cached_plan(path, f"prefilter-*-{language}.json", len(patterns), lambda: _plan(language, patterns))


def _plan(language: str, patterns: list[tuple[str, str]]) -> list:
    min_length = 1 if language == "zh" else 2
    plan = []
    for source, view in patterns:
        required = required_factors(source, min_length)
        leading = leading_factors(source, min_length) if view != "words" else None
        conjuncts = required_factor_sets(source, min_length) if view != "words" else []
        start = start_factors(source, min_length) if view == "surface" else None
        plan.append(
            [
                sorted(required) if required else None,
                sorted(leading) if leading else None,
                opens_at_word_boundary(source),
                [sorted(s) for s in conjuncts],
                sorted(start) if start else None,
            ]
        )
    return plan
