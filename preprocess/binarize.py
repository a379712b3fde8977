"""Binarisation: black text on white, for callers that want a bilevel page.

Tesseract's LSTM reads the grey image and binarises only for layout, so the pipeline measures grey vs
binarised input (see ``bench/``) rather than assuming. Otsu after background flattening is enough:
flattening has already removed the gradients that call for a local (Sauvola) threshold.
"""

from __future__ import annotations

import cv2
import numpy as np

from . import StepReport


def binarize(grey: np.ndarray) -> tuple[np.ndarray, StepReport]:
    """Grey → 0/255 image by Otsu's threshold; reports the threshold and the ink share."""
    threshold, out = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return out, StepReport(
        "binarize", True, {"threshold": int(threshold), "ink_fraction": round(float((out == 0).mean()), 4)}
    )
