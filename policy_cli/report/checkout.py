"""Reports of `policy check`: table, JSON, SARIF 2.1.0, GitHub workflow commands, JUnit XML."""

from __future__ import annotations

from typing import IO
from xml.etree import ElementTree

from .. import __version__
from ..check import CheckResult, Profile
from ..model import SCHEMA_VERSION
from .jsonout import dumps

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _evidence(finding) -> dict:
    return {
        "rule_id": finding.rule_id,
        "stance": finding.stance,
        "line": finding.line,
        "column": finding.column,
        "match": finding.match,
        "sentence": finding.sentence,
    }


def write_json(results: list[CheckResult], profiles: list[Profile], fail_level: str, stream: IO[str]) -> None:
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "policy", "version": __version__},
        "profiles": [{"name": p.name, "title": p.title} for p in profiles],
        "fail_level": fail_level,
        "files": [
            {
                "path": r.path,
                "passed": r.passed(fail_level),
                "language": r.language,
                "profiles": list(r.profiles),
                "error": None if r.error is None else {"code": r.error.code, "message": r.error.message},
                "requirements": [
                    {
                        "id": o.requirement.id,
                        "profile": o.profile,
                        "title": o.requirement.title,
                        "article": o.requirement.article,
                        "level": o.requirement.level,
                        "status": o.status,
                        "evidence": [_evidence(f) for f in o.evidence],
                    }
                    for o in r.results
                ],
            }
            for r in results
        ],
    }
    stream.write(dumps(document) + "\n")


INPUT_ERROR = "input-error"


def _sarif_uri(path: str) -> str:
    """A file's path as a SARIF artifact URI: relative to the working directory (the repository
    root in CI) where it lies below it, '/' separated, percent-encoded (spaces, non-ASCII)."""
    import os
    from pathlib import Path
    from urllib.parse import quote

    if path == "-":
        return "stdin"
    candidate = Path(path)
    try:
        relative = Path(os.path.relpath(candidate.resolve(), Path.cwd().resolve()))
        if not relative.as_posix().startswith("../"):
            candidate = relative
    except ValueError:
        pass
    text = candidate.as_posix().encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return quote(text, safe="/")


def _fingerprint(path: str, rule_id: str) -> str:
    import hashlib

    return hashlib.sha256(f"{_sarif_uri(path)}\0{rule_id}".encode()).hexdigest()[:32]


def write_sarif(results: list[CheckResult], profiles: list[Profile], fail_level: str, stream: IO[str]) -> None:
    rules = [
        {
            "id": INPUT_ERROR,
            "name": "input_error",
            "shortDescription": {"text": "The policy could not be read or analyzed"},
            "help": {"text": "The file could not be read, is in no analyzed language (en, zh, ru), or no profile applies to it; the result says which."},
            "defaultConfiguration": {"level": "error"},
        }
    ]
    for profile in profiles:
        for requirement in profile.requirements:
            help_text = (
                f"{requirement.title}. {profile.title}, {requirement.article}: the policy must disclose this "
                f"({requirement.level}). Met by: {', '.join(requirement.rules or requirement.categories)}."
            )
            rules.append(
                {
                    "id": requirement.id,
                    "name": requirement.id.replace(".", "_"),
                    "shortDescription": {"text": requirement.title},
                    "fullDescription": {"text": f"{requirement.title} ({profile.title}, {requirement.article})"},
                    "help": {"text": help_text, "markdown": f"**{requirement.title}** ({profile.title}, {requirement.article}).\n\n{help_text}"},
                    "defaultConfiguration": {"level": requirement.level},
                    "properties": {"profile": profile.name, "article": requirement.article},
                }
            )
    index = {rule["id"]: number for number, rule in enumerate(rules)}
    sarif_results = []
    for result in results:
        uri = _sarif_uri(result.path)
        location = [{"physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 1}}}]
        if result.error is not None:
            sarif_results.append(
                {
                    "ruleId": INPUT_ERROR,
                    "ruleIndex": 0,
                    "level": "error",
                    "message": {"text": f"{result.path}: {result.error.message}"},
                    "locations": location,
                    "partialFingerprints": {"policyRequirement/v1": _fingerprint(result.path, INPUT_ERROR)},
                }
            )
            continue
        for outcome in result.results:
            if outcome.status == "met":
                continue
            requirement = outcome.requirement
            item = {
                "ruleId": requirement.id,
                "ruleIndex": index[requirement.id],
                "level": requirement.level,
                "message": {"text": f"Missing disclosure: {requirement.title} ({requirement.article})"},
                "locations": location,
                "partialFingerprints": {"policyRequirement/v1": _fingerprint(result.path, requirement.id)},
            }
            if outcome.waived:
                item["suppressions"] = [{"kind": "external", "justification": "known gap (baseline)" if outcome.waived == "baseline" else "ignored in the configuration"}]
            sarif_results.append(item)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "policy", "version": __version__, "rules": rules}},
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The folder policy check ran in (the repository root in CI)."}}},
                "results": sarif_results,
            }
        ],
    }
    stream.write(dumps(document) + "\n")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


