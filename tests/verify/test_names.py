"""Names compared as a clerk reads them: case- and mark-insensitive, abbreviations expanded, and how."""

from __future__ import annotations

import unicodedata

import pytest

from verify.names import ABBREVIATIONS, compare_names, fold_words, how_names_match

CN_UPPER = "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"


@pytest.mark.parametrize(
    ("stamp", "cert", "how"),
    [
        ("UBND tỉnh Lâm Đồng", CN_UPPER, "abbreviation"),  # issue 11: the 9 false stamp_mismatch files
        ("UBND tỉnh Lâm Đồng", "Ủy ban Nhân dân tỉnh Lâm Đồng", "abbreviation"),
        ("Ủy ban nhân dân tỉnh Lâm Đồng", CN_UPPER, "case-and-marks"),
        ("Uỷ ban nhân dân tỉnh Lâm Đồng", "Ủy ban nhân dân tỉnh Lâm Đồng", "case-and-marks"),  # old tone spot
        ("Văn phòng HĐND-UBND", "Văn phòng Hội đồng nhân dân - Ủy ban nhân dân", "abbreviation"),
        ("UBMTTQ tỉnh Bến Tre", "Ủy ban Mặt trận Tổ quốc tỉnh Bến Tre", "abbreviation"),
        ("UB MTTQ tỉnh Bến Tre", "UBMTTQ tỉnh Bến Tre", "abbreviation"),  # expanded on both sides
        ("TP. HCM", "Thành phố Hồ Chí Minh", "abbreviation"),
        ("UBND Q. 1", "Ủy ban nhân dân Quận 1", "abbreviation"),
        ("UBND P. Bến Nghé", "Ủy ban nhân dân phường Bến Nghé", "abbreviation"),
        ("UBND TX. Gò Công", "Ủy ban nhân dân thị xã Gò Công", "abbreviation"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo", "abbreviation"),
        ("TT Y tế huyện Trà Cú", "Trung tâm Y tế huyện Trà Cú", "abbreviation"),  # TT is ambiguous:
        ("UBND TT Cầu Quan", "Ủy ban nhân dân thị trấn Cầu Quan", "abbreviation"),  # each meaning is tried
        ("BQL dự án", "Ban quản lý dự án", "abbreviation"),
        ("CA tỉnh Lâm Đồng", "Công an tỉnh Lâm Đồng", "abbreviation"),
        ("Lâm Thái Hòa", "Lâm Thái Hòa", "exact"),
        ("Huy ện ủy Trà Cú", "Huyện ủy Trà Cú", "fuzzy"),  # OCR split a word
        ("Nguyễn Văn Thànhh", "Nguyễn Văn Thành", "fuzzy"),  # one edit in a long word
        # different bodies, places and people never match
        ("UBND tỉnh Lâm Đồng", "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK", "no"),
        ("HĐND tỉnh Lâm Đồng", CN_UPPER, "no"),  # the abbreviation names another body
        ("UBND huyện Lâm Hà", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "no"),
        ("UBND tỉnh", CN_UPPER, "no"),  # a prefix is not the name
        ("Lâm Thái Hòa", "Lâm Thái Hà", "no"),  # short words must agree exactly
        ("UBND Quận 1", "Ủy ban nhân dân Quận 10", "no"),
        ("TT Y tế huyện Trà Cú", "Thường trực Huyện ủy Trà Cú", "no"),
    ],
)
def test_how_names_match(stamp: str, cert: str, how: str) -> None:
    assert how_names_match(stamp, cert) == how
    assert how_names_match(cert, stamp) == how  # symmetric


def test_nfc_and_nfd_are_the_same_name() -> None:
    nfd = unicodedata.normalize("NFD", CN_UPPER)
    assert nfd != CN_UPPER and how_names_match(nfd, "Ủy ban nhân dân tỉnh Lâm Đồng") == "case-and-marks"
    assert fold_words(nfd) == ("uy", "ban", "nhan", "dan", "tinh", "lam", "dong")


def test_part_only_when_asked() -> None:
    assert how_names_match("Tỉnh Trà Vinh", "UBND tỉnh Trà Vinh") == "no"
    assert how_names_match("Tỉnh Trà Vinh", "UBND tỉnh Trà Vinh", allow_part=True) == "part"
    assert how_names_match("Tỉnh Trà", "UBND tỉnh Trà Vinh", allow_part=True) == "part"
    assert how_names_match("Tỉnh Bến Tre", "UBND tỉnh Trà Vinh", allow_part=True) == "no"


def test_comparison_explains_itself() -> None:
    c = compare_names("UBND tỉnh Lâm Đồng", CN_UPPER, field="signer")
    assert c.matched
    assert (
        str(c)
        == "signer: stamp 'UBND tỉnh Lâm Đồng' ≈ certificate 'ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG' (abbreviation)"
    )
    c = compare_names("UBND tỉnh Lâm Đồng", "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK", field="signer")
    assert not c.matched and " ≠ " in str(c)


def test_the_table_is_folded_and_expansions_do_not_expand_again() -> None:
    for key, expansions in ABBREVIATIONS.items():
        assert fold_words(key) == (key,)
        for e in expansions:
            assert not set(fold_words(e)) & set(ABBREVIATIONS), e
