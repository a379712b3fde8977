"""The archive: layout, atomic writes and crash repair, diacritic-blind FTS5 search, bm25 order, filters."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from ocr_ingest import archive as archive_mod
from ocr_ingest.archive import Archive, Filters
from ocr_ingest.record import Record


def make_record(tmp_path: Path, text: str, **meta: str) -> tuple[Record, Path]:
    """A synthetic ingested record and its 'original' file (bytes unique to the text)."""
    src = tmp_path / f"src-{hashlib.md5(text.encode()).hexdigest()[:8]}.pdf"
    src.write_bytes(b"%PDF-1.7\n" + text.encode("utf-8"))
    fields = {k: {"value": v, "span": [0, 0], "confidence": 0.9, "partial": False} for k, v in meta.items()}
    if "date" in meta:
        fields["date"]["year"] = int(meta["date"][:4])
    record = Record(
        source=str(src),
        status="ingested",
        sha256=hashlib.sha256(src.read_bytes()).hexdigest(),
        size=src.stat().st_size,
        page_count=1,
        fields=fields,
        verdict="unsigned",
        ingested_at="2024-01-01T00:00:00+00:00",
    )
    return record, src


def store(arc: Archive, tmp_path: Path, text: str, **meta: str) -> Record:
    record, src = make_record(tmp_path, text, **meta)
    return arc.store(record, src, text)


def test_layout_original_bytes_and_wal(tmp_path: Path) -> None:
    arc = Archive(tmp_path / "arc")
    rec = store(arc, tmp_path, "Thông báo kết luận", date="2021-06-09", subject="Kết luận")
    folder = tmp_path / "arc" / "2021" / rec.sha256[:2] / rec.sha256
    assert rec.archive["dir"] == f"2021/{rec.sha256[:2]}/{rec.sha256}"
    assert sorted(p.name for p in folder.iterdir()) == ["original.pdf", "record.json", "text.txt"]
    assert hashlib.sha256((folder / "original.pdf").read_bytes()).hexdigest() == rec.sha256
    assert (folder / "text.txt").read_text("utf-8") == "Thông báo kết luận"
    assert Record.from_dict(json.loads((folder / "record.json").read_text())) == rec
    assert arc.has(rec.sha256) and arc.count() == 1
    mode = sqlite3.connect(tmp_path / "arc" / "archive.sqlite").execute("PRAGMA journal_mode").fetchone()
    assert mode == ("wal",)


def test_undated_record_goes_under_ingest_year(tmp_path: Path) -> None:
    arc = Archive(tmp_path / "arc")
    rec = store(arc, tmp_path, "không có ngày")
    assert rec.archive["dir"].startswith("2024/")


def test_storing_the_same_bytes_twice_is_one_record(tmp_path: Path) -> None:
    arc = Archive(tmp_path / "arc")
    record, src = make_record(tmp_path, "một văn bản")
    first = arc.store(record, src, "một văn bản")
    again = arc.store(record, src, "một văn bản")
    assert first.status == "ingested" and again.status == "duplicate"
    assert again.archive == first.archive and arc.count() == 1


def test_sqlite_alone_does_not_fold_d_stroke_so_we_fold() -> None:
    """Why the index holds a folded copy: ``remove_diacritics 2`` leaves đ/Đ alone."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO t VALUES ('Đồng chí')")
    assert db.execute("SELECT count(*) FROM t WHERE t MATCH 'dong'").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM t WHERE t MATCH 'chi'").fetchone() == (1,)


def test_search_without_diacritics_finds_vietnamese(tmp_path: Path) -> None:
    arc = Archive(tmp_path / "arc")
    store(arc, tmp_path, "Người ký: Trần Văn Trung\nThời gian ký: 09.06.2021 10:15:00 +07:00")
    store(arc, tmp_path, "Đồng chí Nguyễn Quốc Phương phát biểu kết luận")
    hits = arc.search("thoi gian ky")
    assert len(hits) == 1
    assert "«Thời» «gian» «ký»" in hits[0].snippet
    assert [h.snippet for h in arc.search("dong chi phuong")] == [
        "«Đồng» «chí» Nguyễn Quốc «Phương» phát biểu kết luận"
    ]
    assert len(arc.search("ĐỒNG CHÍ")) == 1  # diacritics and case in the query are folded too
    assert arc.search("thoi gian khong") == []  # all words must match


def test_search_phrases_prefixes_and_punctuation(tmp_path: Path) -> None:
    arc = Archive(tmp_path / "arc")
    store(arc, tmp_path, "Số: 153/TB-VP ngày 09 tháng 6")
    store(arc, tmp_path, "VP TB 153 đảo ngược")
    assert len(arc.search("153/TB-VP")) == 1  # punctuation splits into a phrase, not an FTS syntax error
    assert len(arc.search('"tb vp"')) == 1
    assert len(arc.search("dao ngu*")) == 1
    assert arc.search('AND OR NOT ( " *') == []  # FTS syntax is quoted away: words, no error
    assert len(arc.search("(")) == 2  # punctuation only: no words, so everything is listed


def test_bm25_ranks_denser_and_subject_matches_first(tmp_path: Path) -> None:
    arc = Archive(tmp_path / "arc")
    filler = " ".join(f"từ{i}" for i in range(60))
    once = store(arc, tmp_path, f"phòng chống dịch một lần {filler}")
    many = store(arc, tmp_path, f"dịch bệnh dịch bệnh dịch bệnh dịch {filler}")
    in_subject = store(arc, tmp_path, f"nội dung khác {filler} dịch", subject="Phòng chống dịch")
    for i in range(5):  # documents without the word, so its idf is positive
        store(arc, tmp_path, f"văn bản số {i} {filler}")
    hits = arc.search("dich")
    assert [h.sha256 for h in hits] == [in_subject.sha256, many.sha256, once.sha256]
    assert hits[0].score < hits[1].score < hits[2].score < 0


