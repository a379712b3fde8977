"""How to read a document: the options every reading step takes, and the engines to choose from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .engines import AsterEngine, OcrEngine, TesseractEngine

ENGINES: dict[str, Callable[..., OcrEngine]] = {"tesseract": TesseractEngine, "asterocr": AsterEngine}


@dataclass(frozen=True)
class Options:
    """How to read a document. ``dpi``: rasterisation of pages that are not scans (a scan is read at
    its own resolution; ``target_dpi`` upsamples lower ones, off by default: see
    ``preprocess/scale.py`` for why); ``letter_px``: shrink pages whose lower-case letters are taller
    than this many pixels to that height before OCR (0: never; a measured ~24 % of Tesseract's time on
    300 dpi scans of 13 pt text, CER no worse; skipped when ``target_dpi`` asks for a resolution);
    ``force_ocr``: ignore text layers; ``mark_pass``: read again, with the marks lifted, the box of
    each grey seal and signature (``words_by_marks``: Tesseract blanks the lines next to them and
    garbles the name the seal's rim crosses), and on a bilevel page, where a seal is as black as the
    print, the signer's name as a row of letters under it (``seal_pass.read_name_under_seal``);
    ``column_pass``: read again, column by column, a two-column block where the engine joined the
    columns' lines (``reread_columns``); ``figures_pass``: read again, as figures only, the number
    and the day written into their blanks (``reread_filled_in``); ``figures_reader``: who reads them
    (``figures_pass.READERS``: Tesseract's digits, the project's handwritten-figures model, or both);
    ``binarize``: give the engine a bilevel page instead of grey; ``max_pixels``: refuse larger pages; ``timeout``: seconds one page may take in the engine;
    ``correct``: let the syllable language model (``ocr_ingest/lm``) fix unsure tone and vowel marks
    by context, each change recorded on the page; ``pages``: read only these page numbers (1-based;
    empty: every page), for a caller that needs only some (the header's page, the signature's)."""

    dpi: int = 300
    target_dpi: int = 0
    letter_px: int = 20
    lang: str = "vie"
    engine: str = "tesseract"
    force_ocr: bool = False
    mark_pass: bool = True
    binarize: bool = False
    max_pixels: int = 150_000_000
    timeout: float = 180.0
    correct: bool = True
    column_pass: bool = True
    figures_pass: bool = True
    figures_reader: str = "vote"
    pages: tuple[int, ...] = ()

    def make_engine(self) -> OcrEngine:
        return ENGINES[self.engine](lang=self.lang, timeout=self.timeout)
