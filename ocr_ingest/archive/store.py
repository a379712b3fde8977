"""The archive on disk: one folder per document keyed by SHA-256, and a SQLite (WAL) index with FTS5.

Layout: ``ROOT/<yyyy>/<sha[:2]>/<sha>/{original.pdf, text.txt, record.json[, searchable.pdf]}`` and
``ROOT/archive.sqlite``. Why this order of writes: every file goes to a temp name, is fsynced and
renamed; ``record.json`` is written last; the database row is committed only after all files (and
their directory) are durable. A ``pending`` row, committed before the first file, lets ``open`` finish
or remove a record a crash interrupted, so a half record never looks complete.

One writer per document: ``store`` holds the document's lock (an ``flock`` on ``ROOT/.locks/<sha>``,
plus an in-process guard for threads) from its duplicate check to its commit, so of two writers of the
same bytes — threads, processes, ``run`` and ``watch`` alike — one stores and the other gets
``duplicate``. The lock is also how recovery tells a live writer from a dead one: the kernel drops it
when its holder dies, so ``recover`` only touches pending records whose lock it can take.

Search lives in :mod:`.search` (re-exported here).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sqlite3
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..text.load import hash_file
from .record import Record
from .search import MARKS, Filters, Hit, fold, run_search

__all__ = ["DB_NAME", "MARKS", "Archive", "Filters", "Hit", "fold"]

DB_NAME = "archive.sqlite"
LOCKS = ".locks"
BUSY_TIMEOUT = 30.0  # seconds a statement waits for another writer
TMP_MARK = ".tmp-"

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    dir TEXT NOT NULL,
    source TEXT, relative_folder TEXT,
    doc_type TEXT, doc_type_folded TEXT, number TEXT, date TEXT,
    issuing_body TEXT, issuer_folded TEXT, subject TEXT, signer TEXT,
    verdict TEXT, pages INTEGER, ingested_at TEXT,
    metadata TEXT NOT NULL, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_date ON documents(date);
CREATE INDEX IF NOT EXISTS documents_type ON documents(doc_type_folded);
CREATE INDEX IF NOT EXISTS documents_verdict ON documents(verdict);
CREATE INDEX IF NOT EXISTS documents_issuer ON documents(issuer_folded);
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
    subject, text, content='', tokenize='unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS pending (sha256 TEXT PRIMARY KEY, dir TEXT NOT NULL, pid INTEGER);
CREATE TABLE IF NOT EXISTS failures (
    source TEXT NOT NULL, sha256 TEXT, reason TEXT, at TEXT, PRIMARY KEY (source, sha256)
);
"""


