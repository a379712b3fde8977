"""TT 05 metadata from our fields: codes, the số / ký hiệu split, ISO date, and the unsure values
flagged (a blank number, a date without its day), in the XML and the office's sheet."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from openpyxl import load_workbook

from ocr_ingest.fields import extract_fields
from ocr_ingest.intake.metadata import document_metadata, metadata_xml, type_code, write_sheet

HEADINGS_CSV = Path(__file__).resolve().parents[3] / "shared" / "tt05" / "metadata-sheet-columns.csv"

BLANKS = """UBND HUYỆN GÒ QUAO
VĂN PHÒNG HĐND-UBND
Số:     /TB-VP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Gò Quao, ngày    tháng 6 năm 2021
THÔNG BÁO
Ý kiến kết luận của Chủ tịch UBND huyện tại hội nghị thành viên
Ngày 04 tháng 6 năm 2021, Chủ tịch UBND huyện chủ trì hội nghị.
"""
ARCHIVE = {
    "ma_ho_so": "H.01",
    "so_thu_tu": "007",
    "thoi_han_bao_quan": "Vĩnh viễn",
    "che_do_su_dung": "Có điều kiện",
}


def test_type_codes() -> None:
    assert [type_code(t) for t in ("QUYẾT ĐỊNH", "Thông báo", "TỜ TRÌNH", "GIẤY MỜI", "PHIẾU LẠ", None)] == [
        "02", "07", "15", "26", "32", None,
    ]  # fmt: skip


def test_blank_number_and_day_go_in_flagged(tmp_path: Path) -> None:
    fields = extract_fields(BLANKS).to_dict()
    meta = document_metadata(fields, page_count=2, born_digital=False, signature=None, archive=ARCHIVE)
    assert {k: meta.get(k) for k in ("typeName", "codeNumber", "codeNotation", "issuedDate", "confidenceLevel",
                                     "maintenance", "mode", "numberOfPage", "arcFileCode", "docOrdinal")} == {
        "typeName": "07", "codeNumber": None, "codeNotation": "TB-VP", "issuedDate": "2021-06",
        "confidenceLevel": "02", "maintenance": "01", "mode": "02", "numberOfPage": 2, "arcFileCode": "H.01",
        "docOrdinal": "007",
    }  # fmt: skip
    assert meta.flagged == ["codeNumber", "issuedDate"]
    xml = ET.fromstring(metadata_xml(meta))
    assert xml.find("codeNumber").get("unsure") == "true" and xml.find("issuedDate").get("unsure") == "true"
    assert (
        xml.find("codeNotation").get("unsure") is None
        and xml.find("codeNotation").get("confidence") == "0.95"
    )
    sheet = tmp_path / "s.xlsx"
    write_sheet([(meta, "data/H.01.007.pdf")], sheet)
    ws = load_workbook(sheet).active
    heads, row = [c.value for c in ws[1]], [c.value for c in ws[2]]
    got = dict(zip(heads, row, strict=True))
    assert (got["Số của văn bản"], got["Ký hiệu của văn bản"], got["Tháng văn bản"], got["Năm văn bản"]) == (
        None, "TB-VP", "06", "2021",
    )  # fmt: skip
    assert got["Ghi chú"] == "cần kiểm tra: codeNumber; cần kiểm tra: issuedDate"
    assert ws.cell(row=2, column=heads.index("Số của văn bản") + 1).fill.fgColor.rgb == "00FFFF00"


@pytest.mark.real
def test_sheet_headings_are_the_offices() -> None:
    """Every heading of ours is one of the office's sheet (metadata-sheet-columns.csv), spelled alike."""
    import csv

    from ocr_ingest.intake.metadata import SHEET_COLUMNS

    if not HEADINGS_CSV.exists():
        pytest.skip("../shared/tt05 absent")
    with HEADINGS_CSV.open(encoding="utf-8") as f:
        office = set(next(csv.reader(f)))
    ours = [h for h, _ in SHEET_COLUMNS]
    assert [h for h in ours if h not in office] == [
        "Mã hồ sơ"
    ]  # the office's sheet calls it "Số và ký hiệu hồ sơ"


def test_engine_confidence_caps_a_cleanly_parsed_badly_read_number() -> None:
    from ocr_ingest.intake.metadata import engine_confidence
    from ocr_ingest.text.document import DocumentText, PageText, WordBox

    words = [("Số:", 92), ("04_/QĐ-CCATVSTP", 62), ("ngày", 93), ("05", 95)]
    boxes = tuple(WordBox(t, 0.1, 0.1, 0.2, 0.2, k // 2, c) for k, (t, c) in enumerate(words))
    cover = DocumentText("a.pdf", "0" * 64, (PageText(1, "ảnh bìa", "text_layer"),))
    page = PageText(2, "Số: 04_/QĐ-CCATVSTP\nngày 05", "ocr", words=boxes)
    doc = DocumentText("a.pdf", "0" * 64, (*cover.pages, page))
    start = doc.text.index("04_")
    assert engine_confidence(doc, (start, start + 15)) == 0.62
    assert engine_confidence(doc, (doc.text.index("05"), doc.text.index("05") + 2)) == 0.95
    assert engine_confidence(doc, (0, 3)) is None  # a text-layer page: the parse's confidence stands
    fields = {"number": {"value": "04/QĐ-CCATVSTP", "span": [start, start + 15], "confidence": 0.95,
                         "partial": False, "numeral": "04", "symbol": "QĐ-CCATVSTP"}}  # fmt: skip
    meta = document_metadata(fields, page_count=2, born_digital=False, signature=None, archive={}, doc=doc)
    assert meta.values["codeNumber"].confidence == 0.62 and "codeNumber" in meta.flagged


SAMPLE = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "tt05"
    / "samples"
    / "001.03.08.H30.81.2024.K4.01.01.001.pdf"
)


@pytest.mark.real
@pytest.mark.skipif(not SAMPLE.exists(), reason="../shared/tt05/samples absent")
def test_delivered_samples_handwritten_number_is_flagged() -> None:
    """The office's sample whose handwritten number 01 their OCR read ``ũ 4``: ours reads it ``04``,
    which parses cleanly, but the engine's doubt about the word flags it (and the date) for the clerk."""
    from ocr_ingest.text import load
    from ocr_ingest.text.document import DocumentText
    from ocr_ingest.text.pipeline import Options, PageTask, read_page

    options = Options(force_ocr=True)
    first = load.describe(SAMPLE, dpi=options.dpi, max_pixels=options.max_pixels)[0]
    doc = DocumentText(str(SAMPLE), "0" * 64, (read_page(PageTask(first, options)),))
    fields = extract_fields(doc.text).to_dict()
    meta = document_metadata(fields, page_count=11, born_digital=False, signature=None, archive={}, doc=doc)
    assert (meta.get("typeName"), meta.get("codeNotation")) == ("02", "QĐ-CCATVSTP")
    assert {"codeNumber", "issuedDate"} <= set(meta.flagged)
    assert "typeName" not in meta.flagged
