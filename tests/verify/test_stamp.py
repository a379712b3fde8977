"""The stamp parser on clean, OCR-noisy and Ký bởi text, and the stamp-vs-signature cross-check."""

from __future__ import annotations

import datetime as dt

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


def test_crosscheck_agrees() -> None:
    stamp = parse_stamp(CLEAN)
    assert stamp is not None
    assert crosscheck(stamp, _sig(), Settings()) == ([], [])


def test_crosscheck_findings() -> None:
    stamp = parse_stamp(CLEAN)
    assert stamp is not None
    bad, _ = crosscheck(
        stamp,
        _sig(signer="Nguyễn Văn An", signer_org=("Sở Tài chính",), signer_email="an@tc.gov.vn"),
        Settings(),
    )
    assert [b.split(":")[0] for b in bad] == [
        "stamp_signer_mismatch",
        "stamp_organisation_mismatch",
        "stamp_email_mismatch",
    ]
    late = dt.datetime(2023, 9, 14, 9, 20, 5, tzinfo=ICT)  # eight minutes later
    bad, _ = crosscheck(stamp, _sig(time_m=late, time_cms=None), Settings())
    assert bad and bad[0].startswith("stamp_time_mismatch")
    assert crosscheck(stamp, _sig(time_m=late, time_cms=None), Settings(stamp_tolerance=600)) == ([], [])


def test_local_time_labelled_utc_is_a_note() -> None:
    stamp = parse_stamp(CLEAN)
    assert stamp is not None
    wrong_utc = dt.datetime(2023, 9, 14, 9, 12, 5, tzinfo=dt.UTC)
    bad, notes = crosscheck(stamp, _sig(time_m=wrong_utc, time_cms=wrong_utc), Settings())
    assert bad == []
    assert notes == ["/M is local time labelled UTC (signer clock); stamp agrees with it as local time"]
