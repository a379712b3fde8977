"""Find the ruled frames on a page: rectangles drawn around a block of text.

Why: the rubber stamps a receiving office presses on page 1 (``ĐẾN`` with ``Số / Ngày / Chuyển`` and
the clerk's pen in the blanks) and the e-signature banners are framed; the frame tells where their
words end, which no reading of the words alone can (the stamp sits in the issuer's column, under its
number line). A rubber stamp's frame is neither closed nor straight: the hand turns it a degree or
two, the ink leaves gaps, and the turned face's corners can fall off the rubber. So the sides are
found as short straight runs (a few millimetres: a run that short stays on one pixel row of a line
turned 2.5°) joined across small gaps into rules; any two parallel rules facing each other across a
stamp's size propose a frame, and a proposal is kept when at least three of its four sides are half
covered by rules. Letters have no straight run that long; a seal's ring has only short pieces (a
chord of a third of its width at most), which cover no side; an underline has no sides beside it.
"""

from __future__ import annotations

import itertools

import cv2
import numpy as np

from . import StepReport

Box = tuple[int, int, int, int]  # x, y, w, h in pixels
Masks = tuple[tuple[np.ndarray, list[Box]], tuple[np.ndarray, list[Box]]]  # (mask, rules) across, down

RUN_MM = (5.0, 4.0)  # straight ink runs from this long (horizontal, vertical) are rule pieces
JOIN_MM = 3.0  # pieces of one rule joined across gaps up to this long
MIN_RULE_MM = (8.0, 6.0)  # a rule is at least this long (horizontal, vertical)
MIN_MM = (20.0, 8.0)  # a frame at least this wide and tall; smaller boxed things are not stamps
MAX_SHARE = 0.9  # and narrower than this share of the page (a page border or a scan's edge is not one)
FACING = 0.5  # two rules face each other when they overlap along this share of the shorter one
SIDE_MM = 2.5  # a side's rules lie within this of the box's edge
SIDE_COVER = 0.5  # and cover this share of it; three sides so covered make a frame


def frame_boxes(grey: np.ndarray, *, dpi: int = 300, faint: bool = False) -> list[Box]:
    """Bounding boxes (x, y, w, h) of the rectangular frames on a grey or bilevel page, top to bottom.
    ``faint``: also rules of one pixel smeared into light grey (see ``_rule_masks``)."""
    if grey.ndim != 2 or min(grey.shape) < 16 or dpi <= 0:
        return []
    return _frames(_rule_masks(grey, dpi / 25.4, faint), grey.shape[1], dpi / 25.4)


def _frames(masks: Masks, page_width: int, mm: float) -> list[Box]:
    """The frames the page's rules close (``frame_boxes``, from rules already found)."""
    (horizontal, rows), (vertical, cols) = masks
    band = round(SIDE_MM * mm)
    found = []
    for axis, rules in ((1, rows), (0, cols)):
        for a, b in itertools.combinations(rules, 2):
            box = _facing(a, b, axis, (MIN_MM[0] * mm, MIN_MM[1] * mm))
            if box and box[2] <= MAX_SHARE * page_width and _sides(horizontal, vertical, box, band) >= 3:
                found.append(box)
    return sorted(_innermost(found), key=lambda b: (b[1], b[0]))


FAINT = 235  # a faint rule's pixels are lighter than this


def _rule_masks(grey: np.ndarray, mm: float, faint: bool = False) -> Masks:
    """The page's horizontal and vertical rules: each as its mask and its rules' boxes.

    ``faint``: a table's one-pixel rule on a 200 dpi bilevel scan, once the page is turned straight,
    is spread over two pixel rows in greys up to ~230, most lighter than the page's Otsu threshold;
    the rule is then found in any ink, darkest of two neighbouring pixels across it."""
    if not faint:
        _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
        across = {1: ink, 0: ink}
    else:
        across = {
            axis: _darker_than(cv2.erode(grey, np.ones(shape, np.uint8)), FAINT)
            for axis, shape in ((1, (2, 1)), (0, (1, 2)))
        }
    return (
        _rules(across[1], axis=1, run=RUN_MM[0] * mm, join=JOIN_MM * mm, length=MIN_RULE_MM[0] * mm),
        _rules(across[0], axis=0, run=RUN_MM[1] * mm, join=JOIN_MM * mm, length=MIN_RULE_MM[1] * mm),
    )


