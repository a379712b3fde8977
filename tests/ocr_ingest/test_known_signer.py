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
