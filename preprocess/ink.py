"""Remove red seals and blue signatures that overlap the text, by colour.

Why the per-pixel maximum of R, G and B: black print is dark in every channel, while red ink is bright
in R and blue ink bright in B. Taking the brightest channel makes coloured ink vanish into the paper
and leaves black text (even where a seal overprints it, the pixel is dark in all channels) untouched.
Neutral pixels (grey, black, paper) are unchanged by it. This is the "red ink vanishes in the R
channel" trick generalised to any saturated ink. Real ink is not perfectly bright in its own channel
(a seal's red is ~80 % in R), so it turns light grey, not white: well on the paper side of any
threshold. (Lifting it further by its saturation made faint pen strokes readable as letters and
measurably raised the error rate on our scans.)
"""

from __future__ import annotations

import cv2
import numpy as np

from . import StepReport


def remove_colour_ink(rgb: np.ndarray, *, saturation_threshold: int = 60) -> tuple[np.ndarray, StepReport]:
    """RGB page → grey page without coloured ink. Grey input passes through unchanged."""
    if rgb.ndim == 2:
        return rgb, StepReport("remove_colour_ink", False, {"ink_fraction": 0.0})
    brightest = rgb.max(axis=2)
    darkest = rgb.min(axis=2)
    saturation = brightest.astype(np.int16) - darkest.astype(np.int16)
    coloured = saturation > saturation_threshold
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    out = np.where(coloured, brightest, grey).astype(np.uint8)
    fraction = float(coloured.mean())
    return out, StepReport("remove_colour_ink", fraction > 0.0005, {"ink_fraction": round(fraction, 5)})
