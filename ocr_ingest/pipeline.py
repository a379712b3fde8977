"""The text pipeline, top to bottom: file → pages → (text layer | preprocess → OCR) → reading order → clean.

``extract_text`` is the library entry point; ``read_page`` is the unit of work an executor runs
anywhere (a local process, a Dask worker), so everything it needs travels in a small picklable task.
"""

from __future__ import annotations

import hashlib
import re
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from preprocess import StepReport
from preprocess.background import flatten_background
from preprocess.binarize import binarize
from preprocess.border import clean_borders
from preprocess.denoise import denoise
from preprocess.deskew import deskew
from preprocess.frames import Box, frame_boxes, whiten_table_rules
from preprocess.ink import remove_colour_ink
from preprocess.marks import mark_boxes, remove_marks
from preprocess.rotate import rotate_quadrant, upright_evidence
from preprocess.scale import fit_letter_height, upsample

from . import clean, lm, load, poppler
from .document import DocumentText, PageText
from .execute import Executor, LocalExecutor, SerialExecutor, cores
from .layout import Line, column_bands, reading_order
from .ocr import AsterEngine, OcrEngine, TesseractEngine
from .tesseract import Word
from .under_seal import read_name_under_seal
from .vietnamese import is_syllable, score_text

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
    print, the signer's name as a row of letters under it (``under_seal.read_name_under_seal``);
    ``column_pass``: read again, column by column, a two-column block where the engine joined the
    columns' lines (``reread_columns``); ``figures_pass``: read again, as figures only, the number
    and the day written into their blanks (``reread_filled_in``); ``binarize``: give the engine a bilevel page instead of
    grey; ``max_pixels``: refuse larger pages; ``timeout``: seconds one page may take in the engine;
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
    pages: tuple[int, ...] = ()

    def make_engine(self) -> OcrEngine:
        return ENGINES[self.engine](lang=self.lang, timeout=self.timeout)


@dataclass(frozen=True)
class PageTask:
    ref: load.PageRef
    options: Options


@dataclass(frozen=True)
class Prepared:
    """A page ready for the engine: grey (or bilevel) image, its dpi, the turns and skew undone;
    ``bilevel``: the scan had two tones (ink all black: no grey seal to tell from print); ``frames``:
    the ruled frames on it (``preprocess.frames``: received stamps, banners, table cells)."""

    image: np.ndarray
    dpi: int
    rotation: int
    skew: float
    steps: tuple[StepReport, ...]
    bilevel: bool = False
    frames: tuple[Box, ...] = ()


def extract_text(
    path: str | Path,
    options: Options | None = None,
    *,
    executor: Executor | None = None,
    on_page: Callable[[PageText], None] | None = None,
) -> DocumentText:
    """Read a PDF or image into clean text, page by page. Raises an ``OcrIngestError`` subclass for a
    file we cannot read (not a PDF, encrypted, truncated, too large, …)."""
    options = options or Options()
    refs = load.describe(path, dpi=options.dpi, max_pixels=options.max_pixels)
    if options.pages:
        refs = [r for r in refs if r.number in options.pages]
    digest = sha256_file(Path(path))
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
    for ref in load.describe(path, dpi=options.dpi, max_pixels=options.max_pixels):
        yield ref, prepare_for_ocr(load.page_image(ref), ref.dpi, engine, options)


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
    words, stamps = clean.set_aside_received_stamps(words, list(page.frames), page.dpi)
    if options.column_pass:
        words = reread_columns(page, words, engine, blank=[s.box for s in stamps])
    if options.mark_pass and page.bilevel:
        words = read_name_under_seal(page.image, page.dpi, words)
    elif options.mark_pass:
        words = words_by_marks(page, words, engine)
    if options.figures_pass:
        words = reread_filled_in(page, words, engine)
    words, more = clean.set_aside_received_stamps(words, list(page.frames), page.dpi)
    stamps += more
    lines = clean.drop_unsure_words(reading_order(clean.drop_scan_junk(words)))
    corrections: tuple[lm.Correction, ...] = ()
    if options.correct:
        lines, corrections = correct_lines(lines)
    text = clean.page_text(lines, page.image.shape[0])
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
        received=tuple(s.text for s in stamps),
    )


