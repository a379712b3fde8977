"""Where a field's words sit on the page: the OCR pages' word boxes behind the text (issue 20, lever 3).

The text of a scan is one reading of a two-dimensional page: where the engine took a block for two, or
merged two passes over the same line, the text holds words out of order (``cụ để xác định … thể để``),
twice, or beside words of a stamp printed next to them (``TỦ GIAN PHÙ UY định chức năng …``). The word
boxes (:class:`ocr_ingest.text.document.WordBox`, edges in fractions of the upright page) say where each
word is, so a block can be read again as the page shows it: rows top to bottom, words left to right, a
word read twice once, and only the column the block stands in.

Pure functions over duck-typed pages (anything with ``text`` and ``words``), so :mod:`ocr_ingest.fields`
needs nothing of the text stage; a page without words (a text layer) leaves every field as the text gives it.
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Sequence
from typing import Protocol

from rapidfuzz import fuzz


class Box(Protocol):
    text: str
    left: float
    top: float
    right: float
    bottom: float
    line: int
    conf: float


class Page(Protocol):
    text: str
    words: Sequence[Box]


#: Of the smaller box, the share two boxes must cover of each other to be one word read twice.
SAME_WORD = 0.6
#: How alike (rapidfuzz ratio, 0–100) two readings of one word are at least (``đất;`` / ``đất:``); a stamp's
#: word printed over a word of the text is another word, not a second reading.
SAME_READING = 50
#: Gap between words of one row, in fractions of the page width, that parts two blocks (a stamp beside a
#: centred subject): a word space is ~0.005–0.01, the margin of a stamp several times that.
BLOCK_GAP = 0.04
#: Characters a word without letters or digits may be made of and still be text (not a speck).
_PUNCT = set("-–()[]“”\"'%&,.;:/+")


class Layout:
    """The word boxes of a document's text: ``text`` is the pages' texts joined by form feeds, as
    :func:`ocr_ingest.fields.extract_fields` receives it; ``pages`` those pages, in order. When the two do
    not match (a caller passing other pages), the layout is empty and every lookup gives nothing."""

    def __init__(self, text: str, pages: Sequence[Page]) -> None:
        self.starts: list[int] = []
        self.lines: list[dict[int, list[Box]]] = []
        if "\f".join(p.text for p in pages) != text:
            return
        pos = 0
        for p in pages:
            self.starts.append(pos)
            self.lines.append(_by_text_line(p))
            pos += len(p.text) + 1

    def _where(self, text: str, offset: int) -> tuple[int, int]:
        page = bisect.bisect_right(self.starts, offset) - 1
        return page, text.count("\n", self.starts[page], offset)

    def words(self, text: str, start: int, end: int) -> list[Box]:
        """The words of the page lines ``text[start:end]`` spans (one page: the first line's); [] when
        any of those lines has no boxes (a text layer, or a line the boxes do not cover)."""
        if not self.starts or end <= start:
            return []
        page, first = self._where(text, start)
        _, last = self._where(text, max(start, end - 1))
        if self._where(text, max(start, end - 1))[0] != page:
            return []
        out: list[Box] = []
        for i in range(first, last + 1):
            got = self.lines[page].get(i)
            if not got:
                return []
            out += got
        return out

    def centre(self, text: str, start: int, end: int) -> float | None:
        """The horizontal centre (fraction of the page width) of the words of ``text[start:end]``."""
        ws = self.words(text, start, end)
        return (min(w.left for w in ws) + max(w.right for w in ws)) / 2 if ws else None


#: Text lines ahead of the last one matched that a line of boxes is looked for in.
LOOK_AHEAD = 3


def _by_text_line(page: Page) -> dict[int, list[Box]]:
    """The page's words by the line of ``page.text`` they are in. A box's ``line`` counts the engine's
    lines, and the text may have joined two of them (a clerk's mark before the issuer's line), so each
    line of boxes is placed in the first text line at or a few after the last one that holds all its
    words, in order, spaces aside; a line of boxes found in none is left out. In the text line the last
    one was placed in, it is looked for after that one's letters (``LƯỚNG`` under ``HỦ 'LƯỚNG`` is a
    line of its own, not the end of the line above)."""
    texts = ["".join(t.split()) for t in page.text.split("\n")]
    engine: dict[int, list[Box]] = {}
    for w in page.words:
        engine.setdefault(w.line, []).append(w)
    out: dict[int, list[Box]] = {}
    t, used = 0, 0
    for k in sorted(engine):
        joined = "".join("".join(w.text.split()) for w in engine[k])
        for j in range(t, min(t + LOOK_AHEAD + 1, len(texts))):
            at = texts[j].find(joined, used if j == t else 0) if joined else -1
            if at >= 0:
                out.setdefault(j, []).extend(engine[k])
                t, used = j, at + len(joined)
                break
    return out


def _overlap(a: Box, b: Box) -> float:
    w = min(a.right, b.right) - max(a.left, b.left)
    h = min(a.bottom, b.bottom) - max(a.top, b.top)
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a.right - a.left) * (a.bottom - a.top), (b.right - b.left) * (b.bottom - b.top))
    return w * h / smaller if smaller > 0 else 0.0


def once(words: Sequence[Box]) -> list[Box]:
    """Each word once: of boxes covering each other with alike readings (two passes of the engine over
    one word), the surer."""
    kept: list[Box] = []
    for w in sorted(words, key=lambda w: -w.conf):
        if not any(_overlap(w, k) >= SAME_WORD and fuzz.ratio(w.text, k.text) >= SAME_READING for k in kept):
            kept.append(w)
    return kept


def rows(words: Sequence[Box]) -> list[list[Box]]:
    """Words in rows as printed, top to bottom, each row left to right: a word joins the row whose
    vertical middle its own middle is within half a line height of."""
    if not words:
        return []
    height = statistics.median(w.bottom - w.top for w in words)
    out: list[list[Box]] = []
    mids: list[float] = []
    for w in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        mid = (w.top + w.bottom) / 2
        if out and abs(mid - mids[-1]) <= height / 2:
            out[-1].append(w)
            mids[-1] = statistics.mean((x.top + x.bottom) / 2 for x in out[-1])
        else:
            out.append([w])
            mids.append(mid)
    return [sorted(r, key=lambda w: w.left) for r in out]


def _blocks(row: list[Box]) -> list[list[Box]]:
    out = [[row[0]]]
    for w in row[1:]:
        if w.left - out[-1][-1].right > BLOCK_GAP:
            out.append([w])
        else:
            out[-1].append(w)
    return out


#: A word at a row's edge the engine is this unsure of (0–100) ...
MARK_CONF = 50
#: ... set off by this many of the row's usual word spaces is a mark beside the text (a seal's rim), not a word.
MARK_GAP = 3.0


def _edge_marks_out(row: list[Box]) -> list[Box]:
    """``row`` without an unsure word at either end that stands further off than words of the row do."""
    if len(row) < 4:
        return row
    gaps = [b.left - a.right for a, b in zip(row, row[1:], strict=False)]
    usual = max(statistics.median(gaps), 0.002)
    if row[0].conf < MARK_CONF and gaps[0] > MARK_GAP * usual:
        row, gaps = row[1:], gaps[1:]
    if row[-1].conf < MARK_CONF and gaps[-1] > MARK_GAP * usual:
        row = row[:-1]
    return row


def speck(word: str) -> bool:
    """A mark the engine read as a word (``‹``, ``ˆ``, ``„``): neither letter, digit nor text punctuation."""
    return not any(c.isalnum() for c in word) and not set(word) <= _PUNCT


def column_text(words: Sequence[Box], centre: float) -> str | None:
    """The words of a block centred on ``centre`` (fraction of the page width: a subject under its type
    name), read as the page shows them: each word once, row by row, left to right, specks out. Of each
    row, the runs of words that reach across ``centre`` are the block's, and so are runs within the
    block's width in those rows (a word lost under a seal splits a row); a run outside it, or a row
    that does not reach the centre, is a stamp or seal printed beside or over the block; a list dash
    before it is not the block's. None when no row reaches the centre."""
    runs = [_blocks(_edge_marks_out(row)) for row in rows(once([w for w in words if not speck(w.text)]))]
    central = [b for row in runs for b in row if b[0].left - BLOCK_GAP <= centre <= b[-1].right + BLOCK_GAP]
    if not central:
        return None
    left, right = min(b[0].left for b in central), max(b[-1].right for b in central)
    kept = [
        w.text
        for row in runs
        if any(b is c for b in row for c in central)  # a centred block's rows all reach its centre
        for b in row
        if any(b is c for c in central) or (b[0].left >= left - EDGE and b[-1].right <= right + EDGE)
        for w in b
    ]
    return " ".join(kept).lstrip(_LEAD) or None


_LEAD = "-–•+*_~'\".,;: "


#: Tolerance at a block's edges, in fractions of the page width.
EDGE = 0.01


#: Where the right column of a two-column block starts, in fractions of the page width: the signing lines
#: (Nghị định 30, mẫu 1.x: the right half under the body), the recipients left of it.
RIGHT_HALF = 0.5


def right_column(
    layout: Layout, text: str, spans: Sequence[tuple[int, int]]
) -> list[tuple[int, float, float]]:
    """Of the text lines at ``spans``, those printed wholly in the right half of the page, in the order
    the page shows them (top to bottom): (index into ``spans``, top, bottom) each."""
    out = []
    for i, (s, e) in enumerate(spans):
        ws = layout.words(text, s, e)
        if ws and min(w.left for w in ws) >= RIGHT_HALF:
            out.append((i, min(w.top for w in ws), max(w.bottom for w in ws)))
    return sorted(out, key=lambda r: r[1])