# GitHub shows at most this many annotations of each kind (error, warning) per step.
GITHUB_ANNOTATIONS_PER_KIND = 10


def write_github(results: list[CheckResult], profiles: list[Profile], fail_level: str, stream: IO[str]) -> None:
    """GitHub Actions workflow commands: an annotation per missing requirement, on the file, as
    many of each kind as GitHub shows; a notice says how many more there are (the step summary,
    where $GITHUB_STEP_SUMMARY is set, lists them all)."""
    shown = {"error": 0, "warning": 0}
    hidden = {"error": 0, "warning": 0}

    def emit(kind: str, line: str) -> None:
        if shown[kind] < GITHUB_ANNOTATIONS_PER_KIND:
            shown[kind] += 1
            stream.write(line)
        else:
            hidden[kind] += 1

    for result in results:
        path = _escape_property(result.path)
        if result.error is not None:
            emit("error", f"::error file={path},line=1,title=policy::{_escape_data(result.error.message)}\n")
            continue
        for outcome in result.results:
            if outcome.status != "missing":
                continue
            requirement = outcome.requirement
            kind = "error" if requirement.level == "error" else "warning"
            title = _escape_property(requirement.id)
            message = _escape_data(f"Missing disclosure: {requirement.title} ({requirement.article})")
            emit(kind, f"::{kind} file={path},line=1,title={title}::{message}\n")
    more = hidden["error"] + hidden["warning"]
    if more:
        stream.write(
            f"::notice title=policy::{more} more missing requirements ({hidden['error']} errors, {hidden['warning']} warnings) "
            f"than GitHub shows as annotations; see the job summary or run with --format table\n"
        )


def write_step_summary(results: list[CheckResult], fail_level: str, stream: IO[str]) -> None:
    """A Markdown table for $GITHUB_STEP_SUMMARY: every file, its verdict, what it misses."""
    failed = sum(1 for r in results if not r.passed(fail_level))
    stream.write(f"### policy check: {failed} of {len(results)} files failed (fail level {fail_level})\n\n")
    stream.write("| file | profiles | verdict | missing |\n|---|---|---|---|\n")
    for result in results:
        if result.error is not None:
            verdict, missing = "error", result.error.message.replace("|", "\\|")
        else:
            verdict = "passed" if result.passed(fail_level) else "**failed**"
            missing = ", ".join(f"`{o.requirement.id}` ({o.requirement.level})" for o in result.results if o.status == "missing") or "-"
        stream.write(f"| `{result.path}` | {', '.join(result.profiles)} | {verdict} | {missing} |\n")
    stream.write("\n")


def write_compact(results: list[CheckResult], profiles: list[Profile], fail_level: str, stream: IO[str]) -> None:
    """One line a problem, `path:line: level id message`, as editors and pre-commit read them."""
    for result in results:
        if result.error is not None:
            stream.write(f"{result.path}:1: error {INPUT_ERROR} {result.error.message}\n")
            continue
        for outcome in result.results:
            if outcome.status == "missing":
                requirement = outcome.requirement
                stream.write(f"{result.path}:1: {requirement.level} {requirement.id} missing disclosure: {requirement.title} ({requirement.article})\n")


