"""Clean text: NFC, lines reflowed into paragraphs, list items kept as lines, noise dropped.

Why NFC and nothing stronger: Vietnamese tone marks arrive both precomposed and decomposed, and only
NFC makes them compare equal. NFC does not unify old and new tone placement (``Hòa`` / ``Hoà``): that
is the author's spelling, and we keep what the page says.
Why hyphens stay: Vietnamese typesetting never splits a syllable, so a hyphen at a line end is a real
one (``kinh tế-`` / ``xã hội``); we join the lines without a space and keep it.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from preprocess.frames import Box

from .. import lm
from ..lm.vietnamese import is_syllable, strip_diacritics
from .layout import Line, reading_order
from .tesseract import Word

_LIST_ITEM = re.compile(r"^(?:[-–•+*]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-zđ]\)\s|[IVXH]{1,4}\.\s)")
_PAGE_NUMBER = re.compile(r"^[-–\s]*(?:trang\s*)?\d{1,3}[-–\s]*$", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_ALNUM = re.compile(r"\w", re.UNICODE)


_SCAN_JUNK = re.compile(r"^[_~=|.:;,'`\"^*°•·]+$")
_REPORT_SLIP = re.compile(r"^\(b/[€C]?\)([;.,]?)$")
_REPORT_NOTE = re.compile(r"^\(b/c\)[;.,]?$")
_ABBREVIATION = re.compile(r"^[A-ZĐ]{2,6}[;.,]?$")
_DOT_RUN = re.compile(r"\.{4,}|_{2,}|(?<=\d)_+$")  # dot leaders, blanks, the blank under a figure
_LABEL = re.compile(r"^(?:Người ký|Ký bởi|Email|Cơ quan|Thời gian ký|Giờ ký|Nơi nhận)\s*:", re.IGNORECASE)
MIN_WORD_CONF = 35.0
SPECK = 0.35  # a "word" smaller than this share of the median word height both ways is a speck
#: a section heading's numeral as the engine reads it: Roman letters and ``H`` (two serif ``I`` joined)
_NUMERAL = r"[IVXH]{1,5}"
_SECTION_NUMERAL = re.compile(rf"^{_NUMERAL}\.?$")


def drop_scan_junk(words: list[Word]) -> list[Word]:
    """Runs of dots, underscores, bars from specks: removed before layout, because they would bridge
    the gutter between two columns and glue the columns' lines together. Except a list item's dash
    that a noisy 200 dpi scan gave as ``~`` or ``_``: kept as ``-``; and a recipient's ``(b/c)``
    (*báo cáo*, to report to: the commonest note in a Nơi nhận list) read as ``(b/€)``, ``(b/C)``,
    ``(b/)``: restored. A speck read as a letter is dropped, believed or not: at the page's edge it
    opened a two-column band whose gutter swallowed the header's real one; beside a line it cut the
    line in two (``Chính`` / ``- phủ;``). A table's ruling read as ``|`` is
    dropped too, also where it sticks to a cell's word (``|Thu``): Vietnamese text has no ``|``. A
    figure written on a blank keeps the blank's line as ``_`` (``25_``): dropped."""
    out = []
    specks = {id(w) for w in _specks(words, believed=False)}
    for i, w in enumerate(words):
        if id(w) in specks:
            continue
        if _is_list_dash(words, i):
            out.append(replace(w, text="-"))
            continue
        if m := _REPORT_SLIP.match(w.text):
            w = replace(w, text="(b/c)" + m.group(1))
        if _SCAN_JUNK.match(w.text) and (w.conf < 95 or "|" in w.text):
            continue
        bare = w.text.lstrip("|")
        if len(bare) < len(w.text):  # a ruling stuck to the front: the word starts further right
            w = replace(w, text=bare, left=w.right - round((w.right - w.left) * len(bare) / len(w.text)))
        text = _DOT_RUN.sub("", w.text).rstrip("|")
        if text != w.text:
            if not text:
                continue
            w = replace(w, text=text, right=w.left + round((w.right - w.left) * len(text) / len(w.text)))
        out.append(w)
    return out


def _has_letter(w: Word) -> bool:
    return any(c.isalpha() for c in w.text)


def drop_specks(words: list[Word]) -> list[Word]:
    """The words without the believed dots of dust read as letters (see ``drop_scan_junk``); for the
    column pass, whose bands a speck's fake gutter would hide. An unsure speck stays there: beside a
    line the engine garbled, it is part of what tells the pass to read the band again (measured:
    without it a recipients' band was not read again on both scans of one document)."""
    specks = {id(w) for w in _specks(words, believed=True)}
    return [w for w in words if id(w) not in specks]


