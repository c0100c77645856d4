"""Invariants: any bytes give a result or a clean error; offsets always point at the match."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy_cli.decode import decode_bytes
from policy_cli.errors import InputError
from policy_cli.loader import Source
from policy_cli.scan import scan_source, scan_text

POLICY_WORDS = st.sampled_from(
    [
        "We collect", "your email", "третьим лицам", "мы не передаём", "我们不会出售", "您的个人信息", "cookies",
        "Contact us", "a@b.com", ".", "。", "\n", "\r\n", "\n\n", " ", "e.g.", "不", "😀", "\u0130", "ß", "[b]", "\x00",
        "5.", "—", "«Оператор»", "(далее — Оператор)", "\r", "\u2028", "İ",
    ]
)
TEXTS = st.one_of(st.text(), st.lists(POLICY_WORDS, max_size=40).map("".join))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_fail_cleanly(data):
    try:
        text, encoding = decode_bytes(data)
    except InputError as exc:
        assert exc.code == "binary"
    else:
        assert isinstance(text, str) and encoding


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_any_file_gives_a_result(tmp_path, data):
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    result = scan_source(Source(str(path), path))
    assert result.error is None or result.error.code in {"binary", "empty"}


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.sampled_from([None, "en", "zh", "ru"]))
def test_offsets_round_trip(text, language):
    result = scan_text(text, language=language)
    for finding in result.findings:
        assert text[finding.start:finding.end] == finding.match
        assert finding.sentence_start <= finding.start < finding.end <= finding.sentence_start + len(finding.sentence)
        assert finding.line >= 1 and finding.column >= 1
