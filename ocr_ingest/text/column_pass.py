"""The column pass: two-column blocks whose lines the engine joined across the gutter, read again one
column at a time (the recipients' list beside the signer's title)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from preprocess.frames import Box
from preprocess.marks import remove_marks

from . import clean
from .boxes import believed, swapped
from .engines import OcrEngine
from .layout import column_bands
from .prepare import Prepared
from .tesseract import Word

BAND_PAD = 0.5  # a band is read again with this share of a line height above and below it
SKEWED_ROW = 0.3  # a line whose two sides' middles differ by this share of a word height is two lines


def reread_columns(
    page: Prepared, words: list[Word], engine: OcrEngine, blank: Sequence[Box] = ()
) -> list[Word]:
    """The two-column blocks whose lines the engine joined across the gutter, read again one column at
    a time; a side's words replaced where the new reading says more.

    Why: the recipients' list (small type, single spacing) and the signer's title beside it (larger,
    a line lower) sit on nearly the same rows; Tesseract fits one text line through both and reads the
    side that is off its baseline as junk (``- Đài PT-TH tỉnh;`` → ``-Eaïtrilsridir``, confidence 0,
    then dropped: a recipient lost). Apart, each column's lines are straight.
    Which bands: those with a line of the engine's that has words on both sides of the gutter whose
    middles differ by a good part of a word's height, or a word it does not believe; header rows read
    across the gutter at one height are left alone and cost nothing. Which reading: per side, the one
    that says more (characters in words the engine believes, weighed by its confidence): a junk line
    says nothing, and the new reading is not always better (a banner's two lines came back as one, a
    name under a seal lost its first word). ``blank``: boxes whose words were set aside (received stamps),
    whited out first. On a grey page the seal and signature are lifted from each column before the
    reading (a seal's rim letters next to the title were read into it: ``-T/L``); lifted from the
    whole page they made Tesseract join the columns' lines (``words_by_marks``), one column at a time
    they cannot; inside frames the ink stays (a received stamp's big grey ``ĐẾN`` tells the stamp).
    """
    h, w = page.image.shape[:2]
    out = words
    for k, band in enumerate(column_bands(clean.drop_specks(words))):
        inside = [u for u in out if band.top <= (u.top + u.bottom) / 2 <= band.bottom]
        if not _joined_across(inside, band.gutter):
            continue
        height = statistics.median(u.bottom - u.top for u in inside)
        y0, y1 = max(0, round(band.top - BAND_PAD * height)), min(h, round(band.bottom + BAND_PAD * height))
        for side, (x0, x1) in enumerate(((0, round(band.gutter)), (round(band.gutter), w))):
            fresh = []
            crop = page.image[y0:y1, x0:x1]
            if blank:
                crop = crop.copy()
                for bx, by, bw, bh in blank:
                    crop[max(0, by - y0) : max(0, by + bh - y0), max(0, bx - x0) : max(0, bx + bw - x0)] = 255
            if not page.bilevel:
                crop = _lift_marks_outside(
                    crop, page.dpi, [(fx - x0, fy - y0, fw, fh) for fx, fy, fw, fh in page.frames]
                )
            for v in engine.recognise(crop, dpi=page.dpi, psm=4):
                v = replace(
                    v, left=v.left + x0, right=v.right + x0, top=v.top + y0, bottom=v.bottom + y0,
                    block=2000 + 2 * k + side,
                )  # fmt: skip
                if band.top <= (v.top + v.bottom) / 2 <= band.bottom:
                    fresh.append(v)
            first = [u for u in inside if ((u.left + u.right) / 2 < band.gutter) == (side == 0)]
            if believed(fresh) >= believed(first):
                out = swapped(out, first, fresh)
    return out


def _lift_marks_outside(crop: np.ndarray, dpi: int, frames: list[Box]) -> np.ndarray:
    """The crop with seals and signatures lifted, except inside frames (a received stamp's ink is
    grey too, and its big ``ĐẾN`` is what tells it)."""
    lifted, report = remove_marks(crop, dpi=dpi)
    if not report.changed:
        return crop
    for x, y, w, h in frames:
        xs, ys = slice(max(0, x), max(0, x + w)), slice(max(0, y), max(0, y + h))
        lifted[ys, xs] = crop[ys, xs]
    return lifted


def _joined_across(words: list[Word], gutter: float) -> bool:
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for u in words:
        lines.setdefault((u.block, u.par, u.line), []).append(u)
    for line in lines.values():
        left = [(u.top + u.bottom) / 2 for u in line if (u.left + u.right) / 2 < gutter]
        right = [(u.top + u.bottom) / 2 for u in line if (u.left + u.right) / 2 >= gutter]
        if not left or not right:
            continue
        height = statistics.median(u.bottom - u.top for u in line)
        if abs(statistics.median(left) - statistics.median(right)) > SKEWED_ROW * height:
            return True
        if any(u.conf < clean.MIN_WORD_CONF for u in line):
            return True
    return False
