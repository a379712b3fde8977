"""Verify signatures of Vietnamese e-signed notices end to end (pyHanko + PDFium), with the visible stamp.

Public API: :func:`verify_file`, :func:`parse_stamp`, :class:`Settings`, :class:`FileReport`,
:class:`SignatureReport`, :class:`Stamp`, :data:`VERDICTS`.
"""

from .core import verify_file
from .report import LABELS, VERDICTS, FileReport, SignatureReport
from .settings import Settings
from .stamp import Stamp, parse_stamp, parse_stamps

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
