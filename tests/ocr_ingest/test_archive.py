"""The archive: layout, atomic writes and crash repair, diacritic-blind FTS5 search, bm25 order, filters."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from ocr_ingest.archive import store as archive_mod
from ocr_ingest.archive.record import Record
from ocr_ingest.archive.store import Archive, Filters


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


def test_paging_with_offset_continues_the_same_order(tmp_path: Path) -> None:
    """The web page's paging: page 2 starts where page 1 ended, phrase hits before the others."""
    arc = Archive(tmp_path / "arc")
    together = set()
    for i in range(7):
        text = f"thời gian ký {i}" if i % 2 else f"thời hạn {i}, thời gian họp và ngày ký"
        rec = store(arc, tmp_path, text, date=f"202{i}-01-01")
        together |= {rec.sha256} if i % 2 else set()
    for query in ("thoi gian ky", "ky", ""):
        whole = [h.sha256 for h in arc.search(query, limit=10)]
        pages = [h.sha256 for off in (0, 3, 6) for h in arc.search(query, limit=3, offset=off)]
        assert pages == whole and len(whole) == 7
    assert {h.sha256 for h in arc.search("thoi gian ky", limit=3)} == together
    assert arc.search("ky", limit=3, offset=7) == []


def test_readonly_open_reads_and_refuses_writes(tmp_path: Path) -> None:
    arc = Archive(tmp_path / "arc")
    rec = store(arc, tmp_path, "Thông báo", doc_type="THÔNG BÁO", date="2021-06-09")
    store(arc, tmp_path, "Quyết định", doc_type="Quyết định")
    store(arc, tmp_path, "thông báo khác", doc_type="Thông báo")
    failed = Record(
        source="in/bad.pdf", status="failed", reason="is empty (0 bytes)", ingested_at="2024-02-02"
    )
    arc.note_failure(failed)
    arc.close()
    ro = Archive(tmp_path / "arc", readonly=True)
    assert ro.folder(rec.sha256) == tmp_path / "arc" / rec.archive["dir"]
    assert ro.folder("0" * 64) is None
    assert ro.doc_types() == [("THÔNG BÁO", 2), ("Quyết định", 1)]
    assert [r[0] for r in ro.recent(5)][-1] == rec.sha256 and len(ro.recent(2)) == 2
    assert ro.failures() == [("in/bad.pdf", "is empty (0 bytes)", "2024-02-02")]
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro.db.execute("DELETE FROM failures")
    with pytest.raises(sqlite3.OperationalError):
        Archive(tmp_path / "none", readonly=True)
    assert not (tmp_path / "none").exists()


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


def _store_in_child(root: Path, record: Record, src: Path, text: str, go, out, hold=None, stuck=None):
    """A writer process: wait for ``go``, store; with ``hold``, stop before ``record.json`` until it is set."""
    if hold is not None:
        real = archive_mod._write_atomic

        def slow(dest: Path, data: bytes) -> None:
            if dest.name == "record.json":
                stuck.set()
                hold.wait(30)
            real(dest, data)

        archive_mod._write_atomic = slow
    with Archive(root) as arc:
        go.wait(30)
        out.put(arc.store(record, src, text).status)


def test_two_processes_storing_the_same_document_one_ingests(tmp_path: Path) -> None:
    """Two writers of the same bytes at once (different sources): one "ingested", one "duplicate",
    and the stored record.json is the winner's (not overwritten by the loser)."""
    ctx = multiprocessing.get_context("fork")
    root = tmp_path / "arc"
    Archive(root).close()
    record, src = make_record(tmp_path, "cùng một văn bản", date="2021-06-09")
    other = tmp_path / "other copy.pdf"
    other.write_bytes(src.read_bytes())
    for attempt in range(3):  # several rounds: both really race to the claim each time
        go, out = ctx.Barrier(2), ctx.Queue()
        sha = record.sha256
        procs = [
            ctx.Process(target=_store_in_child, args=(root, replace(record, source=str(s)), s, "x", go, out))
            for s in (src, other)
        ]
        for p in procs:
            p.start()
        statuses = sorted(out.get(timeout=60) for _ in procs)
        for p in procs:
            p.join(30)
            assert p.exitcode == 0
        assert statuses == ["duplicate", "ingested"]
        with Archive(root) as arc:
            assert arc.count() == attempt + 1
            stored = json.loads((root / arc.load(sha).archive["record"]).read_text("utf-8"))
            (row,) = arc.db.execute("SELECT source FROM documents WHERE sha256 = ?", (sha,)).fetchall()
            assert stored["source"] == row[0] and not list(root.glob(f"**/*{archive_mod.TMP_MARK}*"))
        # next round: new bytes
        record, src = make_record(tmp_path, f"văn bản khác {attempt}", date="2021-06-09")
        other = tmp_path / f"other copy {attempt}.pdf"
        other.write_bytes(src.read_bytes())
    assert not any((root / archive_mod.LOCKS).iterdir())  # no lock file outlives its write


