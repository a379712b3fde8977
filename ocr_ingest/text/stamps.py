"""Received stamps: a receiving office's rubber stamp (``ĐẾN`` with ``Số / Ngày / Chuyển``, or the
government portal's ``CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ / ĐẾN / Giờ / Ngày``) told by its frame and set
aside from the page's words, so that its number, its day and its heading stay out of the notice's
text (``PageText.received`` keeps them). Split from :mod:`.clean`; pure functions of word boxes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from preprocess.frames import Box

from ..lm.vietnamese import is_syllable, strip_diacritics
from .clean import MIN_WORD_CONF
from .layout import Line, reading_order
from .tesseract import Word

_RECEIVED_WORD = re.compile(r"^(?:CONGVAN)?DEN$")  # the stamp's big word, read with or without marks
RECEIVED_MAX_MM = (100.0, 60.0)  # a received stamp is a hand stamp (~50 × 25 mm); a table is wider


@dataclass(frozen=True)
class ReceivedStamp:
    """A receiving office's stamp on a page: its frame (x, y, w, h) and the words read in it."""

    box: Box
    text: str
    whole: bool = True  # every word in the box is the stamp's (False: the notice's words under it kept)


def set_aside_received_stamps(
    words: list[Word],
    frames: list[Box],
    dpi: int,
    reread: Callable[[Box], list[Word]] | None = None,
) -> tuple[list[Word], tuple[ReceivedStamp, ...]]:
    """Words inside the frame of a receiving office's stamp (``ĐẾN``, ``Số: …``, ``Ngày: …``,
    ``Chuyển: …``), taken out of the page's words; returns the rest and the stamps.

    Why: the receiving office stamped and filled it in after the notice was issued; its number and
    day are not the notice's, and read into the text they land among the issuer's lines (the stamp sits
    under the number line). A frame is a received stamp when one of its words is the big ``ĐẾN``
    (upper case; OCR often drops its marks) and it is hand-stamp sized; other frames (an e-signature
    banner, a table whose head says ``TỪ … ĐẾN``) keep their words. A word belongs to a frame when its
    centre lies inside, unless its line runs on out of the box (``_runs_on``: the notice's paragraph
    the stamp was pressed over); words of the portal's heading right above the box go with it
    (``_heading_above``).

    ``reread``: the frame alone read again, for a stamp-sized frame whose words on the page say neither.
    Read among the page's lines, a stamp's big outlined ``ĐẾN`` and small heading come back as junk
    (``IPẾNG,``, ``TÙ GHÍNYPHỦ``: 25 of the first pages of real scans kept their portal stamp's words in
    the text, in the number's line or among the subject's); alone they read. A frame so read is a
    received stamp when it says ``ĐẾN`` or a portal's heading (:data:`RECEIVED_HEADINGS`) and no
    signature's label (an e-signature's framed banner names the portal too: ``Người ký: CỔNG …``); its
    text is then that reading, and its box takes in the lines that said so (on a 200 dpi scan the
    frame found is often the ``ĐẾN`` compartment alone, the heading's above it too low to be one).
    From such a stamp only its own words are set aside (``_stamps_own``: junk, figures, its labels and
    heading), and it is not whited out for the column pass (``whole`` False): the notice's words
    its box overlaps, read and believed, stay.
    """
    aside: list[tuple[Box, list[Word], list[Word] | None]] = []
    mm = dpi / 25.4
    for x, y, w, h in frames:
        if w > RECEIVED_MAX_MM[0] * mm or h > RECEIVED_MAX_MM[1] * mm:
            continue
        read: list[Word] | None = None
        box = _with_compartments((x, y, w, h), frames, mm)
        if any(_has_received_word(line) for line in reading_order(_inside(words, (x, y, w, h)))):
            group = [u for u in _inside(words, box) if not _runs_on(u, words, box)]
        else:
            said = _received_alone(read := reread((x, y, w, h))) if reread is not None else None
            if said is None:
                continue
            box = _union(box, said)
            group = [u for u in _inside(words, box) if _stamps_own(u)]
        heading = _heading_above(words, box, mm)
        if heading:  # the box takes in its heading: the second readings then see it whited out too
            box = _union(box, _box_of(heading))
        aside.append((box, group + heading, read))
    if not aside:
        return words, ()
    gone = {id(u) for _, group, _ in aside for u in group}
    stamps = tuple(
        ReceivedStamp(
            box,
            "\n".join(ln.text for ln in reading_order(_inside(alone, box) if alone else group)),
            whole=alone is None,
        )
        for box, group, alone in aside
    )
    return [u for u in words if id(u) not in gone], stamps


