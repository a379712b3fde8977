"""Clear dark scanner borders and edge shadows, which OCR reads as rows of "|" and "l".

Only ink that touches the page edge and is large (long along the edge, or a big blob) is removed,
so text near a margin is safe.
"""

from __future__ import annotations

import cv2
import numpy as np

from . import StepReport


def clean_borders(grey: np.ndarray) -> tuple[np.ndarray, StepReport]:
    """Whiten large dark regions connected to the page edge; reports the share of the page cleared."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    frame = np.concatenate([ink[0], ink[-1], ink[:, 0], ink[:, -1]])
    if not frame.any():  # nothing dark touches the edge: the common case after deskew's white fill
        return grey, StepReport("clean_borders", False, {"cleared_fraction": 0.0})
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = grey.shape
    out = grey
    cleared = 0
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        touches = x == 0 or y == 0 or x + bw >= w or y + bh >= h
        if touches and (bw > 0.3 * w or bh > 0.3 * h or area > 0.002 * w * h):
            if out is grey:
                out = grey.copy()
            out[labels == i] = 255
            cleared += int(area)
    return out, StepReport("clean_borders", cleared > 0, {"cleared_fraction": round(cleared / (w * h), 5)})
