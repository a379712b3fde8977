"""The signer's title beside a seal on a grey scan (issue 12): Tesseract blanks it as part of the seal's
picture region; the second reading of the mark's box (``pipeline.words_by_marks``) brings it back."""

from dataclasses import replace
from pathlib import Path

import pytest

from ocr_ingest import extract_text
from ocr_ingest.text.pipeline import Options

SCAN = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "grey300" / "cv-btc-2022-2044.pdf"


@pytest.mark.slow
def test_the_title_over_the_seal_is_read_only_with_the_mark_pass():
    options = Options(correct=False)
    lines = extract_text(SCAN, options).text.splitlines()
    without = extract_text(SCAN, replace(options, mark_pass=False)).text.splitlines()
    block = ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Đỗ Trọng Bình"]
    assert lines[-3:] == block
    assert "THỨ TRƯỞNG" not in without and without[-2:] == [block[0], block[2]]


@pytest.mark.slow
def test_the_name_the_seals_rim_crosses_is_read_whole_from_the_print():
    """dang-hu-krongpac-2022-293, grey: the first reading gives ``Vũ Phu`` for *Vũ Thị Thu Tâm* (the
    rim crosses *Thị* and *Tâm*), lifting the marks takes bits of the letters (``Vũ Lhị Phu``); the
    mark's box with everything lighter than print whited out reads the name whole."""
    scan = SCAN.parent / "dang-hu-krongpac-2022-293.pdf"
    options = Options()
    lines = extract_text(scan, options).text.splitlines()
    assert lines[lines.index("PHÓ BÍ THƯ") + 1] == "Vũ Thị Thu Tâm"
    without = extract_text(scan, replace(options, mark_pass=False)).text.splitlines()
    assert "Vũ Thị Thu Tâm" not in without
