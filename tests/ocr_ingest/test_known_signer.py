"""A signer's name the seal took the family name of, completed from the names the archive holds under the
same issuer (``fields.known_signer``, ``Archive.signers``, ``archive.ingestion.named_as_archive_knows``),
on a real SQLite archive. The names are those of the real scans' misses (``Thanh Sơn``, ``Pạm Minh Chính``)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from ocr_ingest.archive.ingestion import ReadDocument, store_read
from ocr_ingest.archive.store import Archive
from ocr_ingest.fields import KNOWN_CONF, known_signer
from tests.ocr_ingest.test_archive import make_record

PM = "THỦ TƯỚNG CHÍNH PHỦ"
KNOWN = [
    (PM, "Bùi Thanh Sơn"),
    (PM, "Phạm Minh Chính"),
    (PM, "Trần Hồng Hà"),
    ("ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ", "Bùi Văn Quang"),
]


def test_a_name_without_its_family_name_is_completed() -> None:
    assert known_signer("Thanh Sơn", PM, KNOWN) == "Bùi Thanh Sơn"
    assert known_signer("Pạm Minh Chính", PM, KNOWN) == "Phạm Minh Chính"  # the family name read as a scrap
    assert known_signer("Hông Hà", "Thủ tướng Chính phủ", KNOWN) == "Trần Hồng Hà"  # marks and case aside


def test_only_one_fitting_name_of_the_same_issuer_is_taken() -> None:
    assert known_signer("Văn Quang", PM, KNOWN) is None  # another issuer's signer
    two = [*KNOWN, (PM, "Nguyễn Thanh Sơn")]
    assert known_signer("Thanh Sơn", PM, two) is None  # two people fit: not guessed
    assert known_signer("Sơn", PM, KNOWN) is None  # one given name fits too many
    assert known_signer("Trần Thanh Sơn", PM, KNOWN) is None  # read whole: the page's own name
    assert known_signer("Thanh Sơn", None, KNOWN) is None and known_signer(None, PM, KNOWN) is None


def _ingested(arc: Archive, tmp_path: Path, text: str, name: str) -> dict:
    record, src = make_record(tmp_path, text, issuing_body=PM, signer_name=name)
    stored = store_read(ReadDocument(record, text, None), arc, src, time.perf_counter())
    return stored.fields["signer_name"]


def test_the_archive_completes_a_name_it_has_read_in_full(tmp_path: Path) -> None:
    arc = Archive(tmp_path / "arc")
    assert _ingested(arc, tmp_path, "thông báo một", "Thanh Sơn")["value"] == "Thanh Sơn"  # knows nobody yet
    _ingested(arc, tmp_path, "thông báo hai", "Bùi Thanh Sơn")
    meta = {"parent_body": None, "issuing_body": PM, "doc_type": None, "number": None, "date": None}
    meta |= {"subject": None, "signer_name": None}
    assert sorted(arc.signers(meta)) == [(PM, "Bùi Thanh Sơn"), (PM, "Thanh Sơn")]
    assert arc.signers({**meta, "parent_body": "BỘ NỘI VỤ"}) == []  # another issuer
    got = _ingested(arc, tmp_path, "thông báo ba", "Thanh Sơn")
    assert (got["value"], got["read_as"], got["confidence"]) == ("Bùi Thanh Sơn", "Thanh Sơn", KNOWN_CONF)
    stored = [json.loads(p.read_text()) for p in (tmp_path / "arc").glob("*/*/*/record.json")]
    assert sorted(r["metadata"]["signer_name"] for r in stored) == [
        "Bùi Thanh Sơn",
        "Bùi Thanh Sơn",
        "Thanh Sơn",
    ]


# The list of signers real legal text names (``lm.signers``), for the rows the seal left of a name.

DEPUTY = "PHÓ THỦ TƯỚNG"


def test_the_list_is_built_from_the_names_under_a_leaders_title() -> None:
    from ocr_ingest.lm.signers import pairs

    text = [
        "TM. CHÍNH PHỦ", "KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "Lê Thành Long",
        "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Lê Văn Thanh",  # a minister's deputies: no whole list, not taken
        "STT", "Mã HS", "THỦ TƯỚNG", "Nguyễn Xuân Phúc", "THỦ TƯỚNG", "Điều 5 Văn bản",
    ]  # fmt: skip
    assert list(pairs(text)) == [("PHÓ THỦ TƯỚNG", "Lê Thành Long"), ("THỦ TƯỚNG", "Nguyễn Xuân Phúc")]


def test_the_committed_list_holds_leaders_names_only() -> None:
    from ocr_ingest.lm.signers import LEADERS, is_name, listed

    rows = listed()
    assert len(rows) >= 15 and all(t in LEADERS and is_name(n) and c >= 1 for t, n, c in rows)
    assert ("PHÓ THỦ TƯỚNG", "Trần Hồng Hà") in {(t, n) for t, n, _ in rows}


def test_a_row_the_seal_cut_takes_the_one_listed_name_it_ends() -> None:
    from ocr_ingest.fields.known import listed_signer

    # the real scans' rows (qd_0005, qd_0084, qd_0060, qd_0091, qd_0135)
    assert listed_signer(["Trần Đồng Hà"], DEPUTY) == (0, "Trần Hồng Hà")  # a letter off, read whole
    assert listed_signer(["Thanh Trà"], DEPUTY) == (0, "Phạm Thị Thanh Trà")
    assert listed_signer(["đà: 4", "_w hành Long"], DEPUTY) == (1, "Lê Thành Long")  # the rim took a T
    assert listed_signer(["M hanh Sơn"], DEPUTY) == (0, "Bùi Thanh Sơn")
    assert listed_signer(["nộc Dũng"], "PHÓ THỦ TUỚNG") == (0, "Hồ Quốc Dũng")  # the title as OCR reads it


def test_a_row_that_fits_two_names_or_too_little_or_another_title_is_left() -> None:
    from ocr_ingest.fields.known import listed_signer

    assert listed_signer(["Ñ: ø Dũng"], DEPUTY) is None  # Hồ Quốc Dũng or Nguyễn Chí Dũng
    assert listed_signer(["Sơn"], DEPUTY) is None  # one word, three letters
    assert listed_signer(["Trần Hồng Hà"], DEPUTY) is None  # the page's name, listed: nothing to do
    assert listed_signer(["Trần Đồng Hải"], DEPUTY) is None  # two letters off: another person
    assert listed_signer(["Thanh Trà"], "PHÓ CHỦ TỊCH") is None  # a province's deputy chair: no list
    assert listed_signer(["Thanh Trà"], None) is None


NOTICE = """THỦ TƯỚNG CHÍNH PHỦ
Số: 12/2025/QĐ-TTg
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 3 tháng 6 năm 2025
QUYẾT ĐỊNH
Về việc ban hành quy chế làm việc
Điều 1. Quyết định này có hiệu lực kể từ ngày ký.
Nơi nhận:
- Các bộ, cơ quan ngang bộ;
- Lưu: VT, PL (2b).
KT. THỦ TƯỚNG
PHÓ THỦ TƯỚNG
{name}
"""


def test_the_fields_take_the_listed_name_and_keep_what_the_page_gave() -> None:
    from ocr_ingest.fields import extract_fields
    from ocr_ingest.fields.known import LISTED_CONF

    got = extract_fields(NOTICE.format(name="Thanh Trà")).signer_name
    assert got is not None and (got.value, got.confidence, got.read_as) == (
        "Phạm Thị Thanh Trà", LISTED_CONF, "Thanh Trà"
    )  # fmt: skip
    assert extract_fields(NOTICE.format(name="Thanh Trà")).to_dict()["signer_name"]["read_as"] == "Thanh Trà"
    whole = extract_fields(NOTICE.format(name="Nguyễn Văn An")).signer_name
    assert whole is not None and whole.value == "Nguyễn Văn An" and whole.confidence > LISTED_CONF


def test_a_name_read_whole_ends_the_look() -> None:
    from ocr_ingest.fields.known import listed_signer

    assert listed_signer(["Nguyễn Văn An", "Thanh Trà"], DEPUTY) is None  # the page's own name first
    assert listed_signer(["Trần Hồng Hà", "Thanh Trà"], DEPUTY) is None


def test_a_listed_name_read_in_the_old_tone_placement_is_the_pages() -> None:
    from ocr_ingest.fields.known import listed_signer

    assert listed_signer(["Nguyễn Hoà Bình"], DEPUTY) is None  # qd_0020's page spells it so: it stays
    assert listed_signer(["Hoà Bình"], DEPUTY) == (0, "Nguyễn Hoà Bình")  # completed in its spelling
