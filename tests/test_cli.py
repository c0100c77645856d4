"""The command line through typer's CliRunner: exit codes, and what stdout and stderr each hold."""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES, sample

from policy_cli.cli import app


def _json(result):
    return json.loads(result.stdout)


def test_scan_json_document_shape(runner):
    result = runner.invoke(app, ["scan", str(sample("000")), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    document = _json(result)
    assert document["schema_version"] == 3
    assert document["tool"]["name"] == "policy"
    (file,) = document["files"]
    assert file["error"] is None and file["language"] == "en"
    assert set(file) >= {"path", "language", "languages", "characters", "segments", "categories", "findings", "error"}
    finding = file["findings"][0]
    assert set(finding) >= {"rule_id", "category", "attributes", "stance", "language", "start", "end", "line", "column", "match", "sentence"}
    assert document["summary"]["files"] == 1
    assert result.stderr == ""


def test_scan_directory_jsonl_one_line_per_file_in_sorted_order(runner):
    result = runner.invoke(app, ["scan", str(SAMPLES), "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    paths = [line["path"] for line in lines]
    assert paths == sorted(paths) and len(paths) == len(list(SAMPLES.glob("*.txt")))
    assert all(line["schema_version"] == 3 for line in lines)


def test_scan_reads_stdin(runner):
    text = sample("000").read_text(encoding="utf-8")
    result = runner.invoke(app, ["scan", "-", "--format", "json"], input=text.encode("utf-8"))
    assert result.exit_code == 0
    file = _json(result)["files"][0]
    assert file["path"] == "-" and "contact" in file["categories"]


def test_table_output_escapes_markup_and_lists_missing_categories(runner, tmp_path):
    policy = tmp_path / "p.txt"
    policy.write_text("We collect your [bold]name[/bold] and email address. Contact us at a@b.com.\n", encoding="utf-8")
    result = runner.invoke(app, ["scan", str(policy)], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code == 0
    assert "[bold]name[/bold]" in result.stdout
    assert "first_party_collection" in result.stdout and "not found" in result.stdout
    assert "\x1b[" not in result.stdout


@pytest.mark.parametrize(
    "content, code",
    [
        (b"", "empty"),
        (b"  \n\t\n   ", "empty"),
        (b"\x00\x01\x02\x03\xff\xfe\x00\x00" * 64, "binary"),
    ],
    ids=["empty", "whitespace-only", "binary"],
)
def test_bad_file_is_reported_and_others_still_scanned(runner, tmp_path, content, code):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = runner.invoke(app, ["scan", str(bad), str(sample("000")), "--format", "json"])
    assert result.exit_code == 2
    files = _json(result)["files"]
    assert files[0]["error"]["code"] == code
    assert files[1]["error"] is None and files[1]["findings"]
    assert result.stderr.count("\n") == 1 and "bad.txt" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_path_exit_2_one_line(runner):
    result = runner.invoke(app, ["scan", "no/such/policy.txt", "--format", "jsonl"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["code"] == "not_found"
    assert result.stderr.strip() == "policy: no/such/policy.txt: no such file or directory"


def test_unknown_option_exit_2_one_line(runner):
    result = runner.invoke(app, ["scan", "--colour", "x"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "--colour" in result.stderr


def test_bad_lang_value_is_usage_error(runner):
    result = runner.invoke(app, ["scan", "--lang", "fr", str(sample("000"))])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


def test_invalid_utf8_bytes_keep_the_text_around_them(runner, tmp_path):
    policy = tmp_path / "broken.txt"
    policy.write_bytes("We collect your email address. ".encode() + b"\xff\xfe\xc3" + " We may share it with our partners.".encode())
    result = runner.invoke(app, ["scan", str(policy), "--format", "json"])
    assert result.exit_code == 0
    categories = _json(result)["files"][0]["categories"]
    assert "first_party_collection" in categories and "third_party_sharing" in categories


def test_html_visible_text_only(runner, tmp_path):
    page = tmp_path / "policy.html"
    page.write_text(
        "<html><head><title>Privacy</title><style>p{color:red}</style></head><body>"
        "<script>var collect = 'we collect your email address';</script>"
        "<p>We share your data with advertisers &amp; partners.</p><div>Questions? Write to privacy@example.com.</div></body></html>",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["scan", str(page), "--format", "json"])
    file = _json(result)["files"][0]
    assert "third_party_sharing" in file["categories"] and "contact" in file["categories"]
    assert "first_party_collection" not in file["categories"]
    assert any("advertisers & partners" in f["sentence"] for f in file["findings"])


def test_single_long_line_is_scanned(runner, tmp_path):
    policy = tmp_path / "long.txt"
    sentence = "We collect your email address to send you news, and we retain it for 30 days "
    policy.write_text(sentence * (3_000_000 // len(sentence)), encoding="utf-8")
    result = runner.invoke(app, ["scan", str(policy), "--format", "jsonl"])
    assert result.exit_code == 0
    line = json.loads(result.stdout)
    assert line["characters"] >= 2_900_000 and "data_retention" in line["categories"]


def test_language_not_analyzed_is_reported_not_crashed(runner, tmp_path):
    policy = tmp_path / "de.txt"
    policy.write_text("Wir erheben Ihre Daten nur, wenn Sie uns diese mitteilen und die Einwilligung geben.\n", encoding="utf-8")
    result = runner.invoke(app, ["scan", str(policy), "--format", "json"])
    assert result.exit_code == 0
    file = _json(result)["files"][0]
    assert file["language"] == "de" and file["findings"] == []
    assert "not analyzed" in result.stderr


def test_empty_directory_is_an_error(runner, tmp_path):
    result = runner.invoke(app, ["scan", str(tmp_path)])
    assert result.exit_code == 2 and "no policy files" in result.stderr


def test_hidden_files_skipped_in_directories(runner, tmp_path):
    (tmp_path / ".hidden.txt").write_text("We collect data.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("We collect your email address.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Contact us at a@b.com.", encoding="utf-8")
    result = runner.invoke(app, ["scan", str(tmp_path), "--format", "jsonl"])
    paths = [json.loads(line)["path"] for line in result.stdout.splitlines()]
    assert [p.rsplit("/", 2)[-2:] for p in paths] == [[tmp_path.name, "a.txt"], ["sub", "b.md"]]


def test_output_is_deterministic(runner):
    first = runner.invoke(app, ["scan", str(SAMPLES), "--format", "json"]).stdout
    second = runner.invoke(app, ["scan", str(SAMPLES), "--format", "json"]).stdout
    assert first == second


def test_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("policy ")


def test_jieba_is_silent_and_caches_in_user_cache_folder(tmp_path):
    import subprocess
    import sys

    policy = tmp_path / "zh.txt"
    policy.write_text("我们不会出售您的个人信息。", encoding="utf-8")
    cache = tmp_path / "cache"
    completed = subprocess.run(
        [sys.executable, "-m", "policy_cli", "scan", str(policy), "--format", "json"],
        capture_output=True, text=True, env={"XDG_CACHE_HOME": str(cache), "PATH": ""},
    )
    assert completed.returncode == 0
    assert completed.stderr == ""
    finding = json.loads(completed.stdout)["files"][0]["findings"][0]
    assert finding["rule_id"] == "third_party_sharing.sale" and finding["stance"] == "denies"
    assert list((cache / "policy-cli").glob("jieba*.cache"))
