"""Deskew: measure the text-line angle by projection profiles and rotate it away.

Why our own estimator and not the ``deskew`` package: that one averaged 16.6° error on DISE 2021.
Projecting the ink pixels onto the vertical axis at candidate angles and keeping the sharpest profile
(highest sum of squared bin counts) is the classic method and, on whole pages of running text, lands
within a few hundredths of a degree. Coarse-to-fine search (0.25°, then 0.025°) keeps it to ~50 ms a page.
Angles are degrees, counter-clockwise positive, as ``cv2.getRotationMatrix2D`` uses them.
"""

from __future__ import annotations

import cv2
import numpy as np

from . import StepReport

_WORK_WIDTH = 1600  # px: enough for 0.02° resolution over a page width, cheap to project
_MAX_POINTS = 200_000


def _ink_points(grey: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = min(1.0, _WORK_WIDTH / grey.shape[1])
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    if len(xs) > _MAX_POINTS:  # an even stride keeps every line represented, at no cost
        step = len(xs) // _MAX_POINTS + 1
        ys, xs = ys[::step], xs[::step]
    return xs - small.shape[1] / 2.0, ys - small.shape[0] / 2.0


def _sharpness(xs: np.ndarray, ys: np.ndarray, degrees: float) -> float:
    t = np.deg2rad(degrees)
    proj = np.sin(t) * xs + np.cos(t) * ys
    counts = np.bincount((proj - proj.min()).astype(np.int64))
    return float(np.dot(counts, counts))


def skew_angle(grey: np.ndarray, *, max_angle: float = 10.0) -> float:
    """The page's skew in degrees (CCW positive), searched within ±``max_angle``; 0.0 for a blank page."""
    xs, ys = _ink_points(grey)
    xs, ys = xs.astype(np.float32), ys.astype(np.float32)
    if len(xs) < 500:
        return 0.0
    best, step, span = 0.0, 0.25, max_angle
    for rnd in range(2):  # 0.25° then 0.025°: finer than one pixel across the work width is noise
        # The coarse pass (81 angles) only has to find the right quarter degree: every 4th point does.
        px, py = (xs[::4], ys[::4]) if rnd == 0 and len(xs) >= 40_000 else (xs, ys)
        candidates = np.arange(best - span, best + span + step / 2, step)
        scores = [_sharpness(px, py, a) for a in candidates]
        best = float(candidates[int(np.argmax(scores))])
        span, step = step, step / 10
    return round(best, 3)


def rotate(image: np.ndarray, degrees: float, *, expand: bool = True) -> np.ndarray:
    """Rotate by ``degrees`` CCW about the centre, white fill; ``expand`` grows the canvas so no corner
    is cut, otherwise the size is kept (deskew: a few degrees only cut into the blank margins).
    Bicubic: bilinear is 2× faster but blurs strokes, and the hard scans' CER rose 0.20 → 0.41 %."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = (int(h * sin + w * cos + 0.5), int(h * cos + w * sin + 0.5)) if expand else (w, h)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    fill = 255 if image.ndim == 2 else (255, 255, 255)
    return cv2.warpAffine(image, m, (nw, nh), flags=cv2.INTER_CUBIC, borderValue=fill)


def deskew(
    grey: np.ndarray, *, max_angle: float = 10.0, min_angle: float = 0.05
) -> tuple[np.ndarray, float, StepReport]:
    """Straighten the page; returns the image, the measured skew (degrees) and a report."""
    angle = skew_angle(grey, max_angle=max_angle)
    if abs(angle) < min_angle:
        return grey, angle, StepReport("deskew", False, {"angle": angle})
    return rotate(grey, -angle, expand=False), angle, StepReport("deskew", True, {"angle": angle})
