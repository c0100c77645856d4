"""Check a scanned policy against a profile of required disclosures (GDPR, CCPA, PIPL, 152-FZ, ...)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import PolicyError
from .model import FileError, FileResult, Finding
from .taxonomy import Taxonomy, load_taxonomy

LEVELS = ("warning", "error")
PROFILES_DIR = Path(__file__).parent / "profiles"
_REQUIREMENT_KEYS = {"id", "title", "article", "level", "rules", "categories", "attributes", "stance", "values", "sections"}


class ProfileError(PolicyError):
    """A profile is unknown or malformed; the message names the profile, requirement and field."""

    code = "profile"


@dataclass(frozen=True)
class Requirement:
    """One disclosure a law requires, and the taxonomy evidence that satisfies it."""

    id: str
    title: str
    article: str
    level: str
    rules: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    affirmative: bool = False  # stance = "affirms": the law asks what is done, and a denial does not say it
    values: tuple[str, ...] = ()  # value attributes the evidence must name (a purpose, a recipient...)
    sections: str = ""  # a regex for the headings of the section about it: evidence there ranks first

    def satisfied_by(self, finding: Finding) -> bool:
        """A finding is evidence when its rule or category is named, it carries the attributes and
        the values asked for, and (where the requirement is affirmative) it affirms.

        Otherwise a denial ("we do not transfer data abroad") is evidence too: it discloses the practice.
        """
        if not (finding.rule_id in self.rules or finding.category in self.categories):
            return False
        if self.affirmative and finding.stance != "affirms":
            return False
        if any(not finding.values.get(attribute) for attribute in self.values):
            return False
        return all(str(finding.attributes.get(key)) == value for key, value in self.attributes)


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    requirements: tuple[Requirement, ...]
    source: str
    languages: tuple[str, ...] = ()  # the languages of the policies the law's notices are written in; () any
    lineage: tuple[str, ...] = ()  # the profiles it extends, nearest first

    def applies_to(self, language: str | None) -> bool:
        return not self.languages or language in self.languages


@dataclass(frozen=True)
class RequirementResult:
    requirement: Requirement
    profile: str
    evidence: tuple[Finding, ...]  # best first
    waived: str | None = None  # "ignored" (the config) or "baseline" (a known gap): missing, but no failure

    @property
    def status(self) -> str:
        if self.evidence:
            return "met"
        return self.waived or "missing"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of every requirement of every profile for one input."""

    path: str
    results: tuple[RequirementResult, ...] = ()
    error: FileError | None = None
    language: str | None = None
    profiles: tuple[str, ...] = ()  # the profiles this file was checked against

    def missing(self, fail_level: str = "error") -> list[RequirementResult]:
        """Missing requirements at or above `fail_level`."""
        floor = LEVELS.index(fail_level)
        return [r for r in self.results if r.status == "missing" and LEVELS.index(r.requirement.level) >= floor]

    def passed(self, fail_level: str = "error") -> bool:
        return self.error is None and not self.missing(fail_level)


def builtin_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILES_DIR.glob("*.toml"))


def load_profile(name: str, taxonomy: Taxonomy | None = None, _seen: tuple[str, ...] = ()) -> Profile:
    """A built-in profile by name, or a TOML file by path; `extends` a built-in, `drop`s or adds requirements."""
    taxonomy = taxonomy or load_taxonomy()
    path = Path(name)
    if name in builtin_profiles():
        path = PROFILES_DIR / f"{name}.toml"
    elif not (name.endswith(".toml") and path.exists()):
        known = ", ".join(builtin_profiles())
        raise ProfileError(f"unknown profile {name!r}: use one of {known}, or the path of a .toml profile")
    if str(path) in _seen:
        raise ProfileError(f"{path}: profile extends itself")
    where = path.name if path.parent == PROFILES_DIR else str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{where}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{where}: not valid TOML: {exc}") from None

    requirements: dict[str, Requirement] = {}
    lineage: tuple[str, ...] = ()
    if "extends" in data:
        if not isinstance(data["extends"], str):
            raise ProfileError(f"{where}: field extends: the name or path of one profile")
        base = load_profile(str(data["extends"]), taxonomy, _seen + (str(path),))
        requirements = {r.id: r for r in base.requirements}
        lineage = (base.name, *base.lineage)
    drops = data.get("drop", [])
    if not isinstance(drops, list) or not all(isinstance(d, str) for d in drops):
        raise ProfileError(f"{where}: field drop: a list of requirement ids")
    languages = data.get("languages", [])
    if not isinstance(languages, list) or any(lang not in ("en", "zh", "ru") for lang in languages):
        raise ProfileError(f"{where}: field languages: a list of en, zh, ru")
    if not isinstance(data.get("requirements", []), list):
        raise ProfileError(f"{where}: field requirements: an array of tables ([[requirements]])")
    for dropped in drops:
        if dropped not in requirements:
            raise ProfileError(f"{where}: field drop: no requirement {dropped!r} to drop")
        del requirements[dropped]
    # a rule's former ids (aliases) name it still: a profile written before a rename keeps working
    rule_ids = {name: rule.id for rule in taxonomy.rules for name in (rule.id, *rule.aliases)}
    for index, entry in enumerate(data.get("requirements", [])):
        requirement = _requirement(where, index, entry, rule_ids)
        requirements[requirement.id] = requirement
    if not requirements:
        raise ProfileError(f"{where}: no requirements")
    name = str(data.get("name") or path.stem)
    if not languages and "extends" in data:
        languages = list(base.languages)
    return Profile(name, str(data.get("title", name)), tuple(requirements.values()), where, tuple(languages), lineage)