def _rules(
    ink: np.ndarray, *, axis: int, run: float, join: float, length: float
) -> tuple[np.ndarray, list[Box]]:
    """Ink on straight runs along ``axis`` (1: rows, 0: columns), joined over gaps, long enough: the
    mask and each rule's box."""
    shape = (max(3, round(run)), 1) if axis == 1 else (1, max(3, round(run)))
    pieces = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, shape))
    gap = (max(3, round(join)), 3) if axis == 1 else (3, max(3, round(join)))
    rules = cv2.morphologyEx(pieces, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, gap))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    extent = stats[:, cv2.CC_STAT_WIDTH if axis == 1 else cv2.CC_STAT_HEIGHT]
    keep = np.flatnonzero(extent >= length)
    keep = keep[keep > 0]
    chosen = np.zeros(n, bool)
    chosen[keep] = True
    return _mask(labels, chosen), [tuple(int(v) for v in stats[i, :4]) for i in keep]


def _mask(labels: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """255 on the connected components ``chosen`` (a flag per label), 0 elsewhere: through a lookup
    table of one byte per label, not a test per pixel."""
    return np.where(chosen, 255, 0).astype(np.uint8)[labels]


def _darker_than(grey: np.ndarray, level: int) -> np.ndarray:
    """255 where the page is darker than ``level``, 0 elsewhere."""
    return cv2.threshold(grey, level - 1, 255, cv2.THRESH_BINARY_INV)[1]


def _facing(a: Box, b: Box, axis: int, least: tuple[float, float]) -> Box | None:
    """The box two parallel rules would close, if they overlap and stand a stamp's size apart."""
    along, across = (0, 1) if axis == 1 else (1, 0)  # coordinates along the rules and across them
    overlap = min(a[along] + a[along + 2], b[along] + b[along + 2]) - max(a[along], b[along])
    if overlap < FACING * min(a[along + 2], b[along + 2]):
        return None
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    if x1 - x0 < least[0] or y1 - y0 < least[1] or abs(a[across] - b[across]) < least[across]:
        return None
    return x0, y0, x1 - x0, y1 - y0


def _sides(horizontal: np.ndarray, vertical: np.ndarray, box: Box, band: int) -> int:
    """How many of the box's four sides have rules along at least ``SIDE_COVER`` of their length."""
    x, y, w, h = box
    bands = (
        horizontal[y : y + band, x : x + w].any(axis=0),
        horizontal[y + h - band : y + h, x : x + w].any(axis=0),
        vertical[y : y + h, x : x + band].any(axis=1),
        vertical[y : y + h, x + w - band : x + w].any(axis=1),
    )
    return sum(float(b.mean()) >= SIDE_COVER for b in bands if b.size)


def _innermost(boxes: list[Box]) -> list[Box]:
    """The smallest proposals, each once: a proposal that covers most of a smaller one is that frame
    again (a stamp's other pair of facing rules) or a box around it (a rule outside the frame, such
    as the issuer's underline above a stamp, facing the frame's far side). A table's frames are its
    cells."""
    kept: list[Box] = []
    for b in sorted(set(boxes), key=lambda b: b[2] * b[3]):
        if not any(_shared(a, b) >= 0.8 * a[2] * a[3] for a in kept):
            kept.append(b)
    return kept


def _shared(a: Box, b: Box) -> int:
    dx = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    dy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0, dx) * max(0, dy)


TABLE_CELLS = 4  # frames touching one another, this many or more, are a table's cells
TOUCH_MM = 2.5  # frames this close are neighbours (one rule between them)


