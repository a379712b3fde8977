"""The one place poppler is run: page rasterisation (pdf2image → pdftoppm) and text-layer words (pdftotext).

One page per call, so memory stays bounded by one page whatever the document's length.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
from pdf2image import convert_from_path
from pdf2image.exceptions import PDFPageCountError, PDFSyntaxError

from ..errors import BadInputError, ChildProcessError_, MissingDependencyError
from .tesseract import Word

TIMEOUT = 120.0  # seconds for one page


def _require(program: str) -> None:
    if not shutil.which(program):
        raise MissingDependencyError(program, "not found on PATH: install poppler-utils (see README)")


def rasterize(path: str, page: int, dpi: int) -> np.ndarray:
    """Page ``page`` (1-based) as an RGB uint8 array at ``dpi``."""
    _require("pdftoppm")
    try:
        images = convert_from_path(path, dpi=dpi, first_page=page, last_page=page, timeout=TIMEOUT)
    except (PDFPageCountError, PDFSyntaxError) as exc:
        raise BadInputError(path, f"page {page} cannot be rendered: {exc}") from exc
    except subprocess.TimeoutExpired as exc:
        raise ChildProcessError_(path, f"rendering page {page} took longer than {TIMEOUT:.0f} s") from exc
    if not images:
        raise BadInputError(path, f"page {page} cannot be rendered")
    return np.asarray(images[0].convert("RGB"))


def text_layer_words(path: str, page: int, scale: float = 1.0) -> list[Word]:
    """The words of page ``page``'s text layer with boxes (PDF points × ``scale``), in poppler's order."""
    _require("pdftotext")
    try:
        out = subprocess.run(
            ["pdftotext", "-q", "-f", str(page), "-l", str(page), "-bbox-layout", path, "-"],
            capture_output=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired as exc:
        raise ChildProcessError_(path, f"reading the text of page {page} took too long") from exc
    if out.returncode != 0:
        raise BadInputError(path, f"the text layer of page {page} cannot be read")
    root = ET.fromstring(out.stdout.decode("utf-8", "replace"))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    words: list[Word] = []
    for b, block in enumerate(root.iterfind(".//h:block", ns)):
        for n, line in enumerate(block.iterfind("h:line", ns)):
            for w in line.iterfind("h:word", ns):
                text = (w.text or "").strip()
                if text:
                    words.append(
                        Word(
                            text=text,
                            left=round(float(w.get("xMin")) * scale),
                            top=round(float(w.get("yMin")) * scale),
                            right=round(float(w.get("xMax")) * scale),
                            bottom=round(float(w.get("yMax")) * scale),
                            conf=100.0,
                            block=b + 1,
                            par=1,
                            line=n + 1,
                        )
                    )
    return words
