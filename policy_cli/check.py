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
_REQUIREMENT_KEYS = {"id", "title", "article", "level", "rules", "categories", "attributes"}


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

    def satisfied_by(self, finding: Finding) -> bool:
        """A finding is evidence when its rule or category is named and it carries the attributes.

        A denial ("we do not transfer data abroad") is evidence too: it discloses the practice.
        """
        if not (finding.rule_id in self.rules or finding.category in self.categories):
            return False
        return all(str(finding.attributes.get(key)) == value for key, value in self.attributes)


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    requirements: tuple[Requirement, ...]
    source: str


@dataclass(frozen=True)
class RequirementResult:
    requirement: Requirement
    profile: str
    evidence: tuple[Finding, ...]

    @property
    def status(self) -> str:
        return "met" if self.evidence else "missing"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of every requirement of every profile for one input."""

    path: str
    results: tuple[RequirementResult, ...] = ()
    error: FileError | None = None
    language: str | None = None

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
    if "extends" in data:
        base = load_profile(str(data["extends"]), taxonomy, _seen + (str(path),))
        requirements = {r.id: r for r in base.requirements}
    for dropped in data.get("drop", []):
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
    return Profile(name, str(data.get("title", name)), tuple(requirements.values()), where)


def _requirement(where: str, index: int, entry: Any, rule_ids: dict[str, str]) -> Requirement:
    if not isinstance(entry, dict):
        raise ProfileError(f"{where}: requirement #{index + 1}: must be a table")
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
    return Requirement(
        requirement_id, entry["title"], entry["article"], level, rules, categories,
        tuple(sorted((str(k), str(v)) for k, v in attributes.items())),
    )


def check_result(result: FileResult, profiles: list[Profile]) -> CheckResult:
    """Match one scanned file's findings against every requirement of the profiles."""
    if result.error is not None:
        return CheckResult(result.path, error=result.error)
    outcomes = []
    for profile in profiles:
        for requirement in profile.requirements:
            evidence = tuple(f for f in result.findings if requirement.satisfied_by(f))
            outcomes.append(RequirementResult(requirement, profile.name, evidence))
    return CheckResult(result.path, tuple(outcomes), language=result.language)


@dataclass(frozen=True)
class CheckSettings:
    """Options of `policy check` as read from pyproject.toml [tool.policy] or .policy.toml."""

    profiles: tuple[str, ...] = ()
    fail_level: str | None = None
    output_format: str | None = None
    no_fail: bool | None = None
    source: str | None = None


def find_settings(start: Path) -> CheckSettings:
    """The nearest .policy.toml, or pyproject.toml with a [tool.policy] table, from `start` upwards."""
    for folder in (start, *start.parents):
        dotfile = folder / ".policy.toml"
        if dotfile.is_file():
            return _settings(dotfile, _read_config(dotfile))
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _read_config(pyproject).get("tool", {}).get("policy")
            if table is not None:
                return _settings(pyproject, table)
    return CheckSettings()


def _read_config(path: Path) -> dict[str, Any]:
    from .errors import UsageError

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: bad configuration: {exc}") from None


def _settings(path: Path, table: dict[str, Any]) -> CheckSettings:
    from .errors import UsageError

    known = {"profiles", "profile", "fail_level", "fail-level", "format", "no_fail", "no-fail"}
    unknown = set(table) - known
    if unknown:
        raise UsageError(f"{path}: [tool.policy]: unknown key {sorted(unknown)[0]!r}")
    profiles = table.get("profiles", table.get("profile", ()))
    if isinstance(profiles, str):
        profiles = (profiles,)
    profiles = tuple(
        str((path.parent / p)) if str(p).endswith(".toml") and not Path(p).is_absolute() else str(p) for p in profiles
    )
    fail_level = table.get("fail_level", table.get("fail-level"))
    if fail_level is not None and fail_level not in LEVELS:
        raise UsageError(f"{path}: fail_level must be error or warning, not {fail_level!r}")
    return CheckSettings(
        profiles=profiles,
        fail_level=fail_level,
        output_format=table.get("format"),
        no_fail=table.get("no_fail", table.get("no-fail")),
        source=str(path),
    )
