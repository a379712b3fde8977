"""``ingest``: real fixtures end to end into a real archive; bad files become failed records."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pikepdf
import pytest

from ocr_ingest.archive import Record, ingest
from ocr_ingest.archive import ingestion as record_mod
from ocr_ingest.archive.store import Archive
from verify import Settings

ROOT = Path(__file__).resolve().parents[2]
DIGITAL = ROOT / "fixtures" / "digital"
SCHEMA = json.loads((ROOT / "schema" / "record.schema.json").read_text())


def validate(record_json: str | dict) -> None:
    data = json.loads(record_json) if isinstance(record_json, str) else record_json
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(data)


@pytest.fixture
def arc(tmp_path: Path) -> Archive:
    return Archive(tmp_path / "arc")


def test_born_digital_notice_into_the_archive(arc: Archive) -> None:
    rec = ingest(DIGITAL / "govquao-2021.pdf", arc, relative_folder="2021/vp")
    assert rec.status == "ingested" and rec.reason is None
    assert rec.page_count == 3 and [p.source for p in rec.pages] == ["text_layer"] * 3
    assert all(p.confidence is None for p in rec.pages)
    m = rec.metadata
    assert m["number"] == "153/TB-VP" and m["numeral"] == "153" and m["symbol"] == "TB-VP"
    assert m["date"] == "2021-06-09" and m["doc_type"] == "THÔNG BÁO"
    assert m["signer_name"] == "Trần Văn Trung" and m["issuing_body"] == "VĂN PHÒNG HĐND-UBND"
    assert m["parent_body"] == "UBND HUYỆN GÒ QUAO" and m["page_count"] == 3 and m["language"] == "vi"
    assert rec.verdict == "unsigned" == m["signature_status"] and rec.signature["verdict"] == "unsigned"
    assert rec.pipeline_version.startswith("ocr-ingest 0.") and rec.engine_version.startswith("tesseract 5")
    assert rec.relative_folder == "2021/vp" and rec.searchable_pdf == "not_requested"
    assert {"hash", "extract", "fields", "verify", "archive", "total"} <= set(rec.timings)
    folder = arc.root / rec.archive["dir"]
    assert rec.archive["dir"] == f"2021/{rec.sha256[:2]}/{rec.sha256}"
    assert (folder / "original.pdf").read_bytes() == (DIGITAL / "govquao-2021.pdf").read_bytes()
    assert (folder / "text.txt").read_text("utf-8").startswith("UBND HUYỆN GÒ QUAO")
    stored = json.loads((folder / "record.json").read_text("utf-8"))
    validate(stored)
    assert stored["metadata"]["number"] == "153/TB-VP" and stored["fields"]["date"]["value"] == "2021-06-09"
    validate(rec.to_json())


def test_same_file_twice_is_one_record_and_rerun_is_a_noop(arc: Archive, tmp_path: Path) -> None:
    copy = tmp_path / "copy of notice.pdf"
    copy.write_bytes((DIGITAL / "govquao-2021.pdf").read_bytes())
    first = ingest(DIGITAL / "govquao-2021.pdf", arc)
    second = ingest(copy, arc)
    assert second.status == "duplicate" and second.sha256 == first.sha256
    assert second.duplicate_of == str(DIGITAL / "govquao-2021.pdf") and second.source == str(copy)
    assert second.metadata == first.metadata and "extract" not in second.timings  # not read again
    record_json = arc.root / first.archive["record"]
    before = record_json.stat().st_mtime_ns
    assert ingest(DIGITAL / "govquao-2021.pdf", Archive(arc.root)).status == "duplicate"
    assert record_json.stat().st_mtime_ns == before and arc.count() == 1
    validate(second.to_json())


def test_without_archive_just_a_record(tmp_path: Path) -> None:
    rec = ingest(DIGITAL / "huyenuy-2023.pdf")
    assert rec.status == "ingested" and rec.archive is None and rec.page_count == 6
    assert rec.metadata["signer_name"] == "Lâm Thái Hòa" and rec.metadata["doc_type"] == "THÔNG BÁO"
    validate(rec.to_json())


def test_signed_notice_with_test_pki_is_valid(arc: Archive) -> None:
    settings = Settings(trust_dirs=(ROOT / "fixtures" / "signed" / "pki",))
    rec = ingest(ROOT / "fixtures" / "signed" / "valid.pdf", arc, settings=settings)
    assert rec.verdict == "valid" and rec.metadata["digital_signer"] == "Lâm Thái Hòa"
    assert rec.metadata["signing_time"].startswith("2023-09-14")
    assert [h.verdict for h in arc.search("thuong truc huyen uy")] == ["valid"]


def encrypted_pdf(path: Path) -> Path:
    with pikepdf.open(DIGITAL / "govquao-2021.pdf") as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="o", user="secret"))
    return path


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("empty.pdf", lambda p: p.write_bytes(b""), "is empty (0 bytes)"),
        ("notes.pdf", lambda p: p.write_text("hello, not a pdf"), "is neither a PDF nor an image"),
        (
            "truncated.pdf",
            lambda p: p.write_bytes((DIGITAL / "govquao-2021.pdf").read_bytes()[:1500]),
            "damaged",
        ),
        ("locked.pdf", encrypted_pdf, "is encrypted with a password"),
    ],
)
def test_bad_input_is_a_failed_record(arc: Archive, tmp_path: Path, name: str, make, reason: str) -> None:
    path = tmp_path / name
    make(path)
    rec = ingest(path, arc)
    assert rec.status == "failed" and reason in rec.reason
    assert rec.sha256 is not None and rec.archive is None and arc.count() == 0
    validate(rec.to_json())


def test_missing_file_is_a_failed_record_without_hash(tmp_path: Path) -> None:
    rec = ingest(tmp_path / "nope.pdf")
    assert rec.status == "failed" and rec.sha256 is None and "No such file" in rec.reason
    validate(rec.to_json())


def test_keyboard_interrupt_goes_through(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*a: object, **k: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(record_mod, "extract_text", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ingest(DIGITAL / "govquao-2021.pdf")


def test_a_reader_bug_is_a_failed_record_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def bug(*a: object, **k: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(record_mod, "extract_text", bug)
    rec = ingest(DIGITAL / "govquao-2021.pdf")
    assert rec.status == "failed" and rec.reason == "internal error: ValueError: boom"


def test_searchable_pdf_is_skipped_for_born_digital(arc: Archive) -> None:
    rec = ingest(DIGITAL / "govquao-2021.pdf", arc, searchable_pdf=True)
    assert rec.searchable_pdf.startswith("skipped: the document has a text layer")
    assert "searchable_pdf" not in rec.archive


def test_record_round_trips() -> None:
    rec = ingest(DIGITAL / "govquao-2021.pdf")
    assert Record.from_dict(json.loads(rec.to_json())) == rec


@pytest.mark.slow
def test_scan_is_ocred_archived_and_made_searchable(arc: Archive) -> None:
    scan = ROOT / "fixtures" / "scans" / "govquao-2021-standard.pdf"
    rec = ingest(scan, arc, searchable_pdf=True)
    assert rec.status == "ingested" and rec.page_count == 3
    assert [p.source for p in rec.pages] == ["ocr"] * 3
    assert all(p.confidence is not None and p.confidence > 70 for p in rec.pages)
    assert rec.metadata["number"] == "153/TB-VP" and rec.metadata["date"] == "2021-06-09"
    assert rec.searchable_pdf == "written"
    with pikepdf.open(arc.root / rec.archive["searchable_pdf"]) as pdf:
        assert len(pdf.pages) == 3
    import subprocess

    layer = subprocess.run(
        ["pdftotext", str(arc.root / rec.archive["searchable_pdf"]), "-"], capture_output=True, text=True
    ).stdout
    assert "THÔNG BÁO" in layer and "153/TB-VP" in layer
    assert arc.search("ket luan chu tich", limit=1)[0].sha256 == rec.sha256
    validate(json.loads((arc.root / rec.archive["record"]).read_text()))


def test_source_names_the_path_the_record_keeps(arc: Archive, tmp_path: Path) -> None:
    """Read from one name (a watcher's ``.processing/…``), recorded under another (the inbox path)."""
    claimed = tmp_path / ".processing" / "1a2b3c4d__notice.pdf"
    claimed.parent.mkdir()
    claimed.write_bytes((DIGITAL / "govquao-2021.pdf").read_bytes())
    rec = ingest(claimed, arc, source=tmp_path / "inbox" / "notice.pdf")
    assert rec.status == "ingested" and rec.source == str(tmp_path / "inbox" / "notice.pdf")
    assert json.loads((arc.root / rec.archive["record"]).read_text("utf-8"))["source"] == rec.source
    assert arc.db.execute("SELECT source FROM documents").fetchall() == [(rec.source,)]
    again = ingest(claimed, arc, source="elsewhere/notice.pdf")
    assert again.status == "duplicate" and again.source == "elsewhere/notice.pdf"
    assert again.duplicate_of == rec.source
    bad = tmp_path / ".processing" / "x__bad.pdf"
    bad.write_text("nope")
    assert ingest(bad, arc, source="inbox/bad.pdf").source == "inbox/bad.pdf"
