"""Real published notices (tests/real, see SOURCES.md) and the ways real documents broke the
reader: structure, markup, typography, scripts and languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT

from policy_cli.cli import app
from policy_cli.loader import Source
from policy_cli.scan import scan_source, scan_text

REAL = ROOT / "tests" / "real"
NINE = {
    "first_party_collection", "third_party_sharing", "user_choice", "user_access", "data_retention",
    "data_security", "policy_change", "specific_audiences", "contact",
}
# What each notice discloses, judged by reading its English version (its sections name them:
# "How we share your personal data", "How long we keep your data", "Changes", …). The Firefox notice
# also describes Global Privacy Control; the websites notice has no security, change or children part.
DISCLOSES = {
    "firefox_privacy_notice": NINE | {"do_not_track"},
    "focus_privacy_notice": NINE,
    "mozilla_accounts_privacy_notice": NINE,
    "pocket_privacy_policy": NINE,
    "websites_privacy_notice": {
        "first_party_collection", "third_party_sharing", "user_choice", "user_access", "data_retention",
        "do_not_track", "contact",
    },
}
LANGUAGES = {"en": "en", "ru": "ru", "zh-CN": "zh"}
CASES = [(name, locale) for name in DISCLOSES for locale in LANGUAGES]


def _scan(path: Path):
    return scan_source(Source(str(path), path))


@pytest.mark.parametrize("name,locale", CASES, ids=[f"{n}.{l}" for n, l in CASES])
def test_real_notice_discloses_what_a_reader_finds(name, locale):
    result = _scan(REAL / f"{name}.{locale}.md")
    assert result.error is None
    assert result.language == LANGUAGES[locale]
    assert result.analyzed >= 0.97, result.not_analyzed
    assert set(result.categories) == DISCLOSES[name]


@pytest.mark.parametrize("name,locale", CASES, ids=[f"{n}.{l}" for n, l in CASES])
def test_real_notice_evidence_is_the_file_text_without_markup(name, locale):
    path = REAL / f"{name}.{locale}.md"
    original = path.read_text(encoding="utf-8")
    result = _scan(path)
    lines = original.split("\n")
    for finding in result.findings:
        assert original[finding.start:finding.end] == finding.match
        assert lines[finding.line - 1][finding.column - 1:].startswith(finding.match.split("\n")[0])
        for markup in ("](", "{:", "<td", "<strong", "###", "#bookmark"):
            assert markup not in finding.sentence
        assert finding.section, finding  # every notice opens with a heading


def test_tw_notice_reads_as_its_mainland_twin():
    traditional = _scan(REAL / "pocket_privacy_policy.zh-TW.md")
    simplified = _scan(REAL / "pocket_privacy_policy.zh-CN.md")
    assert set(traditional.categories) == set(simplified.categories)
    assert len(traditional.findings) >= 0.9 * len(simplified.findings)


def test_html_and_markdown_of_one_notice_agree():
    markdown = _scan(REAL / "mozilla_accounts_privacy_notice.en.md")
    html = _scan(REAL / "mozilla_accounts_privacy_notice.en.html")
    assert set(html.categories) == set(markdown.categories)
    assert abs(len(html.findings) - len(markdown.findings)) <= 0.15 * len(markdown.findings)


def test_numbered_rights_list_in_markdown_is_read():
    text = "## Your rights\n\nYou may:\n\n1. Access your data\n2. Request correction of any data\n3. Request portability of your data\n"
    rules = {f.rule_id for f in scan_text(text, fmt="markdown").findings}
    assert {"user_access.rectification", "user_access.portability"} <= rules


def test_numbered_rights_list_in_plain_text_is_read_but_a_contents_list_is_not():
    rights = "1. Access your data\n2. Request correction of any data\n3. Request portability of your data\n"
    assert {"user_access.rectification", "user_access.portability"} <= {f.rule_id for f in scan_text(rights, language="en").findings}
    contents = "1. Introduction\n2. Information We Collect\n3. How We Share Information\n"
    assert not scan_text(contents, language="en").findings


def test_markdown_links_anchors_and_attributes_are_not_text():
    text = (
        "# Notice\n\nEffective May 4, 2026\n{: datetime=\"2026-05-04\" }\n\n"
        "Mozilla collects [certain data](#bookmark-how-we-use-data), like technical data.\n"
    )
    result = scan_text(text, fmt="markdown")
    anchor = text.index("(#bookmark")
    anchor_end = text.index(")", anchor) + 1
    assert not [f for f in result.findings if anchor <= f.start < anchor_end or anchor < f.end <= anchor_end]
    collect = [f for f in result.findings if f.category == "first_party_collection"]
    assert collect and collect[0].sentence == "Mozilla collects certain data, like technical data."
    assert collect[0].section == ("Notice",)
    assert text[collect[0].start:collect[0].end] == collect[0].match


def test_russian_line_with_many_links_is_read_as_russian():
    line = (
        "Вы можете [удалить аккаунт](https://support.mozilla.org/kb/delete-account), "
        "[изменить настройки](https://accounts.firefox.com/settings) или "
        "[отказаться от рассылки](https://www.mozilla.org/newsletter/) на странице "
        "[www.mozilla.org](https://www.mozilla.org/), mozilla.org, firefox.com, addons.mozilla.org и support.mozilla.org.\n"
    )
    result = scan_text(line, fmt="markdown")
    assert result.language == "ru" and result.analyzed == 1.0
    assert "user_access" in result.categories or "user_choice" in result.categories


def test_html_fragment_on_stdin_and_table_cells(runner):
    fragment = "<table><tr><td>Email</td><td>We collect your email address to send receipts.</td></tr></table>"
    result = runner.invoke(app, ["scan", "-", "--format", "json"], input=fragment)
    assert result.exit_code == 0
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert [f["sentence"] for f in findings if f["category"] == "first_party_collection"] == [
        "We collect your email address to send receipts."
    ]


@pytest.mark.parametrize(
    "sentence,rule",
    [
        ("We won’t sell your personal information.", "third_party_sharing.sale"),
        ("We don’t share any information that identifies you.", "third_party_sharing.share"),
        ("We won\u2019t sell your personal information.", "third_party_sharing.sale"),
    ],
)
def test_typographic_apostrophes_deny(sentence, rule):
    findings = [f for f in scan_text(sentence, language="en").findings if f.rule_id == rule]
    assert findings and findings[0].stance == "denies"
    assert findings[0].sentence == sentence  # evidence keeps the document's own typography


def test_full_width_and_no_break_spaces_are_read():
    assert "first_party_collection" in scan_text("We\u00a0collect your ｅｍａｉｌ address.", language="en").categories


def test_check_on_an_unanalyzed_language_is_an_input_error(runner, tmp_path):
    german = tmp_path / "datenschutz.md"
    german.write_text(
        "# Datenschutzerklärung\n\nWir erheben und verarbeiten Ihre personenbezogenen Daten nur, wenn Sie uns diese "
        "freiwillig mitteilen. Sie haben das Recht auf Auskunft und Löschung Ihrer Daten.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", "-p", "gdpr", str(german)])
    assert result.exit_code == 2
    assert "not analyzed" in result.stderr
    assert "missing" not in result.stdout


def test_scan_warns_when_a_real_part_is_not_analyzed(runner, tmp_path):
    mixed = tmp_path / "mixed.txt"
    mixed.write_text(
        "We collect your email address to answer your questions and to send you our newsletter.\n\n"
        "Wir erheben und verarbeiten Ihre personenbezogenen Daten nur, wenn Sie uns diese freiwillig mitteilen.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["scan", str(mixed), "--format", "json"])
    assert result.exit_code == 0
    file = json.loads(result.stdout)["files"][0]
    assert file["not_analyzed"] == [{"language": "de", "line": 3, "characters": file["not_analyzed"][0]["characters"]}]
    assert 0 < file["analyzed"] < 0.9
    assert "not analyzed" in result.stderr


def test_html_offsets_point_into_the_page():
    page = (REAL / "mozilla_accounts_privacy_notice.en.html").read_text(encoding="utf-8")
    result = _scan(REAL / "mozilla_accounts_privacy_notice.en.html")
    lines = page.split("\n")
    assert result.findings
    for finding in result.findings:
        assert page[finding.start:finding.end] == finding.match
        assert lines[finding.line - 1][finding.column - 1:].startswith(finding.match.split("\n")[0])
        assert "<" not in finding.sentence


def test_html_marked_section_does_not_stop_the_reader(runner):
    result = runner.invoke(app, ["scan", "-", "--format", "json"], input="<p>We collect <![ if IE ]> your email address.</p>")
    assert result.exit_code == 0
    assert "first_party_collection" in json.loads(result.stdout)["files"][0]["categories"]


def test_soft_hyphens_and_zero_width_spaces_are_not_text():
    text = "We col\u00adlect your e\u200bmail address.\n"
    findings = [f for f in scan_text(text, language="en").findings if f.category == "first_party_collection"]
    assert findings and findings[0].sentence == "We collect your email address."
    assert text[findings[0].start:findings[0].end] == findings[0].match


def test_bold_line_is_a_heading_and_names_its_section():
    text = "# Privacy\n\n**Sharing with partners**\n\nWe may share your personal information with our service providers.\n\n**We do not sell your data.**\n"
    result = scan_text(text, fmt="markdown")
    share = [f for f in result.findings if f.rule_id == "third_party_sharing.share"]
    assert share and share[0].section == ("Privacy", "Sharing with partners")
    assert not [f for f in result.findings if f.sentence == "Sharing with partners"]
    assert any(f.rule_id == "third_party_sharing.sale" and f.stance == "denies" for f in result.findings)  # a bold sentence stays a sentence


def test_bold_paragraph_in_html_is_a_heading(runner):
    page = (
        "<h1>Privacy</h1><p><strong>Sharing with partners</strong></p>"
        "<p>We may share your personal information with our service providers.</p>"
        "<p><strong>We do not sell your data.</strong></p><p>Short line</p>"
    )
    result = runner.invoke(app, ["scan", "-", "--format", "json"], input=page)
    findings = json.loads(result.stdout)["files"][0]["findings"]
    share = [f for f in findings if f["rule_id"] == "third_party_sharing.share"]
    assert share and share[0]["section"] == ["Privacy", "Sharing with partners"]
    assert any(f["rule_id"] == "third_party_sharing.sale" and f["stance"] == "denies" for f in findings)


@pytest.mark.parametrize(
    "heading,body",
    [
        ("Статья 5. Права субъекта персональных данных", "Вы вправе запросить удаление ваших персональных данных, направив запрос оператору."),
        ("Section 2 How We Share Information", "We may share your personal information with our service providers."),
        ("（一）我们如何共享您的个人信息", "我们会与授权合作伙伴共享您的个人信息。"),
    ],
)
def test_numbered_plain_text_headings_name_their_section(heading, body):
    result = scan_text(f"{heading}\n\n{body}\n")
    assert result.findings
    assert all(f.section == (heading,) and f.sentence != heading for f in result.findings)


def test_plain_text_of_a_notice_agrees_with_its_markdown(tmp_path):
    from policy_cli.htmltext import html_to_text

    # the page's visible text, as a browser's "save as text" gives it: headings are bare lines
    text = tmp_path / "accounts.txt"
    text.write_text(html_to_text((REAL / "mozilla_accounts_privacy_notice.en.html").read_text(encoding="utf-8")), encoding="utf-8")
    plain = _scan(text)
    markdown = _scan(REAL / "mozilla_accounts_privacy_notice.en.md")
    assert set(plain.categories) == set(markdown.categories)
    assert abs(len(plain.findings) - len(markdown.findings)) <= 0.15 * len(markdown.findings)


@pytest.mark.parametrize("name", ["firefox_privacy_notice", "focus_privacy_notice", "mozilla_accounts_privacy_notice"])
def test_translations_read_the_international_transfers_and_gpc(name):
    # each of these notices has an "International transfers of data" part; Firefox's also names GPC
    for locale in LANGUAGES:
        rules = {f.rule_id for f in _scan(REAL / f"{name}.{locale}.md").findings}
        assert "specific_audiences.cross_border" in rules, locale
        if name == "firefox_privacy_notice":
            assert "do_not_track.signal" in rules, locale