def test_filters(tmp_path: Path) -> None:
    arc = Archive(tmp_path / "arc")
    a = store(
        arc,
        tmp_path,
        "hội nghị A",
        doc_type="THÔNG BÁO",
        date="2021-06-09",
        issuing_body="UBND HUYỆN GÒ QUAO",
    )
    b = store(
        arc, tmp_path, "hội nghị B", doc_type="QUYẾT ĐỊNH", date="2023-09-12", issuing_body="HUYỆN ỦY TRÀ CÚ"
    )
    record, src = make_record(tmp_path, "hội nghị C", doc_type="THÔNG BÁO", date="2023-01-02")
    c = arc.store(replace(record, verdict="valid"), src, "hội nghị C")

    def shas(**kw: str) -> set[str]:
        return {h.sha256 for h in arc.search("hoi nghi", Filters(**kw))}

    assert shas() == {a.sha256, b.sha256, c.sha256}
    assert shas(doc_type="thong bao") == {a.sha256, c.sha256}
    assert shas(date_from="2022-01-01") == {b.sha256, c.sha256}
    assert shas(date_to="2023") == {a.sha256, b.sha256, c.sha256}
    assert shas(date_from="2021-06-09", date_to="2021-06-09") == {a.sha256}
    assert shas(issuer="go quao") == {a.sha256}
    assert shas(verdict="valid") == {c.sha256}
    assert shas(doc_type="thong bao", verdict="unsigned") == {a.sha256}
    listed = arc.search("", Filters(doc_type="THÔNG BÁO"))
    assert [h.sha256 for h in listed] == [c.sha256, a.sha256]  # no query: newest date first
    assert listed[0].metadata["doc_type"] == "THÔNG BÁO" and listed[0].verdict == "valid"


def test_crash_after_files_before_row_is_redone_on_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    arc = Archive(tmp_path / "arc")
    record, src = make_record(tmp_path, "Thời gian ký hồ sơ", date="2021-06-09")

    def crash(*a: object, **k: object) -> None:
        raise OSError("simulated crash before the DB commit")

    monkeypatch.setattr(Archive, "_commit_row", crash)
    with pytest.raises(OSError, match="simulated"):
        arc.store(record, src, "Thời gian ký hồ sơ")
    arc.close()
    monkeypatch.undo()
    reopened = Archive(tmp_path / "arc")
    assert reopened.repaired == [f"redone {record.sha256}"]
    assert reopened.has(record.sha256) and len(reopened.search("thoi gian ky")) == 1
    assert Archive(tmp_path / "arc").repaired == []  # nothing left pending


def test_crash_mid_files_is_cleaned_on_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arc = Archive(tmp_path / "arc")
    record, src = make_record(tmp_path, "nửa chừng", date="2021-06-09")
    real = archive_mod._write_atomic

    def crash_on_record_json(dest: Path, data: bytes) -> None:
        if dest.name == "record.json":
            dest.with_name(f".record.json{archive_mod.TMP_MARK}999").write_bytes(data[:10])
            raise OSError("simulated crash while writing record.json")
        real(dest, data)

    monkeypatch.setattr(archive_mod, "_write_atomic", crash_on_record_json)
    with pytest.raises(OSError, match="simulated"):
        arc.store(record, src, "nửa chừng")
    folder = tmp_path / "arc" / "2021" / record.sha256[:2] / record.sha256
    assert (folder / "original.pdf").exists() and not (folder / "record.json").exists()
    arc.close()
    monkeypatch.undo()
    reopened = Archive(tmp_path / "arc")
    assert reopened.repaired == [f"removed {record.sha256}"]
    assert not folder.exists() and not reopened.has(record.sha256)
    again = reopened.store(record, src, "nửa chừng")  # and the next run stores it properly
    assert again.status == "ingested" and reopened.has(record.sha256)


def test_changed_source_is_refused_not_archived(tmp_path: Path) -> None:
    arc = Archive(tmp_path / "arc")
    record, src = make_record(tmp_path, "bản gốc")
    src.write_bytes(b"%PDF-1.7 changed after hashing")
    with pytest.raises(OSError, match="hash differs"):
        arc.store(record, src, "bản gốc")
    assert not arc.has(record.sha256)


def test_repair_leaves_a_live_writers_record_alone(tmp_path: Path) -> None:
    """A search or a second run opening the archive must not delete what another process is writing."""
    arc = Archive(tmp_path / "arc")
    folder = tmp_path / "arc" / "2024" / "ab" / ("ab" * 32)
    folder.mkdir(parents=True)
    (folder / "original.pdf").write_bytes(b"%PDF-half")
    arc.db.execute("INSERT INTO pending VALUES (?, ?, ?)", ("ab" * 32, "2024/ab/" + "ab" * 32, os.getppid()))
    arc.close()
    assert Archive(tmp_path / "arc").repaired == [] and folder.exists()
    arc = Archive(tmp_path / "arc")
    arc.db.execute("UPDATE pending SET pid = ?", (2**22 + 12345,))  # a process that is gone
    assert Archive(tmp_path / "arc").repaired == [f"removed {'ab' * 32}"] and not folder.exists()