def _specks(words: list[Word], *, believed: bool) -> list[Word]:
    """Letters smaller than ``SPECK`` of the median word height both ways (``ị``, 1 × 5 px; ``Ộ``,
    6 × 6 px at a confidence of 0): far out on the page, one fakes a column; beside a line, it cuts
    the line in two (``Chính`` / ``- phủ;``). ``believed``: only those the engine believes."""
    heights = [w.bottom - w.top for w in words if w.bottom > w.top]
    speck = SPECK * statistics.median(heights) if heights else 0.0
    return [
        w
        for w in words
        if w.right - w.left < speck
        and w.bottom - w.top < speck
        and (w.conf >= MIN_WORD_CONF or not believed)
        and _has_letter(w)
    ]


def _is_list_dash(words: list[Word], i: int) -> bool:
    """``words[i]`` is a lone ``~``/``_``/``—`` opening its line, as wide as a dash, at the height of
    the capitalised word that follows close by on the same line: how ``- Các cơ quan`` comes back from
    a noisy scan. A signature's last stroke above the signer's name is not one."""
    w = words[i]
    if w.text not in ("~", "_", "—", "−", "¬") or i + 1 >= len(words):
        return False
    key = (w.block, w.par, w.line)
    nxt = words[i + 1]
    if i and (words[i - 1].block, words[i - 1].par, words[i - 1].line) == key:
        return False
    height = nxt.bottom - nxt.top
    return (
        (nxt.block, nxt.par, nxt.line) == key
        and nxt.text[:1].isupper()
        and nxt.top < (w.top + w.bottom) / 2 < nxt.bottom
        and 0 < nxt.left - w.left <= 1.5 * height
        and w.right - w.left <= height
    )


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
        group = [u for u in _inside(words, box) if not _runs_on(u, words, box)]
        if not any(_has_received_word(line) for line in reading_order(_inside(words, (x, y, w, h)))):
            said = _received_alone(read := reread((x, y, w, h))) if reread is not None else None
            if said is None:
                continue
            box = _union(box, said)
            group = [u for u in _inside(words, box) if _stamps_own(u)]
        aside.append((box, group + _heading_above(words, box, mm), read))
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
#: published there carry it); ``fields.vocab`` sets them aside in a subject too.
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
    if not said:
        return None
    left, top = min(u.left for u in said), min(u.top for u in said)
    return left, top, max(u.right for u in said) - left, max(u.bottom for u in said) - top


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
    return [
        u
        for i, u in enumerate(band)
        if said[i]
        and ((i > 0 and same[i - 1] and said[i - 1]) or (i + 1 < len(band) and same[i] and said[i + 1]))
    ]


_HEADING_WORDS = frozenset(w for h in RECEIVED_HEADINGS for w in strip_diacritics(h).split())
HEADING_SLIP_LETTERS = 4  # a heading's word read with one slip counts from this many letters


def _heading_word(text: str) -> bool:
    letters = re.sub(r"[^A-Z]", "", strip_diacritics(text))
    if len(letters) < 2 or letters != strip_diacritics(text).strip("|,.;:"):
        return False
    if len(letters) < HEADING_SLIP_LETTERS:  # TIN, TỬ, PHỦ as they are: THỦ is one slip from TỬ
        return letters in _HEADING_WORDS
    return any(Levenshtein.distance(letters, k) <= 1 for k in _HEADING_WORDS)


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


def drop_unsure_words(lines: list[Line]) -> list[Line]:
    """Words the engine barely believes (seal and signature strokes read as letters). Removed after
    layout, so that the gap a dropped word leaves does not look like a column gutter. Kept: a section
    numeral opening a heading the engine believes (bold ``III`` reads as ``II`` at a confidence of
    20–30; ``number_sections`` sets its count right), a word the language model has seen beside a
    believed neighbour of its size, as read or with other marks (bold ``ĐẢNG`` before ``CỘNG`` at a
    confidence of 7, ``sản phãm`` for *sản phẩm* at 20, which the model then sets right; measured on
    the corpus scans: 20 words kept, all in the truth, none of them seal strokes), and the closed forms of the
    recipients' list, which the engine doubts for their brackets and capitals: a report note
    ``(b/c)`` and an abbreviation in the archive line ``Lưu: VT, NN``."""
    out = []
    for line in lines:
        words = line.words
        kept = tuple(
            w
            for i, w in enumerate(words)
            if w.conf >= MIN_WORD_CONF
            or (i == 0 and _heads_section(line))
            or _backed(words, i)
            or _REPORT_NOTE.match(w.text)
            or (_ABBREVIATION.match(w.text) and "Lưu:" in (x.text for x in words[: min(i, 2)]))
        )
        if kept:
            out.append(Line(kept, line.column))
    return out


