"""Reading order: from positioned words to the lines of a page in the order a person reads them.

Why we don't keep Tesseract's order: a Nghị định 30 notice has two side-by-side blocks at the top
(issuing body | national motto) and at the bottom (recipients | signer), and Tesseract reads them row by
row ("UBND HUYỆN GÒ QUAO CỘNG HÒA XÃ HỘI…"), mixing two texts. We split each visual line where a gap
far wider than a word space opens, then find *bands* of consecutive rows that share an empty vertical
gutter; inside a band the left column is read before the right one. The same code orders the words of
a born-digital text layer, so both paths give the same reading order.
A band whose rows mostly fall into three or more segments is a table (an annex of figures): it is read
row by row, as its truth and a clerk read it, not column by column.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from ..lm.vietnamese import strip_diacritics
from .tesseract import Word


@dataclass(frozen=True)
class Line:
    """A run of words on one visual line of one column; box in page pixels (or points).

    ``column`` is 1 or 2 for a line of a two-column block (header, signature block), 3 for a row of a
    table, 0 otherwise."""

    words: tuple[Word, ...]
    column: int = 0

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def left(self) -> float:
        return min(w.left for w in self.words)

    @property
    def right(self) -> float:
        return max(w.right for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def mid(self) -> float:
        """Median word centre: a seal stroke fused to one word does not move it."""
        return statistics.median((w.top + w.bottom) / 2 for w in self.words)

    @property
    def mid_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def core_height(self) -> float:
        return statistics.median(w.bottom - w.top for w in self.words)

    @property
    def conf(self) -> float:
        return sum(w.conf for w in self.words) / len(self.words)


def _visual_lines(words: list[Word]) -> list[list[Word]]:
    """Group words into visual lines: the engine's line ids, re-split by height where one id spans
    two rows (Tesseract does that across a column gap), each left to right."""
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        groups.setdefault((w.block, w.par, w.line), []).append(w)
    lines: list[list[Word]] = []
    for group in groups.values():
        rows: list[list[Word]] = []
        for w in sorted(group, key=lambda w: (w.top + w.bottom) / 2):
            centre, height = (w.top + w.bottom) / 2, max(1, w.bottom - w.top)
            if rows:
                ref = statistics.median((x.top + x.bottom) / 2 for x in rows[-1])
                if abs(centre - ref) < 0.6 * max(
                    height, statistics.median(x.bottom - x.top for x in rows[-1])
                ):
                    rows[-1].append(w)
                    continue
            rows.append([w])
        lines.extend(sorted(r, key=lambda w: w.left) for r in rows)
    return lines


def _split_at_gaps(line: list[Word], gap: float) -> list[Line]:
    """Cut a visual line where the space between two words exceeds ``gap``."""
    parts, current = [], [line[0]]
    for prev, w in zip(line, line[1:], strict=False):
        if w.left - prev.right > gap:
            parts.append(Line(tuple(current)))
            current = []
        current.append(w)
    parts.append(Line(tuple(current)))
    return parts


def _rows(segments: list[Line]) -> list[list[Line]]:
    """Segments whose median centres lie within half a line height of each other form one row."""
    rows: list[list[Line]] = []
    for seg in sorted(segments, key=lambda s: s.mid):
        if rows:
            last = rows[-1]
            ref = statistics.median(s.mid for s in last)
            if abs(seg.mid - ref) < 0.5 * min(seg.core_height, min(s.core_height for s in last)):
                last.append(seg)
                continue
        rows.append([seg])
    return [sorted(r, key=lambda s: s.left) for r in rows]


def _narrow_gutter(lo: float, hi: float, row: list[Line]) -> tuple[float, float] | None:
    """The free gutter (lo, hi) left once ``row`` joins the band, or ``None`` if a segment crosses it."""
    for seg in row:
        is_left, is_right = seg.right <= hi, seg.left >= lo
        if is_left and is_right:  # inside the gutter: side of its centre
            is_left = (seg.left + seg.right) / 2 < (lo + hi) / 2
        if is_left:
            lo = max(lo, seg.right)
        elif is_right:
            hi = min(hi, seg.left)
        else:
            return None
        if lo >= hi:
            return None
    return lo, hi


def _is_table(band: list[list[Line]]) -> bool:
    """Three or more rows of three or more segments, and most rows so: cells, not two text columns (a
    header's or signature block's rows have two segments, three where a blank splits one)."""
    wide = sum(len(r) >= 3 for r in band)
    return wide >= 3 and wide >= 0.5 * len(band)


@dataclass(frozen=True)
class ColumnBand:
    """Rows of a two-column block (a header, a signature block): their vertical extent and the middle
    of the gutter between the columns, in page pixels."""

    top: float
    bottom: float
    gutter: float


def _segments_rows(words: list[Word]) -> list[list[Line]]:
    heights = [w.bottom - w.top for w in words if w.bottom > w.top]
    line_h = statistics.median(heights) if heights else 10.0
    segments = [
        part
        for vl in _visual_lines(words)
        for s in _split_at_gaps(vl, gap=2.5 * line_h)
        for part in _at_motto(s)
    ]
    return _rows(segments)


#: A gutter narrower than this many letter heights came from a motto split (``_at_motto``).
NARROW_GUTTER = 2.5
#: Of the line's median word space, how much wider the gap before the motto must be to part two cells.
MOTTO_GAP = 2.0


def _at_motto(segment: Line) -> list[Line]:
    """A header row the engine read as one line across the gutter cut where the national motto starts
    (``THỦ TƯỚNG CHÍNH PHỦ | CỘNG HÒA XÃ HỘI …``): the header is a two-column table whose right cell
    opens with the motto (Nghị định 30, Phụ lục I), and a long issuer's name leaves a gutter only ~3
    word spaces wide, narrower than the gap that parts columns elsewhere. Only where the gap before
    ``CỘNG HÒA`` is wider than ``MOTTO_GAP`` of the line's word spaces."""
    words = segment.words
    for k in range(1, len(words) - 1):
        if (
            words[k].text.isupper()
            and strip_diacritics(words[k].text) == "CONG"
            and strip_diacritics(words[k + 1].text).upper() == "HOA"
        ):
            spaces = [b.left - a.right for a, b in zip(words, words[1:], strict=False)]
            if words[k].left - words[k - 1].right > MOTTO_GAP * max(1.0, statistics.median(spaces)):
                return [Line(words[:k]), Line(words[k:])]
    return [segment]