BAND_PAD = 0.5  # a band is read again with this share of a line height above and below it
SKEWED_ROW = 0.3  # a line whose two sides' middles differ by this share of a word height is two lines


def reread_columns(
    page: Prepared, words: list[Word], engine: OcrEngine, blank: Sequence[Box] = ()
) -> list[Word]:
    """The two-column blocks whose lines the engine joined across the gutter, read again one column at
    a time; a side's words replaced where the new reading says more.

    Why: the recipients' list (small type, single spacing) and the signer's title beside it (larger,
    a line lower) sit on nearly the same rows; Tesseract fits one text line through both and reads the
    side that is off its baseline as junk (``- Đài PT-TH tỉnh;`` → ``-Eaïtrilsridir``, confidence 0,
    then dropped: a recipient lost). Apart, each column's lines are straight.
    Which bands: those with a line of the engine's that has words on both sides of the gutter whose
    middles differ by a good part of a word's height, or a word it does not believe; header rows read
    across the gutter at one height are left alone and cost nothing. Which reading: per side, the one
    that says more (characters in words the engine believes, weighed by its confidence): a junk line
    says nothing, and the new reading is not always better (a banner's two lines came back as one, a
    name under a seal lost its first word). ``blank``: boxes whose words were set aside (received stamps),
    whited out first. On a grey page the seal and signature are lifted from each column before the
    reading (a seal's rim letters next to the title were read into it: ``-T/L``); lifted from the
    whole page they made Tesseract join the columns' lines (``words_by_marks``), one column at a time
    they cannot; inside frames the ink stays (a received stamp's big grey ``ĐẾN`` tells the stamp).
    """
    h, w = page.image.shape[:2]
    out = words
    for k, band in enumerate(column_bands(clean.drop_specks(words))):
        inside = [u for u in out if band.top <= (u.top + u.bottom) / 2 <= band.bottom]
        if not _joined_across(inside, band.gutter):
            continue
        height = statistics.median(u.bottom - u.top for u in inside)
        y0, y1 = max(0, round(band.top - BAND_PAD * height)), min(h, round(band.bottom + BAND_PAD * height))
        for side, (x0, x1) in enumerate(((0, round(band.gutter)), (round(band.gutter), w))):
            fresh = []
            crop = page.image[y0:y1, x0:x1]
            if blank:
                crop = crop.copy()
                for bx, by, bw, bh in blank:
                    crop[max(0, by - y0) : max(0, by + bh - y0), max(0, bx - x0) : max(0, bx + bw - x0)] = 255
            if not page.bilevel:
                crop = _lift_marks_outside(
                    crop, page.dpi, [(fx - x0, fy - y0, fw, fh) for fx, fy, fw, fh in page.frames]
                )
            for v in engine.recognise(crop, dpi=page.dpi, psm=4):
                v = replace(
                    v, left=v.left + x0, right=v.right + x0, top=v.top + y0, bottom=v.bottom + y0,
                    block=2000 + 2 * k + side,
                )  # fmt: skip
                if band.top <= (v.top + v.bottom) / 2 <= band.bottom:
                    fresh.append(v)
            first = [u for u in inside if ((u.left + u.right) / 2 < band.gutter) == (side == 0)]
            if _believed(fresh) >= _believed(first):
                out = _swapped(out, first, fresh)
    return out


def _lift_marks_outside(crop: np.ndarray, dpi: int, frames: list[Box]) -> np.ndarray:
    """The crop with seals and signatures lifted, except inside frames (a received stamp's ink is
    grey too, and its big ``ĐẾN`` is what tells it)."""
    lifted, report = remove_marks(crop, dpi=dpi)
    if not report.changed:
        return crop
    for x, y, w, h in frames:
        xs, ys = slice(max(0, x), max(0, x + w)), slice(max(0, y), max(0, y + h))
        lifted[ys, xs] = crop[ys, xs]
    return lifted


def _swapped(words: list[Word], old: Sequence[Word], new: list[Word]) -> list[Word]:
    """The page's words with ``old`` (these very words) taken out and a second reading's ``new`` in."""
    gone = {id(u) for u in old}
    return [u for u in words if id(u) not in gone] + new