def table_boxes(frames: list[Box], *, dpi: int = 300) -> list[Box]:
    """The tables among a page's frames: groups of at least ``TABLE_CELLS`` frames that touch (the
    cells of an annex's table), as the box around each group. A stamp or a banner is one frame."""
    pad = TOUCH_MM * dpi / 25.4
    parent = list(range(len(frames)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in itertools.combinations(range(len(frames)), 2):
        (ax, ay, aw, ah), (bx, by, bw, bh) = frames[i], frames[j]
        if ax - pad <= bx + bw and bx - pad <= ax + aw and ay - pad <= by + bh and by - pad <= ay + ah:
            parent[root(i)] = root(j)
    groups: dict[int, list[Box]] = {}
    for i, box in enumerate(frames):
        groups.setdefault(root(i), []).append(box)
    out = []
    for cells in groups.values():
        if len(cells) >= TABLE_CELLS:
            x0, y0 = min(b[0] for b in cells), min(b[1] for b in cells)
            x1, y1 = max(b[0] + b[2] for b in cells), max(b[1] + b[3] for b in cells)
            out.append((x0, y0, x1 - x0, y1 - y0))
    return sorted(out, key=lambda b: (b[1], b[0]))


STRUCK_RUN_MM = 3.0  # in a line struck by a rule, straight ink this long is the rule's (a letter is shorter)


def whiten_rules(grey: np.ndarray, *, dpi: int = 300) -> tuple[np.ndarray, StepReport]:
    """A strip of print with the horizontal rules through it whited out: straight ink runs of
    ``STRUCK_RUN_MM`` and more, joined over gaps, at least a rule's length, and a pixel above and below.

    Why: a received stamp pressed on page 1 lays its frame's top rule across the number line (through
    ``Số: 129/TB``, or along the foot of ``77/2026``); the engine reads the rule into the label and the
    figures (``-:>———Số;-22/2026/NĐ-CP`` for 77). For a strip of one line: on a whole page the rules of
    tables and the lines under headings would go too (``whiten_table_rules`` takes only tables')."""
    if grey.ndim != 2 or min(grey.shape) < 8 or dpi <= 0:
        return grey, StepReport("struck_rules", False, {"pixels": 0})
    mm = dpi / 25.4
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    mask, rules = _rules(ink, axis=1, run=STRUCK_RUN_MM * mm, join=JOIN_MM * mm, length=MIN_RULE_MM[0] * mm)
    if not rules:
        return grey, StepReport("struck_rules", False, {"pixels": 0})
    mask = cv2.dilate(mask, np.ones((3, 1), np.uint8))
    out = grey.copy()
    out[mask > 0] = 255
    return out, StepReport("struck_rules", True, {"rules": len(rules), "pixels": int(np.count_nonzero(mask))})


PIECE_MM = (1.0, 0.6)  # in a table, ink this long and at most this thick may be a piece of a rule
BROKEN_RULE_MM = 10.0  # it is one when the pieces on its line add up to this long


def whiten_table_rules(grey: np.ndarray, *, dpi: int = 300) -> tuple[np.ndarray, StepReport]:
    """The page with the rules of its tables whited out: the rules that touch a table's box, whole,
    and what is left of broken rules inside it (thin straight pieces).

    Why: on a 200 dpi bilevel page a table's rules touch the figures in its cells, and Tesseract reads
    them as ``Ì``, ``¡``, ``|``, runs cells together, or takes a column for a picture and drops it;
    without them it reads the cells (measured on the corpus's bilevel annex tables). Its thin rules
    are faint and broken once the page is turned straight, so the tables are found with faint rules.
    Only tables: whiting out every rule on the page changed how Tesseract cut the rest of the page
    into lines, and cost more than it gave; on 300 dpi grey pages the tables read better with their
    rules (132 → 160 wrong characters without), so the pipeline calls this on bilevel pages only."""
    if grey.ndim != 2 or min(grey.shape) < 16 or dpi <= 0:
        return grey, StepReport("table_rules", False, {"tables": 0})
    mm = dpi / 25.4
    masks = _rule_masks(grey, mm, faint=True)
    tables = table_boxes(_frames(masks, grey.shape[1], mm), dpi=dpi)
    if not tables:
        return grey, StepReport("table_rules", False, {"tables": 0})
    (horizontal, _), (vertical, _) = masks
    n, labels, stats, _ = cv2.connectedComponentsWithStats(
        cv2.bitwise_or(horizontal, vertical), connectivity=8
    )
    x, y, w, h = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3]
    touching = np.zeros(n, bool)
    for tx, ty, tw, th in tables:
        touching |= (x <= tx + tw) & (x + w >= tx) & (y <= ty + th) & (y + h >= ty)
    touching[0] = False
    mask = cv2.dilate(_mask(labels, touching), np.ones((3, 3), np.uint8))
    out = grey.copy()
    out[mask > 0] = 255
    pieces = _rule_pieces(out, tables, mm)
    out[pieces > 0] = 255
    return out, StepReport(
        "table_rules",
        True,
        {"tables": len(tables), "pixels": int(np.count_nonzero(mask) + np.count_nonzero(pieces))},
    )


def _rule_pieces(grey: np.ndarray, tables: list[Box], mm: float) -> np.ndarray:
    """Inside the tables' boxes: what is left of broken rules, thin straight pieces on one line
    (a pixel row or column) adding up to ``BROKEN_RULE_MM``. A figure ``1`` is thicker than a rule,
    and a row of dashes is shorter."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(_darker_than(grey, FAINT), connectivity=8)
    x, y, w, h = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3]
    pad = TOUCH_MM * mm
    inside = np.zeros(n, bool)
    for tx, ty, tw, th in tables:
        inside |= (x >= tx - pad) & (y >= ty - pad) & (x + w <= tx + tw + pad) & (y + h <= ty + th + pad)
    inside[0] = False
    long, thin = PIECE_MM[0] * mm, PIECE_MM[1] * mm
    rule = np.zeros(n, bool)
    for length, thickness, centre in ((w, h, y + h / 2), (h, w, x + w / 2)):
        piece = inside & (thickness <= thin) & (length >= long)
        line = np.round(centre / thin).astype(int)
        for at in np.unique(line[piece]):
            same = piece & (np.abs(line - at) <= 1)
            if length[same].sum() >= BROKEN_RULE_MM * mm:
                rule |= same
    return _mask(labels, rule)
