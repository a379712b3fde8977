"""The one place Tesseract is run: version and language checks, arguments, threads, timeouts, errors.

Why ``OMP_THREAD_LIMIT=1``: we run one Tesseract per page in parallel across cores; Tesseract's own
OpenMP threads then only fight each other (on a 2-core machine a page took half the time without them).
Images go to Tesseract as uncompressed PGM files: encoding a 300 dpi page as PNG, as pytesseract does
for in-memory images, costs more than Tesseract's process start.
``tessedit_do_invert=0``: by default Tesseract reads every line it is unsure of a second time,
inverted, in case it is light text on a dark band. Our pages are dark print on flattened white paper;
on them the second reading never won and cost 9 % of Tesseract's time (42.3 s → 38.6 s for the 18
fixture pages, the same text).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytesseract

from ..errors import ChildProcessError_, MissingDependencyError

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

DEFAULT_TIMEOUT = 180.0  # seconds a page may take before we call Tesseract stuck


@dataclass(frozen=True)
class Word:
    """A recognised word; box in pixels of the image given to the engine; ``conf`` 0–100."""

    text: str
    left: int
    top: int
    right: int
    bottom: int
    conf: float
    block: int
    par: int
    line: int


@dataclass(frozen=True)
class Orientation:
    """OSD's answer: turn the page ``rotate`` degrees clockwise to make it upright."""

    rotate: int
    confidence: float


@functools.cache
def tesseract_version(languages: tuple[str, ...] = ("vie",)) -> str:
    """Check the binary and language packs once per process; the version string."""
    if not shutil.which("tesseract"):
        raise MissingDependencyError("tesseract", "not found on PATH: install tesseract-ocr (see README)")
    version = str(pytesseract.get_tesseract_version())
    have = set(pytesseract.get_languages(config=""))
    missing = [lang for lang in languages if lang not in have]
    if missing:
        raise MissingDependencyError(
            "tesseract", f"language data missing: {', '.join(missing)} (install tesseract-ocr-{missing[0]})"
        )
    return version


def _write_pgm(image: np.ndarray, folder: str) -> str:
    path = str(Path(folder) / "page.pgm" if image.ndim == 2 else Path(folder) / "page.ppm")
    cv2.imwrite(path, image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
    return path


def recognise(
    image: np.ndarray,
    *,
    lang: str = "vie",
    dpi: int = 300,
    psm: int = 3,
    timeout: float = DEFAULT_TIMEOUT,
    whitelist: str = "",
) -> list[Word]:
    """OCR a page image (grey or RGB uint8) and return its words in Tesseract's order; ``whitelist``:
    the only characters the engine may answer with."""
    tesseract_version((lang,))
    only = f" -c tessedit_char_whitelist={whitelist}" if whitelist else ""
    with tempfile.TemporaryDirectory(prefix="ocr-ingest-") as tmp:
        path = _write_pgm(image, tmp)
        try:
            data = pytesseract.image_to_data(
                path,
                lang=lang,
                config=f"--psm {psm} --dpi {dpi} -c preserve_interword_spaces=0 -c tessedit_do_invert=0{only}",
                output_type=pytesseract.Output.DICT,
                timeout=timeout,
            )
        except RuntimeError as exc:  # pytesseract's timeout
            raise ChildProcessError_("tesseract", f"timed out after {timeout:.0f} s on a page") from exc
        except pytesseract.TesseractError as exc:
            raise ChildProcessError_("tesseract", f"failed: {exc.message.strip()[:200]}") from exc
    words = []
    for i, text in enumerate(data["text"]):
        conf = float(data["conf"][i])
        if conf < 0 or not text.strip():
            continue
        left, top = int(data["left"][i]), int(data["top"][i])
        words.append(
            Word(
                text=text.strip(),
                left=left,
                top=top,
                right=left + int(data["width"][i]),
                bottom=top + int(data["height"][i]),
                conf=conf,
                block=int(data["block_num"][i]),
                par=int(data["par_num"][i]),
                line=int(data["line_num"][i]),
            )
        )
    return words


def detect_orientation(image: np.ndarray, *, dpi: int = 300, timeout: float = 60.0) -> Orientation | None:
    """Tesseract OSD (``--psm 0``); ``None`` when it cannot tell (too little text)."""
    tesseract_version(("osd",))
    with tempfile.TemporaryDirectory(prefix="ocr-ingest-") as tmp:
        path = _write_pgm(image, tmp)
        try:
            out = subprocess.run(
                ["tesseract", path, "stdout", "--psm", "0", "--dpi", str(dpi)],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            raise ChildProcessError_(
                "tesseract", f"orientation detection timed out after {timeout:.0f} s"
            ) from exc
    rotate = re.search(r"Rotate: (\d+)", out.stdout)
    conf = re.search(r"Orientation confidence: ([\d.]+)", out.stdout)
    if out.returncode != 0 or not rotate or not conf:
        return None
    return Orientation(int(rotate.group(1)) % 360, float(conf.group(1)))
