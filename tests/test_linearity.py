"""Every rule and veto pattern, every top-level alternative, runs in time about linear in the
sentence on adversarial shapes: long coordinated lists (and/or/commas), repeated trigger words,
long runs without spaces. A pattern that backtracks exponentially or scans quadratically fails here.

Times are compared, not bounded: a shape four times longer may take at most ten times as long
(quadratic growth gives sixteen), and differences under 5 ms are noise on a shared machine."""

from __future__ import annotations

import signal
import time

import pytest

from policy_cli.engines import compile_pattern
from policy_cli.prefilter import top_level_alternatives
from policy_cli.taxonomy import PATTERN_KINDS, VETO_KINDS, load_taxonomy

SHAPES = {
    "en": [
        lambda n: " ".join(f"x{i} and" for i in range(n)) + " security",
        lambda n: "Our controls are physical " + " ".join(f"and x{i}" for i in range(n)) + ".",
        lambda n: ", ".join(f"data{i}" for i in range(n)) + ".",
        lambda n: "we collect " * n,
        lambda n: "you can " * n + "delete",
        lambda n: "Acme " * n + "is here.",
        lambda n: "a" * (10 * n),
    ],
    "zh": [
        lambda n: "收集" * n,
        lambda n: "、".join(f"信息{i}" for i in range(n)),
        lambda n: "您的" * n + "个人信息",
        lambda n: "我" * (5 * n),
    ],
    "ru": [
        lambda n: "тел" * n,
        lambda n: " и ".join(f"данные{i}" for i in range(n)),
        lambda n: "мы собирать " * n,
        lambda n: "а" * (10 * n),
    ],
}
SMALL, LARGE = 100, 400
FLOOR = 0.005  # seconds
GROWTH = 10


def _patterns():
    taxonomy = load_taxonomy()
    seen = set()
    for rule in taxonomy.rules:
        kinds = [(PATTERN_KINDS[k][0], items) for k, items in rule.patterns.items()]
        kinds += [(VETO_KINDS[k][0], items) for k, items in rule.vetoes.items()]
        for language, items in kinds:
            for item in items:
                for alternative in top_level_alternatives(item):
                    if (language, alternative) not in seen:
                        seen.add((language, alternative))
                        yield language, rule.id, alternative


PATTERNS = list(_patterns())


BUDGET = 2.0  # seconds: a search still running then is interrupted and reported


class _TooSlow(Exception):
    pass


def _interrupt(*_args):
    raise _TooSlow


def _time(compiled, subject: str) -> float:
    """The best of three searches, or infinity where one runs past the budget (the engine checks
    for signals while it backtracks, so an exponential pattern is stopped, not waited for)."""
    best = float("inf")
    previous = signal.signal(signal.SIGALRM, _interrupt)
    try:
        for _ in range(3):
            signal.setitimer(signal.ITIMER_REAL, BUDGET)
            start = time.perf_counter()
            try:
                compiled.search(subject)
            except _TooSlow:
                return float("inf")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            best = min(best, time.perf_counter() - start)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return best


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs interval timers to stop a runaway search")
@pytest.mark.parametrize("language", sorted(SHAPES))
def test_every_pattern_is_linear_on_adversarial_shapes(language):
    slow = []
    for lang, rule_id, source in PATTERNS:
        if lang != language:
            continue
        compiled = compile_pattern(source)
        for number, shape in enumerate(SHAPES[language]):
            small = _time(compiled, shape(SMALL))
            large = _time(compiled, shape(LARGE)) if small != float("inf") else small
            if large > FLOOR and large > GROWTH * small or large == float("inf"):
                slow.append(f"{rule_id} shape {number}: {large * 1000:.0f} ms at {LARGE}: {source[:100]}")
    assert not slow, "super-linear patterns:\n" + "\n".join(slow)