BACKING_CONF = 80.0  # a neighbour the engine believes this much vouches for an unsure word beside it


def _backed(words: tuple[Word, ...], i: int) -> bool:
    """An unsure syllable beside a believed word of its height, the two a pair the model has seen."""
    w = words[i]
    if not is_syllable(w.text):
        return False
    height = w.bottom - w.top
    for j in (i - 1, i + 1):
        if 0 <= j < len(words) and words[j].conf >= BACKING_CONF:
            n = words[j]
            near = 0.7 * (n.bottom - n.top) <= height <= 1.4 * (n.bottom - n.top)
            pair = (n.text.strip(",.;:()"), w.text) if j < i else (w.text, n.text.strip(",.;:()"))
            if near and lm.seen_together(*pair):
                return True
    return False


def _heads_section(line: Line) -> bool:
    first, rest = line.words[0], line.words[1:]
    return (
        bool(_SECTION_NUMERAL.match(first.text))
        and bool(rest)
        and rest[0].text[:1].isupper()
        and min(w.conf for w in rest) >= 80
    )


def normalise(text: str) -> str:
    """NFC, one kind of space, no soft hyphens or zero-width characters, trimmed line ends."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").replace("\ufeff", "")
    return "\n".join(_SPACES.sub(" ", ln).strip() for ln in text.split("\n"))


def is_noise(line: Line, page_height: float) -> bool:
    """Page numbers, scanner specks read as text, seal fragments: lines a reader would not copy."""
    text = line.text.strip()
    near_edge = line.top < 0.08 * page_height or line.bottom > 0.92 * page_height
    if _PAGE_NUMBER.match(text) and near_edge:
        return True
    alnum = len(_ALNUM.findall(text))
    if alnum < 2 and not _LIST_ITEM.match(text + " "):
        return True
    if alnum <= 2 and len(line.words) == 1 and line.conf < 80:  # a lone speck read as "lạ", "Ly"
        return True
    words = re.findall(r"[^\W\d_]+", text)
    if line.conf < 45 and words and sum(is_syllable(w) for w in words) / len(words) < 0.5:
        return True
    tokens = text.split()
    if len(tokens) >= 2 and all(len(t) <= 2 for t in tokens) and line.conf < 75:  # pen strokes: "Ỳ À h Vị /"
        return True
    return alnum < 0.4 * len(text.replace(" ", ""))


def _column(lines: list[Line]) -> tuple[float, float]:
    """Left and right edge of the main text column (from the wide lines)."""
    wide = [
        ln
        for ln in lines
        if ln.right - ln.left > 0.5 * (max(x.right for x in lines) - min(x.left for x in lines))
    ]
    pool = wide or lines
    return statistics.median(ln.left for ln in pool), statistics.median(ln.right for ln in pool)


def _starts_paragraph(prev: Line, line: Line, left: float, right: float, line_h: float) -> bool:
    width = right - left
    if line.column or prev.column:  # header and signature blocks: every line is an item of its own
        return True
    if line.top < prev.top - 0.5 * line_h or line.left > prev.right:  # column switch
        return True
    if line.top - prev.bottom > 1.1 * line_h:  # blank line
        return True
    if _LIST_ITEM.match(line.text) or _LABEL.match(line.text):
        return True
    if prev.right < right - 0.1 * width:  # previous line stopped short
        return True
    return line.left > left + 0.03 * width and prev.left <= left + 0.03 * width  # first-line indent


def _join(a: str, b: str) -> str:
    if a.endswith("-") and b[:1].islower():
        return a + b
    return a + " " + b


def page_text(lines: list[Line], page_height: float) -> str:
    """The clean text of one page from its lines in reading order: one paragraph or item per line."""
    kept = [ln for ln in lines if not is_noise(ln, page_height)]
    if not kept:
        return ""
    left, right = _column(kept)
    line_h = statistics.median(ln.height for ln in kept)
    paragraphs = [kept[0].text]
    for prev, line in zip(kept, kept[1:], strict=False):
        if _starts_paragraph(prev, line, left, right, line_h):
            paragraphs.append(line.text)
        else:
            paragraphs[-1] = _join(paragraphs[-1], line.text)
    return normalise("\n".join(paragraphs))


_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
#: a section heading: its numeral, the full stop (which the engine may lose), then a capital
_SECTION_HEAD = re.compile(rf"^({_NUMERAL})\.?(?=[ \t]+[A-ZÀ-ỸĐ])", re.MULTILINE)


def number_sections(texts: list[str]) -> list[str]:
    """Section headings numbered I., II., III. … set right where the engine broke the count.

    Why: Tesseract joins the serifs of bold ``III`` and reads ``II``, ``HI`` or ``IH`` (``II`` as
    ``H``), on every scan condition; the heading then reads as a second section II. The count is the
    context: a numeral that is the expected one once each ``H`` is taken as ``II``, or the expected one
    short of one of two joined ``I`` (``II`` for ``III``, ``VII`` for ``VIII``), is the expected one,
    its full stop restored if the engine lost it. Any other Roman numeral with its full stop restarts
    the count (an annex numbers its sections afresh); anything else is left as read. ``texts``: a
    document's pages in order (the count runs across them)."""
    expected = 0  # index in _ROMAN of the next heading's numeral
    out = []
    for text in texts:

        def fix(m: re.Match) -> str:
            nonlocal expected
            read = m.group(1)
            want = _ROMAN[expected] if expected < len(_ROMAN) else None
            seen = read.replace("H", "II")
            if want and (seen == want or ("II" in seen and want == seen + "I")):
                expected += 1
                return want + "."
            if read in _ROMAN and m.group(0).endswith("."):
                expected = _ROMAN.index(read) + 1
            return m.group(0)

        out.append(_SECTION_HEAD.sub(fix, text))
    return out


