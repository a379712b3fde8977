import cv2
import numpy as np

from fixtures.gen.degrade import BLUE_INK, RED_INK, apply_ink, seal_coverage, signature_coverage
from preprocess.marks import mark_boxes, remove_marks

DPI = 300


def _grey_scan_with_marks(page: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple[int, int, int, int]]:
    """The page as a grey office scan sees it, with a red seal and a blue signature over the motto:
    the inks come out mid-grey (pressed at 70 %, as the corpus scanner's seals are at most). Returns the inked grey page, the grey page without marks, the region."""
    h, w = page.shape[:2]
    region = (int(w * 0.5), int(h * 0.05), int(w * 0.9), int(h * 0.2))
    inked = page.copy()
    apply_ink(inked, 0.7 * signature_coverage((h, w), region, np.random.default_rng(1)), BLUE_INK)
    seal = seal_coverage((h, w), (int(w * 0.7), int(h * 0.12)), int(w * 0.12), "ỦY BAN NHÂN DÂN")
    apply_ink(inked, 0.7 * seal, RED_INK)
    return cv2.cvtColor(inked, cv2.COLOR_RGB2GRAY), cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), region


def test_grey_seal_and_signature_are_lifted_and_the_print_under_them_stays(clean_page_300):
    inked, plain, (left, top, right, bottom) = _grey_scan_with_marks(clean_page_300)
    out, report = remove_marks(inked, dpi=DPI)
    assert report.changed and report.details["marks"] >= 1 and report.details["cleared_fraction"] > 0.002
    before, after, ref = (a[top:bottom, left:right] for a in (inked, out, plain))
    text, paper = ref < 100, ref > 240
    threshold, _ = cv2.threshold(inked, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    mark_on_paper = paper & (before < threshold)  # ink to a binariser (lighter parts of it are paper)
    assert mark_on_paper.sum() > 2000
    # The marks' ink is gone from the paper (not: the seal's rim letters, blobs of their own, and the
    # few crossings of the two inks, as dark as print) ...
    assert np.mean(after[mark_on_paper] == 255) > 0.85
    # ... and the print under them is as dark as before.
    assert np.mean(after[text]) < np.mean(before[text]) + 10
    # Outside the marks nothing changes.
    outside = np.ones_like(inked, dtype=bool)
    outside[top:bottom, left:right] = False
    assert np.array_equal(out[outside], inked[outside])


def test_print_rulings_black_blobs_and_clean_pages_are_left_alone(clean_page_300):
    plain = cv2.cvtColor(clean_page_300, cv2.COLOR_RGB2GRAY)
    # A clean page: letters and a bold header are far under the mark height.
    out, report = remove_marks(plain, dpi=DPI)
    assert not report.changed and out is plain
    # A grey table grid and a grey frame (rulings), and a black seal (a bilevel scan: no tone to go by).
    page = plain.copy()
    h, w = page.shape
    for x in range(int(w * 0.1), int(w * 0.6), 60):
        cv2.line(page, (x, int(h * 0.6)), (x, int(h * 0.8)), 120, 2)
    for y in range(int(h * 0.6), int(h * 0.8), 25):
        cv2.line(page, (int(w * 0.1), y), (int(w * 0.58), y), 120, 2)
    cv2.rectangle(page, (int(w * 0.65), int(h * 0.6)), (int(w * 0.9), int(h * 0.7)), 130, 2)
    cv2.circle(page, (int(w * 0.75), int(h * 0.88)), int(w * 0.08), 0, 3)
    out, report = remove_marks(page, dpi=DPI)
    assert not report.changed and np.array_equal(out, page)


def test_a_bilevel_scan_is_left_alone(clean_page_300):
    """All ink is black on a bilevel page: a seal's ring cannot be told from the print it touches."""
    inked, _, _ = _grey_scan_with_marks(clean_page_300)
    bilevel = np.where(inked < 160, 0, 255).astype(np.uint8)
    out, report = remove_marks(bilevel, dpi=DPI)
    assert not report.changed and np.array_equal(out, bilevel)


def test_the_marks_box_is_found_on_a_grey_scan_and_not_on_a_clean_page(clean_page_300):
    inked, plain, (left, top, right, bottom) = _grey_scan_with_marks(clean_page_300)
    boxes = mark_boxes(inked, dpi=DPI)
    assert boxes and all(left - 5 <= x and x + w <= right + 5 for x, _, w, _ in boxes)
    assert all(top - 5 <= y and y + h <= bottom + 5 for _, y, _, h in boxes)
    assert mark_boxes(plain, dpi=DPI) == []
