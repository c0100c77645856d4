"""Figures on the rule files as written: pattern count and length (median, 90th percentile, max),
the longest patterns, and the word lists spelled more than once (the same alternation of three
or more plain words in more than one place), which a vocabulary should state once."""

from __future__ import annotations

import re
import statistics
import sys
import tomllib
from collections import Counter
from pathlib import Path

RULES = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "policy_cli" / "rules"
# an alternation group of plain words (letters, spaces, CJK), three alternatives or more
REFERENCE = re.compile(r"(?<!\\[pPN])\{[a-z][a-z_]*(?:\.[A-Za-z0-9_]+)?\}")
WORD_LIST = re.compile(r"\(\?:((?:[\w ]+\|){2,}[\w ]+)\)")


def patterns(data, where=""):
    """Every (place, pattern) string under a `patterns`, `not` or veto table."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("patterns", "not"):
                for kind, items in value.items():
                    for item in [items] if isinstance(items, str) else items:
                        yield f"{where}.{kind}", item
            elif key != "examples":
                yield from patterns(value, f"{where}.{data.get('id', key)}" if isinstance(value, (dict, list)) else where)
    elif isinstance(data, list):
        for item in data:
            yield from patterns(item, where)


def main() -> None:
    found = []
    for path in sorted(RULES.glob("*.toml")):
        found.extend((f"{path.stem}{place}", p) for place, p in patterns(tomllib.loads(path.read_text(encoding="utf-8"))))
    lengths = sorted(len(p) for _place, p in found)
    print(f"rule patterns as written: {len(found)}")
    print(f"  length: median {statistics.median(lengths):.0f}, 90th percentile {lengths[int(0.9 * (len(lengths) - 1))]}, max {lengths[-1]}")
    print(f"  over 200 characters: {sum(1 for n in lengths if n > 200)}; over 300: {sum(1 for n in lengths if n > 300)}")
    naming = sum(1 for _place, p in found if REFERENCE.search(p))
    print(f"  naming a vocabulary: {naming}")
    lists = Counter()
    for _place, pattern in found:
        for match in WORD_LIST.finditer(pattern):
            lists[frozenset(match.group(1).split("|"))] += 1
    repeated = {words: n for words, n in lists.items() if n > 1}
    print(f"word lists spelled more than once: {len(repeated)} lists, in {sum(repeated.values())} places")
    for words, count in sorted(repeated.items(), key=lambda item: -item[1])[:40]:
        print(f"  {count}x {'|'.join(sorted(words))[:100]}")


if __name__ == "__main__":
    main()
