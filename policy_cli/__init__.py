"""policy: find which privacy practices a policy in English, Chinese or Russian discloses, with evidence."""

__version__ = "0.2.0"

from .errors import PolicyError  # noqa: E402
from .model import CATEGORIES, FileResult, Finding  # noqa: E402
from .scan import scan_source, scan_text  # noqa: E402

__all__ = ["CATEGORIES", "FileResult", "Finding", "PolicyError", "__version__", "scan_source", "scan_text"]
