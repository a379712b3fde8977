"""The signer's name under a seal on a bilevel scan, found as a row of letters and read by AsterOCR.

On a 200 dpi bilevel scan the red seal prints as black as the text. Tesseract takes the seal, the
signature across it and the name they cross for one picture and reads nothing there: five of the
corpus's 48 bilevel documents lost their signer's name so (grey scans keep the seal lighter than the
print, and ``pipeline.words_by_marks`` reads under it by tone). What is left to tell the name by is its
shape: below the last line of the signature column (the signer's title), the letters of the name make
the one band, a letter high, where ink is dense across the column; the seal's rim and the signature
cross it as thin strokes. So that band is cut out, the thin strokes opened away (2×2 and 3×3
openings: at 200 dpi bold print is 3–4 px thick, a rim or pen stroke 1–2 px), and the band read
six ways (three heights, two openings), the readings voted word by word: one reading turns on a
pixel (*Kim* at one band height, *Xim* at the next). AsterOCR reads it: on the corpus's five lost
names it read 3 right and 2 one mark off, where Tesseract (``--psm 7``, same band) read none right
(*Xim* for *Kim*, *Vặn Xinh* for *Văn Vinh*). A name line read with junk in it (*Dương Cốp ø Trung*)
is read again the same way.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import cv2
import numpy as np

from ..lm import SURNAMES
from ..lm.places import fold
from ..lm.vietnamese import is_syllable, strip_tone
from . import aster, clean
from .boxes import in_rows, same_row
from .engines import OcrEngine
from .tesseract import Word

COLUMN = 0.45  # the signature column: words starting right of this share of the page's width
BELOW_MM = 45.0  # the name lies at most this far below the title (the seal and signature between)
HALF_WIDTH_MM = 35.0  # the band looked at: at least this far each side of the title's middle
ROW_INK = 0.15  # a letter row: this share of the band's pixels inked, averaged over a letter height
ROW_TRIES = 3  # letter rows read, lowest first, until one reads as a name
INK = 128  # a bilevel page: ink below this
_EDGE = ",.;:-()/\\'\"`"  # the rim read as punctuation stuck to a name's first or last letter
READINGS = [(reach, k) for k in (2, 3) for reach in (0.8, 0.9, 1.0)]  # band half-height in letters, opening
UNSURE_FAMILY = 80.0  # a name's first word read less sure than this, and no family name, is read again
PRINTED = 0.6  # a word printed at the page's letter size: at least this share of its median word height
TITLE_SLACK_MM = 10.0  # the column's words start at most this far left of its title's first word
BLOCK = 2000  # block number of the words read here (after words_by_marks's 1000 + k)


def read_name_under_seal(image: np.ndarray, dpi: int, words: list[Word]) -> list[Word]:
    """``words`` with the signer's name read again where the seal hid or garbled it: the densest
    letter row below the signature column's last believed line when nothing believed is there, or
    that last line itself when it is a name with junk in it (*Dương Cốp ø Trung*: the rim crosses
    *Công*) or in the family name's place (``„zủi Thanh Sơn``: taken only if the family name comes
    back). Unchanged when there is no such row or its readings do not agree on a name."""
    believed = [w for w in words if w.conf >= clean.MIN_WORD_CONF]
    height, width = image.shape[:2]
    column = _signature_column(believed, width, dpi)
    if not column:
        return words
    lines = [list(g) for _, g in itertools.groupby(column, key=lambda w: (w.block, w.par, w.line))]
    # a line of specks at the page's edge or of a signature's strokes (``Ệ``, ``W z4``) is no title
    lines = [ln for ln in lines if any(sum(c.isalpha() for c in w.text) >= 2 for w in ln)]
    if not lines:
        return words
    # the page's letter height: a title or a name is printed at it, the seal's emblem read as small
    # capitals (``ĐÁ`` nine pixels tall under ``THỦ TƯỚNG``) is no title, nor a name read under one
    size = PRINTED * float(
        np.median([w.bottom - w.top for w in believed if sum(c.isalpha() for c in w.text) >= 2])
    )
    title = _title_line(lines, size)
    # an engine's line split where its words leave one row for another (``KT. BỘ TRƯỞNG`` and the
    # name far below it, read as one line across the seal)
    read = [row for line in lines for row in in_rows(line)]
    garbled = [row for row in read if _garbled_name(row)]
    # a name without its family name, on or below the title's line (a body line's ``của Sở Công
    # Thương`` is no name): read again, taken only when the family name comes back
    cut = [
        row
        for row in read
        if row[0].top >= min(w.top for w in title)
        and (_family_cut(row, words) or row[0].top > max(w.bottom for w in title) and _given_cut(row))
    ]
    last = max(garbled + cut or [title], key=lambda line: max(w.bottom for w in line))
    mm = dpi / 25.4
    if last in garbled or last in cut:
        letter, x0, x1 = _band(last, width, mm)
        centre = round(float(np.median([(w.top + w.bottom) / 2 for w in last])))
        name = _read_row(image, centre, letter, x0, x1)
        was = _names(last)
        whole = bool(name) and name[0].text in SURNAMES and name[-1].text == was[-1].text
        whole = whole and (len(name) > len(was) or was[0].text not in SURNAMES)
        if last in cut and whole:  # the family name from the readings, the names read sure kept,
            # on the readings' line (the engine's may run elsewhere: ``KT. BỘ TRƯỞNG … Tường Văn``)
            extra = len(name) - len(was)
            kept = [replace(w, block=name[0].block, par=name[0].par, line=name[0].line) for w in was]
            name = name[:extra] + kept if extra > 0 else name[:1] + kept[1:]
        if last in garbled and len(name) >= 2 or last in cut and whole:
            # the engine's words of the row in the band, and any reaching into the name read again
            # (``==Zhà``: the rim and the family name as one word, from left of the band)
            old = [
                w
                for w in words
                if any(same_row(w, v) for v in name)
                and (x0 <= w.left and w.right <= x1 or name[0].left < w.right and w.left < name[-1].right)
            ]
            return [w for w in words if w not in old] + name
        if last in garbled:
            return words
        last = title
    letter, x0, x1 = _band(last, width, mm)
    y0 = max(w.bottom for w in last) + 2
    y1 = int(min(height, y0 + BELOW_MM * mm))
    under = [
        w
        for w in believed
        if y0 < w.top < y1
        and x0 < (w.left + w.right) / 2 < x1
        and len(w.text) >= 2
        and is_syllable(w.text)
        and w.bottom - w.top >= size
    ]
    if under:  # a believed word below: the name was read, or this is not the signature (a seal's speck
        #        read as ``N`` is neither, nor a recipient's line that ends under the band's edge)
        return words
    ink = (image[y0:y1, x0:x1] < INK).astype(np.float32)
    if ink.size == 0:
        return words
    span = max(3, round(0.5 * letter))
    rows = np.convolve(ink.mean(axis=1), np.ones(span) / span, mode="same")
    for peak in _letter_row_peaks(rows, letter)[:ROW_TRIES]:
        name = _read_row(image, y0 + peak, letter, x0, x1)
        if name:
            return words + name
    return words


def _band(line: list[Word], width: int, mm: float) -> tuple[float, int, int]:
    """The line's letter height and the band of the column around its middle: the line's width, and
    ``HALF_WIDTH_MM`` each side at least."""
    letter = float(np.median([w.bottom - w.top for w in line]))
    middle = (min(w.left for w in line) + max(w.right for w in line)) / 2
    half = max((max(w.right for w in line) - min(w.left for w in line)) / 2, HALF_WIDTH_MM * mm)
    return letter, int(max(0, middle - half)), int(min(width, middle + half))


def _letter_row_peaks(rows: np.ndarray, letter: float) -> list[int]:
    """The rows where ink is densest locally (a letter height each side) and at least ``ROW_INK``,
    lowest first. The name is the lowest: the seal's upper half (its emblem, the rim's lettering) is
    often denser than the name printed across its lower half."""
    reach = max(1, round(letter))
    peaks: list[int] = []
    for i in range(len(rows) - 1, -1, -1):
        near = rows[max(0, i - reach) : i + reach + 1]
        if rows[i] >= ROW_INK and rows[i] == near.max() and all(abs(i - p) > reach for p in peaks):
            peaks.append(i)
    return peaks


def _signature_column(believed: list[Word], width: int, dpi: int) -> list[Word]:
    """The believed words of the signature column: right of ``COLUMN``, and when the signer's title is
    there (words in capitals that are syllables: ``THỦ TƯỚNG``, not ``TTĐT`` or ``UBND``), no further
    left than ``TITLE_SLACK_MM`` before it. Recipients' long lines reach past the page's middle, and
    Tesseract may join them with the title into one line; their last line (*Công báo;*) was taken for
    the title, so the band under the real title was never looked at."""
    right = [w for w in believed if w.left > COLUMN * width]
    titles = [w for w in right if _title_word(w.text)]
    if not titles:
        return right
    edge = min(w.left for w in titles) - TITLE_SLACK_MM * dpi / 25.4
    return [w for w in right if w.left >= edge]


def _title_line(lines: list[list[Word]], size: float = 0.0) -> list[Word]:
    """The signature column's last line: the lowest with a word of a title in it (at least ``size``
    tall) when there is one, not a recipient's long line that reaches into the column below the title
    (``Trợ lý Cổng TTĐT,`` under ``PHÓ THỦ TƯỚNG``: the band under it held no name)."""
    titled = [ln for ln in lines if any(_title_word(w.text) and w.bottom - w.top >= size for w in ln)]
    return max(titled or lines, key=lambda line: max(w.bottom for w in line))


def _title_word(text: str) -> bool:
    """A word of a signer's title or authority: a syllable in capitals (``THỦ``, not ``TTĐT``)."""
    return len(text) >= 2 and text.isupper() and is_syllable(text)


