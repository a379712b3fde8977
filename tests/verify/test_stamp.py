"""The stamp parser on clean, OCR-noisy and Ký bởi text, and the stamp-vs-signature cross-check."""

from __future__ import annotations

import datetime as dt

import pytest

from verify import Settings, parse_stamp, parse_stamps
from verify.crosscheck import crosscheck
from verify.crypto import SigCheck

ICT = dt.timezone(dt.timedelta(hours=7))
CLEAN = (
    "Người ký: Lâm Thái Hòa\nEmail: vanphong.hutc@travinh.gov.vn\n"
    "Cơ quan: Huyện ủy Trà Cú, Tỉnh Trà Vinh\nThời gian ký: 14.09.2023 09:12:05 +07:00\n"
)


def test_clean() -> None:
    s = parse_stamp("CHÁNH VĂN PHÒNG\nLâm Thái Hòa\n" + CLEAN)
    assert s is not None
    assert (s.signer, s.email, s.organisation, s.time_text, s.format) == (
        "Lâm Thái Hòa",
        "vanphong.hutc@travinh.gov.vn",
        "Huyện ủy Trà Cú, Tỉnh Trà Vinh",
        "14.09.2023 09:12:05 +07:00",
        "vgca",
    )
    assert s.time == dt.datetime(2023, 9, 14, 9, 12, 5, tzinfo=ICT)


def test_ocr_noise_and_broken_lines() -> None:
    text = (
        "Ngưòi ký: Lâm Thái Hòa\nEmai1: vanphong.hutc @travinh.gov.vn\nCo quan: Huyện ủy Trà Cú,\n"
        "Tỉnh Trà Vinh\nThòi gian ky:\n14.09.2023 09:12:05 +07:00\nNơi nhận:"
    )
    s = parse_stamp(text)
    assert s is not None
    assert (s.signer, s.email, s.organisation) == (
        "Lâm Thái Hòa",
        "vanphong.hutc@travinh.gov.vn",
        "Huyện ủy Trà Cú, Tỉnh Trà Vinh",
    )
    assert s.time == dt.datetime(2023, 9, 14, 9, 12, 5, tzinfo=ICT)


def test_ky_boi_format_without_zone_is_vietnam_time() -> None:
    s = parse_stamp("Ký bởi: Nguyễn Văn A\nGiờ ký: 05/03/2024 14:01:09")
    assert s is not None
    assert (s.signer, s.format, s.zone_printed) == ("Nguyễn Văn A", "ky_boi", False)
    assert s.time == dt.datetime(2024, 3, 5, 14, 1, 9, tzinfo=ICT)


def test_unaccented_one_line() -> None:
    s = parse_stamp("Ky boi: Tran Van B Gio ky: 05/03/2024 14:01")
    assert s is not None and (s.signer, s.time_text) == ("Tran Van B", "05/03/2024 14:01")


def test_two_stamps_and_no_stamp() -> None:
    two = CLEAN + CLEAN.replace("Lâm Thái Hòa", "Văn thư Huyện ủy Trà Cú")
    assert [s.signer for s in parse_stamps(two)] == ["Lâm Thái Hòa", "Văn thư Huyện ủy Trà Cú"]
    assert parse_stamp("Email: a@b.vn\nCơ quan: UBND") is None  # no signer label: a letterhead, not a stamp
    assert parse_stamp("") is None


def _sig(**kw) -> SigCheck:
    base = dict(
        field="S",
        subfilter="adbe.pkcs7.detached",
        signer="Lâm Thái Hòa",
        signer_org=("Huyện ủy Trà Cú", "Tỉnh Trà Vinh"),
        signer_email="vanphong.hutc@travinh.gov.vn",
        time_m=dt.datetime(2023, 9, 14, 9, 12, 5, tzinfo=ICT),
        time_cms=dt.datetime(2023, 9, 14, 2, 12, 5, tzinfo=dt.UTC),
    )
    base.update(kw)
    return SigCheck(**base)


def test_crosscheck_agrees_and_says_each_comparison() -> None:
    stamp = parse_stamp(CLEAN)
    assert stamp is not None
    f = crosscheck(stamp, _sig(), Settings())
    assert (f.mismatches, f.notes) == ([], [])
    assert [str(c) for c in f.comparisons] == [
        "signer: stamp 'Lâm Thái Hòa' = certificate 'Lâm Thái Hòa' (exact)",
        "organisation: stamp 'Huyện ủy Trà Cú' = certificate 'Huyện ủy Trà Cú' (exact)",
        "organisation: stamp 'Tỉnh Trà Vinh' = certificate 'Tỉnh Trà Vinh' (exact)",
        "email: stamp 'vanphong.hutc@travinh.gov.vn' = certificate 'vanphong.hutc@travinh.gov.vn' (exact)",
        "time: stamp '2023-09-14T09:12:05+07:00' = /M '2023-09-14T09:12:05+07:00' (exact)",
    ]


