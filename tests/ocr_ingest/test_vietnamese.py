import unicodedata

import pytest

from ocr_ingest.vietnamese import is_syllable, score_text, strip_diacritics
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
