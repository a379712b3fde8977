"""The text pipeline, top to bottom: file → pages → (text layer | preprocess → OCR → second readings) →
received stamps set aside → reading order → language model → clean text.

``extract_text`` is the library entry point; ``read_page`` is the unit of work an executor runs
anywhere (a local process, a Dask worker), so everything it needs travels in a small picklable task.
Each step is a named function in its own module: ``prepare`` (the image), ``engines`` (Tesseract,
AsterOCR), the second-reading passes (``column_pass``, ``seal_pass``, ``mark_pass``, ``figures_pass``),
``layout`` (reading order), ``stamps`` (received stamps) and ``clean`` (junk, the page's text).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import cv2

from preprocess.frames import Box

from .. import lm
from ..execute.local import Executor, LocalExecutor, SerialExecutor, cores
from ..lm.vietnamese import score_text
from . import clean, load, poppler, stamps
from .boxes import trim_tall_boxes
from .column_pass import reread_columns
from .document import DocumentText, PageText, UnsureFigures, WordBox
from .engines import OcrEngine
from .figures_pass import reread_filled_in
from .layout import Line, reading_order
from .mark_pass import words_by_marks
from .options import ENGINES, Options
from .prepare import Prepared, prepare_for_ocr
from .seal_pass import read_name_under_seal, reread_signing_rows
from .tesseract import Word


@dataclass(frozen=True)
class PageTask:
    ref: load.PageRef
    options: Options


def extract_text(
    path: str | Path,
    options: Options | None = None,
    *,
    executor: Executor | None = None,
    on_page: Callable[[PageText], None] | None = None,
    refs: Sequence[load.PageRef] | None = None,
) -> DocumentText:
    """Read a PDF or image into clean text, page by page. Raises an ``OcrIngestError`` subclass for a
    file we cannot read (not a PDF, encrypted, truncated, too large, …). ``refs``: the pages as
    ``load.describe`` found them, for a caller that described the file already."""
    options = options or Options()
    if refs is None:
        refs = describe(path, options)
    if options.pages:
        refs = [r for r in refs if r.number in options.pages]
    digest, _ = load.hash_file(Path(path))
    own = executor is None
    if executor is None:
        executor = SerialExecutor() if len(refs) == 1 else LocalExecutor(min(len(refs), cores()))
    try:
        pages = []
        for page in executor.map(read_page, [PageTask(ref, options) for ref in refs]):
            pages.append(page)
            if on_page:
                on_page(page)
    finally:
        if own:
            executor.close()
    # Section numerals count across pages, so they are set right once the document is whole.
    numbered = clean.number_sections([p.text for p in pages])
    pages = [replace(p, text=t) if p.source == "ocr" else p for p, t in zip(pages, numbered, strict=True)]
    return DocumentText(str(path), digest, tuple(pages))


def prepare_pages(
    path: str | Path, options: Options | None = None
) -> Iterator[tuple[load.PageRef, Prepared]]:
    """Each page cleaned for OCR, one at a time: for other pipelines that run their own OCR."""
    options = options or Options()
    engine = options.make_engine()
    for ref in describe(path, options):
        yield ref, prepare_for_ocr(load.page_image(ref), ref.dpi, engine, options)


def describe(path: str | Path, options: Options) -> list[load.PageRef]:
    """The file's pages, cheaply (no pixels): kind, size, dpi, text layer; bad input raises here."""
    return load.describe(path, dpi=options.dpi, max_pixels=options.max_pixels)


