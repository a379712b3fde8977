"""Smooth away scanner noise and JPEG speckle just before OCR.

Why a Gaussian of about one pixel at 300 dpi: Tesseract's LSTM was trained on clean anti-aliased
renders, and on noisy scans it reads isolated specks as ``-``, ``.`` or ``:`` and misreads diacritics.
Measured on our fixture scans (character error rate, same pages): no smoothing 0.40 % / 2.15 % / 1.65 %
(standard / hard / hard 6-page), median 3×3 0.23 / 0.28 / 0.39 %, Gaussian σ=0.6 px 0.14 / 0.45 / 0.68 %,
σ=1.0 px 0.014 / 0.31 / 0.36 %, σ=1.3 px 0.04 / 0.66 / 0.69 %. Strokes of 13 pt text are 3–4 px wide at
300 dpi, so σ=1 px softens noise without merging letters.
"""

from __future__ import annotations

import cv2
import numpy as np

from . import StepReport


def noise_level(grey: np.ndarray) -> float:
    """Estimated noise sigma (grey levels): median absolute Laplacian, robust to text; over the
    middle quarter of the page and every other row and column of it, which gives the same median at
    a fraction of the cost (it is reported, not used)."""
    h, w = grey.shape[:2]
    middle = grey[h // 4 : h - h // 4, w // 4 : w - w // 4] if min(h, w) >= 64 else grey
    lap = cv2.Laplacian(middle, cv2.CV_16S)[::2, ::2]
    return float(np.median(np.abs(lap)) * 1.4826 / 2.83)


def denoise(grey: np.ndarray, *, dpi: int = 300, sigma_at_300: float = 1.0) -> tuple[np.ndarray, StepReport]:
    """Gaussian-smooth a grey page (σ scales with dpi); reports the noise level before and after."""
    before = noise_level(grey)
    out = cv2.GaussianBlur(grey, (0, 0), sigma_at_300 * dpi / 300.0)
    details = {"sigma_px": round(sigma_at_300 * dpi / 300.0, 2), "noise_before": round(before, 2)}
    details["noise_after"] = round(noise_level(out), 2)
    return out, StepReport("denoise", True, details)
