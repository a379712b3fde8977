"""Word boxes: a reading's words swapped for another's, how much a reading says, boxes that overlap,
boxes on one printed row, boxes stretched over the next line cut back to their letters. Shared by the
second-reading passes (and the fields, which group a heading's words into rows the same way)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol, TypeVar

import numpy as np

from . import clean
from .tesseract import Word


def swapped(words: list[Word], old: Sequence[Word], new: list[Word]) -> list[Word]:
    """The page's words with ``old`` (these very words) taken out and a second reading's ``new`` in.

    A new word that repeats an old one (same text, same place) keeps the higher of the two beliefs:
    two readings that agree are surer than either. Why: Tesseract gives a line it reads next to
    another's ink (a received stamp under the number line) a confidence of 0 for every word, and
    ``Số: 20 /2025/QĐ-UBND``, read right by both readings, was then dropped as unsure."""
    gone = {id(u) for u in old}
    kept = [u for u in words if id(u) not in gone]
    return kept + [_agreed(v, old) for v in new]


def _agreed(word: Word, old: Sequence[Word]) -> Word:
    """``word`` with the belief of the old words it repeats: those whose middles it covers, read as the
    same characters (one word, or several the new reading ran together: ``20 /2025/QĐ-UBND``)."""
    under = sorted(
        (u for u in old if word.left <= (u.left + u.right) / 2 <= word.right and overlap(u, word)),
        key=lambda u: u.left,
    )
    if not under or "".join(u.text for u in under) != word.text:
        return word
    conf = min(u.conf for u in under)
    return replace(word, conf=conf) if conf > word.conf else word


def believed(words: list[Word]) -> float:
    """Characters the page will keep (words the engine believes), each weighed by the engine's belief:
    which of two readings says more, and more surely."""
    return sum(len(u.text) * u.conf / 100 for u in words if u.conf >= clean.MIN_WORD_CONF)


def overlap(a: Word, b: Word) -> bool:
    """The boxes share more than a third of the smaller one."""
    dx = min(a.right, b.right) - max(a.left, b.left)
    dy = min(a.bottom, b.bottom) - max(a.top, b.top)
    if dx <= 0 or dy <= 0:
        return False
    small = min((a.right - a.left) * (a.bottom - a.top), (b.right - b.left) * (b.bottom - b.top))
    return dx * dy > small / 3


TALL_BOX = 1.5  # a word box this many times its line's median height is looked at again
BOX_GAP = 0.25  # of the line's height: blank rows this many or fewer (a mark above a capital) do not cut;
# between two lines of text the blank is 0.3–0.5 of a line height
INK = 128  # on a page ready for the engine (flattened paper), ink is darker than this


class Tall(Protocol):
    """Anything with a box's top and bottom (a Tesseract word, a field's word box)."""

    @property
    def top(self) -> float: ...
    @property
    def bottom(self) -> float: ...


T = TypeVar("T", bound=Tall)


def same_row(a: Tall, b: Tall) -> bool:
    """Two boxes on one printed row: they share more than half the shorter one's height."""
    return min(a.bottom, b.bottom) - max(a.top, b.top) > 0.5 * min(a.bottom - a.top, b.bottom - b.top)


def in_rows(boxes: Sequence[T]) -> list[list[T]]:
    """``boxes`` in the order given, split where one leaves the row of the one before for another."""
    rows: list[list[T]] = []
    for b in boxes:
        if rows and same_row(rows[-1][-1], b):
            rows[-1].append(b)
        else:
            rows.append([b])
    return rows


def trim_tall_boxes(image: np.ndarray, words: list[Word]) -> list[Word]:
    """Words whose box Tesseract stretched over the next line down to what they hold.

    Why: an italic bold *Nơi nhận:* at the top of a page, level with the signer's authority, came back
    two lines tall, its box reaching the dash of the first recipient below; layout then read the
    two columns' lines in turns and the whole signature block was lost. A box over 1.5 line heights
    is cut to its most inked run of rows (the word's letters, not the dash or the seal's rim it
    reaches), when that run is a line high; short blanks (between a capital and its mark) do not
    cut it, and a word whose ink runs its box's whole height (a big letter) keeps it. Not the line's
    middle: Tesseract's line may run through the other column, lower down."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        lines.setdefault((w.block, w.par, w.line), []).append(w)
    heights = {
        k: statistics.median(u.bottom - u.top for u in line) for k, line in lines.items() if len(line) >= 3
    }
    out = []
    for w in words:
        height = heights.get((w.block, w.par, w.line))
        if height is None or w.bottom - w.top <= TALL_BOX * height:
            out.append(w)
            continue
        ink = (image[w.top : w.bottom, w.left : w.right] < INK).sum(axis=1)
        top, bottom = _most_inked_run(ink, max(1, round(BOX_GAP * height)))
        cut = bottom - top <= TALL_BOX * height and (w.bottom - w.top) - (bottom - top) > BOX_GAP * height
        out.append(replace(w, top=w.top + top, bottom=w.top + bottom) if cut else w)
    return out


def _most_inked_run(ink: np.ndarray, gap: int) -> tuple[int, int]:
    """``(first, last + 1)`` of the run of inked rows holding the most ink, blanks of at most ``gap``
    rows bridged; the whole span when no row is inked."""
    runs: list[list[int]] = []  # [first, last + 1, ink]
    for row in np.flatnonzero(ink):
        row = int(row)
        if runs and row - runs[-1][1] <= gap:
            runs[-1][1] = row + 1
            runs[-1][2] += int(ink[row])
        else:
            runs.append([row, row + 1, int(ink[row])])
    if not runs:
        return 0, len(ink)
    first, last, _ = max(runs, key=lambda r: r[2])
    return first, last