def _believed(words: list[Word]) -> float:
    """Characters the page will keep (words the engine believes), each weighed by the engine's belief:
    which of two readings says more, and more surely."""
    return sum(len(u.text) * u.conf / 100 for u in words if u.conf >= clean.MIN_WORD_CONF)


def _joined_across(words: list[Word], gutter: float) -> bool:
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for u in words:
        lines.setdefault((u.block, u.par, u.line), []).append(u)
    for line in lines.values():
        left = [(u.top + u.bottom) / 2 for u in line if (u.left + u.right) / 2 < gutter]
        right = [(u.top + u.bottom) / 2 for u in line if (u.left + u.right) / 2 >= gutter]
        if not left or not right:
            continue
        height = statistics.median(u.bottom - u.top for u in line)
        if abs(statistics.median(left) - statistics.median(right)) > SKEWED_ROW * height:
            return True
        if any(u.conf < clean.MIN_WORD_CONF for u in line):
            return True
    return False


_NUMBER_LABEL = re.compile(r"^Số:?$")
_PLAIN_DAY = re.compile(r"^\d{1,2}$")
FILLED_MAX_MM = 45.0  # the blank left for a number or a day is narrower than this
FILLED_MIN_CONF = 50.0  # a digits reading kept from this confidence
_JOINED_NUMBER = re.compile(r"^(\d+)([/-]\S+)$")
TYPED_GAP = 0.3  # a blank this share of the line height inside "3027/UBND" is the space typed there


