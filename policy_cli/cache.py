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


def files_digest(contents: dict[Path, bytes], *extra: bytes) -> str:
    """The hash that names what is derived from a set of files (and anything else it depends on)."""
    import hashlib

    digest = hashlib.sha256()
    for path, data in contents.items():
        digest.update(path.name.encode() + b"\0" + data + b"\0")
    for item in extra:
        digest.update(item)
    return digest.hexdigest()[:24]


def leave_stamp(stamp: Path, digest: str, *stale: str) -> None:
    """Mark that the files `digest` names passed their checks, and drop what earlier versions of
    them left (the globs in `stale`, but for names holding `digest`); without a cache folder the
    next run checks again."""
    try:
        for pattern in stale:
            for old in stamp.parent.glob(pattern):
                if digest not in old.name:
                    old.unlink()
        stamp.touch()
    except OSError:
        pass


def cached_plan(path: Path | None, stale: str, size: int, compute) -> list:
    """A list derived from files, read from `path` where an earlier run left it (and it has `size`
    items), else computed by `compute()` and left there in place of the stale ones (the glob)."""
    import json

    if path is not None:
        try:
            cached = json.loads(path.read_text(encoding="utf-8"))
            if len(cached) == size:
                return cached
        except (OSError, ValueError):
            pass
    plan = compute()
    if path is not None:
        try:
            for old in path.parent.glob(stale):
                old.unlink()
            path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass
    return plan