def _garbled_name(line: list[Word]) -> bool:
    """A name (two capitalised syllables at least) with junk among them and nothing else: a word
    that is no syllable, the rim or a pen stroke read as a letter or a sign."""
    names = sum(_name_word(w.text) for w in line)
    junk = sum(not is_syllable(w.text) and len(w.text) <= 2 for w in line)
    return names >= 2 and junk >= 1 and names + junk == len(line)


def _family_cut(row: list[Word], words: list[Word]) -> bool:
    """A name read without its family name: name words and nothing else, and right before them on
    the row a word the engine read as no name word (``„zủi Thanh Sơn``,
    ``~—fNgfđZễn Tường Văn``): the seal's rim or the signature's stroke over the family name; or
    three name words and more whose first is no family name and unsure (``Tãi Văn Chính``)."""
    names = _names(row)
    whole = names[:1] and names[0].text in SURNAMES and len(names) > 2  # *Bùi Thanh Sơn* read whole
    if not names or whole or not all(_name_word(w.text) for w in names):
        return False
    # one name word (``~—~ thành Long``) only with nothing but junk before it on the row: a line of
    # text ends in a capitalised word too (``… công dân do Bộ``)
    if len(names) == 1 and any(is_syllable(w.text) for w in row[: len(row) - 1]):
        return False
    first, letter = names[0], float(np.median([w.bottom - w.top for w in names]))
    if len(names) > 2 and first.text not in SURNAMES and first.conf < UNSURE_FAMILY:
        return True  # the family name misread, and unsure (``Tãi Văn Chính``)
    return any(
        not _name_word(w.text)
        # junk, not a word (``của Sở Công Thương``): no syllable, a letter or two, or unsure
        and (not is_syllable(w.text) or len(w.text) <= 2 or w.conf < clean.MIN_WORD_CONF)
        and same_row(w, first)
        and first.left - 1.5 * letter < w.right <= first.left + 2
        for w in words
    )


