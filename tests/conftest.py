"""Shared fixtures: the samples, the shared evaluation folder, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
EVAL_DIR = ROOT.parent / "shared" / "eval"


@pytest.fixture
def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # newer click keeps stderr apart by default
        return CliRunner()


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Keep the jieba cache and validation stamps of tests out of the user's cache folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


def sample(name_prefix: str) -> Path:
    return next(SAMPLES.glob(f"{name_prefix}_*.txt"))
