"""policy: find which privacy practices a policy in English, Chinese or Russian discloses, with evidence."""

__version__ = "0.2.0"

__all__ = ["CATEGORIES", "FileResult", "Finding", "PolicyError", "__version__", "scan_source", "scan_text"]

# The pipeline loads on first use (PEP 562): `policy --version`, `--help` and a Ctrl-C at start-up
# do not wait for it, and the CLI catches an interrupt once its own module is in.
_LAZY = {
    "PolicyError": "errors",
    "CATEGORIES": "model",
    "FileResult": "model",
    "Finding": "model",
    "scan_source": "scan",
    "scan_text": "scan",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