def _stamps_own(word: Word) -> bool:
    """Inside a stamp told by its frame read alone, a word of the stamp's: junk, a figure, a label or
    the heading's. Its frame's words on the page were read as junk, so the notice's own words the
    stamp was pressed over, read and believed, are still there (``Căn``, ``Ban hành``, ``Số:``)."""
    bare = word.text.strip("|,.;:'\"“”`")
    return (
        word.conf < RUN_ON_CONF[0]
        or not is_syllable(bare)
        or _heading_word(bare)
        or bool(_RECEIVED_WORD.match(strip_diacritics(bare).upper()))
        or strip_diacritics(bare).lower() in ("gio", "ngay")
        and word.text.endswith(":")
    )


#: The headings a portal's received stamp prints over ``ĐẾN`` (the government's portal: most documents
#: published there carry it); ``fields.vocab.BANNERS`` sets them aside in a subject too.
RECEIVED_HEADINGS = ("CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ",)
_HEADING_KEYS = tuple(re.sub(r"[^A-Z]", "", strip_diacritics(h)) for h in RECEIVED_HEADINGS)
HEADING_SIMILARITY = 80.0  # rapidfuzz partial ratio of the letters, 0–100: a heading with a few slips
HEADING_MIN_LETTERS = 10  # a line with fewer letters is not told a heading by them
_SIGNATURE_LABEL = re.compile(r"NGUOIKY|KYBOI|THOIGIANKY|NGAYKY|EMAIL|COQUAN")


def _received_alone(read: list[Word]) -> Box | None:
    """Where a frame read alone says it is a received stamp: the box of its lines that say ``ĐẾN`` or a
    portal's heading; None when none does, or when a line holds a signature's label."""
    lines = reading_order([u for u in read if u.conf >= MIN_WORD_CONF])
    said = []
    for line in lines:
        letters = re.sub(r"[^A-Z]", "", strip_diacritics(line.text.upper()))
        if _SIGNATURE_LABEL.search(letters):
            return None
        heading = len(letters) >= HEADING_MIN_LETTERS and any(
            fuzz.partial_ratio(letters, k) >= HEADING_SIMILARITY for k in _HEADING_KEYS
        )
        if heading or _has_received_word(line):
            said += line.words
    return _box_of(said) if said else None


RUN_ON_GAP = 4.0  # word heights: the blank after ``Số:`` a number is written into is this wide or less
RUN_ON_CONF = (50.0, 80.0)  # a word this believed (see _runs_on); the words its line runs on through


def _runs_on(word: Word, words: list[Word], box: Box) -> bool:
    """A word inside a stamp's box whose line runs on out of it: the first word of the subject or of
    a paragraph that the stamp was pressed over (``Căn`` of *Căn cứ Luật …*), not the stamp's. A
    syllable whose engine line goes on right past the box's edge through words it believes, each less
    than a word's height from the last; or, when the word is believed itself, across up to
    ``RUN_ON_GAP`` heights (``Số:`` and its number, across the blank). The stamp's rule through the
    word leaves it less sure (``Căn`` at 16, ``hành`` of *Ban hành* at 61); the stamp's own lines end
    inside its box, or run into the notice's through junk (``IPẾNG, nay 6Š12025. Quy định``)."""
    if not is_syllable(word.text.strip(",.;:")):
        return False
    line = sorted(
        (u for u in words if (u.block, u.par, u.line) == (word.block, word.par, word.line)),
        key=lambda u: u.left,
    )
    edge, height = box[0] + box[2], word.bottom - word.top
    gap = RUN_ON_GAP if word.conf >= RUN_ON_CONF[0] else 1.0
    at = word
    for u in line:
        if u.left <= at.left:
            continue
        if u.left - at.right > gap * height or u.conf < RUN_ON_CONF[1]:
            return False
        if (u.left + u.right) / 2 > edge:
            return True
        at = u
    return False


HEADING_ABOVE = 0.6  # of a stamp's height: the band above it where its heading's compartment may be
HEADING_ABOVE_MM = 8.0  # and at most this high (a heading's compartment is ~5 mm)


