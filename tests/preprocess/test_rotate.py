import numpy as np

from preprocess.ink import remove_colour_ink
from preprocess.rotate import rotate_quadrant, upright_evidence


def test_upright_vietnamese_page_is_top_heavy(clean_page_rgb):
    grey, _ = remove_colour_ink(clean_page_rgb)
    assert upright_evidence(grey) > 0.3
    assert upright_evidence(rotate_quadrant(grey, 180)) < -0.3


def test_blank_page_gives_no_evidence():
    assert abs(upright_evidence(np.full((500, 400), 255, np.uint8))) < 0.05


def test_quarter_turns_are_lossless_and_clockwise():
    img = np.arange(6, dtype=np.uint8).reshape(2, 3)
    assert rotate_quadrant(img, 0) is img
    assert rotate_quadrant(img, 90).shape == (3, 2)
    assert rotate_quadrant(img, 90)[0, 0] == img[1, 0]  # clockwise: bottom-left comes to top-left
    assert np.array_equal(rotate_quadrant(rotate_quadrant(img, 270), 90), img)
    assert np.array_equal(rotate_quadrant(img, 180), img[::-1, ::-1])


def test_the_nearly_blank_last_page_of_a_noisy_200_dpi_scan_still_votes_clearly():
    """At the scan's own resolution its speckle gave +0.11, under the 0.3 the pipeline trusts."""
    from ocr_ingest.text import load
    from preprocess.background import flatten_background
    from preprocess.deskew import deskew
    from preprocess.ink import remove_colour_ink
    from tests.conftest import FIXTURES

    ref = load.describe(FIXTURES / "scans" / "huyenuy-2023-hard.pdf")[5]
    grey, _ = remove_colour_ink(load.page_image(ref))
    grey, _, _ = deskew(flatten_background(grey, dpi=ref.dpi)[0])
    assert ref.dpi == 200
    assert upright_evidence(grey, ref.dpi) > 0.4
    assert upright_evidence(rotate_quadrant(grey, 180), ref.dpi) < -0.4


def test_a_last_page_with_only_the_signature_block_gives_no_evidence():
    """Its "Nơi nhận" list and signature block merge into two or three runs across the page, which voted
    -1.2 and -4.2 on these upright corpus pages and turned them upside down; too few lines: no vote."""
    from ocr_ingest.text import load
    from preprocess.background import flatten_background
    from preprocess.deskew import deskew
    from tests.conftest import FIXTURES

    for condition, doc, page in (
        ("bilevel200", "nq-hdnd-quangnam-2022-80", 1),
        ("grey300", "qd-ubnd-lamdong-2025-23", 2),
    ):
        refs = load.describe(FIXTURES / "corpus" / condition / f"{doc}.pdf")
        for ref in (refs[0], refs[page]):
            grey, _ = remove_colour_ink(load.page_image(ref))
            grey, _, _ = deskew(flatten_background(grey, dpi=ref.dpi)[0])
            evidence = upright_evidence(grey, ref.dpi)
            assert evidence > 0.3 if ref is refs[0] else evidence == 0.0, (doc, ref.number, evidence)
