"""A signer's name the archive knows: a name read without its family name, completed from the names read
in full on the issuer's other documents (pure function; the archive passes what it holds).

Why: the seal is pressed over the signature block's left, and on real scans it takes the name's first
word, the family name (``Thanh Sơn`` for *Bùi Thanh Sơn*, ``Pạm Minh Chính``, ``0 Đức Phớc`` for *Hồ
Đức Phớc*), which no reading of the page gives back. But an office signs with the same few people: a
records office's archive has read each of them in full, on a born-digital file, a clean scan or a
clerk's correction. A name whose first word is no family name takes the one name that the archive has
under the same issuer and that ends with the same given names (marks aside: the archive's marks are
kept). Never when two names fit, never from fewer than two given names, never for a name read whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..lm import SURNAMES
from ..lm.signers import is_name, listed
from ..lm.vietnamese import is_syllable
from ..lm.vietnamese import syllable_key as key
from .parse import canonical_role, fold

#: The confidence of a name completed from the archive: the given names were read, the rest is known.
KNOWN_CONF = 0.6
#: Given names that must agree (a single given name, ``Sơn``, fits too many people).
GIVEN_NAMES = 2


def lacks_family_name(name: str | None) -> bool:
    """Whether ``name`` opens with no family name (a name read whole opens with one): the only names
    :func:`known_signer` completes, so a caller asks the archive for its names only then."""
    return bool(name and name.split() and name.split()[0] not in SURNAMES)


def known_signer(
    name: str | None, issuer: str | None, known: Iterable[tuple[str | None, str | None]]
) -> str | None:
    """The full name ``name`` is (read under ``issuer``), from ``known``: (issuer, signer's name) of
    the documents the archive holds; None when ``name`` is whole, or no single known name fits."""
    if not issuer or not lacks_family_name(name):
        return None
    words = (name or "").split()
    for given in (words, words[1:]):  # the family name lost, or read as a scrap (``Pạm``, ``Tại``)
        if len(given) < GIVEN_NAMES:
            continue
        tail = [fold(w) for w in given]
        fits = {
            full
            for body, full in known
            if body and full and fold(body) == fold(issuer)
            and full.split()[0] in SURNAMES
            and len(full.split()) > len(given)
            and [fold(w) for w in full.split()[-len(given) :]] == tail
        }  # fmt: skip
        if len(fits) == 1:
            return fits.pop()
        if fits:
            return None  # two people fit: not guessed
    return None


#: The confidence of a name taken from the list of signers: part of it was read, the list gave the rest.
LISTED_CONF = 0.5
#: Letters of the listed name a reading must give back (``hành Long``: 8; ``Dũng`` alone, 4, fits two).
LISTED_LETTERS = 6
#: Rows under the title the name is looked for in (the name, the signature's scrawl and the seal between).
LISTED_ROWS = 6


def listed_signer(rows: Sequence[str], title: str | None) -> tuple[int, str] | None:
    """The name of the list of signers (:func:`ocr_ingest.lm.signers.listed`: the names real legal text
    prints under each title) that one of ``rows`` (the signing column's rows under the title, top to
    bottom) is a part of, or a letter off: (row index, name); None when no row is, or two names fit.

    A row fits a listed name when its last words are the name's last words, read from the end: each
    the same word marks aside, its first one (the seal's side) may be the word's end (``hành`` of
    *Thành*, ``ộc`` of *Quốc*: the rim took the first letters), and one word of a name read whole may
    be a letter off (``Đồng`` for *Hồng*). It must give back :data:`LISTED_LETTERS` letters at least,
    two of the name's words, and the last; only names listed under ``title`` (the decree's spelling,
    :func:`.parse.canonical_role`) are tried. A row that is a name as read (a family name first) ends the look."""
    role = canonical_role(title) if title else None
    if role is None:
        return None
    names = sorted({name for t, name, _ in listed() if canonical_role(t) == role})
    for i, row in enumerate(rows[:LISTED_ROWS]):
        words = re.findall(r"[^\W\d_]+", row)
        if not words:
            continue
        if any(_spelt_alike(words, name.split()) for name in names):
            return None  # the page's name, listed (``Hoà`` or ``Hòa``: the page's spelling stays)
        fits = {name for name in names if _fits(words, name.split())}
        if len(fits) == 1:
            return i, _as_the_page_spells(words, fits.pop().split())
        if fits or is_name(row.strip()):
            return None  # two people fit, or the page's own name: the block's name is read
    return None


def _fits(read: list[str], name: list[str]) -> bool:
    letters, matched, slips = 0, 0, 0
    for k in range(1, min(len(read), len(name)) + 1):
        got, want = fold(read[-k]), fold(name[-k])
        if got == want:
            letters, matched = letters + len(want), matched + 1
            continue
        cut = got if want.endswith(got) else got[1:] if want.endswith(got[1:]) else ""
        if len(cut) >= 2 and all(_scrap(w) for w in read[:-k]):
            letters, matched = letters + len(cut), matched + 1
            break  # the seal's side: nothing before this word is the name's
        whole = len(read) == len(name) and read[0] in SURNAMES
        if (
            whole
            and slips == 0
            and len(got) == len(want)
            and sum(a != b for a, b in zip(got, want, strict=True)) == 1
        ):
            letters, matched, slips = letters + len(want) - 1, matched + 1, 1
            continue
        return False
    return matched >= 2 and letters >= LISTED_LETTERS and (slips == 0 or matched == len(name))


def _scrap(word: str) -> bool:
    """A seal's or a signature's stroke read as letters (``M``, ``w``, ``Ñ``): no syllable of two letters."""
    return len(word) <= 1 or not is_syllable(word)


def _spelt_alike(read: list[str], name: list[str]) -> bool:
    """The same syllables, the tone's place aside (``Nguyễn Hoà Bình`` is *Nguyễn Hòa Bình*)."""
    return len(read) == len(name) and all(_same_syllable(a, b) for a, b in zip(read, name, strict=True))


def _as_the_page_spells(read: list[str], name: list[str]) -> str:
    """The listed name with each word the page gave whole in the page's spelling (``Hoà Bình`` →
    *Nguyễn Hoà Bình*: the tone's place is the document's)."""
    tail = [a if _same_syllable(a, b) else b for a, b in zip(read[::-1], name[::-1], strict=False)]
    return " ".join(name[: len(name) - len(tail)] + tail[::-1])


def _same_syllable(a: str, b: str) -> bool:
    """One syllable, written alike but for the tone's place (``Hoà``, ``Hòa``), the case of its first letter too."""
    return key(a) == key(b) and a[:1] == b[:1]