def reread_filled_in(page: Prepared, words: list[Word], engine: OcrEngine) -> list[Word]:
    """Numbers and days written into their blanks by hand, read again as figures only.

    Why: a decision is typed with a gap after ``Số:`` and ``ngày``; the clerk writes the number and
    the day in when it is signed. Tesseract's ``vie`` model reads those figures as letters or other
    figures (``3227`` for 3021, ``22/6`` for 2016, ``1Z_`` for 15); its ``eng`` model restricted to
    digits, on the gap alone, reads them (``OcrEngine.read_digits``). Which gaps: between ``Số:`` and a
    symbol that starts with ``/`` or ``-`` (a number typed with its symbol is one word: nothing to
    do), and between ``ngày`` and ``tháng`` unless a plain day is there already, believed. A number
    typed into the gap, which the engine joined to its symbol, gets its space back
    (``_split_at_gap``)."""
    out = list(words)
    labels = [u for u in words if _NUMBER_LABEL.match(u.text) or u.text == "ngày"]
    widest = FILLED_MAX_MM * page.dpi / 25.4
    for label in labels:
        height = label.bottom - label.top
        middle = (label.top + label.bottom) / 2
        row = sorted(
            (
                u
                for u in out
                if abs((u.top + u.bottom) / 2 - middle) < 0.6 * height
                and label.right <= u.left <= label.right + widest
            ),
            key=lambda u: u.left,
        )
        if label.text == "ngày":
            end = next((u for u in row if u.text == "tháng"), None)
        else:
            end = next((u for u in row if u.text[:1] in "/-" and len(u.text) > 1), None)
            if end is None and row and (split := _split_at_gap(page, row[0])):
                out = _swapped(out, row[:1], split)
        if end is None:
            continue
        between = [u for u in row if u.left < end.left]
        if len(between) > 2 or not all(_figure_like(u.text) for u in between):
            continue  # words in the gap (``ngày ký ban hành đến hết tháng``): not a blank
        believed_day = len(between) == 1 and _PLAIN_DAY.match(between[0].text) and between[0].conf >= 90
        if label.text == "ngày" and believed_day:
            continue
        x0, x1 = label.right + 2, end.left - 1
        y0 = max(0, label.top - height // 2)
        if x1 - x0 < height:
            continue
        digits = [
            v
            for v in engine.read_digits(page.image[y0 : label.bottom + height // 2, x0:x1], dpi=page.dpi)
            if v.conf >= FILLED_MIN_CONF
        ]
        if not digits:
            continue
        figure = Word(
            "".join(v.text for v in digits),
            x0 + min(v.left for v in digits),
            label.top,
            x0 + max(v.right for v in digits),
            label.bottom,
            min(v.conf for v in digits),
            end.block,
            end.par,
            end.line,
        )
        out = _swapped(out, between, [figure])
    return out


def _split_at_gap(page: Prepared, word: Word) -> list[Word] | None:
    """``3027/UBND-TNMT`` as two words when the page shows a blank between the figures and the symbol:
    the number typed into the gap left for it, which the engine read as one word with its symbol
    (the text keeps the space the page has). The blank is looked for around where the figures'
    share of the letters puts it."""
    m = _JOINED_NUMBER.match(word.text)
    height = word.bottom - word.top
    if not m or height <= 0:
        return None
    crop = page.image[word.top : word.bottom, word.left : word.right]
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    blank = ~ink.any(axis=0)
    expected = (word.right - word.left) * len(m.group(1)) / len(word.text)
    best, at, x = 0, 0, 0
    while x < len(blank):
        if blank[x]:
            start = x
            while x < len(blank) and blank[x]:
                x += 1
            if 0.5 * expected <= start <= 1.5 * expected and x - start > best:
                best, at = x - start, start
        x += 1
    if best < TYPED_GAP * height:
        return None
    return [
        replace(word, text=m.group(1), right=word.left + at),
        replace(word, text=m.group(2), left=word.left + at + best),
    ]


TALL_BOX = 1.5  # a word box this many times its line's median height is looked at again
BOX_GAP = 0.25  # of the line's height: blank rows this many or fewer (a mark above a capital) do not cut;
# between two lines of text the blank is 0.3–0.5 of a line height
INK = 128  # on a page ready for the engine (flattened paper), ink is darker than this


def trim_tall_boxes(image: np.ndarray, words: list[Word]) -> list[Word]:
    """Words whose box Tesseract stretched over the next line down to what they hold.

    Why: an italic bold *Nơi nhận:* at the top of a page, level with the signer's authority, came back
    two lines tall, its box reaching the dash of the first recipient below; layout then read the
    two columns' lines in turns and the whole signature block was lost. A box over 1.5 line heights
    is cut to its most inked run of rows (the word's letters, not the dash or the seal's rim it
    reaches), when that run is a line high; short blanks (between a capital and its mark) do not
    cut it, and a word whose ink runs its box's whole height (a big letter) keeps it. Not the line's
    middle: Tesseract's line may run through the other column, lower down."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        lines.setdefault((w.block, w.par, w.line), []).append(w)
    heights = {
        k: statistics.median(u.bottom - u.top for u in line) for k, line in lines.items() if len(line) >= 3
    }
    out = []
    for w in words:
        height = heights.get((w.block, w.par, w.line))
        if height is None or w.bottom - w.top <= TALL_BOX * height:
            out.append(w)
            continue
        ink = (image[w.top : w.bottom, w.left : w.right] < INK).sum(axis=1)
        top, bottom = _most_inked_run(ink, max(1, round(BOX_GAP * height)))
        cut = bottom - top <= TALL_BOX * height and (w.bottom - w.top) - (bottom - top) > BOX_GAP * height
        out.append(replace(w, top=w.top + top, bottom=w.top + bottom) if cut else w)
    return out


def _most_inked_run(ink: np.ndarray, gap: int) -> tuple[int, int]:
    """``(first, last + 1)`` of the run of inked rows holding the most ink, blanks of at most ``gap``
    rows bridged; the whole span when no row is inked."""
    runs: list[list[int]] = []  # [first, last + 1, ink]
    for row in np.flatnonzero(ink):
        row = int(row)
        if runs and row - runs[-1][1] <= gap:
            runs[-1][1] = row + 1
            runs[-1][2] += int(ink[row])
        else:
            runs.append([row, row + 1, int(ink[row])])
    if not runs:
        return 0, len(ink)
    first, last, _ = max(runs, key=lambda r: r[2])
    return first, last


def _figure_like(text: str) -> bool:
    """What the engine makes of a handwritten figure: digits with junk (``1Z_``, ``22/6``, ``đØ21``),
    or a scrap too short to be a word; not a syllable."""
    return any(c.isdigit() for c in text) or (len(text) <= 2 and not is_syllable(text))


MARK_PAD = 0.25  # the box read again around a mark: this share of its height above and below
MARK_WORD_CONF = 60.0  # words of the second reading kept from this confidence
PRINT = 0.65  # in a mark's box, print is darker than this share of the page's ink/paper threshold
MARK_PASS_MM = 20.0  # marks this tall are read again: a seal (~35 mm) with its signature; a lone
#                      scribble or a hand-written figure is not taken for a picture (and costs a reading)


def words_by_marks(page: Prepared, words: list[Word], engine: OcrEngine) -> list[Word]:
    """The page's words with what its reading missed or garbled around grey seals and signatures read
    again, the marks lifted.

    Why: Tesseract's page segmentation takes a seal with the signature across it for a picture and
    blanks that region with a margin; the signer's title just above the seal (``THỨ TRƯỞNG`` under
    ``KT. BỘ TRƯỞNG``) falls inside and has no word in the TSV, and the name the seal's rim crosses
    comes back cut (``Vũ Phu`` for *Vũ Thị Thu Tâm*). Lifting the marks from the whole page instead
    (``preprocess.marks.remove_marks``) brought the titles back but cost recipients: without the
    picture, Tesseract joins the recipients' column and the signer's into one text line and reads the
    left half as junk. So only the mark's box (and a margin) is read again, as one block, twice:
    with the marks lifted, for the words the first reading has nothing believed at (the title); and
    with everything lighter than print whited out (``PRINT``: the seal's ink is lighter than the name
    printed over it; lifting the marks also takes bits of the letters they touch), for lines that
    say more than the first reading's words under them (``_believed``: the name). Words must be
    clear of the crop's edge and believed. A line of the second kind where the first reading had
    nothing is not taken: there it read a received stamp's print or a signature's loops as words.
    """
    h, w = page.image.shape[:2]
    out = list(words)
    tall = MARK_PASS_MM * page.dpi / 25.4
    marks = [(k, box) for k, box in enumerate(mark_boxes(page.image, dpi=page.dpi)) if box[3] >= tall]
    if not marks:
        return out
    level, _ = cv2.threshold(page.image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    for k, (x, y, bw, bh) in marks:
        pad = round(MARK_PAD * bh)
        box = (max(0, x - pad), max(0, y - pad), min(w, x + bw + pad), min(h, y + bh + pad))
        x0, y0, x1, y1 = box
        sure = [u for u in out if u.conf >= clean.MIN_WORD_CONF]  # the others are dropped anyway
        lifted, _ = remove_marks(page.image[y0:y1, x0:x1], dpi=page.dpi)
        out += [
            v for v in _mark_reading(lifted, box, k, page, engine) if not any(_overlap(v, u) for u in sure)
        ]
        printed = page.image[y0:y1, x0:x1].copy()
        printed[printed > PRINT * level] = 255
        lines: dict[tuple[int, int], list[Word]] = {}
        for v in _mark_reading(printed, box, k, page, engine):
            lines.setdefault((v.par, v.line), []).append(v)
        for line in lines.values():
            covered = [u for u in out if any(_overlap(v, u) for v in line)]
            if covered and _believed(line) > _believed(covered):
                out = _swapped(out, covered, line)
    return out


def _mark_reading(
    crop: np.ndarray, box: tuple[int, int, int, int], k: int, page: Prepared, engine: OcrEngine
) -> list[Word]:
    """A mark's box read as one block: its believed words clear of the crop's edge, in page pixels."""
    x0, y0, x1, y1 = box
    found = []
    for v in engine.recognise(crop, dpi=page.dpi, psm=6):
        v = replace(
            v, left=v.left + x0, right=v.right + x0, top=v.top + y0, bottom=v.bottom + y0, block=1000 + k
        )
        inside = v.left > x0 + 2 and v.right < x1 - 2 and v.top > y0 + 2 and v.bottom < y1 - 2
        if inside and v.conf >= MARK_WORD_CONF:
            found.append(v)
    return found


def _overlap(a: Word, b: Word) -> bool:
    """The boxes share more than a third of the smaller one."""
    dx = min(a.right, b.right) - max(a.left, b.left)
    dy = min(a.bottom, b.bottom) - max(a.top, b.top)
    if dx <= 0 or dy <= 0:
        return False
    small = min((a.right - a.left) * (a.bottom - a.top), (b.right - b.left) * (b.bottom - b.top))
    return dx * dy > small / 3


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


def prepare_for_ocr(image: np.ndarray, dpi: int, engine: OcrEngine, options: Options) -> Prepared:
    """The preprocessing chain, in the order each step needs the previous one's result."""
    steps: list[StepReport] = []
    bilevel = image.ndim == 2 and np.count_nonzero(np.bincount(image[::8, ::8].ravel(), minlength=256)) <= 2
    grey, r = remove_colour_ink(image)
    steps.append(r)
    grey, dpi, r = upsample(grey, dpi, target_dpi=options.target_dpi)
    steps.append(r)
    grey, r = flatten_background(grey, dpi=dpi)
    steps.append(r)
    if not options.target_dpi:
        grey, dpi, r = fit_letter_height(grey, dpi, letter_px=options.letter_px)
        steps.append(r)
    grey, skew, r = deskew(grey)
    steps.append(r)
    grey, rotation, skew, r = orient(grey, dpi, skew, engine)
    steps.append(r)
    grey, r = clean_borders(grey)
    steps.append(r)
    grey, r = denoise(grey, dpi=dpi)
    steps.append(r)
    frames = tuple(frame_boxes(grey, dpi=dpi))
    if bilevel:  # measured: a help on bilevel pages only (see whiten_table_rules)
        grey, r = whiten_table_rules(grey, dpi=dpi)
        steps.append(r)
    if options.binarize:
        grey, r = binarize(grey)
        steps.append(r)
    return Prepared(grey, dpi, rotation, skew, tuple(steps), bilevel, frames)


def orient(
    grey: np.ndarray, dpi: int, skew: float, engine: OcrEngine
) -> tuple[np.ndarray, int, float, StepReport]:
    """Turn the page upright; returns image, clockwise turn applied, skew, report.

    First signal: the top-heavy ink profile of Vietnamese lines (free). When it is weak, or the page
    lies on its side, Tesseract's OSD is asked; when the two disagree about upside-down, the engine's
    confidence on a strip of the page read both ways decides.
    """
    evidence = upright_evidence(grey, dpi)
    portrait = grey.shape[0] >= grey.shape[1]
    if portrait and abs(evidence) >= 0.3:
        turn = 0 if evidence > 0 else 180
        return (
            _turn(grey, turn),
            turn,
            skew,
            StepReport("orient", bool(turn), {"turn": turn, "profile": round(evidence, 3), "by": "profile"}),
        )
    osd = engine.orientation(grey, dpi=dpi)
    turn = 0
    if osd and osd.rotate in (90, 270) and osd.confidence >= 1.0:
        turn = osd.rotate
        grey, extra, _ = deskew(rotate_quadrant(grey, turn))
        skew = extra
        evidence = upright_evidence(grey, dpi)
    osd_flip = bool(osd and osd.rotate == 180)
    details: dict[str, float | int | str] = {"profile": round(evidence, 3), "osd": osd.rotate if osd else -1}
    details["osd_confidence"] = round(osd.confidence, 2) if osd else 0.0
    if abs(evidence) >= 0.3:
        flip, by = evidence < 0, "profile"
    elif osd and osd.confidence >= 14 and turn == 0:
        flip, by = osd_flip, "osd"
    else:
        flip, by = _upside_down_by_confidence(grey, dpi, engine), "confidence"
    if flip:
        grey = rotate_quadrant(grey, 180)
        turn = (turn + 180) % 360
    details.update(turn=turn, by=by)
    return grey, turn, skew, StepReport("orient", bool(turn), details)


def _turn(grey: np.ndarray, turn: int) -> np.ndarray:
    return rotate_quadrant(grey, turn) if turn else grey


def _upside_down_by_confidence(grey: np.ndarray, dpi: int, engine: OcrEngine) -> bool:
    """Read a band across the middle of the page both ways; the reading with more confidence wins."""
    h = grey.shape[0]
    strip = grey[int(h * 0.35) : int(h * 0.6)]

    def mean_conf(img: np.ndarray) -> float:
        words = engine.recognise(img, dpi=dpi, psm=6)
        return sum(w.conf for w in words) / len(words) if words else 0.0

    return mean_conf(rotate_quadrant(strip, 180)) > mean_conf(strip) + 5.0


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


__all__ = ["Options", "PageTask", "Prepared", "extract_text", "prepare_pages", "read_page", "replace"]