def _given_cut(row: list[Word]) -> bool:
    """Under the title, a row of a given name whose first letter the rim took with the family name
    (``văn Mười`` of *Hồ Văn Mười*): a syllable in lower case, then name words, three words at most."""
    return (
        2 <= len(row) <= 3
        and is_syllable(row[0].text)
        and row[0].text.islower()
        and all(_name_word(w.text) for w in row[1:])
    )


def _names(row: list[Word]) -> list[Word]:
    """The row from its first name word on."""
    return list(itertools.dropwhile(lambda w: not _name_word(w.text), row))


def _name_word(text: str) -> bool:
    return is_syllable(text) and text[:1].isupper() and text[1:] == text[1:].lower()


def _read_row(image: np.ndarray, centre: int, letter: float, x0: int, x1: int) -> list[Word]:
    """The row of letters around ``centre`` read several ways (``READINGS``) and voted into a name."""
    readings = []
    for reach, k in READINGS:
        top = max(0, centre - round(reach * letter))
        bottom = min(image.shape[0], centre + round(reach * letter))
        band = 255 - cv2.morphologyEx(
            255 - image[top:bottom, x0:x1], cv2.MORPH_OPEN, np.ones((k, k), np.uint8)
        )
        whole = Word("", 0, 0, x1 - x0, bottom - top, 0.0, BLOCK, 1, 1)
        readings.append(
            [
                replace(w, left=w.left + x0, right=w.right + x0, top=w.top + top, bottom=w.bottom + top)
                for w in aster.line_words(band, [whole], (BLOCK, 1, 1))
            ]
        )
    return _voted(readings)


