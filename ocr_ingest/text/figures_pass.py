"""The figures pass: numbers and days written into their blanks by hand, read again as figures only."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import cv2
import numpy as np

from preprocess.frames import whiten_rules

from ..lm.vietnamese import is_syllable
from . import clean
from .boxes import swapped
from .digits import reader as digits
from .document import UnsureFigures
from .engines import OcrEngine
from .prepare import Prepared
from .tesseract import Word

#: The label before a number's blank as the engine reads it: ``Số:``, ``Só:``, ``SÔ``, and ``ố:`` with its
#: ``S`` lost (with its colon then, so a stray vowel is no label).
_NUMBER_LABEL = re.compile(r"^(?:S[ốôóồổòo0][:;]?|ố[:;])$")
#: A label with figures written by hand glued to it: ``Số:21``, ``Só:⁄4/``, ``ngày1†`` (the label, the rest).
_GLUED_LABEL = re.compile(r"^(S[ốôóồổòo0][:;]?|ngày)([^:;].*)$")
#: The date's blanks: each label and the word that ends its blank.
DATE_BLANKS = {"ngày": "tháng", "tháng": "năm"}
#: A short syllable in a date's blank, no longer than this and read this unsure, is a figure misread
#: (``ngày lố tháng`` for 16): prose has no short word alone between ``ngày`` and ``tháng``.
LONE_SYLLABLE = (3, 90.0)
#: The year and the symbol of a number whose blank's slash was read with the figures: ``2025/QĐ-UBND``.
_YEAR_SYMBOL = re.compile(r"^(?:19|20)\d\d/[A-ZĐ][A-Za-zĐđ]{0,4}-[A-ZĐ]")
#: A number typed whole after its label (``Số:12/2025/QĐ-UBND``, ``Số:3027/UBND``): nothing to split.
_TYPED_NUMBER = re.compile(r"^\W?\d+[/-]\S*[A-ZĐ]")
_PLAIN_DAY = re.compile(r"^\d{1,2}$")
FILLED_MAX_MM = 45.0  # the blank left for a number or a day is narrower than this
FILLED_MIN_CONF = 50.0  # a digits reading kept from this confidence
MODEL_MIN_CONF = 80.0  # the handwritten-figures model's least sure figure must reach this (0–100)
READERS = ("tesseract", "model", "vote", "fallback")
_JOINED_NUMBER = re.compile(r"^(\d+)([/-]\S+)$")
FIGURE_SCRAP = 4  # characters: a scrap this short that is no syllable is a figure read as junk
TYPED_GAP = 0.3  # a blank this share of the line height inside "3027/UBND" is the space typed there


@dataclass(frozen=True)
class Blank:
    """A gap left for a number or a day: its label (``Số:``, ``ngày``), the engine's words in it, the
    word that ends it (the symbol ``/2025/QĐ-UBND``, ``tháng``) and the crop to read again, in the
    page's pixels (``x0``, ``y0``, ``x1``, ``y1``: half a label height above and below the label)."""

    label: Word
    between: tuple[Word, ...]
    end: Word
    box: tuple[int, int, int, int]


def reread_filled_in(
    page: Prepared,
    words: list[Word],
    engine: OcrEngine,
    reader: str = "vote",
    unsure: list[UnsureFigures] | None = None,
) -> list[Word]:
    """Numbers and days written into their blanks by hand, read again as figures only.

    Why: a decision is typed with a gap after ``Số:`` and ``ngày``; the clerk writes the number and
    the day in when it is signed. Tesseract's ``vie`` model reads those figures as letters or other
    figures (``3227`` for 3021, ``22/6`` for 2016, ``1Z_`` for 15); its ``eng`` model restricted to
    digits, on the gap alone, reads print well and handwriting badly (``465`` for 453, ``40`` for
    30, nothing for 13). ``reader`` says who reads the gap again (``READERS``, ``read_blank``); the
    default, ``vote``, lets the project's handwritten-figures model (``ocr_ingest/text/digits``)
    decide when it is sure and Tesseract's digits confirm it when it is not (measured on the 92 first
    pages of the real vietidp decisions that are OCR'd, ``bench/figures_real.py``: the blank after
    ``Số:`` read exactly 20 → 27 times of 32, numbers right 54 → 59, dates 64 → 69). Which gaps:
    ``find_blanks``. A number typed into the gap, which the engine joined to its symbol, gets its
    space back (``_split_at_gap``). ``unsure``: where to list the figures read but left out, with the
    model's confidence (``read_blank``)."""
    out = _reread_struck_numbers(page, list(words), engine)
    for blank in find_blanks(page, out):
        if blank.end not in out:
            continue
        figure = read_blank(page, blank, engine, reader, unsure)
        if figure is not None:  # an empty reading takes the engine's words out of the gap
            out = swapped(out, list(blank.between), [figure] if figure.text else [])
    return out