def test_repair_leaves_a_live_writers_record_alone(tmp_path: Path) -> None:
    """A search, a run or a watcher opening the archive (another process, or another thread of the
    writer's own process) must not delete what a live writer is in the middle of."""
    ctx = multiprocessing.get_context("fork")
    root = tmp_path / "arc"
    Archive(root).close()
    record, src = make_record(tmp_path, "đang ghi dở", date="2021-06-09")
    folder = root / "2021" / record.sha256[:2] / record.sha256
    go, hold, stuck, out = ctx.Event(), ctx.Event(), ctx.Event(), ctx.Queue()
    go.set()
    writer = ctx.Process(target=_store_in_child, args=(root, record, src, "x", go, out, hold, stuck))
    writer.start()
    try:
        assert stuck.wait(30)  # pending row committed, original copied, record.json not yet written
        assert (folder / "original.pdf").exists() and not (folder / "record.json").exists()
        opened = Archive(root)
        assert opened.repaired == [] and (folder / "original.pdf").exists()
        assert opened.db.execute("SELECT count(*) FROM pending").fetchone() == (1,)
        hold.set()
        assert out.get(timeout=30) == "ingested"
        writer.join(30)
        assert opened.has(record.sha256) and (folder / "record.json").exists()
    finally:
        hold.set()
        writer.join(30)


def test_repair_leaves_a_record_another_thread_is_writing_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same process, other thread (the watcher's workers each open the archive): the pid is ours."""
    root = tmp_path / "arc"
    record, src = make_record(tmp_path, "luồng khác", date="2021-06-09")
    hold, stuck = threading.Event(), threading.Event()
    real = archive_mod._write_atomic

    def slow(dest: Path, data: bytes) -> None:
        if dest.name == "record.json" and threading.current_thread().name == "writer":
            stuck.set()
            hold.wait(30)
        real(dest, data)

    monkeypatch.setattr(archive_mod, "_write_atomic", slow)
    result: list[str] = []

    def write() -> None:
        with Archive(root) as arc:
            result.append(arc.store(record, src, "x").status)

    t = threading.Thread(target=write, name="writer")
    t.start()
    try:
        assert stuck.wait(30)
        assert Archive(root).repaired == []
        hold.set()
        t.join(30)
        assert result == ["ingested"] and Archive(root).has(record.sha256)
    finally:
        hold.set()
        t.join(30)


def test_repair_removes_a_dead_writers_record(tmp_path: Path) -> None:
    arc = Archive(tmp_path / "arc")
    folder = tmp_path / "arc" / "2024" / "ab" / ("ab" * 32)
    folder.mkdir(parents=True)
    (folder / "original.pdf").write_bytes(b"%PDF-half")
    arc.db.execute("INSERT INTO pending VALUES (?, ?, ?)", ("ab" * 32, "2024/ab/" + "ab" * 32, os.getpid()))
    arc.close()
    assert Archive(tmp_path / "arc").repaired == [f"removed {'ab' * 32}"] and not folder.exists()
    assert Archive(tmp_path / "arc").repaired == []


def test_store_repairs_a_dead_writers_record_of_the_same_document_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    arc = Archive(tmp_path / "arc")
    record, src = make_record(tmp_path, "lần hai", date="2021-06-09")
    monkeypatch.setattr(Archive, "_commit_row", lambda *a: (_ for _ in ()).throw(OSError("crash")))
    with pytest.raises(OSError, match="crash"):
        arc.store(record, src, "lần hai")
    monkeypatch.undo()  # same Archive, no reopen: store itself finds the dead write (complete: redone)
    assert arc.store(record, src, "lần hai").status == "duplicate" and arc.count() == 1


def _open_at(root: str, start: float) -> str:
    import time

    time.sleep(max(0.0, start - time.time()))
    try:
        Archive(root).close()
        return "ok"
    except Exception as exc:  # noqa: BLE001 - reported to the test
        return f"{type(exc).__name__}: {exc}"


def test_processes_opening_a_new_archive_at_once_all_succeed(tmp_path: Path) -> None:
    """Two watchers started together once failed: switching to WAL does not wait for a lock."""
    import time

    ctx = multiprocessing.get_context("spawn")
    for round_ in range(3):
        root = tmp_path / f"arc{round_}"
        with ctx.Pool(6) as pool:
            start = time.time() + 1.5
            results = pool.starmap(_open_at, [(str(root), start)] * 6)
        assert results == ["ok"] * 6