def _voted(readings: list[list[Word]]) -> list[Word]:
    """One name from several readings: each place on the line takes the word with the most confidence
    summed over the readings, readings that differ by the tone alone counting together (``Hồ`` 3
    times, ``Hỗ`` twice: the seal's rim over the mark splits the vote, not the word), spelt as most
    of them spell it; then the longest run of capitalised syllables (a name) is kept, the seal's rim
    read as ``V,`` or ``(`` beside it left out."""
    slots: list[list[Word]] = []
    for w in sorted((w for r in readings for w in r), key=lambda w: -w.conf):
        w = replace(w, text=w.text.strip(_EDGE))
        slot = next((s for s in slots if _same_place(s[0], w)), None)
        if slot is None:
            slots.append([w])
        else:
            slot.append(w)
    chosen = []
    for slot in sorted(slots, key=lambda s: s[0].left):
        support: dict[str, float] = {}
        toneless: dict[str, float] = {}  # readings that differ by the tone alone agree on the word
        for w in slot:
            support[w.text] = support.get(w.text, 0.0) + w.conf
            bare = strip_tone(w.text)[0]
            toneless[bare] = toneless.get(bare, 0.0) + w.conf
        text = max(support, key=lambda t: (toneless[strip_tone(t)[0]], support[t]))
        first = next(w for w in slot if w.text == text)
        chosen.append(replace(first, conf=round(toneless[strip_tone(text)[0]] / len(readings), 2)))
    runs = [list(g) for name, g in itertools.groupby(chosen, key=lambda w: _name_word(w.text)) if name]
    name = max(runs, key=len) if runs else []
    # the seal's rim read as a short capitalised syllable before the name (``Xa: Bùi Văn Quang``):
    # the readings barely agree on it and no family name is spelt so
    while len(name) > 2 and name[0].conf < clean.MIN_WORD_CONF and name[0].text not in SURNAMES:
        name = name[1:]
    at = chosen.index(name[0]) if name else 0
    if len(name) > 2 and name[0].text not in SURNAMES:  # a full name opens with the family name,
        # whose marks are the list's (``Mái`` → *Mai*, ``Phậm`` → *Phạm*); two words may be given
        # names (*Lệ Thu*)
        same = [s for s in SURNAMES if fold(s) == fold(name[0].text)]
        name = [replace(name[0], text=same[0]), *name[1:]] if len(same) == 1 else name
    if at and (len(name) == 2 or name[0].text not in SURNAMES):
        family = _family_by_vote(sorted(slots, key=lambda s: s[0].left)[at - 1], len(readings))
        name = [family, *name] if family else name
    # a name half read is no name: a word the readings barely agree on means the band was not one
    return name if all(w.conf >= clean.MIN_WORD_CONF for w in name) else []


