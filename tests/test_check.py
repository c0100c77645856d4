"""`policy check`: complete policies pass; removing the paragraph that carries a requirement fails
the check and names exactly that requirement; reports and errors."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from xml.etree import ElementTree

import pytest

from policy_cli.check import LEVELS, load_profile
from policy_cli.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
POLICIES = sorted(FIXTURES.glob("*_*.toml"))


def _fixture(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _write(tmp_path: Path, paragraphs: list[str], name: str = "policy.txt") -> Path:
    target = tmp_path / name
    target.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return target


def _check_json(runner, path: Path, profile: str, *extra: str):
    result = runner.invoke(app, ["check", "--profile", profile, "--format", "json", *extra, str(path)])
    return result, json.loads(result.stdout) if result.stdout.strip() else None


@pytest.mark.parametrize("fixture", POLICIES, ids=[p.stem for p in POLICIES])
def test_complete_policy_passes(runner, tmp_path, fixture):
    data = _fixture(fixture)
    result, document = _check_json(runner, _write(tmp_path, [p["text"] for p in data["paragraph"]]), data["profile"], "--fail-level", "warning")
    missing = [r["id"] for r in document["files"][0]["requirements"] if r["status"] == "missing"]
    assert missing == [] and result.exit_code == 0, result.stderr
    assert document["files"][0]["language"] == data["lang"]


def _removal_cases():
    for fixture in POLICIES:
        data = _fixture(fixture)
        levels = {r.id: r.level for r in load_profile(data["profile"]).requirements}
        for index, paragraph in enumerate(data["paragraph"]):
            if levels[paragraph["requirement"]] == "error":
                yield pytest.param(fixture, index, id=f"{fixture.stem}-{paragraph['requirement']}")


@pytest.mark.parametrize("fixture, index", list(_removal_cases()))
def test_removing_a_paragraph_names_exactly_its_requirement(runner, tmp_path, fixture, index):
    data = _fixture(fixture)
    paragraphs = [p["text"] for n, p in enumerate(data["paragraph"]) if n != index]
    result, document = _check_json(runner, _write(tmp_path, paragraphs), data["profile"])
    missing = [r["id"] for r in document["files"][0]["requirements"] if r["status"] == "missing" and r["level"] == "error"]
    assert result.exit_code == 1
    assert missing == [data["paragraph"][index]["requirement"]]
    assert data["paragraph"][index]["requirement"] in result.stderr


def test_every_requirement_of_every_profile_is_carried_by_a_fixture():
    carried = {p["requirement"] for fixture in POLICIES for p in _fixture(fixture)["paragraph"]}
    for name in ("gdpr", "ccpa", "pipl", "fz152"):
        for requirement in load_profile(name).requirements:
            assert requirement.id in carried, requirement.id


@pytest.fixture
def gdpr_policy(tmp_path) -> Path:
    data = _fixture(FIXTURES / "gdpr_en.toml")
    return _write(tmp_path, [p["text"] for p in data["paragraph"] if p["requirement"] != "gdpr.complaint"])


def test_no_fail_exits_zero_but_reports(runner, gdpr_policy):
    result = runner.invoke(app, ["check", "-p", "gdpr", "--no-fail", "--format", "json", str(gdpr_policy)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["files"][0]["passed"] is False


def test_fail_level_warning_fails_on_warnings(runner, tmp_path):
    data = _fixture(FIXTURES / "gdpr_en.toml")
    policy = _write(tmp_path, [p["text"] for p in data["paragraph"] if p["requirement"] != "gdpr.dpo_contact"])
    assert runner.invoke(app, ["check", "-p", "gdpr", str(policy)]).exit_code == 0
    assert runner.invoke(app, ["check", "-p", "gdpr", "--fail-level", "warning", str(policy)]).exit_code == 1


def test_sarif_has_one_result_per_missing_requirement(runner, gdpr_policy):
    result = runner.invoke(app, ["check", "-p", "gdpr", "--format", "sarif", str(gdpr_policy)])
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0" and result.exit_code == 1
    run = sarif["runs"][0]
    ids = [r["ruleId"] for r in run["results"]]
    assert "gdpr.complaint" in ids and len(ids) == len(set(ids))
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for item in run["results"]:
        assert rule_ids[item["ruleIndex"]] == item["ruleId"]
        assert item["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == str(gdpr_policy)


def test_github_annotations(runner, gdpr_policy):
    result = runner.invoke(app, ["check", "-p", "gdpr", "--format", "github", str(gdpr_policy)])
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"::error file={gdpr_policy},line=1,title=gdpr.complaint::") for line in lines)
    assert all(line.startswith(("::error ", "::warning ")) for line in lines)


def test_junit_one_case_per_requirement(runner, gdpr_policy):
    result = runner.invoke(app, ["check", "-p", "gdpr", "--format", "junit", str(gdpr_policy)])
    root = ElementTree.fromstring(result.stdout.split("\n", 1)[1])
    cases = root.findall(".//testcase")
    assert len(cases) == len(load_profile("gdpr").requirements)
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert failed == [n for n in failed if n.startswith("gdpr.complaint")] and len(failed) == 1


def test_table_output(runner, gdpr_policy):
    result = runner.invoke(app, ["check", "-p", "gdpr", str(gdpr_policy)], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code == 1
    assert "FAILED" in result.stdout and "gdpr.complaint" in result.stdout and "missing" in result.stdout


def test_user_profile_extends_and_drops(runner, tmp_path, gdpr_policy):
    profile = tmp_path / "mine.toml"
    profile.write_text(
        'extends = "gdpr"\ndrop = ["gdpr.complaint"]\n'
        '[[requirements]]\nid = "mine.dnt"\ntitle = "Do Not Track"\narticle = "house rule"\nlevel = "warning"\nrules = ["do_not_track.signal"]\n',
        encoding="utf-8",
    )
    result, document = _check_json(runner, gdpr_policy, str(profile))
    ids = {r["id"]: r["status"] for r in document["files"][0]["requirements"]}
    assert "gdpr.complaint" not in ids and ids["mine.dnt"] == "missing"
    assert result.exit_code == 0


def test_settings_from_pyproject(runner, tmp_path, gdpr_policy, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.policy]\nprofiles = ["gdpr"]\nformat = "json"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(gdpr_policy)])
    assert result.exit_code == 1 and json.loads(result.stdout)["profiles"][0]["name"] == "gdpr"
    result = runner.invoke(app, ["check", "--format", "github", str(gdpr_policy)])
    assert result.stdout.startswith("::")


def test_settings_from_dot_policy_toml(runner, tmp_path, gdpr_policy, monkeypatch):
    (tmp_path / ".policy.toml").write_text('profiles = ["gdpr"]\nno_fail = true\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["check", str(gdpr_policy)]).exit_code == 0
    assert runner.invoke(app, ["check", "--fail", str(gdpr_policy)]).exit_code == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["-p", "hipaa"], "unknown profile 'hipaa'"),
        (["-p", "{broken}"], "not valid TOML"),
        (["-p", "{unknown_rule}"], "no rule 'contact.fax'"),
        (["-p", "gdpr", "no/such/file.txt"], "no such file"),
        ([], "no profile"),
    ],
    ids=["unknown-profile", "broken-profile", "unknown-rule", "missing-path", "no-profile"],
)
def test_errors_exit_2_with_one_line(runner, tmp_path, gdpr_policy, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.toml").write_text("requirements = [", encoding="utf-8")
    (tmp_path / "unknown_rule.toml").write_text(
        '[[requirements]]\nid = "x"\ntitle = "x"\narticle = "x"\nrules = ["contact.fax"]\n', encoding="utf-8"
    )
    args = [str(tmp_path / "broken.toml") if a == "{broken}" else str(tmp_path / "unknown_rule.toml") if a == "{unknown_rule}" else a for a in args]
    if not any(a.endswith(".txt") for a in args):
        args.append(str(gdpr_policy))
    result = runner.invoke(app, ["check", *args])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_levels_are_ordered():
    assert LEVELS == ("warning", "error")


@pytest.mark.parametrize(
    "sentence, lang",
    [
        ("You may lodge a complaint with the supervisory authority.", "en"),
        ("您可以向网信部门投诉。", "zh"),
        ("Вы вправе обжаловать действия оператора в Роскомнадзор.", "ru"),
    ],
)
def test_a_requirement_is_met_in_every_language(sentence, lang):
    from policy_cli.check import check_result
    from policy_cli.scan import scan_text

    result = check_result(scan_text(sentence, language=lang), [load_profile("gdpr")])
    assert {o.requirement.id for o in result.results if o.status == "met"} == {"gdpr.complaint"}


def test_every_rule_a_builtin_profile_names_speaks_all_three_languages():
    from policy_cli.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    exceptions = {"specific_audiences.localisation", "data_retention.storage_location"}  # law- and corpus-specific
    for name in ("gdpr", "ccpa", "pipl", "fz152"):
        for requirement in load_profile(name).requirements:
            for rule_id in requirement.rules:
                if rule_id not in exceptions:
                    assert taxonomy.rule(rule_id).languages() == {"en", "zh", "ru"}, rule_id