def combine(profiles: list[Profile]) -> list[Profile]:
    """The profiles to check against, once each: a profile another listed one extends is left out
    (the derived one has its requirements, less what it drops), and a requirement id is checked
    once, under the first profile that has it."""
    extended = {name for profile in profiles for name in profile.lineage}
    kept, seen_profiles, seen_ids = [], set(), set()
    for profile in profiles:
        if profile.name in extended or profile.source in seen_profiles:
            continue
        seen_profiles.add(profile.source)
        requirements = tuple(r for r in profile.requirements if r.id not in seen_ids)
        seen_ids.update(r.id for r in requirements)
        kept.append(Profile(profile.name, profile.title, requirements, profile.source, profile.languages, profile.lineage))
    return kept


def _requirement(where: str, index: int, entry: Any, rule_ids: dict[str, str]) -> Requirement:
    if not isinstance(entry, dict):
        raise ProfileError(f"{where}: requirement #{index + 1}: must be a table")
    for key in ("rules", "categories"):
        if not isinstance(entry.get(key, []), list):
            raise ProfileError(f"{where}: requirement {entry.get('id') or '#' + str(index + 1)}: field {key}: a list")
    requirement_id = entry.get("id")
    label = f"{where}: requirement {requirement_id or '#' + str(index + 1)}"
    if not isinstance(requirement_id, str) or not requirement_id:
        raise ProfileError(f"{label}: field id: required")
    unknown = set(entry) - _REQUIREMENT_KEYS
    if unknown:
        raise ProfileError(f"{label}: field {sorted(unknown)[0]}: unknown field")
    for key in ("title", "article"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise ProfileError(f"{label}: field {key}: required")
    level = entry.get("level", "error")
    if level not in LEVELS:
        raise ProfileError(f"{label}: field level: must be error or warning")
    rules = tuple(entry.get("rules", ()))
    for rule in rules:
        if rule not in rule_ids:
            raise ProfileError(f"{label}: field rules: no rule {rule!r} in the taxonomy")
    rules = tuple(dict.fromkeys(rule_ids[rule] for rule in rules))
    categories = tuple(entry.get("categories", ()))
    from .model import CATEGORIES

    for category in categories:
        if category not in CATEGORIES:
            raise ProfileError(f"{label}: field categories: unknown category {category!r}")
    if not rules and not categories:
        raise ProfileError(f"{label}: field rules: a requirement needs rules or categories that satisfy it")
    attributes = entry.get("attributes", {})
    if not isinstance(attributes, dict):
        raise ProfileError(f"{label}: field attributes: must be a table")
    stance = entry.get("stance", "any")
    if stance not in ("any", "affirms"):
        raise ProfileError(f"{label}: field stance: \"affirms\" (only statements of what is done) or \"any\"")
    values = entry.get("values", [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise ProfileError(f"{label}: field values: a list of value attributes (purpose, recipient, ...)")
    sections = entry.get("sections", "")
    if not isinstance(sections, str):
        raise ProfileError(f"{label}: field sections: a regular expression for the section's headings")
    try:
        import regex

        regex.compile(sections, regex.IGNORECASE)
    except regex.error as exc:
        raise ProfileError(f"{label}: field sections: bad regex: {exc}") from None
    return Requirement(
        requirement_id, entry["title"], entry["article"], level, rules, categories,
        tuple(sorted((str(k), str(v)) for k, v in attributes.items())), stance == "affirms", tuple(values), sections,
    )


def check_result(
    result: FileResult, profiles: list[Profile], ignored: frozenset[str] = frozenset(), known_gaps: frozenset[str] = frozenset()
) -> CheckResult:
    """Match one scanned file's findings against every requirement of the profiles. `ignored`
    (from the config) and `known_gaps` (from a baseline) are requirement ids whose absence is
    reported but does not fail the file."""
    names = tuple(p.name for p in profiles)
    if result.error is not None:
        return CheckResult(result.path, error=result.error, profiles=names)
    outcomes = []
    for profile in profiles:
        for requirement in profile.requirements:
            evidence = tuple(sorted((f for f in result.findings if requirement.satisfied_by(f)), key=_evidence_rank(requirement)))
            waived = "ignored" if requirement.id in ignored else "baseline" if requirement.id in known_gaps else None
            outcomes.append(RequirementResult(requirement, profile.name, evidence, waived))
    return CheckResult(result.path, tuple(outcomes), language=result.language, profiles=names)


def _evidence_rank(requirement: Requirement):
    """Best evidence first: an affirmation before a denial; a statement before a label of a few
    words; a sentence in the section about the requirement (its `sections` headings) before
    others; the requirement's most specific rule (the first it names); then the earliest."""
    import regex

    about = regex.compile(requirement.sections, regex.IGNORECASE) if requirement.sections else None

    def rank(finding: Finding):
        specific = requirement.rules.index(finding.rule_id) if finding.rule_id in requirement.rules else len(requirement.rules)
        in_section = about is not None and any(about.search(heading) for heading in finding.section)
        label = len(finding.sentence.split()) < 5 and len(finding.sentence) < 40
        return (finding.stance != "affirms", label, not in_section, specific, finding.start)

    return rank


@dataclass(frozen=True)
class FileRule:
    """A `[[files]]` entry of the config: the files it covers (globs relative to the config's folder,
    and/or a detected language), the profiles they are checked against, requirements ignored there."""

    paths: tuple[str, ...] = ()
    language: str | None = None
    profiles: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def covers(self, path: str, language: str | None, root: Path) -> bool:
        if self.language is not None and language != self.language:
            return False
        if not self.paths:
            return True
        return any(_glob_match(path, pattern, root) for pattern in self.paths)


def _glob_match(path: str, pattern: str, root: Path) -> bool:
    """Whether a file (as named on the command line) matches a glob relative to `root`; `**`
    crosses folders."""
    import fnmatch
    import os

    if path == "-":
        return False
    try:
        relative = Path(os.path.relpath(Path(path).resolve(), root.resolve())).as_posix()
    except ValueError:
        return False
    return fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(relative, pattern.replace("**/", ""))


@dataclass(frozen=True)
class CheckSettings:
    """Options of `policy check` as read from pyproject.toml [tool.policy] or .policy.toml."""

    profiles: tuple[str, ...] = ()
    fail_level: str | None = None
    output_format: str | None = None
    no_fail: bool | None = None
    source: str | None = None
    files: tuple[FileRule, ...] = ()
    baseline: str | None = None

    @property
    def root(self) -> Path:
        return Path(self.source).parent if self.source else Path.cwd()

    def rule_for(self, path: str, language: str | None) -> FileRule | None:
        return next((rule for rule in self.files if rule.covers(path, language, self.root)), None)


def find_settings(start: Path) -> CheckSettings:
    """The nearest .policy.toml, or pyproject.toml with a [tool.policy] table, from `start` upwards."""
    for folder in (start, *start.parents):
        dotfile = folder / ".policy.toml"
        if dotfile.is_file():
            return _settings(dotfile, _read_config(dotfile))
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            tool = _read_config(pyproject).get("tool", {})
            table = tool.get("policy") if isinstance(tool, dict) else None
            if table is not None:
                if not isinstance(table, dict):
                    from .errors import UsageError

                    raise UsageError(f"{pyproject}: [tool.policy] must be a table")
                return _settings(pyproject, table)
    return CheckSettings()


def _read_config(path: Path) -> dict[str, Any]:
    from .errors import UsageError

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: bad configuration: {exc}") from None


_SETTING_KEYS = {"profiles", "profile", "fail_level", "fail-level", "format", "no_fail", "no-fail", "files", "baseline"}
_FILE_KEYS = {"paths", "language", "profiles", "ignore"}


def _settings(path: Path, table: dict[str, Any]) -> CheckSettings:
    """The settings, each checked by type: a one-line error names the file and the key."""
    from .errors import UsageError

    def bad(key: str, expected: str):
        return UsageError(f"{path}: key {key!r}: {expected}")

    unknown = set(table) - _SETTING_KEYS
    if unknown:
        raise UsageError(f"{path}: [tool.policy]: unknown key {sorted(unknown)[0]!r}")
    profiles = _profile_list(path, table.get("profiles", table.get("profile", ())), "profiles", bad)
    fail_level = table.get("fail_level", table.get("fail-level"))
    if fail_level is not None and fail_level not in LEVELS:
        raise bad("fail_level", f"error or warning, not {fail_level!r}")
    output_format = table.get("format")
    if output_format is not None and not isinstance(output_format, str):
        raise bad("format", "a format name such as \"github\"")
    no_fail = table.get("no_fail", table.get("no-fail"))
    if no_fail is not None and not isinstance(no_fail, bool):
        raise bad("no_fail", f"true or false (a boolean, not {no_fail!r})")
    baseline = table.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        raise bad("baseline", "the path of a baseline file")
    files = table.get("files", [])
    if not isinstance(files, list) or not all(isinstance(entry, dict) for entry in files):
        raise bad("files", "an array of tables ([[tool.policy.files]] or [[files]])")
    rules = []
    for number, entry in enumerate(files, 1):
        key = f"files[{number}]"
        unknown = set(entry) - _FILE_KEYS
        if unknown:
            raise bad(f"{key}.{sorted(unknown)[0]}", "unknown key (paths, language, profiles, ignore)")
        paths = entry.get("paths", [])
        paths = [paths] if isinstance(paths, str) else paths
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise bad(f"{key}.paths", "a list of globs relative to the config's folder")
        language = entry.get("language")
        if language is not None and language not in ("en", "zh", "ru"):
            raise bad(f"{key}.language", "en, zh or ru")
        if not paths and language is None:
            raise bad(key, "needs paths, a language, or both")
        ignore = entry.get("ignore", [])
        if not isinstance(ignore, list) or not all(isinstance(i, str) for i in ignore):
            raise bad(f"{key}.ignore", "a list of requirement ids")
        rules.append(FileRule(tuple(paths), language, _profile_list(path, entry.get("profiles", ()), f"{key}.profiles", bad), tuple(ignore)))
    if baseline is not None and not Path(baseline).is_absolute():
        baseline = str(path.parent / baseline)
    return CheckSettings(profiles, fail_level, output_format, no_fail, str(path), tuple(rules), baseline)


def _profile_list(path: Path, value: Any, key: str, bad) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(p, str) for p in value):
        raise bad(key, "a list of profile names or .toml paths")
    return tuple(str(path.parent / p) if p.endswith(".toml") and not Path(p).is_absolute() else p for p in value)


# ---------------------------------------------------------------- baselines

BASELINE_VERSION = 1


def write_baseline(results: list[CheckResult], target: Path) -> int:
    """Record every requirement missing today, per file: a later `--baseline` run fails only on
    new gaps. Returns how many were recorded."""
    import json

    gaps = {r.path: sorted(o.requirement.id for o in r.results if o.status in ("missing", "baseline")) for r in results if r.error is None}
    gaps = {path: ids for path, ids in sorted(gaps.items()) if ids}
    document = {"version": BASELINE_VERSION, "tool": "policy", "missing": gaps}
    try:
        target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"{target}: cannot write the baseline ({exc.strerror})") from None
    return sum(len(ids) for ids in gaps.values())


def read_baseline(source: Path) -> dict[str, frozenset[str]]:
    """File path -> the requirement ids known to be missing there."""
    import json

    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"{source}: no such baseline file (write one with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise PolicyError(f"{source}: not a baseline file ({exc})") from None
    missing = data.get("missing") if isinstance(data, dict) else None
    if data.get("version") != BASELINE_VERSION or not isinstance(missing, dict) or not all(
        isinstance(ids, list) and all(isinstance(i, str) for i in ids) for ids in missing.values()
    ):
        raise PolicyError(f"{source}: not a baseline file of version {BASELINE_VERSION}")
    return {path: frozenset(ids) for path, ids in missing.items()}