_READ_NUMBER = re.compile(rf"^{clean.NUMBER_FORM}$")  # a number read whole on its own line


def _reread_struck_numbers(page: Prepared, words: list[Word], engine: OcrEngine) -> list[Word]:
    """``Số:`` and its number read again from their own strip, the rules through them whited out
    (``whiten_rules``), where a rule's strokes were read into them (``clean.RULED_NUMBER``: a received
    stamp's frame pressed across the number line). Kept when the line reads ``Số:`` and a whole number
    the engine believes (real qd_0141: ``-:>———Số;-22/2026/NĐ-CP`` read again ``SỐ: 77/2026/NĐ-CP``);
    otherwise the word stays for ``clean.cut_rules_off_numbers``, which leaves figures it doubts out."""
    out = list(words)
    for w in words:
        if not clean.RULED_NUMBER.match(w.text):
            continue
        pad = (w.bottom - w.top) // 2
        x0, y0 = max(0, w.left - pad), max(0, w.top - pad)
        strip, _ = whiten_rules(page.image[y0 : w.bottom + pad, x0 : w.right + pad], dpi=page.dpi)
        read = engine.recognise(strip, dpi=page.dpi, psm=6)  # a block: the stamp's heading may come in
        at = next(
            (i for i, u in enumerate(read) if _READ_NUMBER.match(u.text) and u.conf >= clean.MIN_WORD_CONF),
            None,
        )
        if not at:  # none, or no label before it
            continue
        number = read[at]
        left, right = x0 + number.left, x0 + number.right
        label = replace(w, text="Số:", right=left - 1, conf=max(w.conf, clean.MIN_WORD_CONF))
        out = swapped(
            out, [w], [label, replace(w, text=number.text, left=left, right=right, conf=number.conf)]
        )
    return out


