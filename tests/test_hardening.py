"""No input, file system or output fault may hang the tool, crash it, or lose a good file: each
class of fault the audit found, and good text that used to be thrown away."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_cli.cli import app
from policy_cli.decode import decode_bytes
from policy_cli.errors import InputError
from policy_cli.scan import scan_text

POLICY = "We collect your email address. We do not sell your personal information. Contact us at privacy@example.com.\n"
RU = "Мы собираем ваше имя и адрес электронной почты. Персональные данные хранятся в течение трёх лет.\n" * 5
ZH = "我们会收集您的手机号码和收货地址。我们会在三年内保存您的个人信息。\n" * 5


def _scan_json(runner, *args, env=None):
    result = runner.invoke(app, ["scan", "--format", "json", *map(str, args)], env=env)
    return result, json.loads(result.stdout) if result.stdout.strip() else None


# ---------------------------------------------------------------- inputs that are not files


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_reported_not_read_named_or_in_a_folder(runner, tmp_path):
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "good.txt").write_text(POLICY, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(tmp_path / "named.fifo")
    result, document = _scan_json(runner, folder, tmp_path / "named.fifo")
    assert result.exit_code == 2
    errors = {Path(f["path"]).name: f["error"] for f in document["files"]}
    assert errors["good.txt"] is None
    assert "FIFO" in errors["pipe.txt"]["message"] and "FIFO" in errors["named.fifo"]["message"]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_not_read_until_memory_runs_out(runner, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    result, document = _scan_json(runner, device)
    assert result.exit_code == 2 and "character device" in document["files"][0]["error"]["message"]


def test_a_file_over_the_size_limit_is_a_clear_error(runner, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(POLICY * 100, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(POLICY, encoding="utf-8")
    result, document = _scan_json(runner, big, small, env={"POLICY_MAX_BYTES": "2000"})
    assert result.exit_code == 2
    assert document["files"][0]["error"]["code"] == "too_large" and document["files"][1]["error"] is None


def test_a_bad_size_limit_is_a_usage_error(runner, tmp_path):
    policy = tmp_path / "p.txt"
    policy.write_text(POLICY, encoding="utf-8")
    result = runner.invoke(app, ["scan", str(policy)], env={"POLICY_MAX_BYTES": "lots"})
    assert result.exit_code == 2 and "POLICY_MAX_BYTES" in result.stderr and result.stderr.count("\n") == 1


def test_a_very_deep_folder_tree_is_walked(runner, tmp_path):
    deep = tmp_path / "root"
    path = deep
    os.mkdir(path)
    try:
        for _ in range(1100):  # one level at a time: os.makedirs itself recurses
            path = path / "d"
            os.mkdir(path)
        (path / "policy.txt").write_text(POLICY, encoding="utf-8")
        result, document = _scan_json(runner, deep)
        assert result.exit_code == 0 and len(document["files"]) == 1 and document["files"][0]["findings"]
    finally:  # removed bottom-up here: shutil.rmtree, which pytest cleans up with, recurses
        if (path / "policy.txt").exists():
            (path / "policy.txt").unlink()
        while path != deep:
            path.rmdir()
            path = path.parent


def test_a_folder_that_cannot_be_listed_is_reported(runner, tmp_path, monkeypatch):
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.txt").write_text(POLICY, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(POLICY, encoding="utf-8")
    real = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)  # as root, chmod cannot lock a folder
    result, document = _scan_json(runner, tmp_path)
    assert result.exit_code == 2
    by_name = {Path(f["path"]).name: f for f in document["files"]}
    assert by_name["a.txt"]["error"] is None
    assert "cannot list this folder" in by_name["locked"]["error"]["message"]


def test_a_file_name_that_is_not_utf8_is_written_with_a_replacement(tmp_path):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as handle:
        handle.write(POLICY.encode())
    for output in ("json", "jsonl"):
        completed = subprocess.run([sys.executable, "-m", "policy_cli", "scan", "--format", output, str(tmp_path)], capture_output=True)
        assert completed.returncode == 0, completed.stderr
        line = json.loads(completed.stdout.decode("utf-8").splitlines()[0] if output == "jsonl" else completed.stdout)
        path = line["path"] if output == "jsonl" else line["files"][0]["path"]
        assert path.endswith("caf\ufffd.txt")


# ---------------------------------------------------------------- good text kept


def test_a_nul_byte_in_a_policy_does_not_throw_it_away():
    text, encoding = decode_bytes(POLICY.encode() + b"\x00" + POLICY.encode() * 3)
    assert "NUL" in encoding and text.count("We collect") == 4


def test_stray_bytes_in_utf8_russian_are_replaced():
    data = bytearray(RU.encode() * 4)
    inserted = 0
    for index in range(50, len(data), 120):
        data.insert(index, 0xFF)
        inserted += 1
    text, encoding = decode_bytes(bytes(data))
    # each stray byte costs at most the character it fell into
    assert encoding.startswith("utf-8") and text.count("\ufffd") <= 2 * inserted
    assert "data_retention" in scan_text(text, language="ru").categories


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("text", [RU, ZH, POLICY * 3], ids=["ru", "zh", "en"])
def test_utf16_and_utf32_without_a_bom_in_every_script(encoding, text):
    decoded, name = decode_bytes(text.encode(encoding))
    assert decoded == text and name == encoding


def test_a_file_that_switches_encoding_is_decoded_part_by_part():
    data = RU.encode("utf-8") + "Срок хранения данных составляет пять лет.\n".encode("cp1251") * 5
    text, encoding = decode_bytes(data)
    assert "cp1251" in encoding and "Срок хранения данных составляет пять лет." in text and "Мы собираем" in text


def test_line_breaks_of_a_lone_cr_give_the_right_lines(runner, tmp_path):
    policy = tmp_path / "mac.txt"
    policy.write_bytes(b"We collect your name.\rWe sell your data to advertisers.\rWrite to privacy@example.com.\r")
    result, document = _scan_json(runner, policy)
    lines = {f["rule_id"]: f["line"] for f in document["files"][0]["findings"]}
    assert lines["third_party_sharing.sale"] == 2 and lines["contact.email"] == 3


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Nd", "Zs", "Po")), min_size=40, max_size=400),
       st.sampled_from(["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-8"]))
def test_decoding_never_raises_anything_but_input_error(text, encoding):
    try:
        decode_bytes(text.encode(encoding))
    except InputError:
        pass


# ---------------------------------------------------------------- eval keeps the batch rule


def test_eval_reports_a_bad_file_and_scores_the_good_one(runner, tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "1", "text": "We sell your data.", "labels": ["third_party_sharing"], "lang": "en"}) + "\n", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "--format", "json", str(good), str(bad)])
    assert result.exit_code == 2 and "bad.jsonl:1" in result.stderr
    assert json.loads(result.stdout)["file"] == str(good)


@pytest.mark.parametrize("labels, message", [(["contacts"], "unknown label 'contacts'"), ("contact", "labels must be a list")])
def test_eval_rejects_unknown_or_malformed_labels(runner, tmp_path, labels, message):
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps({"id": "1", "text": "We sell your data.", "labels": labels}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(path)])
    assert result.exit_code == 2 and message in result.stderr


@pytest.mark.parametrize("columns", ["0", "-5", "wide"])
def test_a_columns_value_that_is_no_width_still_prints_the_table(runner, tmp_path, columns):
    policy = tmp_path / "p.txt"
    policy.write_text(POLICY, encoding="utf-8")
    result = runner.invoke(app, ["scan", str(policy)], env={"COLUMNS": columns, "NO_COLOR": "1"})
    assert result.exit_code == 0 and "third_party_sharing" in result.stdout


@pytest.mark.parametrize("head", ["<html><head><title>Privacy</title>", "<html><head><title>Privacy</title></head>", "<head><meta charset=utf-8>"])
def test_a_page_that_never_closes_its_head_is_read(runner, tmp_path, head):
    page = tmp_path / "page.html"
    page.write_text(head + "<p>We sell your personal information to advertisers.</p></html>", encoding="utf-8")
    result, document = _scan_json(runner, page)
    assert result.exit_code == 0 and "third_party_sharing.sale" in {f["rule_id"] for f in document["files"][0]["findings"]}


def test_a_closed_stdin_is_an_input_error_not_a_crash():
    completed = subprocess.run([sys.executable, "-m", "policy_cli", "scan", "--format", "json", "-"], capture_output=True, text=True,
                               preexec_fn=lambda: os.close(0))
    assert completed.returncode == 2 and "standard input is closed" in completed.stderr and "Traceback" not in completed.stderr
    assert json.loads(completed.stdout)["files"][0]["error"]["code"] == "unreadable"


def test_json_is_written_as_a_stream_with_the_same_bytes(tmp_path):
    import io

    from policy_cli.loader import discover
    from policy_cli.report import jsonout
    from policy_cli.scan import scan_source

    samples = Path(__file__).resolve().parent.parent / "samples"
    results = [scan_source(source) for source in discover([str(samples)])]
    whole, streamed = io.StringIO(), io.StringIO()
    jsonout.write_json(results, whole)
    document = jsonout.JsonStream(streamed)
    for result in results:
        document.add(result)
    document.close()
    assert streamed.getvalue() == whole.getvalue()
    empty_whole, empty_streamed = io.StringIO(), io.StringIO()
    jsonout.write_json([], empty_whole)
    jsonout.JsonStream(empty_streamed).close()
    assert empty_streamed.getvalue() == empty_whole.getvalue()


def test_heading_detection_reads_outwards_from_the_sentence_only():
    """A line of many sentences: whether each is a heading is settled at its first neighbour, not
    by slicing the line from its start (which made a 20 MB line quadratic)."""
    from policy_cli.model import Sentence
    from policy_cli.segment import is_heading

    text = "We collect your email address. " * 1000
    touched = []

    class Counting(str):
        def __getitem__(self, key):
            touched.append(1 if isinstance(key, int) else len(range(*key.indices(len(self)))))
            return str.__getitem__(self, key)

        def rfind(self, *args):
            touched.append(args[2] - (args[1] if len(args) > 1 else 0) if len(args) > 2 else len(self))
            return str.rfind(self, *args)

    counted = Counting(text)
    start = 31 * 500
    assert not is_heading(counted, Sentence(start, start + 30, "en"))
    assert sum(touched) < 100  # characters read around the sentence, not the line from its start


def test_sigint_during_a_scan_exits_130_with_one_line(tmp_path):
    """Interrupted once it runs (its first result written): one line and 130, no traceback. (Before
    the interpreter has loaded the CLI no handler of ours can run; the CLI installs its handler
    before it imports anything heavy.)"""
    import signal

    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(200):
        (folder / f"p{number:03d}.txt").write_text(POLICY * 50, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "policy_cli", "scan", "--format", "jsonl", str(folder)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline()  # the scan is under way
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130 and err.strip().splitlines()[-1] == "policy: interrupted" and "Traceback" not in err


_MARKUP = st.lists(
    st.one_of(
        st.sampled_from(["<p>", "</p>", "<h2>", "</h2>", "<li>", "<td>", "<script>", "</script>", "<svg>", "<iframe>", "<head>",
                         "</head>", "<![ if IE ]>", "<!--", "-->", "<a ", "<b>", "</b>", "&amp;", "&#x", "<br/>", "<", ">", "\n"]),
        st.text(max_size=20),
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_MARKUP)
def test_any_markup_gives_a_result_or_a_clean_error(page):
    from policy_cli.loader import Source
    from policy_cli.scan import scan_source

    target = Path(os.environ.get("TMPDIR", "/tmp")) / f"policy-hypothesis-{os.getpid()}.html"
    target.write_bytes(page.encode("utf-8", "replace"))
    try:
        result = scan_source(Source(str(target), target))
    finally:
        target.unlink()
    if result.error is None:
        for finding in result.findings:
            assert finding.line >= 1 and finding.start <= finding.end
