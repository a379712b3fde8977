"""Frames on a page (``preprocess.frames``): a received stamp's worn, turned frame is found; a seal's
ring, an underline and plain text are not frames."""

import cv2
import numpy as np

from fixtures.gen.degrade import seal_coverage
from fixtures.gen.scanner import received_stamp_face
from preprocess.frames import frame_boxes, table_boxes, whiten_table_rules

DPI = 300
MM = DPI / 25.4


def _stamp(page: np.ndarray, left: int, top: int, angle: float, worn: bool) -> tuple[int, int, int, int]:
    """Press a 50 × 25 mm received stamp, turned ``angle`` degrees; ``worn``: a quarter of the top side
    and the bottom-right corner left without ink, as a tired rubber does. Returns its box (x, y, w, h)."""
    w, h = round(50 * MM), round(25 * MM)
    face, _ = received_stamp_face("UBND HUYỆN CHÂU THÀNH", w, h)
    if worn:
        face[: h // 10, : w // 4] = 0
        face[-h // 4 :, -w // 6 :] = 0
    face = cv2.warpAffine(face, cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), (w, h))
    region = page[top : top + h, left : left + w]
    region[:] = np.minimum(region, (255 * (1 - 0.75 * face)).astype(np.uint8))
    return left, top, w, h


def _contains(outer: tuple[int, int, int, int], inner: tuple[int, int, int, int], slack: float) -> bool:
    ox, oy, ow, oh = outer
    ix, iy, iw, ih = inner
    return (
        abs(ox - ix) <= slack and abs(oy - iy) <= slack and abs(ox + ow - ix - iw) <= slack
        and abs(oy + oh - iy - ih) <= slack
    )  # fmt: skip


def test_a_turned_worn_received_stamp_is_one_frame_and_text_is_none(clean_page_300):
    page = cv2.cvtColor(clean_page_300, cv2.COLOR_RGB2GRAY)
    assert frame_boxes(page, dpi=DPI) == []  # a typed page (rules under the header) has no frame
    box = _stamp(page, round(20 * MM), round(60 * MM), angle=2.5, worn=True)
    # The issuer's underline just above the stamp faces its bottom side: still only the stamp's frame.
    cv2.line(page, (round(32 * MM), round(52 * MM)), (round(58 * MM), round(52 * MM)), 0, 4)
    found = frame_boxes(page, dpi=DPI)
    assert len(found) == 1
    assert _contains(found[0], box, slack=3 * MM)


def test_a_straight_stamp_and_a_turned_one_on_one_page():
    page = np.full((round(150 * MM), round(150 * MM)), 255, np.uint8)
    a = _stamp(page, round(10 * MM), round(10 * MM), angle=0.0, worn=False)
    b = _stamp(page, round(70 * MM), round(100 * MM), angle=-2.0, worn=True)
    found = frame_boxes(page, dpi=DPI)
    assert len(found) == 2
    assert _contains(found[0], a, slack=3 * MM) and _contains(found[1], b, slack=3 * MM)


def test_a_seal_and_an_underline_are_not_frames():
    page = np.full((round(100 * MM), round(150 * MM)), 255, np.uint8)
    seal = seal_coverage(page.shape, (round(50 * MM), round(50 * MM)), round(18 * MM), "ỦY BAN NHÂN DÂN")
    page[seal > 0.5] = 0
    cv2.line(page, (round(90 * MM), round(40 * MM)), (round(140 * MM), round(40 * MM)), 0, 4)
    assert frame_boxes(page, dpi=DPI) == []


def test_nothing_on_an_empty_or_tiny_page():
    assert frame_boxes(np.full((10, 10), 255, np.uint8), dpi=DPI) == []
    assert frame_boxes(np.full((500, 500), 255, np.uint8), dpi=DPI) == []


def _table(
    page: np.ndarray,
    left: int,
    top: int,
    cols_mm: list[float],
    rows: int,
    row_mm: float,
    rule: tuple[int, int] = (0, 0),
) -> tuple:
    """A ruled table (1 px rules at 200 dpi) with a figure in each cell, four 3 mm strokes with a foot
    (``1111``) the last of which touches the cell's right rule, as a bilevel annex's numbers do;
    returns the table's box and the figures' boxes. ``rule``: the rules' grey and, when not 0, the
    period of their breaks (a one-pixel rule smeared and broken by turning the page straight)."""
    mm = 200 / 25.4
    xs = [left + round(sum(cols_mm[:i]) * mm) for i in range(len(cols_mm) + 1)]
    ys = [top + round(i * row_mm * mm) for i in range(rows + 1)]
    grey, period = rule
    for x in xs:
        page[ys[0] : ys[-1] + 1, x] = grey
    for y in ys:
        page[y, xs[0] : xs[-1] + 1] = grey
    if period:
        for y in ys:
            for b in range(xs[0], xs[-1], period):
                page[y, b : b + period // 3] = 255
        for x in xs:
            for b in range(ys[0], ys[-1], period):
                page[b : b + period // 3, x] = 255
    figures = []
    for y0 in ys[:-1]:
        for x1 in xs[1:]:
            box = (x1 - round(6 * mm), y0 + round(2 * mm), round(6 * mm), round(3 * mm))
            for k in range(4):
                sx = x1 - 2 - round(k * 1.5 * mm)
                page[box[1] : box[1] + box[3], sx : sx + 2] = 0
                page[box[1] + box[3] - 2 : box[1] + box[3], sx - 5 : sx + 2] = 0
            figures.append(box)
    return (xs[0], ys[0], xs[-1] - xs[0], ys[-1] - ys[0]), figures


def test_a_tables_rules_are_whited_out_and_its_figures_and_a_stamps_frame_kept():
    page = np.full((2000, 1600), 255, np.uint8)
    box, figures = _table(page, 150, 300, [25, 40, 25, 25], rows=4, row_mm=8)
    stamp = (900, 1400, round(50 * 200 / 25.4), round(25 * 200 / 25.4))
    x, y, w, h = stamp
    cv2.rectangle(page, (x, y), (x + w, y + h), 0, 2)
    frames = frame_boxes(page, dpi=200)
    (table,) = table_boxes(frames, dpi=200)
    assert _contains(table, box, slack=3)
    clean, report = whiten_table_rules(page, dpi=200)
    assert report.changed and report.details["tables"] == 1
    tx, ty, tw, th = box
    assert clean[ty + 5, tx + 3] == 255 and clean[ty + 3, tx] == 255  # a rule gone, side and top
    assert all(
        (clean[fy : fy + fh, fx : fx + fw] == 0).sum()
        >= 0.9 * (page[fy : fy + fh, fx : fx + fw - 1] == 0).sum()
        for fx, fy, fw, fh in figures
    )  # the figures stay (all but a pixel's width where a stroke touches a rule)
    assert (clean[y : y + h + 1, x] == 0).mean() > 0.9  # the stamp is one frame, not a table


def test_a_tables_faint_broken_rules_are_whited_out_too():
    page = np.full((2000, 1600), 255, np.uint8)
    box, figures = _table(page, 150, 300, [25, 40, 25, 25], rows=5, row_mm=8, rule=(200, 0))
    assert len(frame_boxes(page, dpi=200)) < 4  # too faint and broken for the stamps' frames
    clean, report = whiten_table_rules(page, dpi=200)
    assert report.changed and report.details["tables"] == 1
    tx, ty, tw, th = box
    inside = np.ones(page.shape, bool)
    for fx, fy, fw, fh in figures:
        inside[fy : fy + fh, fx - 4 : fx + fw] = False
    assert (
        clean[ty - 2 : ty + th + 3, tx - 2 : tx + tw + 3][inside[ty - 2 : ty + th + 3, tx - 2 : tx + tw + 3]]
        == 255
    ).all()
    assert all(
        (clean[fy : fy + fh, fx : fx + fw] == 0).sum()
        >= 0.9 * (page[fy : fy + fh, fx : fx + fw - 1] == 0).sum()
        for fx, fy, fw, fh in figures
    )


def test_a_page_without_a_table_is_left_alone():
    page = np.full((800, 800), 255, np.uint8)
    cv2.rectangle(page, (100, 100), (500, 300), 0, 2)
    out, report = whiten_table_rules(page, dpi=200)
    assert out is page and not report.changed
