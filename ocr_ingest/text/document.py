"""What the text stage hands on: the clean text of a document, page by page, and how it was made."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from preprocess import StepReport

from ..lm import Correction

TextSource = Literal["text_layer", "ocr"]


@dataclass(frozen=True)
class WordBox:
    """A word of the clean text where the page shows it: edges in fractions (0–1) of the upright,
    deskewed page the engine read (``PageText.rotation`` and ``skew`` say how that frame sits on the
    scan). Fractions, not pixels, because that image may have been shrunk or upsampled before OCR.
    What the invisible text layer of an archive copy is placed by (``ocr_ingest.intake.pdfa``)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    line: int = 0  # the line of the page's text it belongs to, counted from 0 in reading order
    conf: float = 100.0  # the engine's confidence in the word, 0–100


@dataclass(frozen=True)
class UnsureFigures:
    """Figures written into a blank by hand that the pipeline read but was not sure of, so left out of
    the text: the blank's label (``Số:``, ``ngày``), what the handwritten-figures model read there and
    its confidence (0–100, its least sure figure's). A clerk's suggestion, never the value."""

    label: str
    text: str
    confidence: float


@dataclass(frozen=True)
class PageText:
    """One page's clean text and the facts behind it.

    ``confidence`` is Tesseract's mean word confidence (0–100), ``None`` for a text-layer page.
    ``rotation`` is the clockwise turn applied to make the page upright (0/90/180/270 degrees);
    ``skew`` the deskew correction in degrees (counter-clockwise positive). ``dpi`` is the resolution
    the text was read at: the page's own, unless a step shrank or upsampled it (its report says so).
    ``corrections``: the words the language model changed (``Options.correct``), before and after.
    ``received``: the text of each receiving office's stamp (``ĐẾN``) on the page, kept out of ``text``
    (``stamps.set_aside_received_stamps``): the office added it after the notice was issued.
    ``words``: the OCR page's words as the text keeps them (corrected, noise lines out), with their boxes.
    ``unsure_figures``: figures written into a blank that were read but not surely (left out of ``text``).
    """

    number: int
    text: str
    source: TextSource
    confidence: float | None = None
    rotation: int = 0
    skew: float = 0.0
    dpi: int = 0
    steps: tuple[StepReport, ...] = ()
    seconds: float = 0.0
    corrections: tuple[Correction, ...] = ()
    received: tuple[str, ...] = ()
    words: tuple[WordBox, ...] = ()
    unsure_figures: tuple[UnsureFigures, ...] = ()


@dataclass(frozen=True)
class DocumentText:
    """A document's text: pages in order. ``text`` joins them with a form feed, as pdftotext does."""

    path: str
    sha256: str
    pages: tuple[PageText, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        return "\f".join(p.text for p in self.pages)
