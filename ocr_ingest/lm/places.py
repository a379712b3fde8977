"""Province names restored from their closed list: ``Đäk Läk``, ``Đák Lắk``, ``ĐÁK LẮK`` → ``Đắk Lắk``.

Why: a province name opens the place-and-date line, ends the issuing body (``ỦY BAN NHÂN DÂN TỈNH
…``) and recurs in the subject and the recipients, so one wrong mark costs several fields. The
bigram model cannot help: names of the Central Highlands end in *k* (``Đắk``, ``Lắk``), which no
Vietnamese syllable does, and on bilevel scans the breve-and-acute reads as a diaeresis or a tilde.
The list is closed and public (the 63 provinces and centrally-run cities before the 2025 merger;
the 34 after it kept names from among them, and older documents carry the rest), so a run of
capitalised words that is one of them once every mark is set aside is that name. A run opening with
a family name (``Lâm Đồng``, ``Hà Nam``, ``Thái Bình``) might be a person: it is only restored after
``tỉnh`` / ``thành phố`` or before ``, ngày``. What the author spelt with the other tone placement
(``Khánh Hoà``) is left as written.

A letter wrong (``Đák Lủk, ngày``) is restored only in the place-and-date line and only to a province
the same page names right (the header's ``TỈNH ĐẮK LẮK``), and never when the page also names the run
as read: real districts sit one letter from a province (``Đắk Song`` / ``Đắk Nông``, ``Hà Tiên`` /
``Hà Tĩnh``), and a district's own page names it in its header.

Any place, on the list or not (a district: ``Krông Pắc``), that the place-and-date line and the
header both name, read with different marks (``HUYỆN ỦY KRÔNG PÁC`` / ``Krông Pắc, ngày``), is one
name: the reading the engine was less sure of takes the other's marks (``agree``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .vietnamese import strip_diacritics, syllable_key

if TYPE_CHECKING:  # the words of a page (text.tesseract.Word): read, never built, here
    from ..text.tesseract import Word

PROVINCES = (
    "An Giang",
    "Bà Rịa",  # Bà Rịa - Vũng Tàu: each half is a name of its own
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hồ Chí Minh",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lâm Đồng",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vũng Tàu",
    "Vĩnh Phúc",
    "Yên Bái",
)
_CUES = ("tỉnh", "phố")  # ``tỉnh X``, ``thành phố X``


def fold(word: str) -> str:
    """Every mark set aside, the foreign ones the engine invents (ä, ã on a breve) too."""
    return strip_diacritics(word).lower()


_BY_FIRST: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
for _p in PROVINCES:
    _BY_FIRST.setdefault(fold(_p.split()[0]), []).append(
        (tuple(fold(w) for w in _p.split()), tuple(_p.split()))
    )


def restore(
    words: Sequence[Word], cores: Sequence[tuple[str, str, str] | None], surnames: frozenset[str]
) -> list[tuple[int, Word]]:
    """``(index, new word)`` for each word of a province name read with wrong marks, or with a letter
    wrong before ``, ngày`` (see the module's doc). ``cores``: each word as (leading punctuation,
    letters, trailing punctuation), ``None`` if not a word."""
    folds = [fold(c[1]) if c and c[1][:1].isupper() else None for c in cores]
    out: list[tuple[int, Word]] = []
    named: set[tuple[str, ...]] = set()
    for i, first in enumerate(folds):
        for folded, name in _BY_FIRST.get(first, []) if first else []:
            n = len(name)
            if tuple(folds[i : i + n]) != folded or any(c[2] for c in cores[i : i + n - 1]):
                continue
            named.add(name)
            out += _respelt(words, cores, i, name, surnames)
    for i in range(len(cores)):
        for name in named:
            n = len(name)
            run = folds[i : i + n]
            if (
                len(run) == n
                and None not in run
                and _one_letter_off(" ".join(run), " ".join(fold(w) for w in name))
                and _dated(cores, i, n)
                and not _named_elsewhere(folds, tuple(run), i)
            ):
                out += _respelt(words, cores, i, name, frozenset())
    return out


def agree(words: Sequence[Word], cores: Sequence[tuple[str, str, str] | None]) -> list[tuple[int, Word]]:
    """``(index, new word)`` for each word of a place named in the place-and-date line and in capitals
    elsewhere on the page with other marks, respelt after the surer of the two readings."""
    out: list[tuple[int, Word]] = []
    for end, core in enumerate(cores):
        if not (core and core[2].startswith(",") and _dated(cores, end, 1)):
            continue
        start = end
        while start > 0 and (c := cores[start - 1]) and not c[2] and c[1][:1].isupper() and end - start < 3:
            start -= 1
        line = [c[1] for c in cores[start : end + 1] if c]
        if len(line) < end - start + 1 or not line[0][:1].isupper():
            continue
        n, folded = len(line), tuple(fold(w) for w in line)
        for j in range(len(cores) - n + 1):
            other = [c[1] if c else "" for c in cores[j : j + n]]
            if j == start or not all(w.isupper() for w in other) or tuple(map(fold, other)) != folded:
                continue
            differ = [k for k in range(n) if not _same_spelling(line[k], other[k])]
            if not differ:
                continue
            sure_line = min(words[start + k].conf for k in differ)
            sure_other = min(words[j + k].conf for k in differ)
            if sure_line == sure_other:
                continue
            at, name = (
                (j, tuple(line)) if sure_line > sure_other else (start, tuple(w.capitalize() for w in other))
            )
            out += _respelt(words, cores, at, name, frozenset())
    return out


def _respelt(
    words: Sequence[Word],
    cores: Sequence[tuple[str, str, str] | None],
    i: int,
    name: tuple[str, ...],
    surnames: frozenset[str],
) -> list[tuple[int, Word]]:
    """The run at ``i`` spelt as ``name``, word by word; nothing when it already is, or when it may be a
    person's name without a cue."""
    run = cores[i : i + len(name)]
    if all(_same_spelling(c[1], w) for c, w in zip(run, name, strict=True)):
        return []
    if name[0] in surnames and not _cued(cores, i, len(name)):
        return []
    out = []
    for k, (c, w) in enumerate(zip(run, name, strict=True)):
        if not _same_spelling(c[1], w):
            new = w.upper() if c[1].isupper() and len(c[1]) > 1 else w
            out.append((i + k, replace(words[i + k], text=c[0] + new + c[2])))
    return out


def _one_letter_off(a: str, b: str) -> bool:
    """One letter changed (the same length, one place differs)."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _named_elsewhere(folds: Sequence[str | None], run: tuple[str, ...], at: int) -> bool:
    n = len(run)
    return any(tuple(folds[j : j + n]) == run for j in range(len(folds)) if j != at)


def _same_spelling(read: str, right: str) -> bool:
    """Equal but for case and old/new tone placement (``Hoà`` / ``Hòa``)."""

    a, b = syllable_key(read), syllable_key(right)  # tone-normalised
    return read.lower() == right.lower() or (a is not None and a == b)


def _cued(cores: Sequence[tuple[str, str, str] | None], i: int, n: int) -> bool:
    before = cores[i - 1] if i > 0 else None
    if before and not before[2] and before[1].lower() in _CUES:
        return True
    return _dated(cores, i, n)


def _dated(cores: Sequence[tuple[str, str, str] | None], i: int, n: int) -> bool:
    """The run opens a place-and-date line: ``…, ngày``."""
    after = cores[i + n] if i + n < len(cores) else None
    last = cores[i + n - 1]
    return bool(last and last[2].startswith(",") and after and after[1].lower() == "ngày")
