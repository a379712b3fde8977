"""Issue 20: what real scans do to a header and a signature block, each slip as OCR read it on a real
decision of ``../shared/real/vietidp`` (the lines here are copied from our own OCR output, not from
the files), set on the Kiên Giang decision of ``test_fields.py``."""

from __future__ import annotations

import pytest

from ocr_ingest.fields import extract_fields
from ocr_ingest.fields.vocab import banner_spans, issuer_start, tone_placement_only
from tests.ocr_ingest.test_fields import DECISION


def test_motto_with_a_lost_word_is_not_the_issuer() -> None:
    text = DECISION.replace("Số: 12/QĐ-UBND\n", "").replace("CHỦ NGHĨA VIỆT NAM", "NGHĨA VIỆT NAM")
    f = extract_fields(text)
    assert f.issuing_body and f.issuing_body.value == "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG"
    assert f.parent_body is None


def test_number_after_the_motto_on_one_row() -> None:
    text = DECISION.replace("Số: 12/QĐ-UBND\n", "").replace("Hạnh phúc", "Hạnh phúc Số: 12/QĐÐ-UBND")
    f = extract_fields(text)
    assert f.number and f.number.value == "12/QĐ-UBND"
    assert f.issuing_body and f.issuing_body.value == "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG"


@pytest.mark.parametrize("mark", ["TTĐT 6", "77976)", "r7? Tứ )", "TrĐT(% )"])
def test_a_clerks_mark_before_the_issuer(mark: str) -> None:
    f = extract_fields(DECISION.replace("ỦY BAN NHÂN DÂN\n", f"{mark} ỦY BAN NHÂN ĐÂN\n", 1))
    assert f.issuing_body and f.issuing_body.value == "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG"


def test_a_mark_above_the_issuer_is_no_parent_body() -> None:
    f = extract_fields("TIT\n" + DECISION)
    assert f.parent_body is None
    assert f.issuing_body and f.issuing_body.value == "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG"


def test_portal_heading_in_the_subject_is_cut() -> None:
    text = DECISION.replace("năm 2024 trên", "CỔNG THÔNG ĐỆN Tỷ PHỦ\nnăm 2024 trên")
    f = extract_fields(text)
    assert (
        f.subject
        and f.subject.value
        == "Về việc phê duyệt Kế hoạch chuyển đổi số năm 2024 trên địa bàn tỉnh Kiên Giang"
    )


def test_date_with_a_pen_mark_and_a_lost_year() -> None:
    f = extract_fields(DECISION.replace("ngày 5 tháng 1 năm 2024", "ngày IOtháng 1 năm 2024"))
    assert f.place and f.place.value == "Rạch Giá"
    assert f.date and f.date.value == "2024-01" and f.date.partial
    f = extract_fields(
        DECISION.replace("Số: 12/QĐ-UBND", "Số: 12/2024/QĐ-UBND").replace("năm 2024\nQUYẾT", "năm\nQUYẾT")
    )
    assert f.date and f.date.value == "2024-01-05"


def test_title_lost_under_a_seal() -> None:
    f = extract_fields(DECISION.replace("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n", "KT. CHỦ TỊCH\n"))
    assert f.signer_title and f.signer_title.value == "PHÓ CHỦ TỊCH"
    f = extract_fields(DECISION.replace("PHÓ CHỦ TỊCH\n", "Ó CHỦ TỊCH\n"))  # a deputy signs under KT.
    assert f.signer_title and f.signer_title.value == "PHÓ CHỦ TỊCH"
    f = extract_fields(DECISION.replace("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n", ""))
    assert f.signer_title and f.signer_title.value == "CHỦ TỊCH"
    assert f.signer_name and f.signer_name.value == "Nguyễn Lưu Trung"


def test_text_layer_stamp_beside_the_name() -> None:
    text = DECISION.replace(
        "Nguyễn Lưu Trung\n",
        "Ký bởi: Ủy ban nhân dân tỉnh Kiên Giang\nNguyễn Lưu Trung Cơ quan: Tỉnh Kiên Giang\n",
    )
    f = extract_fields(text)
    assert f.signer_name and f.signer_name.value == "Nguyễn Lưu Trung"


def test_family_name_without_its_capital() -> None:
    f = extract_fields(DECISION.replace("Nguyễn Lưu Trung", "ùi Thanh Sơn"))
    assert f.signer_name and f.signer_name.value == "Bùi Thanh Sơn"
    f = extract_fields(DECISION.replace("Nguyễn Lưu Trung", "ô Tiến Thiệu"))  # Tô, or Hồ misread
    assert f.signer_name and f.signer_name.value == "Tiến Thiệu"


def test_vocabularies() -> None:
    assert issuer_start("TTPTC x) THỦ TƯỚNG CHÍNH PHỦ") == len("TTPTC x) ")
    assert issuer_start("UBND TỈNH KIÊN GIANG") == 0
    assert banner_spans("THỦ TƯỚNG CHÍNH PHỦ") == []
    assert banner_spans("của CỔNG THÔNG ï†; ĐỆN TỦ — của Trung") == [(4, 27)]
    assert tone_placement_only("UỶ BAN", "ỦY BAN") and not tone_placement_only("ĐÂN", "DÂN")
