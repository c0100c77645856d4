"""The text the rules read: typography folded one character for one, so every offset still holds.

Typographic quotes and apostrophes ("we won’t sell"), dashes, no-break and ideographic spaces,
full-width Latin letters and digits, and Traditional Chinese characters (mapped to Simplified) are
written as the rules spell them. Each character becomes exactly one character: an offset into the
normalized text is the same offset into the text it came from.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

_TYPOGRAPHY = {
    # apostrophes and single quotes
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'", "\uff07": "'",
    # double quotes (Chinese and Russian quotes keep their own marks: 「」《》«» are not folded)
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\uff02": '"',
    # hyphens and dashes: the hyphen-like ones become "-", the dashes a spaced "–" stays a dash
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
    # spaces that are no line break
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200a": " ",
    "\u3000": " ",
}
_TABLE = {ord(k): v for k, v in _TYPOGRAPHY.items()}
# Full-width Latin letters and digits (Ａ-Ｚ, ａ-ｚ, ０-９); full-width punctuation (，：（）) is the
# Chinese rules' own and stays.
_TABLE.update({code: chr(code - 0xFEE0) for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))})


# Taiwan's words for what mainland policies (and so the rules) say otherwise, each of the same length,
# applied after the characters are Simplified and only to a text that was Traditional.
_TAIWAN_WORDS = (
    ("个人资料", "个人信息"), ("资讯", "信息"), ("资料", "信息"), ("网路", "网络"), ("软体", "软件"),
    ("伺服器", "服务器"), ("程式", "程序"), ("帐户", "账户"), ("帐号", "账号"), ("透过", "通过"), ("储存", "存储"),
    ("揭露", "披露"), ("联络", "联系"), ("分享", "共享"), ("存取", "访问"), ("修正", "更正"),
)


# A text is written in Traditional characters when this share of its Han characters are Traditional
# forms (a Simplified text has a stray one at most: "乾", a name).
_TRADITIONAL_TEXT = 0.05


_HAN = re.compile("[\u3400-\u9fff]")


def normalize(text: str) -> str:
    """The text with its typography folded and Traditional Chinese made Simplified; same length."""
    folded = text.translate(_TABLE)
    if not folded.isascii():
        traditional = _traditional_table()
        if traditional and _has_traditional(folded, traditional):
            written_traditional = traditional_share(folded) >= _TRADITIONAL_TEXT
            folded = folded.translate(traditional)
            for taiwan, mainland in _TAIWAN_WORDS if written_traditional else ():
                if taiwan in folded:
                    folded = folded.replace(taiwan, mainland)
    return folded


def _has_traditional(text: str, table: dict[int, str]) -> bool:
    return any(ord(ch) in table for ch in set(text) if ch >= "\u3400")


@functools.cache
def _traditional_table() -> dict[int, str]:
    """Traditional -> Simplified, one character for one, from chinese-converter's character lists.

    The lists are read from the package's folder without importing it: its import loads a bigram
    model we have no use for. Where the package is missing, Traditional text is read as it stands.
    """
    spec = importlib.util.find_spec("chinese_converter")
    if spec is None or not spec.submodule_search_locations:
        return {}
    folder = Path(next(iter(spec.submodule_search_locations)))
    try:
        traditional = (folder / "traditional.txt").read_text(encoding="utf-8").strip()
        simplified = (folder / "simplified.txt").read_text(encoding="utf-8").strip()
    except OSError:
        return {}
    return {ord(t): s for t, s in zip(traditional, simplified) if t != s and len(t) == len(s) == 1}


def traditional_share(text: str) -> float:
    """The share of Han characters in `text` that are Traditional forms (0 where none are Han)."""
    table = _traditional_table()
    han = len(_HAN.findall(text))
    if not han or not table:
        return 0.0
    return sum(text.count(ch) for ch in set(text) if ord(ch) in table) / han
