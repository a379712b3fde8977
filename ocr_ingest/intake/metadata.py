"""One document's metadata as Thông tư 05/2025/TT-BNV lists it, filled from our fields and signature
report, each value with its confidence and the unsure ones flagged for the clerk; the archive's own
fields (mã hồ sơ, phông, mục lục, hộp, thời hạn bảo quản, chế độ sử dụng, số thứ tự) come from the hồ
sơ description the clerk writes. Written as XML per document and as the office's xlsx sheet.

The code lists are those of ``../shared/tt05/README.md`` (a public converter's codes).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree import ElementTree as ET

from ..text.document import DocumentText

UNSURE_BELOW = 0.8  # a value whose confidence is under this is flagged for the clerk

TYPE_CODES = {
    name: f"{k:02d}"
    for k, name in enumerate(
        (
            "Nghị quyết", "Quyết định", "Chỉ thị", "Quy chế", "Quy định", "Thông cáo", "Thông báo",
            "Hướng dẫn", "Chương trình", "Kế hoạch", "Phương án", "Đề án", "Dự án", "Báo cáo", "Tờ trình",
            "Giấy ủy quyền", "Phiếu gửi", "Phiếu chuyển", "Phiếu báo", "Biên bản", "Hợp đồng", "Công văn",
            "Công điện", "Bản ghi nhớ", "Bản thỏa thuận", "Giấy mời", "Giấy giới thiệu", "Giấy nghỉ phép",
            "Thư công", "Bản đồ", "Bản vẽ kỹ thuật", "Khác",
        ),
        start=1,
    )
}  # fmt: skip
MODE_CODES = {"công khai": "01", "có điều kiện": "02", "mật": "03"}
MAINTENANCE_CODES = {"vĩnh viễn": "01", "70 năm": "02", "50 năm": "03", "30 năm": "04", "20 năm": "05",
                     "10 năm": "06", "5 năm": "07"}  # fmt: skip
LANGUAGE_CODES = {"vi": "01"}
CONFIDENCE_BORN_DIGITAL, CONFIDENCE_DIGITISED = "01", "02"


@dataclass(frozen=True)
class Value:
    """One metadata value, how sure we are of it (0–1), and whether the clerk should look."""

    value: str | int | None
    confidence: float = 1.0
    partial: bool = False  # only part of it could be read (a blank day, a number left to fill in)

    @property
    def unsure(self) -> bool:
        return self.value in (None, "") or self.partial or self.confidence < UNSURE_BELOW


@dataclass(frozen=True)
class DocumentMetadata:
    """TT 05's per-document fields under their TT 05 names (``typeName``, ``codeNumber``, …)."""

    values: dict[str, Value] = field(default_factory=dict)

    @property
    def flagged(self) -> list[str]:
        return [k for k, v in self.values.items() if v.unsure and k in CHECKED]

    def get(self, key: str) -> Any:
        v = self.values.get(key)
        return v.value if v else None


#: the fields whose characters no parse can check (figures and codes: a 1 read as 4 still parses), so
#: the engine's own confidence in their words caps theirs; a type is matched against TT 05's closed
#: list and names and subjects are long enough for the parse's confidence to stand
READ_AS_PRINTED = ("number", "date")

#: the fields a reading fills and a clerk must check when unsure
CHECKED = ("typeName", "codeNumber", "codeNotation", "issuedDate", "organName", "subject")


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def type_code(doc_type: str | None) -> str | None:
    """``THÔNG BÁO`` → ``07``; a kind TT 05 does not list → ``32`` (Khác); nothing read → None."""
    if not doc_type:
        return None
    wanted = fold(doc_type)
    return next((code for name, code in TYPE_CODES.items() if fold(name) == wanted), TYPE_CODES["Khác"])


def code_of(table: dict[str, str], text: str | None) -> str | None:
    if not text:
        return None
    if text.strip() in table.values():
        return text.strip()
    return table.get(fold(text))


def engine_confidence(doc: DocumentText, span: tuple[int, int]) -> float | None:
    """The engine's least confidence (0–1) in the OCR words that print ``doc.text[span]``, or None
    (a text-layer page, or a page whose text no longer lines up with its words).

    A field's own confidence says how sure the parse is of where the value sits; this says how sure
    the engine was of its letters: a handwritten ``01`` read ``04`` parses cleanly and reads badly
    (engine confidence 62 where print reads 90+)."""
    start, end = span
    offset = 0
    for page in doc.pages:
        if offset + len(page.text) < start:
            offset += len(page.text) + 1  # pages are joined by a form feed
            continue
        if page.source != "ocr" or not page.words:
            return None
        owner = [k for k, w in enumerate(page.words) for _ in "".join(w.text.split())]
        chars = [k for k, c in enumerate(page.text) if not c.isspace()]
        if len(owner) != len(chars) or "".join(page.text.split()) != "".join(
            "".join(w.text.split()) for w in page.words
        ):
            return None
        hit = {owner[i] for i, k in enumerate(chars) if start - offset <= k < end - offset}
        return min(page.words[k].conf for k in hit) / 100 if hit else None
    return None


