"""Load the vocabularies: per language, named lexicons of the ways policies say one kind of thing.

A lexicon has entries, each with a stable id (the same in every language) and its surface forms:
small regular expressions over the sentence (English, Chinese) or over its pymorphy3 lemmas
(Russian). Rule patterns name a lexicon as `{name}` (every entry) or `{name.entry}` (one entry) and
the loader expands the name in memory; a lexicon with an `attribute` also gives findings their
values. A shape composes lexicons into a value ("30 days" -> P30D).
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import TaxonomyError
from .model import ANALYZED_LANGUAGES, CATEGORIES

# `{lexicon}` or `{lexicon.entry}`; never the `{L}` of `\p{L}` nor a repeat count `{0,60}`.
REFERENCE = re.compile(r"(?<!\\[pPN])\{([a-z][a-z_]*)(?:\.([A-Za-z0-9_]+))?\}")
_LEXICON_KEYS = {"description", "attribute", "categories", "forms"}
_ENTRY_KEYS = {"forms", "opp115", "fallback"}
_SHAPE_KEYS = {"attribute", "pattern", "value", "opp115", "categories"}


@dataclass(frozen=True)
class Entry:
    id: str
    forms: tuple[str, ...]
    opp115: str | None = None
    fallback: bool = False  # a value given only where no other entry of its lexicon is found


@dataclass(frozen=True)
class Lexicon:
    """A named list of entries; `attribute` says which value of a finding it gives, if any."""

    name: str
    language: str
    description: str
    entries: tuple[Entry, ...]
    attribute: str | None = None
    categories: tuple[str, ...] | None = None  # None: values for findings of every category
    source: str = ""

    def alternation(self, entry_id: str | None = None) -> str:
        """The forms as one group, in the order written: where two forms start alike, write the
        longer first (a pattern takes the first that fits; values take the longest anyway)."""
        forms = [f for e in self.entries if entry_id is None or e.id == entry_id for f in e.forms]
        return "(?:" + "|".join(forms) + ")"

    def entry(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)


@dataclass(frozen=True)
class Shape:
    """A value built from lexicons: the pattern's named groups name the lexicon that reads them
    (`number`, or `number__2` for a second group of it), `value` is a template over their ids."""

    attribute: str
    pattern: str  # expanded
    value: str
    opp115: str | None
    categories: tuple[str, ...] | None


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """The lexicons and shapes of one language."""

    language: str
    lexicons: dict[str, Lexicon]
    shapes: tuple[Shape, ...] = ()

    def expand(self, pattern: str, where: str) -> tuple[str, tuple[str, ...]]:
        """The pattern with every `{name}` replaced by its forms, and the names it used."""
        used: list[str] = []

        def replace(match: re.Match) -> str:
            name, entry_id = match.group(1), match.group(2)
            lexicon = self.lexicons.get(name)
            if lexicon is None:
                raise TaxonomyError(f"{where}: unknown vocabulary {{{name}}} in {self.language} (known: {', '.join(sorted(self.lexicons))})")
            if entry_id is not None and lexicon.entry(entry_id) is None:
                raise TaxonomyError(f"{where}: vocabulary {name} ({self.language}) has no entry {entry_id!r}")
            used.append(name if entry_id is None else f"{name}.{entry_id}")
            return lexicon.alternation(entry_id)

        return REFERENCE.sub(replace, pattern), tuple(used)


def vocabularies_dir() -> Path:
    return Path(__file__).parent / "vocabularies"


@functools.cache
def vocabulary_contents(directory: str | None = None) -> dict[Path, bytes]:
    """The bytes of every vocabulary file, read once: the loader and the rules' digest share them."""
    folder = Path(directory) if directory else vocabularies_dir()
    return {path: path.read_bytes() for path in sorted(folder.glob("*.toml"))}


@functools.cache
def load_vocabularies(directory: str | None = None) -> dict[str, Vocabulary]:
    """Every language's vocabulary in `directory` (the package's by default), checked field by
    field. Compiling every form costs more than start-up may: files whose forms all compiled
    leave a stamp, named by their hash, in the user's cache, and are not compiled again."""
    from .cache import cache_path, files_digest, leave_stamp

    contents = vocabulary_contents(directory)
    digest = files_digest(contents)
    stamp = cache_path(f"vocabularies-{digest}.ok")
    compile_check = not stamp.exists()
    vocabularies = {}
    for path, content in contents.items():
        vocabulary = _vocabulary(path, read_toml(path, content), compile_check)
        vocabularies[vocabulary.language] = vocabulary
    if compile_check:
        leave_stamp(stamp, digest, "vocabularies-*.ok")
    return vocabularies


def read_toml(path: Path, content: bytes) -> dict[str, Any]:
    """A rule, vocabulary or profile file's data; a one-line error naming the file where it is no TOML."""
    try:
        return tomllib.loads(content.decode("utf-8"))
    except UnicodeDecodeError:
        raise TaxonomyError(f"{path.name}: not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{path.name}: not valid TOML: {exc}") from None


