"""Every rule proves itself on its own examples, and the loader rejects broken rule files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policy_cli.errors import TaxonomyError
from policy_cli.model import ANALYZED_LANGUAGES, CATEGORIES
from policy_cli.scan import scan_text
from policy_cli.taxonomy import PATTERN_KINDS, _rules_dir, load_taxonomy

TAXONOMY = load_taxonomy()


def _cases():
    for rule in TAXONOMY.rules:
        for lang, table in rule.examples.items():
            for kind in ("match", "no_match", "denies"):
                for number, sentence in enumerate(table[kind]):
                    yield pytest.param(rule.id, lang, kind, sentence, id=f"{rule.id}-{lang}-{kind}-{number}")


@pytest.mark.parametrize("rule_id, lang, kind, sentence", list(_cases()))
def test_rule_example(rule_id, lang, kind, sentence):
    findings = [f for f in scan_text(sentence, language=lang).findings if f.rule_id == rule_id]
    if kind == "no_match":
        assert not findings, f"{rule_id} must not match: {sentence!r} (matched {findings[0].match!r})"
    else:
        assert findings, f"{rule_id} must match: {sentence!r}"
        expected = "denies" if kind == "denies" else "affirms"
        assert findings[0].stance == expected, f"{rule_id} on {sentence!r}: stance {findings[0].stance}"


@pytest.mark.parametrize("category", CATEGORIES)
@pytest.mark.parametrize("lang", ANALYZED_LANGUAGES)
def test_every_category_has_rules_in_every_language(category, lang):
    languages = set()
    for rule in TAXONOMY.rules:
        if rule.category == category:
            languages |= {PATTERN_KINDS[kind][0] for kind in rule.patterns}
    assert lang in languages


def test_rule_ids_are_unique_and_prefixed_by_category():
    ids = [rule.id for rule in TAXONOMY.rules]
    assert len(ids) == len(set(ids))
    assert all(rule.id.startswith(rule.category + ".") for rule in TAXONOMY.rules)


@pytest.mark.parametrize(
    "sentence, lang",
    [
        ("We do not sell your data.", "en"),
        ("我们不会出售您的个人信息。", "zh"),
        ("мы не передаём ваши данные третьим лицам", "ru"),
    ],
)
def test_denial_is_a_disclosure_with_stance_denies(sentence, lang):
    findings = scan_text(sentence, language=lang).findings
    sharing = [f for f in findings if f.category == "third_party_sharing"]
    assert sharing and all(f.stance == "denies" for f in sharing)


def _shared_cases():
    for veto in TAXONOMY.vetoes:
        for lang, sentences in veto.examples.items():
            for number, sentence in enumerate(sentences):
                yield pytest.param(veto, lang, sentence, id=f"{veto.id}-{lang}-{number}")


@pytest.mark.parametrize("veto, lang, sentence", list(_shared_cases()))
def test_veto_silences_the_rules_it_applies_to(veto, lang, sentence):
    fired = {f.rule_id for f in scan_text(sentence, language=lang).findings}
    silenced = {rule.id for rule in TAXONOMY.rules if veto.applies_to(rule)}
    assert not fired & silenced, f"{veto.id} must silence {sorted(fired & silenced)} on {sentence!r}"


def test_shared_veto_reaches_the_rules_of_its_categories_only(tmp_path):
    text = (
        '[[vetoes]]\nid = "zz"\ndescription = "A test veto of one category"\ncategories = ["contact"]\n'
        'patterns.en = ["unsubscribe"]\nexamples.en = ["To unsubscribe, write to x@y.com."]\n'
    )
    taxonomy = load_taxonomy(_broken_copy(tmp_path, "shared.toml", text))
    fired = {f.category for f in scan_text("To unsubscribe, write to x@y.com.", language="en", taxonomy=taxonomy).findings}
    assert "contact" not in fired and "user_choice" in fired


def _broken_copy(tmp_path: Path, name: str, text: str) -> str:
    folder = tmp_path / "rules"
    shutil.copytree(_rules_dir(), folder)
    (folder / name).write_text(text, encoding="utf-8")
    return str(folder)


RULE_HEAD = 'category = "contact"\n[[rules]]\nid = "contact.{id}"\n'
EXAMPLES = 'examples.en.match = ["x@y.com"]\nexamples.en.no_match = ["nothing"]\n'


@pytest.mark.parametrize(
    "text, message",
    [
        (RULE_HEAD.format(id="bad") + "patterns.en = ['''(unclosed''']\n" + EXAMPLES, "zz.toml: rule contact.bad: field patterns.en[0]: bad regex"),
        (RULE_HEAD.format(id="email") + "patterns.en = ['''@''']\n" + EXAMPLES, "zz.toml: rule contact.email: field id: duplicate id"),
        ('category = "cookies"\n[[rules]]\nid = "cookies.x"\n', "zz.toml: field category: unknown category 'cookies'"),
        (RULE_HEAD.format(id="lonely") + "patterns.en = ['''@''']\n", "zz.toml: rule contact.lonely: field examples.en.match"),
        (RULE_HEAD.format(id="half") + "patterns.en = ['''@''']\nexamples.en.match = ['a@b.c']\n", "zz.toml: rule contact.half: field examples.en.no_match"),
        (RULE_HEAD.format(id="kind") + "patterns.fr = ['''@''']\n" + EXAMPLES, "zz.toml: rule contact.kind: field patterns.fr: unknown pattern kind"),
        ("category = [", "zz.toml: not valid TOML"),
        ('category = "contact"\n[[vetoes]]\nid = "contact.zz"\ndescription = "d"\npatterns.fr = ["x"]\nexamples.en = ["x"]\n', "zz.toml: veto contact.zz: field patterns.fr: unknown pattern kind"),
        ('category = "contact"\n[[vetoes]]\nid = "contact.zz"\ndescription = "d"\npatterns.en = ["(unclosed"]\nexamples.en = ["x"]\n', "zz.toml: veto contact.zz: field patterns.en[0]: bad regex"),
        ('[[vetoes]]\nid = "zz"\ndescription = "d"\ncategories = ["cookies"]\npatterns.en = ["x"]\nexamples.en = ["x"]\n', "shared.toml: veto zz: field categories"),
        ('[[vetoes]]\nid = "zz"\ndescription = "d"\ncategories = ["contact"]\npatterns.en = ["x"]\n', "shared.toml: veto zz: field examples.en"),
        ('[[vetoes]]\nid = "zz"\ncategories = ["contact"]\npatterns.en = ["x"]\nexamples.en = ["x"]\n', "shared.toml: veto zz: field description"),
        ('category = "contact"\n[[vetoes]]\nid = "other.zz"\ndescription = "d"\npatterns.en = ["x"]\nexamples.en = ["x"]\n', "zz.toml: veto other.zz: field id: must be contact.name"),
        ('category = "contact"\n[[vetoes]]\nid = "contact.zz"\ndescription = "d"\nrules = ["contact.nope"]\npatterns.en = ["x"]\nexamples.en = ["x"]\n', "zz.toml: veto contact.zz: field rules"),
        ('category = "contact"\n[not]\nen = ["x"]\n', "zz.toml: field not: vetoes are [[vetoes]] tables"),
        (RULE_HEAD.format(id="old") + "patterns.en = ['''@''']\npatterns.en_not = ['''x''']\n" + EXAMPLES, "zz.toml: rule contact.old: field patterns.en_not: vetoes are [[vetoes]] tables"),
    ],
    ids=[
        "bad-regex", "duplicate-id", "unknown-category", "no-examples", "no-negative-examples", "unknown-kind", "bad-toml",
        "unknown-veto-kind", "bad-veto-regex", "shared-veto-category", "shared-veto-examples", "veto-description",
        "veto-id-category", "veto-unknown-rule", "old-not-table", "old-rule-veto",
    ],
)
def test_loader_names_file_rule_and_field(tmp_path, text, message):
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(_broken_copy(tmp_path, "shared.toml" if text.startswith("[[vetoes]]") else "zz.toml", text))
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "scope, silenced", [("", {"contact.zz_mail", "contact.zz_phone"}), ('rules = ["contact.zz_phone"]\n', {"contact.zz_phone"})]
)
def test_category_veto_silences_every_rule_of_its_file_or_the_rules_it_names(tmp_path, scope, silenced):
    text = (
        'category = "contact"\n[[vetoes]]\nid = "contact.zz_unsubscribe"\ndescription = "test"\n' + scope
        + 'patterns.en = ["unsubscribe"]\nexamples.en = ["To unsubscribe, call our phone or write to x@y.com."]\n'
        '[[rules]]\nid = "contact.zz_mail"\npatterns.en = ["@"]\n'
        'examples.en.match = ["x@y.com"]\nexamples.en.no_match = ["nothing"]\n'
        '[[rules]]\nid = "contact.zz_phone"\npatterns.en = ["phone"]\n'
        'examples.en.match = ["phone"]\nexamples.en.no_match = ["nothing"]\n'
    )
    taxonomy = load_taxonomy(_broken_copy(tmp_path, "zz.toml", text))
    fired = lambda sentence: {f.rule_id for f in scan_text(sentence, language="en", taxonomy=taxonomy).findings}
    ours = {"contact.zz_mail", "contact.zz_phone"}
    assert ours <= fired("Call our phone or write to x@y.com.")
    assert fired("To unsubscribe, call our phone or write to x@y.com.") & ours == ours - silenced


def test_no_pattern_scans_the_rest_of_the_sentence_at_every_position():
    """A lookahead over `.*` makes a search quadratic in the sentence length; say it in order, or
    anchor the whole pattern at the start of the sentence (`^` with no top-level `|`): both engines
    then try it at one position only (a 9,000-character sentence: 3 ms anchored, 10 s not)."""
    from policy_cli.prefilter import top_level_alternatives

    for rule in TAXONOMY.rules:
        for kind, items in {**rule.patterns, **rule.vetoes}.items():
            for pattern in items:
                if pattern.startswith("^") and len(top_level_alternatives(pattern)) == 1:
                    continue
                assert "(?=.*" not in pattern and "(?!.*" not in pattern, f"{rule.id} {kind}: {pattern}"


@pytest.mark.parametrize("lang", ANALYZED_LANGUAGES)
def test_both_regex_engines_read_every_pattern_alike(lang):
    """Patterns and vetoes run on the standard library's `re` where it compiles them, else on
    `regex` (behind a `re` gate where one compiles): on every example sentence of the language,
    what runs finds the same first match as `regex` alone."""
    import regex

    from policy_cli.matcher import compile_pattern, language_matcher
    from policy_cli.taxonomy import FLAGS, VETO_KINDS
    from policy_cli.words import chinese_view, russian_view

    builders = {"words": chinese_view, "lemmas": russian_view}
    sentences = [s for rule in TAXONOMY.rules for table in [rule.examples.get(lang, {})] for kind in table for s in table[kind]]
    views = {"surface": [s.lower() for s in sentences] + sentences}
    matcher = language_matcher(TAXONOMY, lang)
    vetoes = [
        (rule.id, source, VETO_KINDS[kind][1])
        for rule in TAXONOMY.rules
        for kind, sources in rule.vetoes.items()
        if VETO_KINDS[kind][0] == lang
        for source in sources
    ]
    on_re = 0
    for rule_id, source, view in [(p.rule.id, p.source, p.view) for p in matcher.patterns] + vetoes:
        compiled = compile_pattern(source)
        on_re += not isinstance(compiled, regex.Pattern)  # re itself, or regex behind a re gate
        if view not in views:
            views[view] = [builders[view](s, 0, len(s)).text for s in sentences]
        reference = regex.compile(source, FLAGS)
        for subject in views[view]:
            ours, theirs = compiled.search(subject), reference.search(subject)
            assert (ours and ours.span()) == (theirs and theirs.span()), (rule_id, source, subject)
    assert on_re > 0
