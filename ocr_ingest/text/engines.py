"""The OCR engine behind a small interface, so another engine (or Tesseract in-process) can replace it.

An engine turns a page image into positioned words and can say which way up a page is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from . import aster, tesseract
from .tesseract import Orientation, Word


class OcrEngine(Protocol):
    name: str

    def recognise(self, image: np.ndarray, *, dpi: int, psm: int = 3) -> list[Word]: ...

    def read_digits(self, image: np.ndarray, *, dpi: int) -> list[Word]: ...

    def orientation(self, image: np.ndarray, *, dpi: int) -> Orientation | None: ...

    def version(self) -> str: ...


@dataclass(frozen=True)
class TesseractEngine:
    """Tesseract 5 through pytesseract: one process per call, languages as Tesseract spells them."""

    lang: str = "vie"
    timeout: float = tesseract.DEFAULT_TIMEOUT
    name: str = "tesseract"

    def recognise(self, image: np.ndarray, *, dpi: int, psm: int = 3) -> list[Word]:
        return tesseract.recognise(image, lang=self.lang, dpi=dpi, psm=psm, timeout=self.timeout)

    def read_digits(self, image: np.ndarray, *, dpi: int) -> list[Word]:
        """One line of figures (a number or a day written by hand). With the ``eng`` model: restricted to
        digits it reads handwritten figures that ``vie`` gets wrong (measured: 18 of 18 on the corpus
        scans, against 6 for ``vie`` on the whole page)."""
        return tesseract.recognise(
            image, lang="eng", dpi=dpi, psm=7, timeout=self.timeout, whitelist="0123456789"
        )

    def orientation(self, image: np.ndarray, *, dpi: int) -> Orientation | None:
        return tesseract.detect_orientation(image, dpi=dpi)

    def version(self) -> str:
        return f"tesseract {tesseract.tesseract_version((self.lang,))} ({self.lang})"


@dataclass(frozen=True)
class AsterEngine(TesseractEngine):
    """Tesseract finds the lines, says which way up a page is and reads figures; AsterOCR's neural
    recogniser reads each line again (``ocr_ingest/aster.py``). An option: measured less accurate and
    slower than Tesseract alone on the corpus (README, ``bench/bench_engines.py``)."""

    name: str = "asterocr"

    def recognise(self, image: np.ndarray, *, dpi: int, psm: int = 3) -> list[Word]:
        aster.model()  # fail before Tesseract's work when it is missing
        return aster.reread_lines(image, super().recognise(image, dpi=dpi, psm=psm))

    def version(self) -> str:
        return f"{aster.model().version} on {super().version()}"