# A document number's pieces as OCR splits them: the numeral before the blank's padding and its symbol
# (``115 /NQ-CP``), a symbol cut after its hyphen (``18/2025/TT- -BCT``, ``109/2025/NĐ- CP``).
_NUMERAL = re.compile(r"^\d{1,5}$")
_SYMBOL_AFTER = re.compile(r"^[-/](?:\d{4}/)?[A-ZĐ][A-Za-zĐđ0-9]*(?:[-/][A-ZĐ][A-Za-zĐđ0-9]*)*[;,.:)]*$")
_CUT_SYMBOL = re.compile(r"^\S*\d/(?:\d{4}/)?[A-ZĐ][A-Za-zĐđ]{0,4}-$")
_SYMBOL_REST = re.compile(r"^-?[A-ZĐ][A-Za-zĐđ0-9]*(?:[-/][A-ZĐ][A-Za-zĐđ0-9]*)*[;,.:)]*$")


def join_number_pieces(lines: list[Line]) -> list[Line]:
    """A document number that OCR split at a space is one word again: ``115 /NQ-CP`` → ``115/NQ-CP``,
    ``433 -TB/HU`` → ``433-TB/HU``
    (the blank left for the numeral, filled in), ``TT- -BCT`` and ``NĐ- CP`` → ``TT-BCT``, ``NĐ-CP``
    (a hyphen at a line's or a stroke's edge read twice or spaced). A number is written without
    spaces (Nghị định 30, Phụ lục I); split, it is not found by a search for it, and the text differs
    from the page's own (measured on nomvn: 8 of its 9 pages have one)."""
    out = []
    for line in lines:
        words = list(line.words)
        i = 0
        while i + 1 < len(words):
            a, b = words[i], words[i + 1]
            if (_NUMERAL.match(a.text) and _SYMBOL_AFTER.match(b.text)) or (
                _CUT_SYMBOL.match(a.text) and _SYMBOL_REST.match(b.text)
            ):
                text = a.text + (b.text[1:] if a.text.endswith("-") and b.text.startswith("-") else b.text)
                words[i : i + 2] = [
                    replace(
                        a,
                        text=text,
                        right=max(a.right, b.right),
                        top=min(a.top, b.top),
                        bottom=max(a.bottom, b.bottom),
                        conf=min(a.conf, b.conf),
                    )  # fmt: skip
                ]
                continue
            i += 1
        out.append(Line(tuple(words), line.column) if len(words) != len(line.words) else line)
    return out
