"""The digit-string recogniser at run time: a small CRNN (``train.py``) in ONNX, read with onnxruntime.

Why: a number or a day written by hand into its blank is handwriting; Tesseract's models are trained
on print and read ``1595`` as ``4635``. This model was trained on figures written by hand into a
blank (``synth.py``) and says, figure by figure, how sure it is; the figures pass keeps a reading only
when the least sure figure clears its threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from ..onnx import cpu_session

MODEL = Path(__file__).with_name("model.onnx")
HEIGHT = 32  # px: the crop is scaled to this height, its width in proportion
MAX_WIDTH = 320  # px after scaling: a wider blank is squeezed to it
ALPHABET = "0123456789"  # CTC class 0 is the blank, class i + 1 is ALPHABET[i]


@dataclass(frozen=True)
class FiguresReading:
    """What the model read in a blank: ``text`` (figures only, may be empty); ``conf``: the least
    sure figure's probability, 0–100 like Tesseract's word confidence (100 for an empty reading
    that the model is sure of); ``confs``: each figure's; ``spans``: each figure's x range in the
    crop's pixels (left, right)."""

    text: str
    conf: float
    confs: tuple[float, ...]
    spans: tuple[tuple[int, int], ...]


def normalise(crop: np.ndarray) -> np.ndarray:
    """A crop (grey or RGB uint8, ink dark) as the model's input: float32 ``(HEIGHT, width)``, ink 1.0."""
    grey = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    h, w = grey.shape
    width = int(np.clip(round(w * HEIGHT / max(h, 1)), 8, MAX_WIDTH))
    small = cv2.resize(grey, (width, HEIGHT), interpolation=cv2.INTER_AREA).astype(np.float32)
    return 1.0 - small / 255.0


@lru_cache(maxsize=1)
def _session():  # noqa: ANN202 - onnxruntime's type
    return cpu_session(MODEL)


def available() -> bool:
    return MODEL.exists()


def read_figures(crop: np.ndarray) -> FiguresReading:
    """The figures in a blank's crop, with the model's confidence in each (greedy CTC decoding:
    a figure's confidence is its best frame's probability)."""
    x = normalise(crop)[None, None]
    logits = _session().run(None, {"image": x})[0][0]  # (frames, classes)
    return decode(logits, crop.shape[1] / x.shape[-1])


def decode(logits: np.ndarray, px_per_col: float = 1.0) -> FiguresReading:
    """Greedy CTC: the best class per frame, repeats merged, blanks dropped. ``logits``: (frames,
    classes); ``px_per_col``: crop pixels per model input column (a frame spans 4 columns)."""
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    best = p.argmax(axis=1)
    text, confs, spans = [], [], []
    prev = 0
    for t, c in enumerate(best):
        if c != 0 and c != prev:
            text.append(ALPHABET[c - 1])
            confs.append(float(p[t, c]))
            spans.append([t, t])
        elif c != 0 and c == prev:
            confs[-1] = max(confs[-1], float(p[t, c]))
            spans[-1][1] = t
        prev = c
    blank_conf = float(p[:, 0].min()) if not text else 1.0
    scale = 4 * px_per_col
    return FiguresReading(
        "".join(text),
        round(100 * min(confs, default=blank_conf), 1),
        tuple(round(100 * c, 1) for c in confs),
        tuple((int(a * scale), int((b + 1) * scale)) for a, b in spans),
    )
