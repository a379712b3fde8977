"""The archive ``ocr-ingest serve`` is tested on (test_serve.py, test_serve_browser.py), built once per
session by the real ``ingest`` from the fixtures, plus one notice whose text and file name hold HTML."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from ocr_ingest.archive import Record, ingest
from ocr_ingest.archive.store import Archive
from verify import Settings

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"

#: name → fixture file; the scan costs OCR time (one only)
SERVED = {
    "govquao": FIXTURES / "digital" / "govquao-2021.pdf",
    "huyenuy": FIXTURES / "digital" / "huyenuy-2023.pdf",
    "valid": FIXTURES / "signed" / "valid.pdf",
    "modified": FIXTURES / "signed" / "page-replaced.pdf",
    "stamp_mismatch": FIXTURES / "signed" / "stamp-time-off.pdf",
    "scan": FIXTURES / "scans" / "govquao-2021-standard.pdf",
}
HOSTILE_NAME = 'kiểm tra "<b>x<i>";.pdf'
HOSTILE_LINES = (
    "UBND XÃ THỬ NGHIỆM",
    "Số: 7/TB-UBND",
    "Thử Nghiệm, ngày 02 tháng 3 năm 2024",
    "THÔNG BÁO",
    'Về việc kiểm tra <script>alert("xss")</script> trên trang web',
    "Ủy ban nhân dân xã thông báo đến các cơ quan, đơn vị về việc kiểm tra hệ thống.",
    "Các đơn vị có trách nhiệm phối hợp thực hiện đúng thời gian quy định.",
    "<img src=x onerror=alert(1)> và <b>chữ đậm</b> không được hiển thị như mã.",
    "Nơi nhận:",
    "- Các cơ quan, đơn vị;",
    "CHỦ TỊCH",
    "Nguyễn Văn An",
)


@dataclass(frozen=True)
class ServedArchive:
    root: Path
    records: dict[str, Record]  # SERVED's names and "hostile"
    failed: Record
    hostile_name: str = HOSTILE_NAME


def hostile_pdf(path: Path) -> Path:
    """A born-digital notice (real Vietnamese text layer) whose subject and body carry HTML."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(
        TTFont("ServeSerif", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
    )
    c = canvas.Canvas(str(path), invariant=True)
    for i, line in enumerate(HOSTILE_LINES):
        c.setFont("ServeSerif", 13)
        c.drawString(60, 800 - 24 * i, line)
    c.save()
    return path


@pytest.fixture(scope="session")
def served_archive(tmp_path_factory: pytest.TempPathFactory) -> ServedArchive:
    tmp = tmp_path_factory.mktemp("serve")
    root = tmp / "archive"
    settings = Settings(trust_dirs=(FIXTURES / "signed" / "pki",))
    records = {}
    with Archive(root) as arc:
        for name, path in SERVED.items():
            records[name] = ingest(path, arc, settings=settings)
        records["hostile"] = ingest(hostile_pdf(tmp / HOSTILE_NAME), arc, settings=settings)
        (tmp / "empty.pdf").write_bytes(b"")
        failed = ingest(tmp / "empty.pdf", arc, settings=settings)
        arc.note_failure(failed)
        arc.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert all(r.status == "ingested" for r in records.values()), {k: r.reason for k, r in records.items()}
    assert failed.status == "failed"
    return ServedArchive(root, records, failed)