def _family_by_vote(slot: list[Word], readings: int) -> Word | None:
    """The family name the readings of the place before a name spell, the seal's rim glued to it or
    over its first letter. Each reading's word, from its last capital on (``NỗỗBùi``, ``ỗ:Bùi``),
    votes for the one family name it is but for its tone and its first letter, changed or lost, where
    what is left tells it (:func:`_telling`): ``Đrần``, ``Ởrần`` → *Trần* (the T joined to the rim),
    ``Dủi``, ``..ủi`` → *Bùi*, ``XGể`` → *Lê*; or is with every mark aside. At least half the
    readings must agree on one, no other as many. Its confidence is that share."""
    votes: dict[str, list[Word]] = {}
    for w in slot:
        text = w.text.strip(_EDGE)
        capitals = [i for i, c in enumerate(text) if c.isupper()]
        tail = strip_tone((text[capitals[-1] :] if capitals else text).lower())[0]
        if len(tail) < 2 or not tail.isalpha():
            continue
        near = [
            s for s in SURNAMES if _telling(_toneless(s)[1:]) and _toneless(s)[1:] in (tail, tail[1:])
        ] or [s for s in SURNAMES if fold(s) == fold(tail)]
        if len(near) == 1:
            votes.setdefault(near[0], []).append(w)
    if not votes:
        return None
    best = max(votes, key=lambda s: len(votes[s]))
    if 2 * len(votes[best]) < readings or sum(len(v) == len(votes[best]) for v in votes.values()) > 1:
        return None
    first = min(votes[best], key=lambda w: w.left)
    return replace(first, text=best, conf=round(100 * len(votes[best]) / readings, 2))


def _telling(rest: str) -> bool:
    """A family name's letters after its first tell it: two or more, or one vowel with its mark (the
    ``ê`` of *Lê*; not the bare ``y`` of *Lý*, which a speck read as ``Zy`` spells too)."""
    return len(rest) >= 2 or fold(rest) != rest


def _toneless(word: str) -> str:
    return strip_tone(word.lower())[0]


def _same_place(a: Word, b: Word) -> bool:
    """Two readings of one word: they share most of the narrower one's width."""
    shared = min(a.right, b.right) - max(a.left, b.left)
    return shared > 0.5 * min(a.right - a.left, b.right - b.left)


ROWS_ABOVE_MM, ROWS_BELOW_MM = 8.0, 75.0  # the signing block: from a little above ``Nơi nhận`` to below
LETTER_SIZE = (0.45, 1.5, 2.5)  # a letter's ink: height from/to, width up to, in the page's letter heights
ROW_LETTERS = 3  # a row of the block has at least this many letters standing free of the seal
ROW_REACH = (2.5, 1.0)  # letter heights read beyond the free letters, left (into the seal) and right
ROW_PAD = 0.25  # and above and below
ROWS_BLOCK = 3000  # block number of the words read here
_ROW_EDGE = "{}[]|,;:'\"`()/\\-"  # the seal's rim read as signs at a word's ends (a dot is KT.'s)


