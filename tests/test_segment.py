"""Language detection, segmentation and offsets."""

from __future__ import annotations

import pytest
from conftest import sample

from policy_cli.language import detect_language
from policy_cli.scan import scan_text
from policy_cli.segment import segment_document


@pytest.mark.parametrize(
    "text, language",
    [
        ("We collect the information you provide to us when you register.", "en"),
        ("Мы собираем информацию, которую вы предоставляете при регистрации.", "ru"),
        ("我们会收集您在注册时提供的信息。", "zh"),
        ("Dengan senang hati, kami akan menjawab semua pertanyaan Anda.", "id"),
        ("Wir erheben Ihre Daten nur, wenn Sie uns diese mitteilen.", "de"),
        ("Privacy Policy", None),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("prefix, language", [("000", "en"), ("001", "en"), ("002", "en"), ("003", "ru"), ("004", "zh")])
def test_seed_languages(prefix, language):
    result = scan_text(sample(prefix).read_text(encoding="utf-8"))
    assert result.language == language


def test_mixed_document_reports_shares_and_skips_unanalyzed_part():
    result = scan_text(sample("001").read_text(encoding="utf-8"))
    assert result.languages["en"] > 0.9 and "id" in result.languages
    assert all(f.language == "en" for f in result.findings)


def test_english_sentences_respect_abbreviations():
    text = "We collect data, e.g. your name. We share it with partners, i.e. advertisers.\nContact us."
    spans = [text[s.start:s.end] for s in segment_document(text).sentences]
    assert spans == ["We collect data, e.g. your name.", "We share it with partners, i.e. advertisers.", "Contact us."]


def test_chinese_sentences_split_on_full_stops_and_lines():
    text = "我们收集信息。我们不会出售信息！\n联系我们"
    spans = [text[s.start:s.end] for s in segment_document(text).sentences]
    assert spans == ["我们收集信息。", "我们不会出售信息！", "联系我们"]


def test_russian_lemma_rule_matches_every_inflection():
    for sentence in ("Мы собираем ваши данные.", "Собранные данные хранятся у нас.", "Оператор собрал сведения о пользователе."):
        found = {f.rule_id for f in scan_text(sentence, language="ru").findings}
        assert "first_party_collection.collect" in found, sentence


def test_russian_view_gives_english_plurals_in_russian_text_one_lemma():
    from policy_cli.words import russian_view

    text = "Отключение cookies и файлов cookie"
    assert russian_view(text, 0, len(text)).text == "отключение cookie и файл cookie"


def test_a_run_of_headings_states_no_practice():
    toc = (
        "Table of Contents What Information We Collect "
        "About You How We Use Your Information Who We Share Your Information With Security of Your Personal "
        "Information Changes to This Privacy Policy How To Opt-Out or Correct Your Information How To Contact Us"
    )
    assert not scan_text(toc, language="en").findings
    capitals = "CHILDREN CHANGES TO THIS PRIVACY POLICY SPECIAL NOTICE TO CALIFORNIA CONSUMERS HOW TO CONTACT US"
    assert not scan_text(capitals, language="en").findings
    # a notice set in capitals is still a statement: it ends like one
    shouting = "PLEASE NOTE THAT WE MAY SHARE YOUR PERSONAL INFORMATION WITH OUR ADVERTISING PARTNERS."
    assert "third_party_sharing" in {f.category for f in scan_text(shouting, language="en").findings}
    # a statement with a few capitals, and a postal address in title case, still count
    statement = "We Share Your Information With our partners when you ask us to do so."
    assert "third_party_sharing" in {f.category for f in scan_text(statement, language="en").findings}
    address = "Write To The Privacy Officer At Acme Inc, 726 Exchange Street Suite 200, Buffalo, NY 14210."
    assert "contact" in {f.category for f in scan_text(address, language="en").findings}


def test_offsets_point_at_the_match_with_lines_and_columns():
    text = "Intro line.\n\nWe may share your data with our partners.\r\nContact us at privacy@example.com."
    result = scan_text(text)
    for finding in result.findings:
        assert text[finding.start:finding.end] == finding.match
        line_start = text.rfind("\n", 0, finding.start) + 1
        assert finding.column == finding.start - line_start + 1
        assert finding.line == text.count("\n", 0, finding.start) + 1
        assert text[finding.sentence_start:finding.sentence_start + len(finding.sentence)] == finding.sentence
    assert {f.line for f in result.findings if f.category == "contact"} == {4}


def test_jieba_and_pymorphy_not_loaded_for_english(monkeypatch):
    import sys

    for name in [m for m in sys.modules if m.startswith(("jieba", "pymorphy3"))]:
        monkeypatch.delitem(sys.modules, name)
    scan_text("We collect your email address.")
    assert not any(m.startswith(("jieba", "pymorphy3")) for m in sys.modules)


@pytest.mark.parametrize(
    "text, defined",
    [
        ("Intro.\n2.6. Обработка персональных данных — любое действие с данными.", True),
        ('Intro. "Personal data" means any information about you.', True),
        ("Intro.\n关联公司：指与我们存在控制关系的公司。", True),
        ("Intro. We collect your data — such as your name.", False),
        ("Intro. We collect data - such as your name.", False),
        # Russian policies type the dash as a spaced hyphen; English lists with " - " are no definitions
        ("Введение.\n- распространение персональных данных - действия, направленные на раскрытие данных.", True),
        ("Введение.\nМы собираем данные - например, ваше имя.", False),
        ("Intro.\nCookies - we use them to remember you.", False),
        # a term, a dash, then a statement about it: a list item, not a definition
        ("Intro.\nCookies — we use them to remember you.", False),
        ("引言。\n评论信息——您可以在“我的评价”中访问、更正、清除您的评论内容。", False),
        ("引言。\n个性化广告——如您不希望接收个性化的广告，您可以在设置中关闭。", False),
        ("引言。\n个人信息——以电子或者其他方式记录的与已识别或者可识别的自然人有关的各种信息。", True),
        # a glossary entry, also with a space before the colon and a numbered lead
        ("引言。\nGPS ： Global Positioning System （全球定位系统）的简称。", True),
        ("引言。\nSSL ： SSL （ Secure Socket Layer）又称为安全套接层，是一种安全协议。", True),
        ("引言。\n6、 系统权限：是指移动智能终端操作系统向App开放的系统权限。", True),
        ("引言。\n我们使用一种加密技术保护您的信息。", False),
    ],
)
def test_definitions_anywhere_in_the_text(text, defined):
    from policy_cli.segment import is_definition

    sentences = segment_document(text).sentences
    assert any(is_definition(text, s) for s in sentences[1:]) == defined


def test_initials_do_not_end_a_sentence():
    text = "Оператор: ИП Петров О. В. (далее — Оператор). Мы собираем данные."
    spans = [text[s.start:s.end] for s in segment_document(text).sentences]
    assert spans == ["Оператор: ИП Петров О. В. (далее — Оператор).", "Мы собираем данные."]


def test_section_numbers_do_not_end_a_sentence():
    text = "Intro line.\n5. How to Contact Us\n2.6. Обработка данных — действие."
    spans = [text[s.start:s.end] for s in segment_document(text).sentences]
    assert spans == ["Intro line.", "5. How to Contact Us", "2.6. Обработка данных — действие."]


@pytest.mark.parametrize(
    "line, heading",
    [
        ("三、对外提供信息", True),
        ("Cookies", True),
        # contact details set as a line of their own are no topic
        ("客服电话400-666-6312", False),
        ("中国北京市海淀区上地十街10号", False),
        ("斗鱼 法务部收", False),
    ],
)
def test_contact_lines_are_no_headings(line, heading):
    from policy_cli.segment import is_heading

    text = "引言。\n" + line + "\n正文。"
    sentence = next(s for s in segment_document(text).sentences if text[s.start:s.end] == line)
    assert is_heading(text, sentence) == heading