def document_metadata(
    fields: dict[str, Any],
    *,
    page_count: int,
    born_digital: bool,
    signature: dict[str, Any] | None,
    archive: dict[str, str],
    language: str = "vi",
    doc: DocumentText | None = None,
) -> DocumentMetadata:
    """TT 05's fields of one document. ``fields``: ``extract_fields(...).to_dict()``; ``signature``:
    the verify report as a dict; ``archive``: the hồ sơ description's row for it (mã hồ sơ, …);
    ``doc``: the text the fields were read from, whose OCR words' confidence caps each value's."""

    def f(key: str, sub: str = "value") -> Value:
        item = fields.get(key) or {}
        value = item.get(sub)
        partial = bool(item.get("partial")) and sub == "value"  # a number's parts: missing or not
        confidence = float(item.get("confidence") or 0.0) if value else 0.0
        if value and doc is not None and item.get("span") and key in READ_AS_PRINTED:
            engine = engine_confidence(doc, tuple(item["span"]))
            confidence = min(confidence, engine) if engine is not None else confidence
        return Value(value, round(confidence, 2), partial)

    sigs = [s for s in (signature or {}).get("signatures", []) if s.get("kind") == "signature"]
    doc_type = f("doc_type")
    values = {
        "arcFileCode": Value(archive.get("ma_ho_so")),
        "docOrdinal": Value(archive.get("so_thu_tu")),
        "fondName": Value(archive.get("phong")),
        "catalogue": Value(archive.get("muc_luc")),
        "boxNumber": Value(archive.get("hop")),
        "maintenance": Value(code_of(MAINTENANCE_CODES, archive.get("thoi_han_bao_quan"))),
        "mode": Value(code_of(MODE_CODES, archive.get("che_do_su_dung")) or "01"),
        "typeName": Value(type_code(doc_type.value), doc_type.confidence),
        "codeNumber": f("number", "numeral"),
        "codeNotation": f("number", "symbol"),
        "issuedDate": f("date"),
        "organName": f("issuing_body"),
        "subject": f("subject"),
        "language": Value(LANGUAGE_CODES.get(language, language)),
        "numberOfPage": Value(page_count),
        "signer": f("signer_name"),
        "confidenceLevel": Value(CONFIDENCE_BORN_DIGITAL if born_digital else CONFIDENCE_DIGITISED),
        "inforSign": Value(sigs[0].get("signer") if sigs else None),
        "description": Value(archive.get("ghi_chu")),
    }
    return DocumentMetadata(values)


def metadata_xml(meta: DocumentMetadata) -> bytes:
    """``<Document>`` with one element per field; ``confidence`` and ``unsure="true"`` as attributes."""
    root = ET.Element("Document", {"standard": "TT05/2025/TT-BNV"})
    for key, v in meta.values.items():
        el = ET.SubElement(root, key, {"confidence": f"{v.confidence:.2f}"})
        if v.unsure and key in CHECKED:
            el.set("unsure", "true")
        el.text = "" if v.value is None else str(v.value)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


#: the office's sheet: (Vietnamese heading of metadata-sheet-columns.csv, our key or a callable)
SHEET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("STT", "_row"),
    ("Phông", "fondName"),
    ("Mục lục", "catalogue"),
    ("Hộp số", "boxNumber"),
    ("Mã hồ sơ", "arcFileCode"),
    ("Thời hạn bảo quản", "maintenance"),
    ("Số thứ tự văn bản trong hồ sơ", "docOrdinal"),
    ("Tên loại văn bản", "typeName"),
    ("Số của văn bản", "codeNumber"),
    ("Ký hiệu của văn bản", "codeNotation"),
    ("Ngày văn bản", "_day"),
    ("Tháng văn bản", "_month"),
    ("Năm văn bản", "_year"),
    ("Tên cơ quan, tổ chức ban hành văn bản", "organName"),
    ("Trích yếu nội dung", "subject"),
    ("Ngôn ngữ", "language"),
    ("Số lượng trang của văn bản", "numberOfPage"),
    ("Ký hiệu thông tin", "inforSign"),
    ("Chế độ sử dụng", "mode"),
    ("Mức độ tin cậy", "confidenceLevel"),
    ("Ghi chú", "_flags"),
    ("Đường dẫn file", "_file"),
)


def sheet_row(k: int, meta: DocumentMetadata, file: str) -> list[Any]:
    date = str(meta.get("issuedDate") or "")
    y, m, d = (date.split("-") + ["", "", ""])[:3]
    special = {
        "_row": k,
        "_day": d,
        "_month": m,
        "_year": y,
        "_file": file,
        "_flags": "; ".join(f"cần kiểm tra: {key}" for key in meta.flagged),
    }
    return [special[key] if key in special else meta.get(key) for _, key in SHEET_COLUMNS]


def write_sheet(rows: list[tuple[DocumentMetadata, str]], out: Path | BinaryIO) -> None:
    """The office's xlsx, a row per document; unsure values' cells filled yellow for the clerk."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "Văn bản"
    ws.append([h for h, _ in SHEET_COLUMNS])
    yellow = PatternFill("solid", fgColor="FFFF00")
    for k, (meta, file) in enumerate(rows, start=1):
        ws.append(sheet_row(k, meta, file))
        for col, (_, key) in enumerate(SHEET_COLUMNS, start=1):
            if key in meta.flagged:
                ws.cell(row=k + 1, column=col).fill = yellow
    wb.save(out)