def find_blanks(page: Prepared, words: list[Word]) -> list[Blank]:
    """The gaps with figures written in: between ``Số:`` and a symbol that starts with ``/`` or ``-``
    (a number typed with its symbol is one word: nothing to do), between ``ngày`` and ``tháng`` and
    between ``tháng`` and ``năm`` (the month is written in by hand too) unless a plain day or month
    is there already, believed. A number typed into the gap and joined to its symbol by the engine,
    a label glued to the figures or behind a rule's strokes (``clean.cut_rules_off_numbers``), and a
    date's label whose box holds the figures beside it are split first, and a year's symbol whose
    slash went with the figures' junk gets it back (``words`` is updated in place)."""
    blanks = []
    _unglue_days(words)
    words[:] = clean.cut_rules_off_numbers(words)
    _unglue_labels(page, words)
    _unglue_years(words)
    labels = [u for u in words if _NUMBER_LABEL.match(u.text) or u.text in DATE_BLANKS]
    widest = FILLED_MAX_MM * page.dpi / 25.4
    for label in labels:
        height = label.bottom - label.top
        middle = (label.top + label.bottom) / 2
        row = sorted(
            (
                u
                for u in words
                if abs((u.top + u.bottom) / 2 - middle) < 0.6 * height
                and label.right <= u.left <= label.right + widest
            ),
            key=lambda u: u.left,
        )
        if label.text in DATE_BLANKS:
            end = next((u for u in row if u.text == DATE_BLANKS[label.text]), None)
        else:
            end = next((u for u in row if u.text[:1] in "/-" and len(u.text) > 1), None)
            if end is None and row and (split := _split_at_gap(page, row[0])):
                words[:] = swapped(words, row[:1], split)
                if split[0].conf < clean.MIN_WORD_CONF:  # the joined word barely believed (the gap's
                    row, end = [*split, *row[1:]], split[1]  # blank, conf 2): its figures read again
            yearly = next((u for u in row if _YEAR_SYMBOL.match(u.text)), None) if end is None else None
            if yearly is not None and row[0] is not yearly:  # ``Số:.05 2025/QĐ-UBND``: the slash
                end = replace(yearly, text="/" + yearly.text)  # printed before the year went with the
                words[:] = swapped(words, [yearly], [end])  # figures' junk; the year is no numeral
                row = [end if u is yearly else u for u in row]
        if end is None:
            continue
        between = [u for u in row if u.left < end.left]
        dated = label.text in DATE_BLANKS
        if len(between) > 2 or not all(_date_scrap(u) if dated else _figure_like(u.text) for u in between):
            continue  # words in the gap (``ngày ký ban hành đến hết tháng``): not a blank
        believed_day = len(between) == 1 and _PLAIN_DAY.match(between[0].text) and between[0].conf >= 90
        if label.text in DATE_BLANKS and believed_day and _possible(label.text, between[0].text):
            continue
        x0, x1 = label.right + 2, end.left - 1
        y0 = max(0, label.top - height // 2)
        if x1 - x0 < height:
            continue
        blanks.append(Blank(label, tuple(between), end, (x0, y0, x1, label.bottom + height // 2)))
    return blanks


#: A day written by hand touching the print beside it, read as one word with its labels: ``ngày22tháng``,
#: ``Í0tháng`` (after ``ngày``).
_GLUED_DAY = re.compile(r"^(ngày)?(\S{1,4}?)(tháng)$")


#: A printed lower-case letter's width, in the word box's heights (the labels' print: ``Nội,`` is 63 px
#: wide in a 34 px box); the figures written between take the rest of the box.
PRINT_CHAR = 0.45


def _unglue_days(words: list[Word]) -> None:
    """Each word that is a day glued to its labels split into them (``words`` updated in place), the
    labels as wide as their print (:data:`PRINT_CHAR`), so the blank between ``ngày`` and ``tháng`` is
    found. The labels' letters were read right, so they are believed whatever the engine's confidence
    in the whole."""
    for w in list(words):
        m = _GLUED_DAY.match(w.text)
        if not m or not _figure_like(m[2]):
            continue
        height = w.bottom - w.top
        ngay = next(
            (
                u
                for u in words
                if u.text == "ngày" and abs(u.top - w.top) < height and 0 <= w.left - u.right < 2 * height
            ),
            None,
        )
        if not (m[1] or ngay):
            continue
        # the print's height from the label beside it: the handwriting makes the glued word's box taller
        height = ngay.bottom - ngay.top if ngay is not None else height
        pieces = [g for g in m.groups() if g]
        labels = round(PRINT_CHAR * height * sum(len(p) for p in pieces if p in ("ngày", "tháng")))
        if w.right - w.left - labels <= 0:
            continue  # no room for a figure between the labels' print
        sure = max(w.conf, clean.MIN_WORD_CONF)
        parts, x = [], w.left
        for k, piece in enumerate(pieces):
            label = piece in ("ngày", "tháng")
            width = PRINT_CHAR * height * len(piece) if label else w.right - w.left - labels
            right = w.right if k == len(pieces) - 1 else round(x + width)
            parts.append(replace(w, text=piece, left=x, right=right, conf=sure if label else w.conf))
            x = right
        words[:] = swapped(words, [w], parts)


#: A ``ngày`` or ``tháng`` whose box is this much wider than its print holds the figures written after it.
WIDE_DATE_LABEL = 1.4


def _unglue_labels(page: Prepared, words: list[Word]) -> None:
    """Each ``Số:``, ``ngày`` or ``tháng`` whose word box holds the figures written after it cut back to its print
    (``words`` updated in place), so the blank after it is found: the figures glued to the label
    (``Số:21``, ``Só:⁄4/``, ``ngày1†``: the rest becomes a word of its own), or a ``Số:`` the engine
    barely believes that is much wider than its print (at a confidence of 0, its box over the ``21``
    written beside it), or a ``ngày`` or ``tháng`` much wider than its print (:data:`WIDE_DATE_LABEL`:
    real qd_0051's ``tháng`` over the ``10`` the pen wrote touching it). The cut is in the gap after
    the label's last glyph (``_after_glyphs``); a glued label, or a wide date's, whose glyphs touch the
    pen is cut where its print ends (:data:`PRINT_CHAR` per letter)."""
    for w in list(words):
        glued = _GLUED_LABEL.match(w.text)
        if glued and (_TYPED_NUMBER.match(glued[2]) or not _figure_like(glued[2])):
            continue
        if glued and glued[1] == "ngày" and len(glued[2]) > FIGURE_SCRAP:
            continue
        label = glued[1] if glued else w.text
        height = w.bottom - w.top
        print_right = w.left + round(PRINT_CHAR * height * len(label))
        too_wide = (
            _NUMBER_LABEL.match(w.text)
            and w.conf < clean.MIN_WORD_CONF
            and w.right - w.left > 1.2 * (print_right - w.left)
        )
        wide_date = w.text in DATE_BLANKS and w.right - w.left > WIDE_DATE_LABEL * (print_right - w.left)
        if not (glued or too_wide or wide_date):
            continue
        cut = _after_glyphs(page, w, label) or (print_right if glued or wide_date else None)
        if cut is None or cut >= w.right - height // 2:
            continue
        parts = [replace(w, text=label, right=cut, conf=max(w.conf, clean.MIN_WORD_CONF))]
        if glued:
            parts.append(replace(w, text=glued[2], left=cut + 1))
        words[:] = swapped(words, [w], parts)


#: ``năm``'s print is this many times its box's height wide (no letter rises or falls: the box is the
#: breve's and the x-height; measured on the real decisions' first pages: median 2.4, at most 2.7)
YEAR_LABEL_WIDTH = 2.4
WIDE_YEAR_LABEL = 1.3  # a ``năm`` this much wider than that holds the month before it


def _unglue_years(words: list[Word]) -> None:
    """Each ``năm`` right after ``tháng`` whose box is much wider than its print (:data:`WIDE_YEAR_LABEL`
    times :data:`YEAR_LABEL_WIDTH`) cut back to the print at its right end (``words`` updated in place):
    the month typed or written over the print before it (real qd_0061: ``tháng 09năm``, the ``09``
    inside ``năm``'s box, 3.4 times its height), so the month's blank is found."""
    for w in list(words):
        if w.text != "năm":
            continue
        height = w.bottom - w.top
        width = round(YEAR_LABEL_WIDTH * height)
        month = any(
            u.text == "tháng" and abs(u.top - w.top) < height and 0 <= w.left - u.right < height
            for u in words
        )
        if month and w.right - w.left > WIDE_YEAR_LABEL * width:
            words[:] = swapped(
                words, [w], [replace(w, left=w.right - width, conf=max(w.conf, clean.MIN_WORD_CONF))]
            )


def _after_glyphs(page: Prepared, word: Word, label: str) -> int | None:
    """The middle of the gap after the label's glyphs in ``word``'s box, its ink read as runs of
    columns (``S``, ``ố``, ``:``: one run each, the marks above their letter); None when the runs do
    not show it (letters touching, or a colon no narrower than a letter)."""
    columns = _ink_columns(page, word)
    if columns is None:
        return None
    runs = [(a, b) for a, b in _runs(columns) if b - a >= 2]  # a speck is no glyph
    n = len(label)
    if len(runs) <= n:
        return None
    last, first = runs[n - 1], runs[0]
    if label[-1] in ":;" and 2 * (last[1] - last[0]) > first[1] - first[0]:
        return None
    return word.left + (last[1] + runs[n][0]) // 2


def read_blank(
    page: Prepared, blank: Blank, engine: OcrEngine, reader: str, unsure: list[UnsureFigures] | None = None
) -> Word | None:
    """The figures in a blank, as one word in its place; None to leave the engine's words there.

    ``tesseract``: Tesseract's digits (``FILLED_MIN_CONF`` per figure). ``model``: the handwritten-
    figures model when its least sure figure reaches ``MODEL_MIN_CONF``. ``vote``: the model when it is
    sure or when Tesseract reads the same figures; otherwise the blank is left empty (the field stays
    partial: a figure neither is sure of is not guessed). ``fallback``: the model when it is sure,
    Tesseract's digits otherwise. A blank left empty for want of sureness is listed in ``unsure``
    with what the model read there and its confidence, for a clerk to confirm (issue 20: "left
    partial, with its confidence, never guessed")."""
    if reader not in READERS:
        raise ValueError(f"unknown figures reader {reader!r}: one of {', '.join(READERS)}")
    x0, y0, x1, y1 = blank.box
    crop = page.image[y0:y1, x0:x1]
    if reader == "tesseract":
        return _placed(_tesseract_figures(crop, page.dpi, engine), blank)
    model = digits.read_figures(crop)
    if model.text and model.conf >= MODEL_MIN_CONF:  # sure: Tesseract is not asked (~5 ms against ~0.2 s)
        return _placed((model.text, model.spans, model.conf), blank)
    if reader == "model":
        return None
    tess = _tesseract_figures(crop, page.dpi, engine)
    if reader == "fallback":
        return _placed(tess, blank)
    if tess is not None and tess[0] == model.text:
        return _placed((tess[0], tess[1], max(tess[2], model.conf)), blank)
    if unsure is not None and model.text:
        label = "Số" if _NUMBER_LABEL.match(blank.label.text) else blank.label.text  # ``Só:`` is Số's
        unsure.append(UnsureFigures(label, model.text, round(model.conf, 1)))
    return _placed(("", (), model.conf), blank)


Figures = tuple[str, tuple[tuple[int, int], ...], float]  # text, each figure's x span in the crop, conf


def _tesseract_figures(crop, dpi: int, engine: OcrEngine) -> Figures | None:  # noqa: ANN001
    found = [v for v in engine.read_digits(crop, dpi=dpi) if v.conf >= FILLED_MIN_CONF]
    if not found:
        return None
    return "".join(v.text for v in found), tuple((v.left, v.right) for v in found), min(v.conf for v in found)


def _placed(figures: Figures | None, blank: Blank) -> Word | None:
    """The figures as a word on the label's line (an empty word when the gap is to be left empty)."""
    if figures is None:
        return None
    text, spans, conf = figures
    x0 = blank.box[0]
    left = x0 + min((a for a, _ in spans), default=0)
    right = x0 + max((b for _, b in spans), default=0)
    end, label = blank.end, blank.label
    return Word(text, left, label.top, right, label.bottom, conf, end.block, end.par, end.line)


def _split_at_gap(page: Prepared, word: Word) -> list[Word] | None:
    """``3027/UBND-TNMT`` as two words when the page shows a blank between the figures and the symbol:
    the number typed into the gap left for it, which the engine read as one word with its symbol
    (the text keeps the space the page has). The blank is looked for around where the figures'
    share of the letters puts it."""
    m = _JOINED_NUMBER.match(word.text)
    height = word.bottom - word.top
    if not m or height <= 0:
        return None
    columns = _ink_columns(page, word)
    if columns is None:
        return None
    expected = (word.right - word.left) * len(m.group(1)) / len(word.text)
    gaps = [(b - a, a) for a, b in _runs(~columns) if 0.5 * expected <= a <= 1.5 * expected]
    best, at = max(gaps, key=lambda g: g[0], default=(0, 0))  # the widest, the first of equals
    if best < TYPED_GAP * height:
        return None
    return [
        replace(word, text=m.group(1), right=word.left + at),
        replace(word, text=m.group(2), left=word.left + at + best),
    ]


def _ink_columns(page: Prepared, word: Word) -> np.ndarray | None:
    """Which columns of ``word``'s box hold ink (Otsu's threshold on the box); None for an empty box."""
    crop = page.image[word.top : word.bottom, word.left : word.right]
    if crop.size == 0:
        return None
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink.any(axis=0)


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """The runs of True in ``flags`` as (start, end), end excluded, left to right."""
    padded = np.concatenate(([False], flags.astype(bool), [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


#: The largest figure a date's blank takes: a day after ``ngày``, a month after ``tháng``.
DATE_MAX = {"ngày": 31, "tháng": 12}


def _possible(label: str, figures: str) -> bool:
    """``figures`` can stand after ``label`` in a date: a day of 1–31, a month of 1–12. A day the engine
    is sure of that no month has (``ngày 48``: a handwritten 1 read as 4) is read again."""
    return 1 <= int(figures) <= DATE_MAX[label]


def _date_scrap(word: Word) -> bool:
    """What the engine makes of a handwritten day or month (the gap holds at most two such words):
    figures with junk, a short syllable read unsure (``lố`` for 16), or one in capitals amid the
    date's lower case (``ngày AO tháng Ở năm``: 10 and 9); prose there is words in lower case
    (``ngày ký ban hành đến hết tháng``)."""
    short = len(word.text) <= LONE_SYLLABLE[0]
    return _figure_like(word.text) or (short and (word.conf < LONE_SYLLABLE[1] or word.text.isupper()))


def _figure_like(text: str) -> bool:
    """What the engine makes of a handwritten figure: digits with junk (``1Z_``, ``22/6``, ``đØ21``),
    or a scrap too short to be a word (``ØZ/``), not a syllable."""
    return any(c.isdigit() for c in text) or (len(text) <= FIGURE_SCRAP and not is_syllable(text))
