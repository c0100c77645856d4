"""`policy explain`, `policy rules` and `policy eval --errors --explain`, run as a user would."""

from __future__ import annotations

import json

import pytest
from conftest import EVAL_DIR, ROOT

from policy_cli.cli import app
from policy_cli.taxonomy import load_taxonomy

ISSUE_SENTENCE = "We collect your email address; you can delete your account at any time."


def test_explain_text_names_rules_vetoes_stance_and_values(runner):
    result = runner.invoke(app, ["explain", ISSUE_SENTENCE, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    [sentence] = json.loads(result.stdout)["sentences"]
    matched = {m["rule_id"]: m for m in sentence["matched"]}
    assert {"first_party_collection.collect", "user_access.edit"} <= set(matched)
    assert matched["first_party_collection.collect"]["match"] == "collect your email address"
    [veto] = [v for v in sentence["vetoes"] if "first_party_collection.collect" in v["silenced"]]
    assert veto["veto_id"] == "first_party_collection.other_practice_action" and veto["match"] == "delete your account"
    assert [f["rule_id"] for f in sentence["findings"]] == ["user_access.edit"]
    assert sentence["negation"]["user_access.edit"]["stance"] == "affirms"
    assert {"attribute": "data_type", "value": "contact", "entry": "data_type.contact", "text": "your email"} in sentence["values"]


def test_explain_shows_the_negation_cue_and_window(runner):
    result = runner.invoke(app, ["explain", "We do not sell your personal information."])
    assert result.exit_code == 0, result.stderr
    assert "third_party_sharing.sale: denies (cue 'not' in the window" in result.stdout


def test_explain_names_the_vocabulary_entries_a_pattern_read(runner):
    result = runner.invoke(app, ["explain", "您可以随时撤回您的授权同意。", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    entries = {v["entry"] for s in json.loads(result.stdout)["sentences"] for m in s["matched"] for v in m["vocabulary"]}
    assert "you.you" in entries


def test_explain_a_line_of_a_file(runner):
    path = ROOT / "tests" / "real" / "firefox_privacy_notice.en.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if "sell" in line.lower() and not line.startswith("#"))
    result = runner.invoke(app, ["explain", str(path), "--line", str(number), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    sentences = json.loads(result.stdout)["sentences"]
    assert sentences and all(s["line"] <= number for s in sentences)
    assert any("sell" in s["sentence"].lower() for s in sentences)


@pytest.mark.parametrize(
    "args, message",
    [
        (["explain", "no/such/file.md", "--line", "3"], "no such file"),
        (["explain", "samples/000_42ba70010fb2525d.txt", "--line", "100000"], "the file has"),
        (["rules", "no.such_rule"], "no rule or veto 'no.such_rule'"),
        (["eval", "x.jsonl", "--explain"], "--explain goes with --errors"),
    ],
)
def test_bad_requests_are_one_line_errors(runner, args, message, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_rules_lists_every_rule_and_shows_one(runner):
    listed = runner.invoke(app, ["rules", "--format", "json"])
    assert listed.exit_code == 0
    document = json.loads(listed.stdout)
    assert {r["id"] for r in document["rules"]} == {r.id for r in load_taxonomy().rules}
    one = runner.invoke(app, ["rules", "third_party_sharing.sale", "--format", "json"])
    [rule] = json.loads(one.stdout)["rules"]
    assert rule["category"] == "third_party_sharing" and rule["examples"]["en"]["match"] and rule["patterns"]["en"]
    veto = runner.invoke(app, ["rules", "user_choice.after_opt_out"])
    assert veto.exit_code == 0 and "silences user_choice.opt_out" in veto.stdout


def test_rule_ids_are_pinned():
    """Rule and veto ids are a contract (configs, profiles, baselines name them): a rename keeps the
    old id as an alias and updates this snapshot on purpose."""
    taxonomy = load_taxonomy()
    pinned = (ROOT / "tests" / "golden" / "rule_ids.txt").read_text(encoding="utf-8").split()
    current = [r.id for r in taxonomy.rules] + [v.id for v in taxonomy.vetoes]
    known = set(current) | {alias for r in taxonomy.rules for alias in r.aliases}
    missing = [rule_id for rule_id in pinned if rule_id not in known]
    assert not missing, f"ids gone without an alias: {missing}"
    new = [rule_id for rule_id in current if rule_id not in pinned]
    assert not new, f"new ids {new}: add them to tests/golden/rule_ids.txt"


def test_a_renamed_rule_answers_to_its_old_id(tmp_path, runner):
    import shutil

    from policy_cli.taxonomy import _rules_dir

    folder = tmp_path / "rules"
    shutil.copytree(_rules_dir(), folder)
    path = folder / "third_party_sharing.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('id = "third_party_sharing.sale"', 'id = "third_party_sharing.selling"\naliases = ["third_party_sharing.sale"]'), encoding="utf-8")
    taxonomy = load_taxonomy(str(folder))
    assert taxonomy.rule("third_party_sharing.sale").id == "third_party_sharing.selling"


@pytest.mark.skipif(not (EVAL_DIR / "opp115_dev.jsonl").exists(), reason="../shared/eval is absent")
def test_eval_errors_explain_each_error(runner, tmp_path):
    records = [json.loads(line) for line in (EVAL_DIR / "opp115_dev.jsonl").read_text(encoding="utf-8").splitlines()[:60]]
    subset = tmp_path / "subset.jsonl"
    subset.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = runner.invoke(app, ["eval", str(subset), "--errors", "first_party_collection", "--limit", "2", "--explain"])
    assert result.exit_code == 0, result.stderr
    assert "false positives" in result.stdout and "findings " in result.stdout and "line 1 (en)" in result.stdout
