"""`policy eval`: scoring as ../shared/eval/README.md defines it, on small files made here."""

from __future__ import annotations

import json

import pytest
from conftest import EVAL_DIR

from policy_cli.cli import app
from policy_cli.evaluate import evaluate


def _write(tmp_path, records, name="labeled.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


RECORDS = [
    {"id": "a", "lang": "en", "text": "We do not sell your personal information.", "labels": ["third_party_sharing"]},
    {"id": "b", "lang": "en", "text": "Please contact us at privacy@example.com with questions.", "labels": ["contact"]},
    {"id": "c", "lang": "en", "text": "Welcome to our website.", "labels": ["third_party_sharing"]},
    {"id": "d", "lang": "en", "text": "Write to privacy@example.com.", "labels": []},
]


def test_scores_per_category(tmp_path):
    evaluation = evaluate(_write(tmp_path, RECORDS))
    sharing, contact = evaluation.scores["third_party_sharing"], evaluation.scores["contact"]
    assert (sharing.tp, sharing.fp, sharing.fn) == (1, 0, 1)
    assert (contact.tp, contact.fp, contact.fn) == (1, 1, 0)
    assert sharing.precision == 1.0 and sharing.recall == 0.5
    assert contact.f1 == pytest.approx(2 / 3)
    # No category has 5 labeled segments: nothing enters macro-F1.
    assert evaluation.macro_f1 == 0.0
    assert evaluation.micro_f1 == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))


def test_macro_counts_categories_with_five_labels(tmp_path):
    records = [{"id": str(n), "lang": "en", "text": "Contact us at a@b.com.", "labels": ["contact"]} for n in range(5)]
    records.append({"id": "x", "lang": "en", "text": "We do not sell your data.", "labels": ["third_party_sharing"]})
    evaluation = evaluate(_write(tmp_path, records))
    assert evaluation.scored == ["contact"] and evaluation.macro_f1 == 1.0


def test_user_control_folds_access_and_choice(tmp_path):
    records = [
        {"id": "1", "lang": "en", "text": "You may opt out of marketing emails at any time.", "labels": ["user_control"]},
        {"id": "2", "lang": "en", "text": "You can access and update your account information at any time.", "labels": ["user_control"]},
    ]
    evaluation = evaluate(_write(tmp_path, records))
    assert "user_access" not in evaluation.scores and evaluation.scores["user_control"].tp == 2


def test_cli_json_predictions_and_errors(runner, tmp_path):
    labeled = _write(tmp_path, RECORDS)
    predictions = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["eval", str(labeled), "--format", "json", "--predictions", str(predictions)])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["segments"] == 4 and set(document["categories"]["contact"]) == {"precision", "recall", "f1", "support", "tp", "fp", "fn"}
    lines = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c", "d"]
    assert "third_party_sharing" in lines[0]["predicted"]
    result = runner.invoke(app, ["eval", str(labeled), "--errors", "contact"], env={"COLUMNS": "200"})
    assert "1 false positives" in result.stdout and "contact.email" in result.stdout


def test_cli_several_files_give_a_list(runner, tmp_path):
    first, second = _write(tmp_path, RECORDS, "a.jsonl"), _write(tmp_path, RECORDS[:2], "b.jsonl")
    document = json.loads(runner.invoke(app, ["eval", str(first), str(second), "-f", "json"]).stdout)
    assert [d["segments"] for d in document] == [4, 2]


def test_bad_record_is_a_one_line_error(runner, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "t", "labels": []}\nnot json\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", str(bad)])
    assert result.exit_code == 2 and "bad.jsonl:2" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(not (EVAL_DIR / "ru_dev.jsonl").exists(), reason="../shared/eval is absent")
def test_real_labeled_file_runs():
    evaluation = evaluate(EVAL_DIR / "ru_dev.jsonl")
    assert len(evaluation.predictions) > 500 and 0.0 < evaluation.macro_f1 <= 1.0
