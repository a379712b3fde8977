"""The one place AsterOCR runs: its neural line recogniser reads the lines Tesseract found (issue 12).

AsterOCR (MIT, a dependency of ours) ships its ONNX weights inside its wheel, so nothing is fetched
at run time. It reads one text line at a time and returns a string, nothing
else: no layout, no boxes, no confidences. So Tesseract still finds the page's lines, and here each
line's box is cut out and read again by the network. We run the model ourselves (its own ONNX session
and vocabulary) rather than through ``AsterOCR.predict`` to keep what ``predict`` throws away: which
time step emitted each character, giving each word its horizontal extent on the line, and each
character's probability, giving each word a confidence as Tesseract's are (0–100, the least sure
letter), which the rest of the pipeline (unsure-word cleaning, the language model) needs.

One ONNX session per process, shared by the page threads, one thread per call: pages are already
read in parallel, one per core.
Measured against Tesseract on the corpus (``bench/bench_engines.py``, README): less accurate and
slower on whole pages, so ``--engine asterocr`` is an option, not the default; it wins on one row of
letters that a seal crosses on a bilevel scan, where Tesseract reads nothing (``seal_pass.py``).
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ..errors import MissingDependencyError
from .onnx import cpu_session
from .tesseract import Word

HEIGHT = 32  # the network's input height in pixels
STRIDE = 4  # input columns per output time step (the network's horizontal downsampling)
PAD = 0.2  # of a line's height, added around its box: Tesseract's box is tight on the ink
GUTTER = 1.0  # of a line's height: a gap this wide between words (two columns, a tab) cuts the line
MAX_STEPS = 256  # the network's positional encoding ends there: a longer line is read in pieces


@dataclass(frozen=True)
class Model:
    session: Any
    input_name: str
    alphabet: dict[int, str]
    blank: int
    version: str


@functools.cache
def model() -> Model:
    """Load the network once per process, when first needed; a clear error when it is not installed."""
    try:
        import asterocr
        import onnxruntime as ort
        from asterocr.vocab import default_vocab
    except ImportError as exc:
        raise MissingDependencyError(
            "asterocr", "not installed: reinstall ocr-ingest (pip install -e .), which depends on it"
        ) from exc
    path = Path(asterocr.__file__).parent / "assets" / "asternet.onnx"
    if not path.is_file():  # AsterOCR itself would then download them: we never fetch at run time
        raise MissingDependencyError("asterocr", f"its wheel has no weights at {path}")
    session = cpu_session(path)
    return Model(
        session,
        session.get_inputs()[0].name,
        dict(default_vocab.idx2char),
        int(default_vocab.blank_idx),
        f"asterocr {asterocr.__version__} (onnxruntime {ort.__version__})",
    )


def read_line(crop: np.ndarray) -> list[tuple[str, float, float]]:
    """One line image (grey uint8) → its characters, each with its horizontal centre as a fraction of
    the crop's width and its probability (greedy CTC: the best label at each step, repeats and
    blanks dropped)."""
    m = model()
    h, w = crop.shape[:2]
    width = max(HEIGHT, int(w * HEIGHT / max(1, h)))
    width = (width + STRIDE - 1) // STRIDE * STRIDE
    width = min(width, MAX_STEPS * STRIDE)  # longer (one long word): squeezed to what the network reads
    small = cv2.resize(crop, (width, HEIGHT), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    x = np.repeat(((small / 255.0 - 0.5) / 0.5)[np.newaxis, np.newaxis], 3, axis=1)
    log_probs = m.session.run(None, {m.input_name: x})[0][:, 0, :]  # (steps, classes)
    probs = np.exp(log_probs - log_probs.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    best = probs.argmax(axis=1)
    steps = len(best)
    out = []
    for label, run in itertools.groupby(range(steps), key=lambda t: int(best[t])):
        run = list(run)
        if label != m.blank:
            centre = (run[0] + run[-1] + 1) / 2 / steps
            out.append((m.alphabet.get(label, ""), centre, float(probs[run, label].max())))
    return out


def reread_lines(image: np.ndarray, words: list[Word]) -> list[Word]:
    """Read each of Tesseract's lines again with the network; a line it reads as nothing keeps
    Tesseract's words (a rule, a seal's rim: the network answers only text)."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    out: list[Word] = []
    for key, group in itertools.groupby(words, key=lambda w: (w.block, w.par, w.line)):
        for piece in _pieces(list(group)):
            new = line_words(grey, piece, key)
            out.extend(new or piece)
    return out


def _pieces(line: list[Word]) -> list[list[Word]]:
    """Cut a line between words into pieces the network takes whole (at most ``MAX_STEPS`` steps once
    scaled to its height), and at wide gaps: Tesseract often runs one line through both header
    columns, and across the gutter the network reads no space (*LẮKCỘNG*)."""
    height = max(w.bottom for w in line) - min(w.top for w in line)
    limit = (MAX_STEPS - 16) * STRIDE * height * (1 + 2 * PAD) / HEIGHT - 2 * PAD * height
    pieces: list[list[Word]] = [[]]
    for w in line:
        if pieces[-1] and (
            w.right - pieces[-1][0].left > limit or w.left - pieces[-1][-1].right > GUTTER * height
        ):
            pieces.append([])
        pieces[-1].append(w)
    return pieces


def line_words(grey: np.ndarray, line: list[Word], key: tuple[int, int, int]) -> list[Word]:
    """The network's words for the box around ``line`` (padded, in ``grey``'s pixels), numbered
    ``key``: each placed by the steps that emitted its letters, as tall as the words it falls on."""
    left, right = min(w.left for w in line), max(w.right for w in line)
    top, bottom = min(w.top for w in line), max(w.bottom for w in line)
    pad = max(2, round(PAD * (bottom - top)))
    x0, x1 = max(0, left - pad), min(grey.shape[1], right + pad)
    y0, y1 = max(0, top - pad), min(grey.shape[0], bottom + pad)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return []
    chars = read_line(grey[y0:y1, x0:x1])
    span = x1 - x0
    step = span / max(1, len(chars)) / 2
    words = []
    for is_space, run in itertools.groupby(chars, key=lambda c: c[0].isspace()):
        run = list(run)
        if is_space:
            continue
        text = unicodedata.normalize("NFC", "".join(c for c, _, _ in run)).strip()
        if not text:
            continue
        lo = max(left, round(x0 + run[0][1] * span - step))
        hi = min(right, round(x0 + run[-1][1] * span + step))
        hi = max(hi, lo + 1)
        under = [w for w in line if w.left < hi and w.right > lo] or line  # its letters' height
        conf = 100.0 * min(p for _, _, p in run)
        words.append(
            Word(text, lo, min(w.top for w in under), hi, max(w.bottom for w in under), round(conf, 2), *key)
        )
    return words
