"""The figures pass: numbers and days written into their blanks by hand, read again as figures only."""

from __future__ import annotations

import re
from dataclasses import replace

import cv2

from ..lm.vietnamese import is_syllable
from .boxes import swapped
from .engines import OcrEngine
from .prepare import Prepared
from .tesseract import Word

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
                out = swapped(out, row[:1], split)
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
        out = swapped(out, between, [figure])
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


def _figure_like(text: str) -> bool:
    """What the engine makes of a handwritten figure: digits with junk (``1Z_``, ``22/6``, ``đØ21``),
    or a scrap too short to be a word; not a syllable."""
    return any(c.isdigit() for c in text) or (len(text) <= 2 and not is_syllable(text))
