"""Two things on real corpus scans the first reading gets wrong: a recipient whose line Tesseract
joined with the signer's title across the gutter (``pipeline.reread_columns`` reads the band again
column by column), and the receiving office's ĐẾN stamp read into the issuer's column
(``stamps.set_aside_received_stamps`` keeps it beside the text)."""

from dataclasses import replace
from pathlib import Path

import pytest

from ocr_ingest import extract_text
from ocr_ingest.text.pipeline import Options

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
RECIPIENTS = [
    "Nơi nhận:",
    "- Sở Tài nguyên và Môi trường;",
    "- Đài PT-TH tỉnh;",
    "- Sở Tư pháp (kiểm tra);",
    "- LĐVP, CVNC;",
    "- Lưu: VT, TNMT.",
]


@pytest.mark.slow
@pytest.mark.parametrize("condition", ["grey300", "bilevel200"])
def test_a_recipient_joined_with_the_title_comes_back_with_the_column_pass(condition):
    scan = CORPUS / condition / "tb-ubnd-quangnam-2024-122.pdf"
    options = Options()
    lines = extract_text(scan, options).text.splitlines()
    start = lines.index("TUQ. CHỦ TỊCH") - len(RECIPIENTS)
    assert lines[start : start + len(RECIPIENTS) + 2] == [*RECIPIENTS, "TUQ. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]
    without = extract_text(scan, replace(options, column_pass=False)).text.splitlines()
    assert "- Đài PT-TH tỉnh;" not in without


@pytest.mark.slow
def test_the_received_stamp_is_kept_beside_the_text_not_in_the_header():
    page = extract_text(CORPUS / "grey300" / "qd-ubnd-goquao-2022-3021.pdf", Options()).pages[0]
    lines = page.text.splitlines()
    assert lines[:5] == [
        "ỦY BAN NHÂN DÂN",
        "HUYỆN GÒ QUAO",
        "Số: 3021/QĐ-UBND",  # filled in by hand: read as figures (``reread_filled_in``), one word again
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    (stamp,) = page.received
    assert stamp.startswith("UBND HUYỆN CHÂU THÀNH\n") and "Chuy" in stamp
    assert "ĐẾN" not in page.text.replace("ĐẾN HẠN", "") and "Chuyển:" not in page.text


@pytest.mark.slow
def test_the_column_pass_finds_its_bands_without_a_specks_fake_gutter():
    """cv-btc-2022-2044, bilevel: a 1 × 5 px speck read as ``ị`` right of the e-signature banner made
    the whole page one band with a gutter right of everything, so the recipients' band, which
    Tesseract had read as ``An An ho`` / ``Bọ Tai chịn /C);``, was never read again."""
    lines = extract_text(CORPUS / "bilevel200" / "cv-btc-2022-2044.pdf", Options()).text.splitlines()
    start = lines.index("Nơi nhận:")
    assert lines[start : start + 4] == ["Nơi nhận:", "- Như trên;", "- Bộ Tài chính (b/c);", "- Lưu: VT, TC."]


def test_a_second_reading_that_agrees_keeps_the_first_readings_belief() -> None:
    """Tesseract gave the number line next to a received stamp a confidence of 0 on the second reading
    (``20/2025/QĐ-UBND`` run together); the first reading said the same at 90 and 86: kept believed."""
    from ocr_ingest.text.boxes import swapped
    from ocr_ingest.text.tesseract import Word

    first = [
        Word("20", 296, 292, 334, 320, 90, 5, 2, 1),
        Word("/2025/QĐ-UBND", 355, 293, 613, 327, 86, 5, 2, 1),
    ]
    other = Word("Số:", 224, 286, 269, 320, 96, 5, 2, 1)
    joined = Word("20/2025/QĐ-UBND", 296, 292, 613, 327, 0, 2000, 0, 0)
    wrong = Word("26/2025/QĐ-UBND", 296, 292, 613, 327, 0, 2000, 0, 0)
    assert swapped([other, *first], first, [joined])[-1].conf == 86
    assert swapped([other, *first], first, [wrong])[-1].conf == 0  # a reading that differs keeps its own
