"""Turn the bytes of a file into text: BOMs, UTF-8, UTF-16 and legacy Chinese and Russian code pages."""

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
_MAX_BAD_UTF8_SHARE = 0.02
# Text has few control characters; binary data has many.
_MAX_CONTROL_SHARE = 0.05
_HIGH_BYTES = bytes(range(0x80, 0x100))
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")  # C0 controls but tab, line breaks and escape


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) for the bytes of a document, or raise InputError('binary')."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(data[len(bom):].decode(encoding, errors="replace"), encoding + " (BOM)")
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise InputError("binary", "binary file (NUL bytes), not text")
        return _checked(data.decode(encoding, errors="replace"), encoding)
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= _MAX_BAD_UTF8_SHARE * max(len(lenient), 1) and _has_multibyte_utf8(data):
        return _checked(lenient, "utf-8 (invalid bytes replaced)")
    return _legacy(data)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM has NULs in every other byte for ASCII; guess the byte order from that."""
    if len(data) < 16 or len(data) % 2:
        return None  # too short to tell, or not whole UTF-16 code units
    sample = data[:4096]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = max(len(sample) // 2, 1)
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _has_multibyte_utf8(data: bytes) -> bool:
    """True when the bytes hold valid UTF-8 multibyte sequences, or are almost all ASCII."""
    sample = data[:65536]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    if high == 0:
        return True
    text = sample.decode("utf-8", errors="ignore")
    multibyte = len(text) - len(text.encode("ascii", errors="ignore"))
    return multibyte * 2 >= high / 2


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
