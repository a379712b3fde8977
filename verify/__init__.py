"""Verify signatures of Vietnamese e-signed notices end to end (pyHanko + PDFium), with the visible stamp.

Public API: :func:`verify_file`, :func:`parse_stamp`, :class:`Settings`, :class:`FileReport`,
:class:`SignatureReport`, :class:`Stamp`, :data:`VERDICTS`.
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
    "VERDICTS",
    "FileReport",
    "SignatureReport",
    "Settings",
    "Stamp",
    "parse_stamp",
    "parse_stamps",
    "verify_file",
]
