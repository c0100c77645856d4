"""Turn the bytes of a file into text: BOMs, UTF-8, UTF-16 and UTF-32 with or without a BOM, and
legacy Chinese and Russian code pages. Good text is never thrown away for a few bad bytes: stray
bytes and NULs become U+FFFD, and a file that switches encoding is decoded line by line."""

from __future__ import annotations

import codecs
import re

from .errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Broken UTF-8 is still UTF-8 while fewer than this share of its characters are undecodable.
_MAX_BAD_UTF8_SHARE = 0.05
_HIGH_BYTES = bytes(range(0x80, 0x100))
# Text has few control characters; binary data has many.
_MAX_CONTROL_SHARE = 0.05
# NUL bytes inside text (a stray one, not UTF-16/32): replaced while they stay this rare.
_MAX_NUL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")  # C0 controls but tab, line breaks and escape
# What decoded text in the analyzed languages is made of: Latin, Cyrillic and Han letters, digits,
# punctuation (ASCII, general, CJK and full-width) and white space.
_PLAUSIBLE = re.compile(
    r"[\s0-9A-Za-z_\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e\u00a0-\u00ff\u0400-\u04ff"
    r"\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) for the bytes of a document, or raise InputError('binary')."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(data[len(bom):].decode(encoding, errors="replace"), encoding + " (BOM)")
    wide = _wide_without_bom(data) if b"\x00" in data or not _is_utf8(data) else None
    if wide is not None:
        return _checked(data.decode(wide, errors="replace"), wide)
    nuls = data.count(b"\x00")
    if nuls:
        if nuls > _MAX_NUL_SHARE * len(data):
            raise InputError("binary", "binary file (NUL bytes), not text")
        data = data.replace(b"\x00", "\ufffd".encode())
    suffix = " (NUL bytes replaced)" if nuls else ""
    try:
        return _checked(data.decode("utf-8"), "utf-8" + suffix)
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= _MAX_BAD_UTF8_SHARE * len(lenient) and _has_multibyte_utf8(data):
        return _checked(lenient, "utf-8 (invalid bytes replaced)" + suffix)
    return _mostly_utf8(data, suffix) or _legacy(data)


def _has_multibyte_utf8(data: bytes) -> bool:
    """True when the bytes hold valid UTF-8 multibyte sequences, or are almost all ASCII."""
    sample = data[:65536]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    if high == 0:
        return True
    text = sample.decode("utf-8", errors="ignore")
    multibyte = len(text) - len(text.encode("ascii", errors="ignore"))
    return multibyte * 2 >= high / 2


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _plausible(text: str) -> bool:
    """Whether decoded text looks like text in our scripts rather than bytes read in the wrong width."""
    sample = text[:4096]
    return bool(sample) and len(_PLAUSIBLE.findall(sample)) >= 0.95 * len(sample) and _letters_of_one_script(sample)


def _wide_without_bom(data: bytes) -> str | None:
    """UTF-32 or UTF-16 without a BOM, whatever the script: the encoding that decodes the bytes
    strictly into plausible text (ASCII text has NULs at fixed places; Cyrillic and Han do not)."""
    if len(data) < 8:
        return None
    for encoding, unit in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        if len(data) % unit:
            continue
        try:
            text = data[:8192 - 8192 % unit].decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text) and "\x00" not in text:
            return encoding
    return None


def _mostly_utf8(data: bytes, suffix: str) -> tuple[str, str] | None:
    """UTF-8 with some lines in another encoding, or with stray bytes: decode line by line, the bad
    lines in the encoding they share where one reads them, else with U+FFFD for the bad bytes.
    None where most of the text is not UTF-8 at all."""
    lines = data.split(b"\n")
    good = [_is_utf8(line) for line in lines]
    good_bytes = sum(len(line) for line, ok in zip(lines, good) if ok)
    if good_bytes < 0.5 * len(data):
        return None
    bad = [line for line, ok in zip(lines, good) if not ok]
    other = _other_encoding(b"\n".join(bad))
    decoded = []
    for line, ok in zip(lines, good):
        if ok:
            decoded.append(line.decode("utf-8"))
        elif other is not None and _decodes(line, other):
            decoded.append(line.decode(other))
        else:
            decoded.append(line.decode("utf-8", errors="replace"))
    label = f"utf-8 and {other} (mixed)" if other is not None else "utf-8 (invalid bytes replaced)"
    return _checked("\n".join(decoded), label + suffix)


def _other_encoding(data: bytes) -> str | None:
    """The legacy encoding that reads the non-UTF-8 lines as plausible text, if any."""
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") * 20 < len(lenient):
        return None  # a few stray bytes in UTF-8 lines: replace them
    for encoding in ("cp1251", "gb18030", "koi8-r"):
        if _decodes(data, encoding) and _plausible(data.decode(encoding)) and _letters_of_one_script(data.decode(encoding)):
            return encoding
    return None


def _letters_of_one_script(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    han = sum(1 for c in letters if "\u4e00" <= c <= "\u9fff")
    latin = sum(1 for c in letters if c.isascii())
    return max(cyrillic, han, latin) >= 0.9 * len(letters)


def _legacy(data: bytes) -> tuple[str, str]:
    import charset_normalizer  # imported here: only legacy-encoded files pay for it

    best = charset_normalizer.from_bytes(
        data, cp_isolation=None, threshold=0.35, explain=False
    ).best()
    if best is None:
        raise InputError("binary", "not text in any known encoding")
    encoding = best.encoding
    # GB2312 and GBK are subsets of GB18030: decode with the superset so no character is lost.
    if encoding in {"gb2312", "gbk", "hz", "big5"} and _decodes(data, "gb18030"):
        encoding = "gb18030"
    return _checked(data.decode(encoding, errors="replace"), encoding)


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _checked(text: str, encoding: str) -> tuple[str, str]:
    sample = text[:65536]
    if sample:
        controls = len(_CONTROL.findall(sample))
        if controls > _MAX_CONTROL_SHARE * len(sample):
            raise InputError("binary", "binary file (control bytes), not text")
    return text, encoding
