"""Where on its page each field was read: a box per field, for the clerk's review screen.

A field carries its ``span`` in the document's clean text; an OCR page carries its words with their
boxes (``PageText.words``, fractions of the upright page the engine read). The page's text is made
of those words in the same order (reflowed, noise lines out), so each word is found in the text
from where the previous one ended; a field's box is the union of the words its span covers, on the
page where most of them are. The box is turned back to the page as stored (``PageText.rotation`` and
``skew``), so it lies over the page image a reader sees: at 4° of skew, a word a quarter of the page
from its centre would otherwise sit a line too high or low. Pages read from their text layer have no
word boxes: their fields get none.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..text.document import DocumentText, PageText

#: how far past the last word found a word is looked for (characters): a word the text lost (a
#: noise line's, a section numeral set right) must not send the search to a later, unrelated copy
WINDOW = 400

Box = tuple[float, float, float, float]  # left, top, right, bottom: fractions of the page's width / height
A4 = (210, 297)  # mm: a page's shape when its size is not known


def add_boxes(
    fields: dict[str, Any], doc: DocumentText, sizes: dict[int, tuple[int, int]] | None = None
) -> dict[str, Any]:
    """``fields`` (``extract_fields(...).to_dict()``) with ``page`` and ``box`` added to each field
    found on an OCR page; a list field (recipients) gets them per item. Returns a new dict.
    ``sizes``: each page's width and height as stored (pixels, any unit), to undo the deskew; without
    it an A4 portrait page is assumed."""
    placed = located_words(doc, sizes or {})
    out: dict[str, Any] = {}
    for key, item in fields.items():
        if isinstance(item, dict):
            out[key] = _with_box(item, placed)
        elif isinstance(item, list):
            out[key] = [_with_box(x, placed) if isinstance(x, dict) else x for x in item]
        else:
            out[key] = item
    return out


def located_words(doc: DocumentText, sizes: dict[int, tuple[int, int]]) -> list[tuple[int, int, int, Box]]:
    """Each OCR word found in the document's text: ``(start, end, page number, box)``, offsets in
    ``doc.text``, box on the page as stored."""
    found = []
    offset = 0
    for page in doc.pages:
        text = page.text
        cursor = 0
        for word in page.words:
            needle = unicodedata.normalize("NFC", word.text).strip()
            if not needle:
                continue
            at = text.find(needle, cursor, cursor + WINDOW + len(needle))
            if at < 0:
                continue
            cursor = at + len(needle)
            size = sizes.get(page.number, A4)
            box = stored_box((word.left, word.top, word.right, word.bottom), page, size)
            found.append((offset + at, offset + cursor, page.number, box))
        offset += len(text) + 1  # the form feed between pages
    return found


def stored_box(box: Box, page: PageText, size: tuple[int, int] = A4) -> Box:
    """A box on the upright, deskewed page the engine read, on the page as stored (``size``: its width
    and height). The engine's page was turned ``page.rotation`` degrees clockwise and rotated by
    ``-page.skew`` degrees about its centre (``preprocess.deskew``); both are undone, the skew first
    (it was measured on the turned page for a page on its side, and commutes with a half turn)."""
    turn = page.rotation % 360
    width, height = size if turn in (0, 180) else size[::-1]  # the upright page's shape
    corners = [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])]
    points = [_turned_back(_unskewed(x, y, width, height, page.skew), turn) for x, y in corners]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (
        max(0.0, min(xs)),
        max(0.0, min(ys)),
        min(1.0, max(xs)),
        min(1.0, max(ys)),
    )


def _unskewed(x: float, y: float, width: float, height: float, skew: float) -> tuple[float, float]:
    """A point of the deskewed page (fractions) where it was before the deskew: the deskew rotated the
    page by ``-skew`` degrees counter-clockwise (image coordinates, y down) about its centre."""
    if not skew:
        return x, y
    a = math.radians(skew)
    dx, dy = (x - 0.5) * width, (y - 0.5) * height
    # cv2's rotation by +skew (counter-clockwise on screen, y pointing down)
    rx = math.cos(a) * dx + math.sin(a) * dy
    ry = -math.sin(a) * dx + math.cos(a) * dy
    return 0.5 + rx / width, 0.5 + ry / height


def _turned_back(point: tuple[float, float], turn: int) -> tuple[float, float]:
    """A point of the upright page (fractions) on the page as stored, which was turned ``turn``
    degrees clockwise to stand upright."""
    x, y = point
    if turn == 180:
        return 1 - x, 1 - y
    if turn == 90:  # upright x = 1 - stored y, upright y = stored x
        return y, 1 - x
    if turn == 270:  # upright x = stored y, upright y = 1 - stored x
        return 1 - y, x
    return x, y


def _with_box(item: dict[str, Any], placed: Sequence[tuple[int, int, int, Box]]) -> dict[str, Any]:
    span = item.get("span")
    if not span or span[1] <= span[0]:
        return item
    covered = [(page, box) for start, end, page, box in placed if start < span[1] and end > span[0]]
    if not covered:
        return item
    page = Counter(p for p, _ in covered).most_common(1)[0][0]
    boxes = [b for p, b in covered if p == page]
    union = (
        round(min(b[0] for b in boxes), 4),
        round(min(b[1] for b in boxes), 4),
        round(max(b[2] for b in boxes), 4),
        round(max(b[3] for b in boxes), 4),
    )
    return {**item, "page": page, "box": list(union)}
