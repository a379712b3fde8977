"""Lift seals and signatures off a grey page, keeping the print they overlap.

Why: Tesseract's page segmentation takes a seal (a ring, rim letters and a filled star) with the
signature across it for a picture and blanks that region with a margin around it; the signer's title
just above the seal falls inside and is never read (its TSV has no word there, only the picture's
box, which begins above the title). The margin is counted in pixels, so on a page that
``fit_letter_height`` shrank it reaches further: the same title is read on the full-size page. A title
the region misses is often fused with the ring's top into one tall line and read as junk (``PHÓ CHỦ
TỊCH`` → ``TỦ KENN NO``).
On a grey scan the coloured inks come out mid-grey and the print near black, so the marks can go by
shape *and* tone: an ink blob taller than any letter (≥ 10 mm; print, capitals with their marks, is
under 7 mm) that is not a ruling (a table grid, a frame, a rule) loses every pixel except the dark
cores of the print lying on it (and two pixels around them for the letters' soft edges), and so
does every lighter pixel in its box (the rim letters, blobs of their own). On a bilevel
scan ink is all black: nothing can be told apart there, and the step leaves the page alone.
Run on the deskewed, upright page (a skewed grid's lines are not straight runs). The pipeline lifts
the marks only in a second reading of each mark's box (``ocr_ingest.pipeline.words_by_marks``), not
on the whole page: without the picture Tesseract joins the recipients' and the signer's columns into
one text line and reads the recipients as junk.
"""

from __future__ import annotations

import cv2
import numpy as np

from . import StepReport

MARK_MM = 10.0  # blob height from which ink is not a letter
RULING_SPAN = 0.6  # straight runs across this share of a blob's width (height) make it a ruling, frame
RULING_SHARE = 0.3  # or grid (kept), when this share of its pixels lies on them; a ring's longest run
#                     is a third of its diameter
MAX_DARK = 0.5  # a mark is mostly lighter than print; more dark pixels than this and it is left alone
CORE = 0.45  # print's stroke cores are darker than this fraction of the ink/paper threshold


def mark_boxes(grey: np.ndarray, *, dpi: int = 300) -> list[tuple[int, int, int, int]]:
    """Boxes (x, y, w, h) of the grey marks on a page: ink blobs taller than any letter, not rulings,
    mostly lighter than print (none on a bilevel page, where all ink is black)."""
    if min(grey.shape[:2]) < 16 or dpi <= 0:
        return []
    threshold, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    core = CORE * threshold
    boxes = []
    for i in np.flatnonzero(stats[1:, cv2.CC_STAT_HEIGHT] >= MARK_MM * dpi / 25.4) + 1:
        x, y, w, h, area = (int(v) for v in stats[i])
        blob = labels[y : y + h, x : x + w] == i
        if _ruling_share(blob) >= RULING_SHARE:
            continue
        if ((grey[y : y + h, x : x + w] <= core) & blob).sum() > MAX_DARK * area:  # black ink: no tone
            continue
        boxes.append((x, y, w, h))
    return boxes


def remove_marks(grey: np.ndarray, *, dpi: int = 300) -> tuple[np.ndarray, StepReport]:
    """Whiten seal and signature ink on a grey page (white paper, as after ``flatten_background``),
    keeping dark print inside it; returns image, report (marks lifted, share of the page whitened)."""
    boxes = mark_boxes(grey, dpi=dpi)
    if not boxes:
        return grey, StepReport("remove_marks", False, {"marks": 0, "cleared_fraction": 0.0})
    threshold, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    out, cleared = grey.copy(), 0
    for x, y, w, h in boxes:
        crop = out[y : y + h, x : x + w]
        # print: strokes at least 2 px wide; specks of noise in the seal's ink are not
        dark = cv2.morphologyEx(
            (crop <= CORE * threshold).view(np.uint8), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)
        )
        keep = cv2.dilate(dark, np.ones((5, 5), np.uint8)).view(bool)
        # the whole box, not only the blob: the rim letters are blobs of their own
        lift = (crop < 255) & ~keep
        crop[lift] = 255
        cleared += int(lift.sum())
    details = {"marks": len(boxes), "cleared_fraction": round(cleared / grey.size, 5)}
    return out, StepReport("remove_marks", True, details)


def _ruling_share(blob: np.ndarray) -> float:
    """Share of the blob's pixels on straight horizontal or vertical runs across most of it."""
    b = blob.view(np.uint8)
    h, w = b.shape
    horizontal = cv2.morphologyEx(b, cv2.MORPH_OPEN, np.ones((1, max(3, round(RULING_SPAN * w))), np.uint8))
    vertical = cv2.morphologyEx(b, cv2.MORPH_OPEN, np.ones((max(3, round(RULING_SPAN * h)), 1), np.uint8))
    return float(cv2.countNonZero(horizontal | vertical)) / max(1, cv2.countNonZero(b))