def _vocabulary(path: Path, data: dict[str, Any], compile_check: bool = True) -> Vocabulary:
    language = data.get("language")
    if language not in ANALYZED_LANGUAGES:
        raise TaxonomyError(f"{path.name}: field language: one of {', '.join(ANALYZED_LANGUAGES)}")
    lexicons = {}
    for name, table in data.items():
        if name in ("language", "shapes"):
            continue
        lexicons[name] = _lexicon(path, language, name, table, compile_check)
    vocabulary = Vocabulary(language, lexicons)
    shapes = tuple(_shape(path, vocabulary, index, entry, compile_check) for index, entry in enumerate(data.get("shapes", [])))
    return Vocabulary(language, lexicons, shapes)


def _lexicon(path: Path, language: str, name: str, table: Any, compile_check: bool) -> Lexicon:
    where = f"{path.name}: vocabulary {name}"
    if not isinstance(table, dict) or not re.fullmatch(r"[a-z][a-z_]*", name):
        raise TaxonomyError(f"{where}: a vocabulary is a table named in lower case")
    entries = []
    if "forms" in table:
        entries.append(Entry(name, _forms(table["forms"], f"{where}: field forms", compile_check)))
    for key, value in table.items():
        if isinstance(value, dict):
            unknown = set(value) - _ENTRY_KEYS
            if unknown:
                raise TaxonomyError(f"{where}.{key}: field {sorted(unknown)[0]}: unknown field")
            opp115 = value.get("opp115")
            if opp115 is not None and not isinstance(opp115, str):
                raise TaxonomyError(f"{where}.{key}: field opp115: must be a string")
            fallback = value.get("fallback", False)
            if not isinstance(fallback, bool):
                raise TaxonomyError(f"{where}.{key}: field fallback: true or false")
            entries.append(Entry(key, _forms(value.get("forms"), f"{where}.{key}: field forms", compile_check), opp115, fallback))
        elif key not in _LEXICON_KEYS:
            raise TaxonomyError(f"{where}: field {key}: unknown field")
    if not entries:
        raise TaxonomyError(f"{where}: a vocabulary needs forms or entries")
    attribute = table.get("attribute")
    if attribute is not None and not (isinstance(attribute, str) and re.fullmatch(r"[a-z_]+", attribute)):
        raise TaxonomyError(f"{where}: field attribute: a lower-case name")
    categories = _categories(table.get("categories"), f"{where}: field categories")
    return Lexicon(name, language, str(table.get("description", "")), tuple(entries), attribute, categories, path.name)


def _forms(value: Any, where: str, compile_check: bool = True) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(f, str) and f for f in value):
        raise TaxonomyError(f"{where}: a list of non-empty strings")
    import regex

    for form in value if compile_check else ():
        try:
            compiled = regex.compile(form, regex.IGNORECASE)  # the rules' dialect: variable-length lookbehind too
        except regex.error as exc:
            raise TaxonomyError(f"{where}: bad regex {form!r}: {exc}") from None
        if compiled.groups:
            raise TaxonomyError(f"{where}: {form!r}: a form may not capture; write (?:...)")
    return tuple(value)


def _categories(value: Any, where: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value or any(c not in CATEGORIES for c in value):
        raise TaxonomyError(f"{where}: a list of category ids")
    return tuple(value)


def _shape(path: Path, vocabulary: Vocabulary, index: int, entry: Any, compile_check: bool = True) -> Shape:
    where = f"{path.name}: shape #{index + 1}"
    if not isinstance(entry, dict):
        raise TaxonomyError(f"{where}: must be a table")
    unknown = set(entry) - _SHAPE_KEYS
    if unknown:
        raise TaxonomyError(f"{where}: field {sorted(unknown)[0]}: unknown field")
    for key in ("attribute", "pattern", "value"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise TaxonomyError(f"{where}: field {key}: a non-empty string")
    pattern, _used = vocabulary.expand(entry["pattern"], where)
    import regex

    if compile_check:
        try:
            regex.compile(pattern, regex.IGNORECASE)
        except regex.error as exc:
            raise TaxonomyError(f"{where}: field pattern: bad regex: {exc}") from None
    for group in shape_groups(pattern):
        if group.split("__")[0] not in vocabulary.lexicons:
            raise TaxonomyError(f"{where}: group {group!r} names no vocabulary")
    return Shape(entry["attribute"], pattern, entry["value"], entry.get("opp115"),
                 _categories(entry.get("categories"), f"{where}: field categories"))


def shape_groups(pattern: str) -> list[str]:
    """The named groups of a shape's pattern: each names the lexicon that reads it."""
    return re.findall(r"\(\?P<(\w+)>", pattern)
