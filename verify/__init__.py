"""Verify signatures of Vietnamese e-signed notices end to end (pyHanko + PDFium), with the visible stamp.

Public API: :func:`verify_file`, :func:`parse_stamp`, :class:`Settings`, :class:`FileReport`,
:class:`SignatureReport`, :class:`Stamp`, :data:`VERDICTS`, and :func:`compare_names` (names read as a
clerk reads them, abbreviations expanded; also for ``ocr_ingest``).
"""

import warnings

# pyHanko imports cryptography's DSA types, which newer cryptography releases deprecate on import. A user
# can do nothing about it, and a one-line-error CLI must not print it: silence that one warning only.
warnings.filterwarnings("ignore", message="DSA is deprecated", module="pyhanko")

from .core import verify_file  # noqa: E402
from .report import LABELS, VERDICTS, FileReport, SignatureReport  # noqa: E402
from .settings import Settings  # noqa: E402
from .stamp import Stamp, parse_stamp, parse_stamps  # noqa: E402

__all__ = [
    "LABELS",
    "Comparison",
    "VERDICTS",
    "FileReport",
    "SignatureReport",
    "Settings",
    "Stamp",
    "compare_names",
    "parse_stamp",
    "parse_stamps",
    "verify_file",
]
