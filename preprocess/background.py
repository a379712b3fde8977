"""Flatten uneven lighting: divide the page by an estimate of its blank-paper brightness.

A curled page or a lid left ajar darkens one side; a global threshold then eats the text there.
The paper estimate is a large-kernel morphological closing (removes the text) on a downscaled copy,
which costs little and follows gradients, not letters.
"""

from __future__ import annotations

import cv2
import numpy as np

from . import StepReport


def flatten_background(grey: np.ndarray, *, dpi: int = 300) -> tuple[np.ndarray, StepReport]:
    """Grey page → grey page on evenly white paper. Reports the paper brightness range (0–255)."""
    scale = 0.25
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    k = max(3, int(dpi * scale * 0.12) | 1)  # ~3 mm: wider than a stroke, narrower than a shadow
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    paper = cv2.GaussianBlur(paper, (0, 0), k)
    lo, hi = np.percentile(paper, [1, 99])  # on the small copy: the same smooth surface, 1/16 the work
    paper = cv2.resize(paper, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    out = cv2.divide(grey, np.maximum(paper, 1), scale=255)
    changed = bool(hi - lo > 12)
    return out, StepReport("flatten_background", changed, {"paper_min": int(lo), "paper_max": int(hi)})
