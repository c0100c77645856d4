"""The user's cache folder: what this tool derives once from its own files (the validated rule
set, prefilter plans, value plans, jieba's dictionary, Russian lemmas) and reads on later runs.

POLICY_CACHE_DIR names it; else $XDG_CACHE_HOME/policy-cli or ~/.cache/policy-cli; where it cannot
be made, the system's temporary folder. Deleting it is always safe.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """The user's cache folder for this tool (jieba keeps its prefix dictionary there)."""
    chosen = os.environ.get("POLICY_CACHE_DIR")
    if chosen:
        path = Path(chosen)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        path = Path(base, "policy-cli")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        import tempfile

        path = Path(tempfile.gettempdir())
    return path


def cache_path(name: str) -> Path:
    return cache_dir() / name