def reread_signing_rows(image: np.ndarray, dpi: int, words: list[Word], engine: OcrEngine) -> list[Word]:
    """The signing block's rows that the page's reading left empty, read one row at a time.

    Why: on a 200 dpi bilevel scan the state seal prints as black as the type. Tesseract takes the
    seal with the authority, the title and the name printed over it for one picture and reads
    nothing there (``KT. THỦ TƯỚNG / PHÓ THỦ TƯỚNG / … Lê Thành Long`` lost whole: most of the
    Prime Minister's decisions of the real set). The block's rows still show right of the seal as
    letters standing free, a letter high, side by side; each such row, cut out a letter's height
    high and read as one line (``--psm 7``), comes back (``KT. THỦ TƯỚNG``). A row is read only where
    the page's reading has no believed word over its free letters, and only a title line in
    capitals is taken: the recipients' list beside it reads as lower case, and the name is the name
    pass's. A row that crosses the seal and reads garbled, or nothing, is read again from the seal's
    rim on (:func:`_reread_across_seal`). The rows are found from ``Nơi nhận`` down; a page without
    it is left alone."""
    height, width = image.shape[:2]
    believed = [w for w in words if w.conf >= clean.MIN_WORD_CONF]
    anchor = next((w for w in words if w.text.startswith("nhận") and w.left < width / 2), None)
    if anchor is None or len(believed) < 5:
        return words
    letter = float(np.median([w.bottom - w.top for w in believed]))
    mm = dpi / 25.4
    y0, y1 = (
        max(0, round(anchor.top - ROWS_ABOVE_MM * mm)),
        min(height, round(anchor.top + ROWS_BELOW_MM * mm)),
    )
    x0 = width // 2
    seal = _seal(image, dpi, anchor.top, y1)
    out = list(words)
    for k, (top, bottom, left, right) in enumerate(_letter_rows(image[y0:y1, x0:], letter)):
        top, bottom, left, right = top + y0, bottom + y0, left + x0, right + x0
        read = any(
            w.right > left and w.left < right and _on_row(w, top, bottom)
            for w in believed
            if sum(c.isalpha() for c in w.text) >= 2  # a speck read as ``^`` reads nothing
        )
        edge = _seal_edge(seal, top, bottom, letter) if seal else None
        if edge is not None and left < edge and right - edge >= FREE_LETTERS * letter:
            box = (top, bottom, left, right)
            out = _reread_across_seal(image, dpi, out, engine, box, edge, seal, letter, k, read)
            continue
        if read:
            continue  # read already (``CHỦ TỊCH`` across the page's middle, its TỊCH free of the seal)
        out += _block_line(_read_box(image, dpi, engine, (top, bottom, left, right), letter, k))
    return out