def write_junit(results: list[CheckResult], profiles: list[Profile], fail_level: str, stream: IO[str]) -> None:
    """One test case per requirement and file; a missing requirement at the fail level is a failure."""
    suites = ElementTree.Element("testsuites", name="policy check")
    for result in results:
        suite = ElementTree.SubElement(suites, "testsuite", name=result.path)
        cases = failures = errors = 0
        if result.error is not None:
            case = ElementTree.SubElement(suite, "testcase", classname=result.path, name="read")
            ElementTree.SubElement(case, "error", message=result.error.message, type=result.error.code)
            cases, errors = 1, 1
        failing = {id(outcome) for outcome in result.missing(fail_level)}
        for outcome in result.results:
            requirement = outcome.requirement
            cases += 1
            case = ElementTree.SubElement(
                suite, "testcase", classname=f"{result.path}.{outcome.profile}", name=f"{requirement.id}: {requirement.title}"
            )
            if outcome.status != "met":
                message = f"Missing disclosure: {requirement.title} ({requirement.article})"
                if outcome.waived:
                    ElementTree.SubElement(case, "skipped", message=f"{message}; {outcome.waived}")
                elif id(outcome) in failing:
                    failures += 1
                    ElementTree.SubElement(case, "failure", message=message, type=requirement.level)
                else:
                    ElementTree.SubElement(case, "skipped", message=message)
            else:
                first = outcome.evidence[0]
                out = ElementTree.SubElement(case, "system-out")
                out.text = f"line {first.line}: {first.sentence}"
        suite.set("tests", str(cases))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
    ElementTree.indent(suites)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ElementTree.tostring(suites, encoding="unicode") + "\n")


def write_table(results: list[CheckResult], profiles: list[Profile], fail_level: str, console, all_evidence: bool = False) -> None:
    from rich.table import Table
    from rich.text import Text

    for result in results:
        header = Text(result.path, style="bold")
        if result.error is not None:
            header.append(f"  error ({result.error.code}): {result.error.message}", style="bold red")
            console.print(header)
            continue
        verdict = result.passed(fail_level)
        header.append("  passed" if verdict else "  FAILED", style="green" if verdict else "bold red")
        header.append(f"  ({', '.join(result.profiles)}; fail level {fail_level})")
        console.print(header)
        table = Table(show_lines=False)
        for column in ("requirement", "article", "level", "status", "evidence"):
            table.add_column(column, overflow="fold")
        for outcome in result.results:
            requirement = outcome.requirement
            if outcome.evidence:
                evidence = Text()
                for number, finding in enumerate(outcome.evidence if all_evidence else outcome.evidence[:1]):
                    if number:
                        evidence.append("\n")
                    evidence.append(f"line {finding.line}: ")
                    evidence.append(finding.sentence[:200] + ("…" if len(finding.sentence) > 200 else ""))
                    if finding.stance == "denies":
                        evidence.append(" (denial)", style="dim")
                if not all_evidence and len(outcome.evidence) > 1:
                    evidence.append(f"  (+{len(outcome.evidence) - 1} more: --all-evidence)", style="dim")
                status = Text("met", style="green")
            elif outcome.waived:
                evidence = Text("")
                status = Text(f"missing ({outcome.waived})", style="dim")
            else:
                evidence = Text("")
                status = Text("missing", style="bold red" if requirement.level == "error" else "yellow")
            table.add_row(f"{requirement.id}\n{requirement.title}", requirement.article, requirement.level, status, evidence)
        console.print(table)
        console.print()
    failed = sum(1 for r in results if not r.passed(fail_level))
    errors = sum(1 for r in results if r.error is not None)
    line = f"{failed} of {len(results)} files failed"
    if errors:
        line += f" ({errors} could not be checked)"
    console.print(Text(line, style="bold red" if failed else "bold green"))


WRITERS = {"json": write_json, "sarif": write_sarif, "github": write_github, "junit": write_junit, "compact": write_compact}
