"""Upsample low-resolution scans: available, and off by default, because we measured it not to help.

Tesseract's LSTM rescales every text line to its own input height, so upsampling the page adds no
detail, only interpolation (and pixels for the layout analysis to walk). On our scans (CER, same
pages): the hard 200 dpi scans read 0.18 % / 0.46 % at their own resolution and 0.24 % / 0.43 %
upsampled to 300 dpi; the Gò Quao notice scanned at 150 dpi (x-height ~12 px) read 2.5 % as it is
and 4.0 % upsampled, at 120 dpi 3.4 % against 6.2 %. Upsampled, Tesseract took ~1.6× as long.
Another engine may want 300 dpi pages: ``target_dpi`` (``--target-dpi``) asks for them.
"""

from __future__ import annotations

import cv2
import numpy as np

from . import StepReport


def upsample(image: np.ndarray, dpi: int, *, target_dpi: int = 0) -> tuple[np.ndarray, int, StepReport]:
    """Scale ``image`` from ``dpi`` up to ``target_dpi`` (never down; 0: leave it); returns image, new
    dpi, report."""
    if dpi <= 0 or target_dpi <= 0 or dpi >= target_dpi * 0.95:
        return image, dpi, StepReport("upsample", False, {"dpi": dpi})
    f = target_dpi / dpi
    out = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)
    return out, target_dpi, StepReport("upsample", True, {"from_dpi": dpi, "to_dpi": target_dpi})