class Archive:
    """An archive folder. Open it (repairs interrupted writes), ``has``/``store``/``search``, ``close``.

    Any number of ``Archive`` objects (threads, processes) may use one folder at once. ``repair=False``
    (search) leaves pending records alone; repair only touches a pending record whose writer is dead
    (its document lock is free), never one a live thread or process is still writing.
    """

    def __init__(self, root: str | Path, *, repair: bool = True, readonly: bool = False):
        """``readonly``: open an existing index for reading only (``serve``): no folder, schema, WAL
        switch or repair, and SQLite refuses any write; a missing index raises ``sqlite3.OperationalError``."""
        self.root = Path(root)
        if readonly:
            uri = (self.root / DB_NAME).resolve().as_uri() + "?mode=ro"
            self.db = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
            self.db.execute("SELECT count(*) FROM documents").fetchone()  # not an archive: fail here
            self.repaired = []
            return
        self.root.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.root / DB_NAME, timeout=BUSY_TIMEOUT, isolation_level=None)
        _use_wal(self.db)
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)
        self.repaired = self.recover() if repair else []

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading -----------------------------------------------------------------------------------

    def has(self, sha256: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def load(self, sha256: str) -> Record | None:
        row = self.db.execute("SELECT dir FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            return None
        return Record.from_dict(json.loads((self.root / row[0] / "record.json").read_text("utf-8")))

    def duplicate(self, sha256: str, seen: Record) -> Record:
        """The stored record, marked as a duplicate seen at ``seen.source`` (nothing is re-read)."""
        stored = self.load(sha256)
        assert stored is not None, sha256
        return replace(
            stored,
            status="duplicate",
            source=seen.source,
            relative_folder=seen.relative_folder,
            duplicate_of=stored.source,
            ingested_at=seen.ingested_at,
            timings={},
        )

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM documents").fetchone()[0]

    def search(
        self, query: str, filters: Filters | None = None, *, limit: int = 20, offset: int = 0
    ) -> list[Hit]:
        """Best matches first (bm25, subject weighted ×5); an empty query lists by date, newest first.
        ``offset`` skips that many hits (paging)."""
        return run_search(self.db, query, filters or Filters(), limit, offset)

    def folder(self, sha256: str) -> Path | None:
        """The document's folder as the index records it (``None`` if not stored): the one way from a
        key to the file system, so a caller never builds a path from its own input."""
        row = self.db.execute("SELECT dir FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return self.root / row[0] if row else None

    def doc_types(self) -> list[tuple[str, int]]:
        """Each document type (tên loại) in the index with its count, most frequent first.

        Counted on the ``documents_type`` index alone (reading the rows, text and all, took ~30 ms
        over 10 000 records: a third of a search page), then one row per type for its spelling."""
        counts = self.db.execute(
            "SELECT doc_type_folded, count(*) FROM documents WHERE doc_type_folded != ''"
            " GROUP BY doc_type_folded ORDER BY count(*) DESC, doc_type_folded"
        ).fetchall()
        one = "SELECT doc_type FROM documents WHERE doc_type_folded = ? LIMIT 1"  # the first stored spelling
        return [(self.db.execute(one, (folded,)).fetchone()[0], n) for folded, n in counts]

    def signers(self, metadata: dict[str, Any]) -> list[tuple[str, str]]:
        """The signers' names the archive holds under the issuer of a record's ``metadata`` (the same
        parent and issuing body; clerks' corrections included), once each: ``(issuing_body, signer)``
        (what :func:`ocr_ingest.fields.known_signer` reads). On the issuer's index, not a scan."""
        rows = self.db.execute(
            "SELECT DISTINCT issuing_body, signer FROM documents WHERE issuer_folded = ?"
            " AND signer IS NOT NULL AND issuing_body IS NOT NULL",
            (index_columns(metadata)[5],),
        )
        return [tuple(r) for r in rows]

    def recent(self, limit: int = 10) -> list[tuple[str, str, str, str | None]]:
        """The last documents stored: ``(sha256, ingested_at, source, verdict)``, newest first."""
        rows = self.db.execute(
            "SELECT sha256, ingested_at, source, verdict FROM documents ORDER BY ingested_at DESC, id DESC"
            " LIMIT ?",
            (limit,),
        )
        return [tuple(r) for r in rows]

    def failures(self, limit: int = 50) -> list[tuple[str, str | None, str | None]]:
        """Inputs that failed (``run`` and ``watch``): ``(source, reason, at)``, newest first."""
        rows = self.db.execute("SELECT source, reason, at FROM failures ORDER BY at DESC LIMIT ?", (limit,))
        return [tuple(r) for r in rows]

    # --- writing -----------------------------------------------------------------------------------

    def record_dir(self, record: Record) -> Path:
        assert record.sha256
        return Path(record.year) / record.sha256[:2] / record.sha256

    def store(self, record: Record, source: Path, text: str, searchable_pdf: bytes | None = None) -> Record:
        """Write the record's files atomically, then commit its row; a stored sha256 → ``duplicate``.

        Atomic per document across threads and processes: the document's lock is held from the check
        to the commit, so a second writer of the same bytes waits, then finds it stored (``duplicate``).
        A pending record left by a dead writer of the same document is repaired first.
        """
        assert record.sha256 and record.status == "ingested"
        sha = record.sha256
        if self.has(sha):
            return self.duplicate(sha, record)
        lock = _DocumentLock(self.root, sha)
        lock.acquire(wait=True)
        try:
            if not self.has(sha):
                stale = self.db.execute("SELECT dir FROM pending WHERE sha256 = ?", (sha,)).fetchone()
                if stale is not None:  # its writer died (we hold its lock): finish or remove it first
                    self._repair(sha, stale[0])
            if self.has(sha):
                return self.duplicate(sha, record)
            return self._write(record, source, text, searchable_pdf)
        finally:
            lock.release()

    def _write(self, record: Record, source: Path, text: str, searchable_pdf: bytes | None) -> Record:
        """The files, then the row; the caller holds the document's lock."""
        assert record.sha256
        rel = self.record_dir(record)
        folder = self.root / rel
        suffix = source.suffix.lower() if source.suffix.lower() not in ("", ".pdf") else ".pdf"
        paths = {"dir": str(rel), "original": str(rel / f"original{suffix}"), "text": str(rel / "text.txt")}
        paths["record"] = str(rel / "record.json")
        if searchable_pdf is not None:
            paths["searchable_pdf"] = str(rel / "searchable.pdf")
        record = replace(record, archive=paths)
        self.db.execute(
            "INSERT OR REPLACE INTO pending VALUES (?, ?, ?)", (record.sha256, str(rel), os.getpid())
        )
        folder.mkdir(parents=True, exist_ok=True)
        _fsync_dir(folder.parent)
        _copy_verified(source, self.root / paths["original"], record.sha256)
        _write_atomic(self.root / paths["text"], text.encode("utf-8"))
        if searchable_pdf is not None:
            _write_atomic(self.root / paths["searchable_pdf"], searchable_pdf)
        _write_atomic(self.root / paths["record"], record.to_json(indent=1).encode("utf-8"))
        _fsync_dir(folder)
        self._commit_row(record, text)
        return record

    def note_failure(self, record: Record) -> None:
        """Keep failed inputs findable (``failures`` table); they have no folder."""
        self.db.execute(
            "INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?)",
            (record.source, record.sha256, record.reason, record.ingested_at),
        )

    def _commit_row(self, record: Record, text: str) -> None:
        m = record.metadata
        with self._transaction() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO documents (sha256, dir, source, relative_folder, doc_type,"
                " doc_type_folded, number, date, issuing_body, issuer_folded, subject, signer, verdict,"
                " pages, ingested_at, metadata, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    record.sha256,
                    (record.archive or {})["dir"],
                    record.source,
                    record.relative_folder,
                    *index_columns(m),
                    record.verdict,
                    record.page_count,
                    record.ingested_at,
                    json.dumps(m, ensure_ascii=False),
                    text,
                ),
            )
            if cur.rowcount:
                db.execute(
                    "INSERT INTO documents_fts (rowid, subject, text) VALUES (?, ?, ?)",
                    (cur.lastrowid, fold(m["subject"] or ""), fold(text)),
                )
            db.execute("DELETE FROM pending WHERE sha256 = ?", (record.sha256,))

    @contextlib.contextmanager
    def _transaction(self) -> Any:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- recovery ----------------------------------------------------------------------------------

    def recover(self) -> list[str]:
        """Finish or remove records a dead writer left pending; returns ``"redone <sha>"``/``"removed <sha>"``.

        A pending record whose document lock is held belongs to a live writer (a thread of this process
        or another process) and is left alone; the lock is taken before anything is touched.
        """
        done = []
        for (sha,) in self.db.execute("SELECT sha256 FROM pending").fetchall():
            lock = _DocumentLock(self.root, sha)
            if not lock.acquire(wait=False):
                continue  # a live writer
            try:  # re-read under the lock: the writer may have committed since the SELECT
                row = self.db.execute("SELECT dir FROM pending WHERE sha256 = ?", (sha,)).fetchone()
                outcome = self._repair(sha, row[0]) if row is not None else None
            finally:
                lock.release()
            if outcome:
                done.append(outcome)
        return done

    def _repair(self, sha: str, rel: str) -> str | None:
        """One pending record of a dead writer (the caller holds its lock): commit it if complete,
        else delete its folder; either way the pending row goes."""
        folder = self.root / rel
        for tmp in folder.glob(f"*{TMP_MARK}*") if folder.is_dir() else ():
            tmp.unlink(missing_ok=True)
        record = _complete_record(folder, sha)
        if record is not None and not self.has(sha):
            self._commit_row(record, (folder / "text.txt").read_text("utf-8"))
            return f"redone {sha}"
        outcome = None
        if not self.has(sha):
            shutil.rmtree(folder, ignore_errors=True)
            outcome = f"removed {sha}"
        self.db.execute("DELETE FROM pending WHERE sha256 = ?", (sha,))
        return outcome


def index_columns(m: dict[str, Any]) -> tuple[Any, ...]:
    """The ``documents`` row's searchable columns from a record's metadata, in the table's order:
    doc_type, doc_type_folded, number, date, issuing_body, issuer_folded, subject, signer (shared by
    the first insert and a clerk's correction, so both index alike)."""
    return (
        m["doc_type"],
        fold(m["doc_type"] or ""),
        m["number"],
        m["date"],
        m["issuing_body"],
        fold(" ".join(filter(None, (m["parent_body"], m["issuing_body"])))),
        m["subject"],
        m["signer_name"],
    )


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch to WAL, waiting for the database as other statements do. The switch needs the file to
    itself and SQLite answers "database is locked" at once instead of calling the busy handler, so
    two watchers started together on a new archive failed; the switch is retried until the timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


# --- the per-document writer lock -------------------------------------------------------------------

_held: set[str] = set()  # documents locked by a thread of this process
_held_cv = threading.Condition()


class _DocumentLock:
    """``flock`` on ``ROOT/.locks/<sha>`` (between processes: the kernel drops it when the holder
    dies) plus an in-process guard (between threads, also where ``flock`` is per process, e.g. NFS).

    The holder unlinks the file before releasing it, so no lock file outlives its write; a waiter that
    then wakes on the unlinked file sees the inode changed and locks the new one.
    """

    def __init__(self, root: Path, sha: str):
        self.path = root / LOCKS / sha
        self.key = f"{os.path.realpath(root)}/{sha}"
        self.fd: int | None = None

    def acquire(self, *, wait: bool) -> bool:
        with _held_cv:
            while self.key in _held:
                if not wait:
                    return False
                _held_cv.wait()
            _held.add(self.key)
        try:
            self.path.parent.mkdir(exist_ok=True)
            while True:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
                    if os.stat(self.path).st_ino == os.fstat(fd).st_ino:
                        self.fd = fd
                        return True
                except BlockingIOError:
                    os.close(fd)
                    self._forget()
                    return False
                except FileNotFoundError:  # unlinked by the holder we waited for: lock the new file
                    pass
                os.close(fd)
        except BaseException:
            self._forget()
            raise

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        os.close(self.fd)
        self.fd = None
        self._forget()

    def _forget(self) -> None:
        with _held_cv:
            _held.discard(self.key)
            _held_cv.notify_all()


def _complete_record(folder: Path, sha: str) -> Record | None:
    """The record in ``folder`` if every file it lists is there and the original hashes to ``sha``."""
    try:
        record = Record.from_dict(json.loads((folder / "record.json").read_text("utf-8")))
        paths = record.archive or {}
        original = folder / Path(paths["original"]).name
        if record.sha256 != sha or hash_file(original)[0] != sha or not (folder / "text.txt").is_file():
            return None
        if "searchable_pdf" in paths and not (folder / "searchable.pdf").is_file():
            return None
        return record
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_atomic(dest: Path, data: bytes) -> None:
    tmp = dest.with_name(f".{dest.name}{TMP_MARK}{os.getpid()}")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, dest)


def _copy_verified(source: Path, dest: Path, sha256: str) -> None:
    """Copy the original bytes as they are (never re-saved: that would break a signature), check the hash."""
    tmp = dest.with_name(f".{dest.name}{TMP_MARK}{os.getpid()}")
    with source.open("rb") as src, tmp.open("wb") as out:
        shutil.copyfileobj(src, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())
    if hash_file(tmp)[0] != sha256:
        tmp.unlink(missing_ok=True)
        raise OSError(f"{source}: changed while being archived (hash differs after copy)")
    os.replace(tmp, dest)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
