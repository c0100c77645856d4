"""Golden JSON for the samples. Regenerate with: POLICY_REGEN_GOLDEN=1 make test"""

from __future__ import annotations

import json
import os

import pytest
from conftest import ROOT, SAMPLES

from policy_cli.cli import app
from policy_cli.scan import scan_text

GOLDEN = ROOT / "tests" / "golden"
SAMPLE_NAMES = sorted(p.name for p in SAMPLES.glob("*.txt"))


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_matches_golden(runner, name, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["scan", f"samples/{name}", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / (name.rsplit(".", 1)[0] + ".json")
    if os.environ.get("POLICY_REGEN_GOLDEN"):
        golden.write_text(result.stdout, encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    actual = json.loads(result.stdout)
    expected["tool"] = actual["tool"]  # the version moves with releases, not with behaviour
    assert actual == expected


EXPECTED = {
    "000": {"first_party_collection", "user_choice", "user_access", "data_retention", "data_security", "policy_change", "contact"},
    "001": {"first_party_collection", "user_choice", "user_access", "data_retention", "data_security", "policy_change", "contact", "specific_audiences"},
    "002": {"first_party_collection", "third_party_sharing", "user_choice", "user_access", "data_security", "policy_change"},
}
ALL_BUT_DNT = {
    "first_party_collection", "third_party_sharing", "user_choice", "user_access", "data_retention",
    "data_security", "policy_change", "specific_audiences", "contact",
}
EXPECTED["003"] = EXPECTED["004"] = ALL_BUT_DNT


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_discloses_what_a_reader_finds(prefix):
    from conftest import sample

    from policy_cli.scan import scan_text

    categories = set(scan_text(sample(prefix).read_text(encoding="utf-8")).categories)
    assert EXPECTED[prefix] <= categories
    assert "do_not_track" not in categories


def test_findings_written_as_objects_give_the_same_json():
    """JSON output hands Finding objects to orjson; that must write exactly Finding.to_dict()."""
    from policy_cli.report.jsonout import dumps

    text = next(SAMPLES.glob("000_*.txt")).read_text(encoding="utf-8")
    result = scan_text(text)
    assert result.findings
    assert dumps(result.to_dict(findings_as_objects=True)) == dumps(result.to_dict())
