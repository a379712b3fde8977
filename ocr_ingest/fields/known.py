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

from collections.abc import Iterable

from ..lm import SURNAMES
from .parse import fold

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
