"""Compare two names of a person or a body the way a clerk reads them.

A stamp says ``UBND tỉnh Lâm Đồng``, the certificate ``ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG``: the same body.
Names are compared as word sequences, case- and mark-insensitive (``Ủy``, ``Uỷ``, ``ỦY``, ``Uy`` are one
word; NFC or NFD input), punctuation ignored, with the standard administrative abbreviations of
:data:`ABBREVIATIONS` expanded on either side. The answer says *how* the names matched, weakest step
needed, so a report can explain every comparison it made.

Also usable outside ``verify`` (``from verify.names import compare_names``): it has no other dependency.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

#: Abbreviation (folded: lower case, no marks, đ -> d, punctuation dropped, so ``TP.`` is ``tp`` and
#: ``GD&ĐT`` is ``gddt``) -> its expansions, as used in the names of Vietnamese state and Party bodies.
#: Several expansions mean the abbreviation is ambiguous: each is tried against the other name, so ``TT``
#: matches ``trung tâm``, ``thị trấn`` or ``thường trực``, whichever the other side spells out, and ``P.``
#: ``phường`` or ``phòng``. Meanings that never occur in a body's name are left out (``TT`` for ``thông
#: tư``, a document type). An abbreviation is only expanded where the words themselves differ, so a word
#: that happens to fold to a key (``Cà`` -> ``ca``) still matches itself first.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "ubnd": ("ủy ban nhân dân",),
    "hdnd": ("hội đồng nhân dân",),
    "ub": ("ủy ban",),
    "mttq": ("mặt trận tổ quốc",),
    "ubmttq": ("ủy ban mặt trận tổ quốc",),
    "dcsvn": ("đảng cộng sản việt nam",),
    "vp": ("văn phòng",),
    "tp": ("thành phố",),
    "tx": ("thị xã",),
    "tt": ("trung tâm", "thị trấn", "thường trực"),
    "q": ("quận",),
    "h": ("huyện",),
    "p": ("phường", "phòng"),
    "x": ("xã",),
    "hcm": ("hồ chí minh",),
    "bcd": ("ban chỉ đạo",),
    "bql": ("ban quản lý",),
    "ca": ("công an",),
    "bhxh": ("bảo hiểm xã hội",),
    "kbnn": ("kho bạc nhà nước",),
    "gddt": ("giáo dục và đào tạo",),  # GD&ĐT, GDĐT
    "khdt": ("kế hoạch và đầu tư",),  # KH&ĐT
    "tnmt": ("tài nguyên và môi trường",),  # TN&MT
    "nnptnt": ("nông nghiệp và phát triển nông thôn",),  # NN&PTNT
    "ldtbxh": ("lao động thương binh và xã hội",),  # LĐTB&XH
}

#: How two names matched, from the strictest to the loosest step; ``no`` when they did not.
HOWS = ("exact", "case-and-marks", "abbreviation", "fuzzy", "part", "prefix", "no")


@dataclass(frozen=True)
class Comparison:
    """One comparison of a stamp value with a certificate value (or another source)."""

    field: str  # signer, organisation, email, time
    stamp: str
    other: str
    how: str  # one of HOWS
    source: str = "certificate"

    @property
    def matched(self) -> bool:
        return self.how != "no"

    def to_json(self) -> dict[str, object]:
        return {
            "field": self.field,
            "stamp": self.stamp,
            "source": self.source,
            "source_value": self.other,
            "how": self.how,
            "matched": self.matched,
        }

    def __str__(self) -> str:
        sign = {"exact": "=", "no": "≠"}.get(self.how, "≈")
        return f"{self.field}: stamp {self.stamp!r} {sign} {self.source} {self.other!r} ({self.how})"


def fold_words(name: str) -> tuple[str, ...]:
    """Words of ``name``: lower case, marks and punctuation dropped, đ -> d (``GD&ĐT`` -> ``gddt``)."""
    s = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = s.replace("&", "")
    return tuple(re.findall(r"[a-z0-9]+", s))


_EXPANSIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    k: tuple(fold_words(e) for e in v) for k, v in ABBREVIATIONS.items()
}


def _close(a: str, b: str) -> bool:
    """OCR-level difference of one word: none for words of up to 3 letters (``Hà``/``Hòa`` differ), one
    edit up to 7 letters, two beyond; digits must agree exactly."""
    if a == b:
        return True
    if any(c.isdigit() for c in a + b):
        return False
    n = max(len(a), len(b))
    return Levenshtein.distance(a, b) <= (0 if n <= 3 else 1 if n <= 7 else 2)


@functools.lru_cache(maxsize=4096)
def _match(a: tuple[str, ...], b: tuple[str, ...], abbrev: bool, fuzzy: bool, part: bool) -> bool:
    """Do word sequences ``a`` and ``b`` match? ``part``: ``a`` may be a contiguous run inside ``b``."""
    if part:
        return any(
            _match(a, b[i:j], abbrev, fuzzy, False) for i in range(len(b)) for j in range(i + 1, len(b) + 1)
        )
    if not a or not b:
        return not a and not b
    if (a[0] == b[0] or (fuzzy and _close(a[0], b[0]))) and _match(a[1:], b[1:], abbrev, fuzzy, False):
        return True
    if abbrev:
        for e in _EXPANSIONS.get(a[0], ()):
            if _match(e + a[1:], b, abbrev, fuzzy, False):
                return True
        for e in _EXPANSIONS.get(b[0], ()):
            if _match(a, e + b[1:], abbrev, fuzzy, False):
                return True
    return False


def how_names_match(stamp: str, other: str, *, allow_part: bool = False) -> str:
    """The strictest step of :data:`HOWS` under which the two names are the same (``no`` if none)."""
    norm = unicodedata.normalize
    if " ".join(norm("NFC", stamp).split()) == " ".join(norm("NFC", other).split()):
        return "exact"
    a, b = fold_words(stamp), fold_words(other)
    if not a or not b:
        return "no"
    if a == b:
        return "case-and-marks"
    if _match(a, b, True, False, False):
        return "abbreviation"
    if _match(a, b, True, True, False) or "".join(a) == "".join(b):  # OCR split or glued words
        return "fuzzy"
    if allow_part and _match(a, b, True, True, True):
        return "part"
    return "no"


def compare_names(
    stamp: str, other: str, *, field: str = "name", source: str = "certificate", allow_part: bool = False
) -> Comparison:
    """Compare a stamp's name with a certificate's (``allow_part``: the stamp may name part of it)."""
    return Comparison(field, stamp, other, how_names_match(stamp, other, allow_part=allow_part), source)


def is_cut_prefix(stamp: str, other: str) -> bool:
    """Is ``stamp`` the start of ``other``, cut after a whole word (``ỦY BAN NHÂN`` of ``ỦY BAN NHÂN DÂN TỈNH
    LÂM ĐỒNG``)? Two words at least, compared case- and mark-insensitively, and strictly shorter: what a
    line cut at a signature widget's edge leaves of a name."""
    a, b = fold_words(stamp), fold_words(other)
    return 2 <= len(a) < len(b) and b[: len(a)] == a
