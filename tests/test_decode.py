"""Decoding: BOMs, UTF-16, legacy Chinese and Russian code pages, binary input."""

from __future__ import annotations

import codecs

import pytest
from conftest import sample

from policy_cli.decode import decode_bytes
from policy_cli.errors import InputError
from policy_cli.htmltext import html_to_text
from policy_cli.loader import Source, read_source
from policy_cli.scan import scan_source

RUSSIAN = sample("003")
CHINESE = sample("004")


def _categories(path) -> dict:
    result = scan_source(Source(str(path), path))
    assert result.error is None, result.error
    return result.categories


def _encodable(text: str, encoding: str) -> str:
    """The seed without the few characters a legacy code page cannot hold (× in 003, for one)."""
    return text.encode(encoding, errors="ignore").decode(encoding)


@pytest.mark.parametrize(
    "seed, encoding, bom",
    [
        (CHINESE, "gb18030", b""),
        (CHINESE, "gbk", b""),
        (CHINESE, "utf-16-le", codecs.BOM_UTF16_LE),
        (CHINESE, "utf-16-be", codecs.BOM_UTF16_BE),
        (CHINESE, "utf-8", codecs.BOM_UTF8),
        (RUSSIAN, "cp1251", b""),
        (RUSSIAN, "koi8-r", b""),
        (RUSSIAN, "utf-16-le", codecs.BOM_UTF16_LE),
        (RUSSIAN, "utf-8", codecs.BOM_UTF8),
    ],
)
def test_reencoded_seed_gives_same_categories(tmp_path, seed, encoding, bom):
    text = _encodable(seed.read_text(encoding="utf-8"), encoding)
    original = tmp_path / "original.txt"
    original.write_text(text, encoding="utf-8")
    reencoded = tmp_path / f"seed.{encoding}.txt"
    reencoded.write_bytes(bom + text.encode(encoding))
    decoded, _, _ = read_source(Source(str(reencoded), reencoded))
    assert decoded == text
    assert _categories(reencoded) == _categories(original)


def test_utf16_without_bom():
    text = "We collect your email address.\n" * 10
    assert decode_bytes(text.encode("utf-16-le"))[0] == text


def test_binary_is_rejected():
    with pytest.raises(InputError) as caught:
        decode_bytes(bytes(range(256)) * 8)
    assert caught.value.code == "binary"


def test_a_few_invalid_bytes_are_replaced_not_fatal():
    text, encoding = decode_bytes("Мы собираем данные. ".encode() * 20 + b"\xff" + "Конец.".encode())
    assert text.endswith("\ufffdКонец.") and encoding.startswith("utf-8")


def test_html_text_drops_script_style_and_decodes_entities():
    text = html_to_text("<p>A &amp; B</p><script>x()</script><style>p{}</style><ul><li>one</li><li>two</li></ul>")
    assert text == "A & B\n\none\n\ntwo"


@pytest.mark.parametrize("data", [b"x\x00\x01\x02", b"\x00", b"ab\x00"])
def test_short_input_with_nul_is_binary(data):
    with pytest.raises(InputError):
        decode_bytes(data)