def _heading_above(words: list[Word], box: Box, mm: float) -> list[Word]:
    """Words right above a received stamp's box, within its width, that are its heading's (a portal's
    heading word with at most one slip: ``GỔNG``, ``TƯ``): on a 200 dpi scan the heading's
    compartment is often too low to be found as a frame of its own, and once the stamp is set aside
    a second reading makes out the heading (``CỔNG THÔNG TƯ CHÍNH PHỦ``) among the issuer's lines.
    The notice's own words there stay (``Số: 43/2025/QĐ-UBND`` touching the stamp's top, an issuer's
    ``TƯỚNG``, one slip from ``THÔNG``): a heading's words come two or more side by side."""
    x, y, w, h = box
    reach = round(min(HEADING_ABOVE * h, HEADING_ABOVE_MM * mm))
    band = sorted(_inside(words, (x, y - reach, w, reach)), key=lambda u: (u.block, u.par, u.line, u.left))
    said = [_heading_word(u.text) for u in band]
    same = [
        (a.block, a.par, a.line) == (b.block, b.par, b.line) for a, b in zip(band, band[1:], strict=False)
    ]
    heading = {
        (u.block, u.par, u.line)
        for i, u in enumerate(band)
        if said[i]
        and ((i > 0 and same[i - 1] and said[i - 1]) or (i + 1 < len(band) and same[i] and said[i + 1]))
    }
    # the heading's words in capitals on its line: an office's name beside the portal's words (``VĂN``
    # of *VĂN PHÒNG CHÍNH PHỦ*); not the notice's words the engine read into that line (``cán``)
    return [
        u
        for i, u in enumerate(band)
        if (u.block, u.par, u.line) in heading and (said[i] or _capitals(u.text))
    ]


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


_HEADING_WORDS = frozenset(w for h in RECEIVED_HEADINGS for w in strip_diacritics(h).split())
HEADING_SLIP_LETTERS = 4  # a heading's word read with one slip counts from this many letters


def _heading_word(text: str) -> bool:
    letters = re.sub(r"[^A-Z]", "", strip_diacritics(text))
    if len(letters) < 2 or letters != strip_diacritics(text).strip("|,.;:"):
        return False
    if len(letters) < HEADING_SLIP_LETTERS:  # TIN, TỬ, PHỦ as they are: THỦ is one slip from TỬ
        return letters in _HEADING_WORDS
    return any(Levenshtein.distance(letters, k) <= 1 for k in _HEADING_WORDS)


def _box_of(words: list[Word]) -> Box:
    x0, y0 = min(u.left for u in words), min(u.top for u in words)
    return x0, y0, max(u.right for u in words) - x0, max(u.bottom for u in words) - y0


def _union(a: Box, b: Box) -> Box:
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    return x0, y0, max(a[0] + a[2], b[0] + b[2]) - x0, max(a[1] + a[3], b[1] + b[3]) - y0


def _inside(words: list[Word], box: Box) -> list[Word]:
    """The words whose centre lies in ``box``."""
    x, y, w, h = box
    return [u for u in words if x <= (u.left + u.right) / 2 <= x + w and y <= (u.top + u.bottom) / 2 <= y + h]


def _with_compartments(box: Box, frames: list[Box], mm: float) -> Box:
    """The stamp's whole box: frames right above or below it, as wide, are its compartments (on a
    200 dpi bilevel scan the filled-in dotted blanks come out as rules and cut the frame in two)."""
    x, y, w, h = box
    grown = True
    while grown:
        grown = False
        for fx, fy, fw, fh in frames:
            same_width = min(x + w, fx + fw) - max(x, fx) >= 0.9 * max(w, fw)
            touching = fy <= y + h + 2 * mm and fy + fh >= y - 2 * mm
            if (
                same_width
                and touching
                and not (x <= fx and y <= fy and fx + fw <= x + w and fy + fh <= y + h)
            ):
                x0, y0 = min(x, fx), min(y, fy)
                w, h = max(x + w, fx + fw) - x0, max(y + h, fy + fh) - y0
                x, y, grown = x0, y0, True
    return x, y, w, h


def _has_received_word(line: Line) -> bool:
    """The big ``ĐẾN`` among the line's words, alone or split by OCR into two or three (``ĐE N``)."""
    letters = [strip_diacritics(re.sub(r"[\W\d_]", "", w.text)) for w in line.words]
    runs = ("".join(letters[i : i + n]) for n in (1, 2, 3) for i in range(len(letters) - n + 1))
    return any(_RECEIVED_WORD.match(t) for t in runs)
