"""Page resolution for the engine: shrink pages whose letters are bigger than it needs; never enlarge.

Tesseract's LSTM rescales every text line to its own input height, so pixels beyond what the
letters need buy no accuracy, only time: the layout analysis walks every pixel. What matters is the
size of the letters, not the dpi (a 300 dpi scan of 8 pt text is not a 300 dpi scan of 13 pt text),
so ``fit_letter_height`` measures it: the most common height of letter-sized ink blobs, i.e. the
x-height plus the scan's blur. ``bench/bench_letter_height.py`` measures it on the fixture scans: the
standard ones have 13 pt text at 300 dpi, blobs of 27 px; shrunk to 20 px, Tesseract's CPU time for
all 18 pages fell to 0.85× and 0.93× in two runs (the standard pages' alone by ~24 %) and their CER
went from 0.028 % / 0.097 % to 0.014 % / 0.045 %; at 16 px the hard 200 dpi scans (blobs of 18 px)
got worse, 0.17 % → 0.71 % and 0.37 % → 0.60 %, so 20 px keeps a margin. Below 20 px nothing
changes: small print and low-resolution scans stay as they are.
Smaller type on a shrunk page shrinks with it: the 11 pt *Nơi nhận* block under 13 pt body text ends
near 16 px, as it is on our hard 200 dpi scans, which read within their CER bound.

Upsampling stays available and off by default, because we measured it not to help: the hard 200 dpi
scans read 0.18 % / 0.46 % CER at their own resolution and 0.24 % / 0.43 % upsampled to 300 dpi; the
Gò Quao notice scanned at 150 dpi (x-height ~12 px) read 2.5 % as it is and 4.0 % upsampled, at
120 dpi 3.4 % against 6.2 %. Upsampled, Tesseract took ~1.6× as long. Another engine may want
300 dpi pages: ``target_dpi`` (``--target-dpi``) asks for them.
"""

from __future__ import annotations

import cv2
import numpy as np

from . import StepReport

MIN_LETTERS = 100  # fewer letter-sized blobs than this: too little text to measure, leave the page
MODE_SHARE = 0.25  # text has ~half its blobs within 1 px of the common height, a photo or texture ~a tenth


def upsample(image: np.ndarray, dpi: int, *, target_dpi: int = 0) -> tuple[np.ndarray, int, StepReport]:
    """Scale ``image`` from ``dpi`` up to ``target_dpi`` (never down; 0: leave it); returns image, new
    dpi, report."""
    if dpi <= 0 or target_dpi <= 0 or dpi >= target_dpi * 0.95:
        return image, dpi, StepReport("upsample", False, {"dpi": dpi})
    f = target_dpi / dpi
    out = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)
    return out, target_dpi, StepReport("upsample", True, {"from_dpi": dpi, "to_dpi": target_dpi})


def letter_height(grey: np.ndarray) -> int | None:
    """The most common height in px of letter-sized dark blobs on a white page; ``None`` when the page
    has too little text to tell. Diacritics and specks are smaller, words in capitals and seals'
    strokes larger, so the mode is the lower-case letters'. Measured on the middle half of the page
    (body text; half the cost), or the whole page when that has too little."""
    h = grey.shape[0]
    return _letter_height(grey[h // 4 : 3 * h // 4]) or _letter_height(grey)


def _letter_height(grey: np.ndarray) -> int | None:
    if min(grey.shape[:2]) < 16:  # no room for a line of text (and OpenCV crashes on empty input)
        return None
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    letters = h[(h >= 8) & (h <= 120) & (w >= 2) & (w <= 2 * h)]
    if letters.size < MIN_LETTERS:
        return None
    counts = np.bincount(letters)
    mode = int(np.argmax(counts))
    if counts[mode - 1 : mode + 2].sum() < MODE_SHARE * letters.size:  # no common size: not text
        return None
    return mode


def fit_letter_height(
    grey: np.ndarray, dpi: int, *, letter_px: int = 0
) -> tuple[np.ndarray, int, StepReport]:
    """Shrink the page so its letters are ``letter_px`` high (0: leave it; never enlarge, and not for
    less than a 10 % gain); returns image, the dpi the engine should be told, report."""
    if letter_px <= 0:
        return grey, dpi, StepReport("fit_letter_height", False, {"dpi": dpi})
    height = letter_height(grey)
    if height is None or height <= letter_px / 0.9:
        details: dict[str, float | int | str] = {"dpi": dpi, "letter_px": height or 0}
        return grey, dpi, StepReport("fit_letter_height", False, details)
    f = letter_px / height
    out = cv2.resize(grey, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    new_dpi = max(1, round(dpi * f))
    details = {"from_dpi": dpi, "to_dpi": new_dpi, "letter_px": height, "to_letter_px": letter_px}
    return out, new_dpi, StepReport("fit_letter_height", True, details)
