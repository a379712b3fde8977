"""The mark pass: what the first reading missed or garbled around grey seals and signatures, read again
with the marks lifted."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from preprocess.marks import mark_boxes, remove_marks

from . import clean
from .boxes import believed, overlap, swapped
from .engines import OcrEngine
from .prepare import Prepared
from .tesseract import Word

MARK_PAD = 0.25  # the box read again around a mark: this share of its height above and below
MARK_WORD_CONF = 60.0  # words of the second reading kept from this confidence
PRINT = 0.65  # in a mark's box, print is darker than this share of the page's ink/paper threshold
MARK_PASS_MM = 20.0  # marks this tall are read again: a seal (~35 mm) with its signature; a lone
#                      scribble or a hand-written figure is not taken for a picture (and costs a reading)


def words_by_marks(page: Prepared, words: list[Word], engine: OcrEngine) -> list[Word]:
    """The page's words with what its reading missed or garbled around grey seals and signatures read
    again, the marks lifted.

    Why: Tesseract's page segmentation takes a seal with the signature across it for a picture and
    blanks that region with a margin; the signer's title just above the seal (``THỨ TRƯỞNG`` under
    ``KT. BỘ TRƯỞNG``) falls inside and has no word in the TSV, and the name the seal's rim crosses
    comes back cut (``Vũ Phu`` for *Vũ Thị Thu Tâm*). Lifting the marks from the whole page instead
    (``preprocess.marks.remove_marks``) brought the titles back but cost recipients: without the
    picture, Tesseract joins the recipients' column and the signer's into one text line and reads the
    left half as junk. So only the mark's box (and a margin) is read again, as one block, twice:
    with the marks lifted, for the words the first reading has nothing believed at (the title); and
    with everything lighter than print whited out (``PRINT``: the seal's ink is lighter than the name
    printed over it; lifting the marks also takes bits of the letters they touch), for lines that
    say more than the first reading's words under them (``_believed``: the name). Words must be
    clear of the crop's edge and believed. A line of the second kind where the first reading had
    nothing is not taken: there it read a received stamp's print or a signature's loops as words.
    """
    h, w = page.image.shape[:2]
    out = list(words)
    tall = MARK_PASS_MM * page.dpi / 25.4
    marks = [(k, box) for k, box in enumerate(mark_boxes(page.image, dpi=page.dpi)) if box[3] >= tall]
    if not marks:
        return out
    level, _ = cv2.threshold(page.image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    for k, (x, y, bw, bh) in marks:
        pad = round(MARK_PAD * bh)
        box = (max(0, x - pad), max(0, y - pad), min(w, x + bw + pad), min(h, y + bh + pad))
        x0, y0, x1, y1 = box
        sure = [u for u in out if u.conf >= clean.MIN_WORD_CONF]  # the others are dropped anyway
        lifted, _ = remove_marks(page.image[y0:y1, x0:x1], dpi=page.dpi)
        out += [
            v for v in _mark_reading(lifted, box, k, page, engine) if not any(overlap(v, u) for u in sure)
        ]
        printed = page.image[y0:y1, x0:x1].copy()
        printed[printed > PRINT * level] = 255
        lines: dict[tuple[int, int], list[Word]] = {}
        for v in _mark_reading(printed, box, k, page, engine):
            lines.setdefault((v.par, v.line), []).append(v)
        for line in lines.values():
            covered = [u for u in out if any(overlap(v, u) for v in line)]
            if covered and believed(line) > believed(covered):
                out = swapped(out, covered, line)
    return out


def _mark_reading(
    crop: np.ndarray, box: tuple[int, int, int, int], k: int, page: Prepared, engine: OcrEngine
) -> list[Word]:
    """A mark's box read as one block: its believed words clear of the crop's edge, in page pixels."""
    x0, y0, x1, y1 = box
    found = []
    for v in engine.recognise(crop, dpi=page.dpi, psm=6):
        v = replace(
            v, left=v.left + x0, right=v.right + x0, top=v.top + y0, bottom=v.bottom + y0, block=1000 + k
        )
        inside = v.left > x0 + 2 and v.right < x1 - 2 and v.top > y0 + 2 and v.bottom < y1 - 2
        if inside and v.conf >= MARK_WORD_CONF:
            found.append(v)
    return found
