"""Vocabularies and the values they give findings: the same ids whatever the language."""

from __future__ import annotations

import pytest

from policy_cli.errors import TaxonomyError
from policy_cli.scan import scan_text
from policy_cli.values import to_opp115
from policy_cli.vocabulary import load_vocabularies


def _values(text: str, rule_prefix: str) -> dict[str, list[str]]:
    findings = [f for f in scan_text(text).findings if f.rule_id.startswith(rule_prefix)]
    assert findings, f"no {rule_prefix} finding in {text!r}"
    merged: dict[str, list[str]] = {}
    for finding in findings:
        for attribute, ids in finding.values.items():
            found = merged.setdefault(attribute, [])
            found.extend(i for i in ids if i not in found)
    return merged


@pytest.mark.parametrize(
    "text, period",
    [
        ("We retain log data for 30 days.", "P30D"),
        ("Журналы хранятся в течение 30 дней.", "P30D"),
        ("日志信息保存30天。", "P30D"),
        ("We keep your records for three years after your account closes.", "P3Y"),
        ("Персональные данные хранятся в течение 3 лет.", "P3Y"),
        ("我们将保存网络日志3年。", "P3Y"),
        ("聊天信息会在您发送这些信息72小时后永久删除。", "PT72H"),
    ],
)
def test_a_stated_period_is_an_iso_duration_in_every_language(text, period):
    assert period in _values(text, "data_retention").get("retention_period", [])


@pytest.mark.parametrize(
    "text",
    [
        "We share your email address with advertisers and our affiliates.",
        "我们会与广告主共享您的电子邮件地址。",
        "Мы передаём адрес электронной почты рекламным партнёрам и аффилированным лицам.",
    ],
)
def test_data_type_and_recipient_ids_are_shared_across_languages(text):
    values = _values(text, "third_party_sharing")
    assert "contact" in values["data_type"]
    assert set(values["recipient"]) & {"named_third_party", "third_party"}


def test_values_stay_with_the_categories_they_describe():
    """A recipient is a value of sharing, not of the contact finding in the same sentence."""
    findings = scan_text("We share your email address with advertisers; contact us at privacy@example.com.").findings
    contact = [f for f in findings if f.category == "contact"]
    assert contact and all("recipient" not in f.values for f in contact)


def test_the_generic_data_type_gives_way_to_a_named_kind():
    assert _values("We collect your personal information.", "first_party_collection")["data_type"] == ["generic"]
    assert _values("We collect personal information such as your IP address.", "first_party_collection")["data_type"] == ["device_id"]


def test_age_thresholds_are_read():
    assert "13" in _values("We do not knowingly collect data from children under 13.", "specific_audiences")["age"]
    assert "14" in _values("若您是未满14周岁的儿童，请在监护人的陪同下阅读本政策。", "specific_audiences")["age"]


def test_values_map_to_opp115_names():
    assert to_opp115("data_type", "device_id") == "IP address and device IDs"
    assert to_opp115("retention_period", "P30D") == "Stated Period"
    assert to_opp115("recipient", "affiliate") == "Other part of company/affiliate"


def test_every_language_has_the_same_attribute_lexicons():
    vocabularies = load_vocabularies()
    attributes = {lang: {l.attribute for l in v.lexicons.values() if l.attribute} for lang, v in vocabularies.items()}
    assert set(attributes) == {"en", "zh", "ru"}
    assert attributes["en"] == attributes["zh"] == attributes["ru"]


def _write(folder, text):
    (folder / "en.toml").write_text(text, encoding="utf-8")
    load_vocabularies.cache_clear()
    try:
        return load_vocabularies(str(folder))
    finally:
        load_vocabularies.cache_clear()


@pytest.mark.parametrize(
    "text, message",
    [
        ('language = "xx"\n', "field language"),
        ('language = "en"\n[data]\nforms = []\n', "a list of non-empty strings"),
        ('language = "en"\n[data]\nforms = ["(unclosed"]\n', "bad regex"),
        ('language = "en"\n[data]\nforms = ["(e)mail"]\n', "may not capture"),
        ('language = "en"\n[data]\nforms = ["x"]\ncolour = "red"\n', "unknown field"),
        ('language = "en"\n[data]\nattribute = "data_type"\ncategories = ["nope"]\n[data.a]\nforms = ["x"]\n', "category ids"),
    ],
)
def test_bad_vocabularies_are_rejected_naming_the_field(tmp_path, text, message):
    with pytest.raises(TaxonomyError, match=message):
        _write(tmp_path, text)


def test_a_reference_to_an_unknown_lexicon_or_entry_is_rejected():
    vocabulary = load_vocabularies()["en"]
    with pytest.raises(TaxonomyError, match="unknown vocabulary"):
        vocabulary.expand(r"\b{no_such_words}\b", "test")
    with pytest.raises(TaxonomyError, match="no entry"):
        vocabulary.expand(r"\b{recipient.nobody}\b", "test")
    expanded, used = vocabulary.expand(r"\bshare with {recipient.affiliate}\b.{0,40}\p{L}", "test")
    assert "subsidiar" in expanded and used == ("recipient.affiliate",) and ".{0,40}" in expanded and r"\p{L}" in expanded


RULE = """category = "third_party_sharing"
[[rules]]
id = "third_party_sharing.test"
patterns.{kind} = ['''{pattern}''']
examples.{lang}.match = ["x"]
examples.{lang}.no_match = ["y"]
"""


@pytest.mark.parametrize(
    "kind, lang, pattern, message",
    [
        ("en", "en", r"\bshare\b.{0,30}\b{nobody}\b", "unknown vocabulary"),
        ("ru", "ru", r"передать {personal_data}", "hold lemmas"),
        ("zh", "zh", r"{store.nothing}", "no entry"),
    ],
)
def test_a_rule_naming_a_vocabulary_wrongly_does_not_load(tmp_path, kind, lang, pattern, message):
    from policy_cli.taxonomy import load_taxonomy

    (tmp_path / "third_party_sharing.toml").write_text(RULE.format(kind=kind, lang=lang, pattern=pattern), encoding="utf-8")
    with pytest.raises(TaxonomyError, match=message):
        load_taxonomy(str(tmp_path))


def test_rule_patterns_keep_the_vocabulary_names_they_were_written_with():
    from policy_cli.taxonomy import load_taxonomy

    written = [p for rule in load_taxonomy().rules for items in rule.written.values() for p in items]
    assert any("{you}" in p for p in written)
    assert not any("{you}" in p for rule in load_taxonomy().rules for items in rule.patterns.values() for p in items)


def test_a_lexicon_no_pattern_uses_is_a_mistake(monkeypatch):
    from policy_cli import taxonomy

    vocabularies = dict(load_vocabularies())
    en = vocabularies["en"]
    from policy_cli.vocabulary import Entry, Lexicon, Vocabulary

    lonely = Lexicon("lonely_words", "en", "", (Entry("lonely_words", ("alone",)),), source="en.toml")
    vocabularies["en"] = Vocabulary("en", {**en.lexicons, "lonely_words": lonely}, en.shapes)
    expander = taxonomy._Expander(vocabularies)
    expander.used = {(lang, name) for lang, v in load_vocabularies().items() for name in v.lexicons}
    with pytest.raises(TaxonomyError, match="lonely_words: no pattern or shape uses it"):
        expander.check_all_used()
