import unicodedata

import pytest

from ocr_ingest.lm.vietnamese import is_syllable, score_text, strip_diacritics
from tests.conftest import truth


@pytest.mark.parametrize(
    "word", ["của", "nghiêng", "HUYỆN", "Ủy", "Hòa", "Hoà", "khuỷu", "quốc", "giữ", "đua", "Trà"]
)
def test_real_syllables(word):
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["CQNG", "HOAXA", "VIpr", "HQr", "ếấ", "thrổ"])
def test_not_syllables(word):
    assert not is_syllable(word)


def test_decomposed_input_counts_as_the_same_syllable():
    assert is_syllable(unicodedata.normalize("NFD", "Nghĩa"))


def test_notice_text_looks_vietnamese_and_english_ocr_garbage_does_not():
    good = score_text(truth("govquao-2021"))
    assert good.looks_vietnamese and good.syllables > 0.9 and good.marked > 0.8
    garbage = score_text("CQNG HOAXA HQr CHU NGHIA VIpr NAM Doc lap Ty do Hanh phuc " * 3)
    assert not garbage.looks_vietnamese and garbage.marked == 0.0


def test_strip_diacritics_folds_d_stroke():
    assert strip_diacritics("Thời gian ký Đảng") == "Thoi gian ky Dang"


def test_a_page_of_recipients_and_signature_block_looks_vietnamese():
    """Abbreviations (UBND, PCT, GDĐT) are neither syllables nor marked: they must not make a born-digital
    page holding only the bottom block look like a foreign OCR layer (it was then OCR'd instead)."""
    page = (
        "Nơi nhận: - Bộ Giáo dục và Đào tạo (b/c); - CT, các PCT UBND huyện; - Các phòng, ban huyện; "
        "- UBND các xã, thị trấn; - Đài Truyền thanh huyện; - Lưu: VT, GDĐT. "
        "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Vũ Thanh Phúc"
    )
    assert score_text(page).looks_vietnamese
    assert not score_text("CQNG HOAXA HQr CHU NGHIA VIpr NAM " * 5).looks_vietnamese
