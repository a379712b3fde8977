"""Character error rate: the one accuracy number we quote, computed the same way everywhere.

CER = Levenshtein distance / length of the truth, after Unicode NFC and collapsing all whitespace to
single spaces (line breaks and reflow are layout, not recognition). rapidfuzz computes the distance in C.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

_WS = re.compile(r"\s+")


def comparable(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def character_error_rate(truth: str, hypothesis: str) -> float:
    """Edits needed per truth character (0.0 = perfect; may exceed 1.0 for garbage)."""
    t, h = comparable(truth), comparable(hypothesis)
    return Levenshtein.distance(t, h) / max(1, len(t))