def _read_box(
    image: np.ndarray,
    dpi: int,
    engine: OcrEngine,
    box: tuple[int, int, int, int],
    letter: float,
    k: int,
    start: float | None = None,
) -> list[Word]:
    """The row ``box`` (top, bottom, left, right) read as one line, ``ROW_PAD`` above and below and
    ``ROW_REACH`` beyond its free letters (from ``start`` when given), its words placed on the page."""
    height, width = image.shape[:2]
    top, bottom, left, right = box
    pad = round(ROW_PAD * letter)
    bx0 = round(start) if start is not None else max(width // 2, round(left - ROW_REACH[0] * letter))
    bx1 = min(width, round(right + ROW_REACH[1] * letter))
    by0, by1 = max(0, top - pad), min(height, bottom + pad)
    return [
        replace(
            w,
            left=w.left + bx0,
            right=w.right + bx0,
            top=w.top + by0,
            bottom=w.bottom + by0,
            block=ROWS_BLOCK + k,
            par=1,
            line=1,
        )  # fmt: skip
        for w in engine.recognise(image[by0:by1, bx0:bx1], dpi=dpi, psm=7)
    ]


SEAL_RADIUS_MM = (15.0, 23.0)  # a state seal is 35–42 mm across; some slack for the scan's scale
SEAL_ABOVE_MM = 30.0  # the seal may reach this far above ``Nơi nhận``'s row
SEAL_LEFT_MM = 20.0  # and this far left of the page's middle
SEAL_VOTES = 40  # Hough accumulator votes for a circle, on the page at half scale
SEAL_CLEAR = 0.15  # letter heights between the seal's rim and a row's first letter read
FREE_LETTERS = 2.0  # a row is read from the seal's rim only when this many letter heights lie right of it
_MARKERS = frozenset(["KT", "TM", "TL", "TUQ", "Q"])  # signing markers, their dot or colon aside


def _seal(image: np.ndarray, dpi: int, top: int, bottom: int) -> tuple[float, float, float] | None:
    """The seal's circle (centre x, centre y, radius, in pixels) printed over the signing block
    between ``top`` (``Nơi nhận``'s row) and ``bottom``, found by its rim (a Hough transform on the
    page at half scale); None when no circle of a seal's size is there."""
    width = image.shape[1]
    mm, scale = dpi / 25.4, 0.5
    y0, x0 = max(0, round(top - SEAL_ABOVE_MM * mm)), max(0, round(width / 2 - SEAL_LEFT_MM * mm))
    area = cv2.resize(image[y0:bottom, x0:], None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if min(area.shape[:2]) < 2 * SEAL_RADIUS_MM[0] * mm * scale:
        return None
    circles = cv2.HoughCircles(
        cv2.GaussianBlur(area, (5, 5), 1.5), cv2.HOUGH_GRADIENT, dp=1, minDist=area.shape[0],
        param1=100, param2=SEAL_VOTES,
        minRadius=round(SEAL_RADIUS_MM[0] * mm * scale), maxRadius=round(SEAL_RADIUS_MM[1] * mm * scale),
    )  # fmt: skip
    if circles is None:
        return None
    cx, cy, r = (float(v) / scale for v in circles[0][0])
    return cx + x0, cy + y0, r


def _seal_edge(seal: tuple[float, float, float], top: int, bottom: int, letter: float) -> float | None:
    """Where a row (``top`` to ``bottom``) leaves the seal on its right: the rim's furthest point
    over the row, and ``SEAL_CLEAR`` of a letter; None when the row does not cross the seal."""
    cx, cy, r = seal
    dy = 0.0 if top <= cy <= bottom else min(abs(top - cy), abs(bottom - cy))
    return None if dy >= r else cx + (r * r - dy * dy) ** 0.5 + SEAL_CLEAR * letter


def _reread_across_seal(
    image: np.ndarray,
    dpi: int,
    words: list[Word],
    engine: OcrEngine,
    box: tuple[int, int, int, int],
    edge: float,
    seal: tuple[float, float, float],
    letter: float,
    k: int,
    read: bool,
) -> list[Word]:
    """``words`` with a signing row that crosses the seal read again from the seal's rim on, when
    what the page's reading has there (``read``: anything) is no clean title line.

    Why: read with the rim in it, a title row comes back garbled (``= SN nướng`` for *PHÓ THỦ
    TƯỚNG*, real qd_0004), and the fields could not tell a deputy's block (``KT. THỦ TƯỚNG``
    over ``PHÓ THỦ TƯỚNG``) from the head's own. Read from where the row leaves the seal, its free
    words come back (``TỦ TƯỚNG``): the row is there, and it ends as the title does.
    The row read with its reach into the seal is taken instead when it agrees and says more (``KT.``
    clear of the rim). Taken only as a title line in capitals (:func:`_block_line`); the words the
    page's reading had on the row, from the seal's left on, give way to it. A row the page's reading
    left empty is read into the seal as before, and from the rim only where that reads nothing (real
    qd_0062's *PHÓ THỦ TƯỚNG*; read from the rim first, qd_0082's came back ``THỦ`` for ``FIƯỚNG``,
    and the name pass, which looks under the title's row, lost *Lê* of *Lê Thành Long*)."""
    top, bottom, left, right = box
    on_row = [w for w in words if w.right > seal[0] - seal[2] and _on_row(w, top, bottom)]
    believed = [w for w in on_row if w.conf >= clean.MIN_WORD_CONF]
    if _clean_title(believed) or sum(_name_word(w.text) for w in believed) >= 2:
        return words  # a title read cleanly; a name (``"1 Hồ Đức Phớc``) is the name pass's
    whole = _block_line(_read_box(image, dpi, engine, box, letter, k))
    if whole and not read:
        return words + whole
    free = _block_line(_read_box(image, dpi, engine, box, letter, k, start=edge))
    if whole and len(_letters(whole)) >= len(_letters(free)) and _letters(whole).endswith(_letters(free)):
        free = whole  # read into the seal, it agrees and says as much or more (``KT.`` clear of the rim)
    if _title_letters(free) <= _title_letters(believed) or _ends_alike(believed, free):
        return words  # no better than what the page's reading has there (``TM: ỦY BAN NHÂN DÂN``)
    return [w for w in words if w not in on_row] + free


def _clean_title(row: list[Word]) -> bool:
    """A title line read cleanly: words in capitals that are syllables, or a signing marker (``KT.``)."""
    texts = [w.text.strip(_ROW_EDGE) for w in row]
    return any(_title_word(t) for t in texts) and all(
        _title_word(t) or t.rstrip(".") in _MARKERS for t in texts
    )


def _on_row(w: Word, top: int, bottom: int) -> bool:
    """A word the page's reading has on the row: its middle within it, or, read as tall as the seal
    lets it (``nướng`` over the rim, three rows high), its top."""
    tall = w.bottom - w.top > 1.5 * (bottom - top)
    return top <= (w.top + w.bottom) / 2 <= bottom or (tall and top <= w.top <= bottom)


def _title_letters(row: list[Word]) -> int:
    """Letters of a row's words that read as a title's (:func:`_title_word`, its signs stripped)."""
    return sum(len(t) for w in row if _title_word(t := w.text.strip(_ROW_EDGE)))


def _ends_alike(read: list[Word], again: list[Word]) -> bool:
    """The page's reading of a row has a word in capitals that ends as the row read again does, marks
    aside (``TTƯỚNG`` and ``I. TƯƠNG``): the second reading says nothing more."""
    last = fold(again[-1].text.strip(_ROW_EDGE)) if again else ""
    return len(last) >= 3 and any(
        w.text.isupper() and fold(w.text.strip(_ROW_EDGE)).endswith(last) for w in read
    )


def _letters(row: list[Word]) -> str:
    return "".join(c for w in row for c in w.text if c.isalpha())


def _letter_rows(ink_area: np.ndarray, letter: float) -> list[tuple[int, int, int, int]]:
    """Rows of free-standing letters in the area: (top, bottom, left, right) of each, top to bottom."""
    ink = (ink_area < INK).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    low, high, wide = (f * letter for f in LETTER_SIZE)
    boxes = sorted(
        (tuple(int(v) for v in stats[i, :4]) for i in range(1, n)
         if low <= stats[i, 3] <= high and stats[i, 2] <= wide and stats[i, 4] > 0.05 * letter * letter),
        key=lambda b: b[1] + b[3] / 2,
    )  # fmt: skip
    rows: list[list[tuple[int, int, int, int]]] = []
    for b in boxes:
        middle = b[1] + b[3] / 2
        if rows and abs(middle - float(np.mean([c[1] + c[3] / 2 for c in rows[-1]]))) < 0.5 * letter:
            rows[-1].append(b)
        else:
            rows.append([b])
    return [
        (min(c[1] for c in r), max(c[1] + c[3] for c in r), min(c[0] for c in r), max(c[0] + c[2] for c in r))
        for r in rows
        if len(r) >= ROW_LETTERS
    ]


def _block_line(row: list[Word]) -> list[Word]:
    """The believed words of a row read alone when they read as a signing block's title line, in
    capitals (``KT. THỦ TƯỚNG``, ``PHÓ CHỦ TỊCH``); [] otherwise. A name is left to
    :func:`read_name_under_seal`, whose readings vote: read here once, a name came back cut short
    (``Châu Thị`` of *Châu Thị Kim Hương*, on the corpus) and kept the vote from reading it whole."""
    row = [replace(w, text=w.text.strip(_ROW_EDGE)) for w in row]
    words = [w for w in row if w.text and w.conf >= clean.MIN_WORD_CONF]
    letters = [c for w in words for c in w.text if c.isalpha()]
    if len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
        return words
    return []