def _bands(rows: list[list[Line]], paragraphs: bool = False) -> list[tuple[list[list[Line]], float | None]]:
    """The page's rows grouped: a run of rows sharing an empty gutter, with the gutter's middle, or one
    row of one column (gutter ``None``). ``paragraphs``: the left column going on alone after a blank
    ends the band (:func:`_column_ended`; for the reading order, not for the bands read again)."""
    out: list[tuple[list[list[Line]], float | None]] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        gaps = [(b.left - a.right, k) for k, (a, b) in enumerate(zip(row, row[1:], strict=False))]
        widest, k = max(gaps) if gaps else (0, 0)
        if widest <= 0:  # one segment, or overlapping ones: not two columns
            out.append(([row], None))
            i += 1
            continue
        # A split row opens a band; its gutter is the widest gap (a blank in "Số    -TB/HU" is narrower).
        lo, hi = row[k].right, row[k + 1].left
        # A gutter only a few word spaces wide (a long issuer's name beside the motto, ``_at_motto``):
        # the right column's rows below start a letter height clear of it, or a centred title that
        # starts just right of it (QUYẾT ĐỊNH) would be taken for the right column.
        clear = row[k].core_height if widest < NARROW_GUTTER * row[k].core_height else 0.0
        band = [row]
        j = i + 1
        while j < len(rows):
            narrowed = _narrow_gutter(lo, hi, rows[j])
            if narrowed is None or (clear and any(hi <= s.left < hi + clear for s in rows[j])):
                break
            if paragraphs and _column_ended(band[-1], rows[j:], (lo, hi)):
                break
            lo, hi = narrowed
            band.append(rows[j])
            j += 1
        out.append((band, (lo + hi) / 2))
        i = j
    return out


#: The left column's rows that go on alone after a blank this many letter heights high are the text below
#: the block, not its column (a công văn's ``Kính gửi:`` under its ``V/v`` lines, the motto's side ended).
PARAGRAPH_GAP = 1.2


def _column_ended(above: list[Line], rows: list[list[Line]], gutter: tuple[float, float]) -> bool:
    """The left column goes on alone after the right one ended: ``rows[0]`` and the row ``above`` it are
    left of the gutter only, with a paragraph's blank between them (:data:`PARAGRAPH_GAP`), and no row
    below has a word right of its middle before one runs across it. ``rows[0]`` then starts what follows the
    block (``Kính gửi:`` under a công văn's ``V/v`` lines had been read before the motto, nomvn metro).
    Not the right column: a signing block's name goes on alone after the signature's blank."""
    middle = sum(gutter) / 2
    if any(s.mid_x >= middle for s in (*above, *rows[0])):
        return False
    for row in rows[1:]:
        if any(s.left < middle < s.right for s in row):
            break  # a row across the page: the block is over in any case
        if any(s.left >= middle for s in row):
            return False  # the right column goes on below: its block has not ended
    upper, lower = [w for s in above for w in s.words], [w for s in rows[0] for w in s.words]
    height = statistics.median(w.bottom - w.top for w in (*upper, *lower))
    mid = [statistics.median((w.top + w.bottom) / 2 for w in ws) for ws in (upper, lower)]
    return mid[1] - mid[0] - height > PARAGRAPH_GAP * height  # by the words' middles: a stamp's speck
    # as tall as two lines beside the row (``+`` of a HỎA TỐC stamp) does not close the blank


def column_bands(words: list[Word]) -> list[ColumnBand]:
    """The two-column blocks of a page (not tables), top to bottom: at least two rows with text on
    both sides of the gutter."""
    if not words:
        return []
    out = []
    for band, gutter in _bands(_segments_rows(words)):
        if gutter is None or _is_table(band):
            continue
        both = sum(any(s.mid_x < gutter for s in r) and any(s.mid_x >= gutter for s in r) for r in band)
        if both < 2:  # one row side by side, or a column beside a stray mark ("|" of a frame)
            continue
        segs = [s for r in band for s in r]
        out.append(ColumnBand(min(s.top for s in segs), max(s.bottom for s in segs), gutter))
    return out


def reading_order(words: list[Word]) -> list[Line]:
    """Lines of a page in reading order (two-column bands left column first)."""
    if not words:
        return []
    out: list[Line] = []
    for band, gutter in _bands(_segments_rows(words), paragraphs=True):
        if gutter is None:
            out.extend(band[0])
        elif _is_table(band):
            out.extend(Line(tuple(w for s in r for w in s.words), 3) for r in band)
        else:
            for column in (1, 2):
                for r in band:
                    parts = [s for s in r if (s.mid_x < gutter) == (column == 1)]
                    if parts:  # one line per row and side, even where blanks split it
                        out.append(Line(tuple(w for s in parts for w in s.words), column))
    return out
