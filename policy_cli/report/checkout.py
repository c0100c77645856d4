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


def write_sarif(results: list[CheckResult], profiles: list[Profile], fail_level: str, stream: IO[str]) -> None:
    rules = []
    for profile in profiles:
        for requirement in profile.requirements:
            rules.append(
                {
                    "id": requirement.id,
                    "name": requirement.id.replace(".", "_"),
                    "shortDescription": {"text": requirement.title},
                    "fullDescription": {"text": f"{requirement.title} ({profile.title}, {requirement.article})"},
                    "defaultConfiguration": {"level": requirement.level},
                    "properties": {"profile": profile.name, "article": requirement.article},
                }
            )
    index = {rule["id"]: number for number, rule in enumerate(rules)}
    sarif_results = []
    for result in results:
        location = [{"physicalLocation": {"artifactLocation": {"uri": result.path}, "region": {"startLine": 1}}}]
        if result.error is not None:
            sarif_results.append(
                {
                    "ruleId": "input-error",
                    "level": "error",
                    "message": {"text": f"{result.path}: {result.error.message}"},
                    "locations": location,
                }
            )
            continue
        for outcome in result.results:
            if outcome.status != "missing":
                continue
            requirement = outcome.requirement
            sarif_results.append(
                {
                    "ruleId": requirement.id,
                    "ruleIndex": index[requirement.id],
                    "level": requirement.level,
                    "message": {"text": f"Missing disclosure: {requirement.title} ({requirement.article})"},
                    "locations": location,
                }
            )
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "policy",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/policy-cli/",
                        "rules": rules,
                    }
                },
                "results": sarif_results,
            }
        ],
    }
    stream.write(dumps(document) + "\n")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write_github(results: list[CheckResult], profiles: list[Profile], fail_level: str, stream: IO[str]) -> None:
    """GitHub Actions workflow commands: one annotation per missing requirement, on the file."""
    for result in results:
        path = _escape_property(result.path)
        if result.error is not None:
            stream.write(f"::error file={path},line=1,title=policy::{_escape_data(result.error.message)}\n")
            continue
        for outcome in result.results:
            if outcome.status != "missing":
                continue
            requirement = outcome.requirement
            command = "error" if requirement.level == "error" else "warning"
            title = _escape_property(requirement.id)
            message = _escape_data(f"Missing disclosure: {requirement.title} ({requirement.article})")
            stream.write(f"::{command} file={path},line=1,title={title}::{message}\n")


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
            if outcome.status == "missing":
                message = f"Missing disclosure: {requirement.title} ({requirement.article})"
                if id(outcome) in failing:
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


def write_table(results: list[CheckResult], profiles: list[Profile], fail_level: str, console) -> None:
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
        header.append(f"  ({', '.join(p.name for p in profiles)}; fail level {fail_level})")
        console.print(header)
        table = Table(show_lines=False)
        for column in ("requirement", "article", "level", "status", "evidence"):
            table.add_column(column, overflow="fold")
        for outcome in result.results:
            requirement = outcome.requirement
            if outcome.evidence:
                first = outcome.evidence[0]
                evidence = Text(f"line {first.line}: ")
                evidence.append(first.sentence[:200] + ("…" if len(first.sentence) > 200 else ""))
                status = Text("met", style="green")
            else:
                evidence = Text("")
                status = Text("missing", style="bold red" if requirement.level == "error" else "yellow")
            table.add_row(f"{requirement.id}\n{requirement.title}", requirement.article, requirement.level, status, evidence)
        console.print(table)
        console.print()


WRITERS = {"json": write_json, "sarif": write_sarif, "github": write_github, "junit": write_junit}
