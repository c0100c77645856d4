"""Load the rule files, check every field, and compile the patterns of one language when first needed."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from .cache import cache_path, files_digest, leave_stamp
from .errors import TaxonomyError
from .model import ANALYZED_LANGUAGES, CATEGORIES
from .vocabulary import (
    REFERENCE,
    Vocabulary,
    load_vocabularies,
    read_toml,
    shape_groups,
    vocabulary_contents,
)

# Pattern kinds: which language each serves, and which view of a sentence it reads.
PATTERN_KINDS: dict[str, tuple[str, str]] = {
    "en": ("en", "surface"),
    "zh": ("zh", "surface"),
    "ru": ("ru", "surface"),
    "zh_words": ("zh", "words"),
    "ru_lemma": ("ru", "lemmas"),
}
# Sentence-level vetoes: when one matches, the rule does not fire on that sentence.
VETO_KINDS: dict[str, tuple[str, str]] = {
    "en_not": ("en", "surface"),
    "zh_not": ("zh", "surface"),
    "ru_not": ("ru", "surface"),
    "ru_lemma_not": ("ru", "lemmas"),
}
EXAMPLE_KINDS = ("match", "no_match", "denies")
_RULE_KEYS = {"id", "description", "attributes", "patterns", "examples", "aliases", "scored"}
FLAGS = regex.IGNORECASE


@dataclass(frozen=True, eq=False)
class Rule:
    """One practice statement the taxonomy recognises."""

    id: str
    category: str
    description: str
    attributes: dict[str, Any]
    patterns: dict[str, tuple[str, ...]]
    vetoes: dict[str, tuple[str, ...]]
    examples: dict[str, dict[str, tuple[str, ...]]]
    source: str
    written: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> patterns as written, before {vocabulary} expansion
    aliases: tuple[str, ...] = ()  # the ids the rule had before a rename: configs and profiles that name them still work
    scored: bool = True  # false: a statement the law asks for but the labeled corpora do not count (a date line)

    def languages(self) -> set[str]:
        return {PATTERN_KINDS[kind][0] for kind in self.patterns}


@dataclass(frozen=True, eq=False)
class Veto:
    """A sentence shape that states no practice of the rules it silences, though their patterns
    match it. In a category's file it silences every rule of the file, or the `rules` it names;
    in shared.toml, every rule of its `categories`. Its examples are sentences of that shape."""

    id: str
    description: str
    patterns: dict[str, tuple[str, ...]]  # veto kind (en_not, zh_not, ru_not, ru_lemma_not) -> patterns, expanded
    examples: dict[str, tuple[str, ...]]  # language -> sentences it silences
    categories: tuple[str, ...]  # the categories whose rules it may silence
    rules: tuple[str, ...] = ()  # only these rules, where given
    source: str = ""
    written: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def applies_to(self, rule: "Rule") -> bool:
        return rule.id in self.rules if self.rules else rule.category in self.categories


@dataclass(frozen=True, eq=False)
class Taxonomy:
    """All rules, in file order, with the negation cues that decide a finding's stance."""

    rules: tuple[Rule, ...]
    negations: dict[str, str] = field(default_factory=dict)
    digest: str = ""  # of the rule files: names caches derived from them
    vetoes: tuple[Veto, ...] = ()

    def veto(self, veto_id: str) -> Veto:
        for veto in self.vetoes:
            if veto.id == veto_id:
                return veto
        raise KeyError(veto_id)

    @functools.cached_property
    def unscored(self) -> frozenset[str]:
        """Ids of the rules the labeled corpora do not count (scored = false)."""
        return frozenset(rule.id for rule in self.rules if not rule.scored)

    def vetoes_of(self, rule: Rule) -> list[Veto]:
        """The vetoes that may silence a rule, in file order."""
        return [veto for veto in self.vetoes if veto.applies_to(rule)]

    def rule(self, rule_id: str) -> Rule:
        """The rule of that id, or of that former id (an alias)."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        for rule in self.rules:
            if rule_id in rule.aliases:
                return rule
        raise KeyError(rule_id)


def _rules_dir() -> Path:
    return Path(__file__).parent / "rules"


@functools.cache
def load_taxonomy(directory: str | None = None) -> Taxonomy:
    """Read and validate every rule file in `directory` (the package's rules by default)."""
    folder = Path(directory) if directory else _rules_dir()
    rules: list[Rule] = []
    negations: dict[str, str] = {}
    seen: dict[str, str] = {}
    paths = sorted(folder.glob("*.toml"))
    contents = {path: path.read_bytes() for path in paths}
    vocabularies = load_vocabularies()
    # Compiling every pattern costs more than the rest of start-up, so a set of rule files whose
    # patterns all compiled leaves a stamp, named by the hash of the files, in the user's cache.
    digest = files_digest({**contents, **vocabulary_contents()}, regex.__version__.encode())
    expander = _Expander(vocabularies)
    stamp = cache_path(f"rules-{digest}.ok")
    compile_check = not stamp.exists()
    vetoes: list[Veto] = []
    for path in paths:
        data = read_toml(path, contents[path])
        if path.stem == "negation":
            negations = _negations(path, data)
            continue
        if path.stem == "shared":
            vetoes.extend(_vetoes(path, data, None, {}, compile_check, expander))
            continue
        file_rules = _rules(path, data, compile_check, expander)
        names = {name: r.id for r in file_rules for name in (r.id, *r.aliases)}
        vetoes.extend(_vetoes(path, data, data["category"], names, compile_check, expander))
        for rule in file_rules:
            for name in (rule.id, *rule.aliases):
                if name in seen:
                    raise TaxonomyError(f"{path.name}: rule {rule.id}: field id: duplicate id {name}, first defined in {seen[name]}")
                seen[name] = path.name
            rules.append(rule)
    if not rules:
        raise TaxonomyError(f"{folder}: no rule files")
    veto_ids: dict[str, str] = {}
    for veto in vetoes:
        if veto.id in veto_ids or veto.id in seen:
            raise TaxonomyError(f"{veto.source}: veto {veto.id}: field id: duplicate id")
        veto_ids[veto.id] = veto.source
    rules = [_with_vetoes(rule, [v for v in vetoes if v.applies_to(rule)]) for rule in rules]
    if directory is None:  # a folder of other rules may use part of the vocabularies
        expander.check_all_used()
    if compile_check:
        leave_stamp(stamp, digest, "rules-*.ok", "prefilter-*.json")
    return Taxonomy(tuple(rules), negations, digest, tuple(vetoes))


def _negations(path: Path, data: dict[str, Any]) -> dict[str, str]:
    negations = {}
    for lang, pattern in data.get("before", {}).items():
        if lang not in ANALYZED_LANGUAGES or not isinstance(pattern, str):
            raise TaxonomyError(f"{path.name}: field before.{lang}: expected a pattern for en, zh or ru")
        _compile(pattern, f"{path.name}: field before.{lang}")
        negations[lang] = pattern
    return negations


_VETO_KEYS = {"id", "description", "categories", "rules", "patterns", "examples"}


def _vetoes(
    path: Path, data: dict[str, Any], category: str | None, rule_ids: dict[str, str], compile_check: bool, expander: "_Expander"
) -> list[Veto]:
    """The file's `[[vetoes]]`: each with an id, a description, its patterns by kind (en, zh, ru,
    ru_lemma) and example sentences it silences in every language it has patterns for. In a
    category's file (`category` given) a veto silences the file's rules, or the `rules` it names;
    in shared.toml, the rules of the `categories` it names."""
    if not isinstance(data.get("vetoes", []), list):
        raise TaxonomyError(f"{path.name}: field vetoes: an array of tables ([[vetoes]])")
    vetoes = []
    for index, entry in enumerate(data.get("vetoes", [])):
        veto_id = entry.get("id") if isinstance(entry, dict) else None
        where = f"{path.name}: veto {veto_id or '#' + str(index + 1)}"
        if not isinstance(entry, dict):
            raise TaxonomyError(f"{where}: must be a table")
        id_shape = r"[a-z_]+(\.[a-z0-9_]+)+" if category else r"[a-z_]+"
        if not isinstance(veto_id, str) or not regex.fullmatch(id_shape, veto_id) or (category and veto_id.split(".")[0] != category):
            raise TaxonomyError(f"{where}: field id: must be {category + '.name' if category else 'a lower-case id'}")
        unknown = set(entry) - _VETO_KEYS - ({"categories"} if category else {"rules"})
        if unknown or (category and "categories" in entry) or (not category and "rules" in entry):
            wrong = sorted(unknown or {"categories" if category else "rules"})[0]
            raise TaxonomyError(f"{where}: field {wrong}: unknown field here")
        description = entry.get("description")
        if not isinstance(description, str) or not description.strip():
            raise TaxonomyError(f"{where}: field description: say what the veto silences and why")
        if category:
            categories = (category,)
            rules = entry.get("rules", [])
            if not isinstance(rules, list) or any(r not in rule_ids for r in rules):
                raise TaxonomyError(f"{where}: field rules: a list of rule ids of this file")
            rules = [rule_ids[r] for r in rules]  # a rule's former id names it still
        else:
            categories = entry.get("categories", [])
            if not isinstance(categories, list) or not categories or any(c not in CATEGORIES for c in categories):
                raise TaxonomyError(f"{where}: field categories: a list of category ids")
            rules = []
        patterns, written = {}, {}
        for kind, value in entry.get("patterns", {}).items():
            if f"{kind}_not" not in VETO_KINDS:
                raise TaxonomyError(f"{where}: field patterns.{kind}: unknown pattern kind (en, zh, ru or ru_lemma)")
            patterns[f"{kind}_not"] = _pattern_list(value, f"{where}: field patterns.{kind}", compile_check, expander, f"{kind}_not")
            written[f"{kind}_not"] = (value,) if isinstance(value, str) else tuple(value)
        if not patterns:
            raise TaxonomyError(f"{where}: field patterns: a veto needs at least one pattern")
        examples = {}
        for kind in patterns:
            lang = VETO_KINDS[kind][0]
            sentences = entry.get("examples", {}).get(lang)
            if not isinstance(sentences, list) or not sentences or not all(isinstance(x, str) for x in sentences):
                raise TaxonomyError(f"{where}: field examples.{lang}: a veto needs a sentence it silences in every language it has patterns for")
            examples[lang] = tuple(sentences)
        vetoes.append(Veto(veto_id, description.strip(), patterns, examples, tuple(categories), tuple(rules), path.name, written))
    return vetoes


def _with_vetoes(rule: Rule, vetoes: list[Veto]) -> Rule:
    """The rule with the patterns of the vetoes that apply to it, by kind, in the languages it has."""
    languages = rule.languages()
    merged: dict[str, tuple[str, ...]] = {}
    for veto in vetoes:
        for kind, items in veto.patterns.items():
            if VETO_KINDS[kind][0] in languages:
                merged[kind] = merged.get(kind, ()) + tuple(p for p in items if p not in merged.get(kind, ()))
    return dataclasses.replace(rule, vetoes=merged)


def _rules(path: Path, data: dict[str, Any], compile_check: bool, expander: "_Expander") -> list[Rule]:
    category = data.get("category")
    if category not in CATEGORIES:
        raise TaxonomyError(f"{path.name}: field category: unknown category {category!r}")
    if "not" in data:
        raise TaxonomyError(f"{path.name}: field not: vetoes are [[vetoes]] tables with an id, a description and examples")
    return [_rule(path, category, index, entry, compile_check, expander) for index, entry in enumerate(data.get("rules", []))]


def _pattern_list(value: Any, field: str, compile_check: bool, expander: "_Expander", kind: str) -> tuple[str, ...]:
    """One pattern or a list of them, each a non-empty string, its {vocabulary} names expanded,
    compiled when `compile_check`."""
    items = (value,) if isinstance(value, str) else tuple(value)
    expanded = []
    for number, pattern in enumerate(items):
        if not isinstance(pattern, str) or not pattern:
            raise TaxonomyError(f"{field}[{number}]: must be a non-empty string")
        pattern = expander.expand(pattern, kind, f"{field}[{number}]")
        if compile_check:
            _compile(pattern, f"{field}[{number}]")
        expanded.append(pattern)
    return tuple(expanded)


class _Expander:
    """Expands `{vocabulary}` names in the patterns of each kind with the vocabulary of its
    language, and remembers which lexicons were used: one no pattern uses is a mistake."""

    def __init__(self, vocabularies: dict[str, Vocabulary]):
        self.vocabularies = vocabularies
        self.used: set[tuple[str, str]] = set()

    def expand(self, pattern: str, kind: str, where: str) -> str:
        if not REFERENCE.search(pattern):
            return pattern
        if kind in ("ru", "ru_not"):
            raise TaxonomyError(f"{where}: the Russian vocabularies hold lemmas: name them in ru_lemma patterns")
        language = (PATTERN_KINDS.get(kind) or VETO_KINDS[kind])[0]
        vocabulary = self.vocabularies.get(language)
        if vocabulary is None:
            raise TaxonomyError(f"{where}: no {language} vocabulary to expand {REFERENCE.search(pattern).group(0)}")
        expanded, names = vocabulary.expand(pattern, where)
        self.used.update((language, name.split(".")[0]) for name in names)
        return expanded

    def check_all_used(self) -> None:
        for language, vocabulary in self.vocabularies.items():
            for name, lexicon in vocabulary.lexicons.items():
                shaped = any(group.split("__")[0] == name for shape in vocabulary.shapes for group in shape_groups(shape.pattern))
                if not lexicon.attribute and not shaped and (language, name) not in self.used:
                    raise TaxonomyError(f"{lexicon.source}: vocabulary {name}: no pattern or shape uses it, and it gives no values")


def _rule(path: Path, category: str, index: int, entry: dict[str, Any], compile_check: bool, expander: _Expander) -> Rule:
    """One rule, checked field by field; its patterns are compiled too unless these very rule
    files already compiled (the stamp in the cache says so). Its vetoes are added when all are read."""
    rule_id = entry.get("id")
    where = f"{path.name}: rule {rule_id or '#' + str(index + 1)}"
    if not isinstance(rule_id, str) or not regex.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", rule_id):
        raise TaxonomyError(f"{where}: field id: must be a dotted lower-case id such as {category}.name")
    if rule_id.split(".")[0] != category:
        raise TaxonomyError(f"{where}: field id: must start with the file's category {category!r}")
    unknown = set(entry) - _RULE_KEYS
    if unknown:
        raise TaxonomyError(f"{where}: field {sorted(unknown)[0]}: unknown field")
    attributes = entry.get("attributes", {})
    if not isinstance(attributes, dict):
        raise TaxonomyError(f"{where}: field attributes: must be a table")

    patterns: dict[str, tuple[str, ...]] = {}
    written: dict[str, tuple[str, ...]] = {}
    for kind, value in entry.get("patterns", {}).items():
        if kind in VETO_KINDS:
            raise TaxonomyError(f"{where}: field patterns.{kind}: vetoes are [[vetoes]] tables with an id, a description and examples")
        if kind not in PATTERN_KINDS:
            raise TaxonomyError(f"{where}: field patterns.{kind}: unknown pattern kind")
        patterns[kind] = _pattern_list(value, f"{where}: field patterns.{kind}", compile_check, expander, kind)
        written[kind] = (value,) if isinstance(value, str) else tuple(value)
    if not patterns:
        raise TaxonomyError(f"{where}: field patterns: a rule needs at least one pattern")
    languages = {PATTERN_KINDS[kind][0] for kind in patterns}

    examples: dict[str, dict[str, tuple[str, ...]]] = {}
    for lang, table in entry.get("examples", {}).items():
        if lang not in ANALYZED_LANGUAGES or not isinstance(table, dict):
            raise TaxonomyError(f"{where}: field examples.{lang}: unknown language")
        for kind, sentences in table.items():
            if kind not in EXAMPLE_KINDS or not isinstance(sentences, list):
                raise TaxonomyError(f"{where}: field examples.{lang}.{kind}: expected match, no_match or denies lists")
        examples[lang] = {kind: tuple(table.get(kind, ())) for kind in EXAMPLE_KINDS}
    for lang in sorted(languages):
        positive = examples.get(lang, {}).get("match", ()) + examples.get(lang, {}).get("denies", ())
        if not positive:
            raise TaxonomyError(f"{where}: field examples.{lang}.match: a rule needs an example it matches in every language it has patterns for")
        if not examples[lang]["no_match"]:
            raise TaxonomyError(f"{where}: field examples.{lang}.no_match: a rule needs an example it must not match in every language it has patterns for")
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and regex.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", a) for a in aliases):
        raise TaxonomyError(f"{where}: field aliases: a list of the rule's former ids")
    scored = entry.get("scored", True)
    if not isinstance(scored, bool):
        raise TaxonomyError(f"{where}: field scored: true or false")
    return Rule(rule_id, category, entry.get("description", ""), attributes, patterns, {}, examples, path.name, written, tuple(aliases), scored)


def _compile(pattern: str, where: str):
    try:
        return regex.compile(pattern, FLAGS)
    except regex.error as exc:
        raise TaxonomyError(f"{where}: bad regex: {exc}") from None