def read_page(task: PageTask) -> PageText:
    """One page to clean text: its text layer when that is real Vietnamese text, OCR otherwise."""
    started = time.perf_counter()
    ref, options = task.ref, task.options
    if ref.kind == "pdf" and ref.has_fonts and not options.force_ocr:
        text = text_from_layer(ref)
        if text is not None:
            return PageText(
                ref.number, text, "text_layer", dpi=ref.dpi, seconds=time.perf_counter() - started
            )
    engine = options.make_engine()
    page = prepare_for_ocr(load.page_image(ref), ref.dpi, engine, options)
    words = trim_tall_boxes(page.image, engine.recognise(page.image, dpi=page.dpi))
    # Received stamps set aside before the second readings (which then see the stamp whited out) and
    # after them (a stamp whose ĐẾN only a second reading made out).
    frame_alone = _frame_reader(page, engine)
    unsure: list[UnsureFigures] = []
    words, found = stamps.set_aside_received_stamps(words, list(page.frames), page.dpi, frame_alone)
    if options.column_pass:
        words = reread_columns(page, words, engine, blank=[s.box for s in found if s.whole])
    if options.mark_pass and not page.bilevel:
        words = words_by_marks(page, words, engine)
    if options.mark_pass:
        words = reread_signing_rows(page.image, page.dpi, words, engine)
        # the name read where no table's rules were whited out: a seal's emblem taken for a table
        # had straight lines whited through it, across the name's letters beside it
        words = read_name_under_seal(page.image if page.unruled is None else page.unruled, page.dpi, words)
    if options.figures_pass:
        words = reread_filled_in(page, words, engine, reader=options.figures_reader, unsure=unsure)
    words, more = stamps.set_aside_received_stamps(words, list(page.frames), page.dpi, frame_alone)
    found += tuple(s for s in more if s.box not in {t.box for t in found})
    lines = clean.drop_unsure_words(reading_order(clean.drop_scan_junk(words)))
    lines = clean.split_glued_words(clean.join_number_pieces(clean.mended_letters(lines)))
    corrections: tuple[lm.Correction, ...] = ()
    if options.correct:
        lines, corrections = correct_lines(lines)
    text = clean.page_text(lines, page.image.shape[0])
    words_kept = word_boxes(lines, page.image.shape[1], page.image.shape[0])
    confidence = round(sum(w.conf for w in words) / len(words), 2) if words else 0.0
    return PageText(
        number=ref.number,
        text=text,
        source="ocr",
        confidence=confidence,
        rotation=page.rotation,
        skew=page.skew,
        dpi=page.dpi,
        steps=page.steps,
        seconds=time.perf_counter() - started,
        corrections=corrections,
        received=tuple(s.text for s in found),
        words=words_kept,
        unsure_figures=tuple(unsure),
    )


FRAME_ABOVE = 0.6  # a frame is read alone with this share of its height above it (a stamp's heading)
FRAME_SCALE = 2  # and enlarged so: a stamp's small print at 200 dpi is too small for the engine


def _frame_reader(page: Prepared, engine: OcrEngine) -> Callable[[Box], list[Word]]:
    """A frame of the page read alone (one block of text, enlarged), each frame once; the words' boxes in
    the page's pixels."""
    read: dict[Box, list[Word]] = {}

    def alone(box: Box) -> list[Word]:
        if box not in read:
            x, y, w, h = box
            y0 = max(0, round(y - FRAME_ABOVE * h))
            crop = cv2.resize(
                page.image[y0 : y + h, x : x + w], None, fx=FRAME_SCALE, fy=FRAME_SCALE,
                interpolation=cv2.INTER_CUBIC,
            )  # fmt: skip
            read[box] = [
                replace(
                    u,
                    left=x + u.left // FRAME_SCALE,
                    right=x + u.right // FRAME_SCALE,
                    top=y0 + u.top // FRAME_SCALE,
                    bottom=y0 + u.bottom // FRAME_SCALE,
                )  # fmt: skip
                for u in engine.recognise(crop, dpi=FRAME_SCALE * page.dpi, psm=6)
            ]
        return read[box]

    return alone


def word_boxes(lines: list[Line], width: int, height: int) -> tuple[WordBox, ...]:
    """The words of the lines the page text keeps (``clean.is_noise`` out), boxes in page fractions."""
    kept = [line for line in lines if not clean.is_noise(line, height)]
    return tuple(
        WordBox(w.text, w.left / width, w.top / height, w.right / width, w.bottom / height, k, w.conf)
        for k, line in enumerate(kept)
        for w in line.words
    )


def correct_lines(lines: list[Line]) -> tuple[list[Line], tuple[lm.Correction, ...]]:
    """The language model over the page's words in reading order (so a word's neighbours are the
    ones a reader sees); the lines rebuilt from the corrected words."""
    flat = [w for line in lines for w in line.words]
    fixed = lm.correct(flat)
    out, i = [], 0
    for line in lines:
        n = len(line.words)
        out.append(Line(tuple(fixed.words[i : i + n]), line.column))
        i += n
    return out, fixed.changes


def text_from_layer(ref: load.PageRef) -> str | None:
    """The page's own text if it is usable, else ``None`` (→ OCR).

    Unusable: an earlier OCR made without Vietnamese (judged by the syllable score, see
    ``vietnamese.py``), or a scan whose only text is a signature stamp or a few words.
    """
    words = poppler.text_layer_words(ref.path, ref.number)
    if not words:
        return None
    score = score_text(" ".join(w.text for w in words))
    if ref.image_cover >= 0.9 and not (score.looks_vietnamese and score.tokens >= 80):
        return None
    if score.tokens >= 20 and not score.looks_vietnamese:
        return None
    height_pt = ref.height_px * 72.0 / ref.dpi
    return clean.page_text(reading_order(words), height_pt)


__all__ = [
    "ENGINES",
    "Options",
    "PageTask",
    "Prepared",
    "describe",
    "extract_text",
    "prepare_for_ocr",
    "prepare_pages",
    "read_page",
]