def test_crosscheck_findings() -> None:
    stamp = parse_stamp(CLEAN)
    assert stamp is not None
    f = crosscheck(
        stamp,
        _sig(signer="Nguyễn Văn An", signer_org=("Sở Tài chính",), signer_email="an@tc.gov.vn"),
        Settings(),
    )
    assert [c.how for c in f.comparisons] == ["no", "no", "no", "no", "exact"]
    assert [b.split(":")[0] for b in f.mismatches] == [
        "stamp_signer_mismatch",
        "stamp_organisation_mismatch",
        "stamp_email_mismatch",
    ]
    late = dt.datetime(2023, 9, 14, 9, 20, 5, tzinfo=ICT)  # eight minutes later
    f = crosscheck(stamp, _sig(time_m=late, time_cms=None), Settings())
    assert f.mismatches and f.mismatches[0].startswith("stamp_time_mismatch")
    assert str(f.comparisons[-1]) == (
        "time: stamp '2023-09-14T09:12:05+07:00' ≠ /M '2023-09-14T09:20:05+07:00' (no)"
    )
    f = crosscheck(stamp, _sig(time_m=late, time_cms=None), Settings(stamp_tolerance=600))
    assert (f.mismatches, f.notes) == ([], [])
    assert str(f.comparisons[-1]).endswith("(480 s apart)")


def test_local_time_labelled_utc_is_a_note() -> None:
    stamp = parse_stamp(CLEAN)
    assert stamp is not None
    wrong_utc = dt.datetime(2023, 9, 14, 9, 12, 5, tzinfo=dt.UTC)
    f = crosscheck(stamp, _sig(time_m=wrong_utc, time_cms=wrong_utc), Settings())
    assert f.mismatches == []
    assert f.notes == ["/M is local time labelled UTC (signer clock); stamp agrees with it as local time"]


def test_ky_boi_ngay_ky_with_dashes_and_zone() -> None:
    s = parse_stamp("Ký bởi: Ủy ban nhân dân tỉnh Đắk Lắk\nNgày ký: 10-01-2026 10:24:18 +07:00")
    assert s is not None
    assert (s.signer, s.format, s.copy, s.zone_printed) == (
        "Ủy ban nhân dân tỉnh Đắk Lắk",
        "ky_boi",
        False,
        True,
    )
    assert s.time == dt.datetime(2026, 1, 10, 10, 24, 18, tzinfo=ICT)


def test_ky_boi_gio_ky_with_an_abbreviated_body() -> None:
    s = parse_stamp("Ký bởi: UBND tỉnh Lâm Đồng\nGiờ ký: 10/06/2025 14:08:34")
    assert s is not None and (s.signer, s.format) == ("UBND tỉnh Lâm Đồng", "ky_boi")
    assert s.time == dt.datetime(2025, 6, 10, 14, 8, 34, tzinfo=ICT)


@pytest.mark.parametrize(
    "text",
    [
        "SAO Y; Ủy ban Nhân dân tỉnh Bến Tre; Thời gian ký: 2025-05-30T10:26:30+07:00",
        "SAO Y;\nỦy ban Nhân dân tỉnh Bến Tre;\nThời gian ký: 2025-05-30T10:26:30+07:00",
        "SAO Y BẢN CHÍNH\nỦy ban Nhân dân tỉnh Bến Tre\nThời gian ký: 2025-05-30T10:26:30+07:00",
    ],
)
def test_certified_copy(text: str) -> None:
    s = parse_stamp(text)
    assert s is not None
    assert (s.signer, s.format, s.copy) == ("Ủy ban Nhân dân tỉnh Bến Tre", "sao_y", True)
    assert s.time == dt.datetime(2025, 5, 30, 10, 26, 30, tzinfo=ICT)
    assert s.to_json()["copy"] is True


NOISY_SCANS = [
    # a stamp printed, then scanned: stray letters, split labels, values cut at the margin
    "NÑN gười ký: Ủy ban nhân dân tỉnh Lâm Đ\nEm ail: vanphong@lamdong.gov\nThời gian k ý: 10/06/2025 14:0",
    "NÑN gười ký: Lâm Thái Hòa\nEm ail: vanphong.hutc@travinh.go\nCơ quan: Huyện ủy Trà Cú, Tỉnh Trà",
    "K ý bởi: UBND tỉnh Lâm Đồ\nGiờ k ý: 10/06/2025 14:08:3",
    "Ký bởi: Ủy ban nhân dân tỉnh Đắk L\nNgày k ý: 10-01-2026 10:24",
]


@pytest.mark.parametrize("text", NOISY_SCANS)
def test_ocr_noisy_stamps_are_still_stamps(text: str) -> None:
    s = parse_stamp(text)
    assert s is not None and s.signer and s.signer.split()[0] in ("Ủy", "Lâm", "UBND")


def test_ordinary_sentences_are_not_labels() -> None:
    assert parse_stamp("Trà Cú, ngày 14 tháng 9 năm 2023\nNgày kỷ niệm 60 năm; sao y theo mẫu") is None


def test_a_time_cut_at_the_margin_is_unreadable_not_wrong() -> None:
    s = parse_stamp("Người ký: Lâm Thái Hòa\nThời gian ký: 14.09.2023 09:12:0")
    assert s is not None and (s.time, s.time_text) == (None, "14.09.2023 09:12:0")
