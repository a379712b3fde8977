"""The archive on disk: one folder per document keyed by SHA-256, and a SQLite (WAL) index with FTS5.

Layout: ``ROOT/<yyyy>/<sha[:2]>/<sha>/{original.pdf, text.txt, record.json[, searchable.pdf]}`` and
``ROOT/archive.sqlite``. Why this order of writes: every file goes to a temp name, is fsynced and
renamed; ``record.json`` is written last; the database row is committed only after all files (and
their directory) are durable. A ``pending`` row, committed before the first file, lets ``open`` finish
or remove a record a crash interrupted, so a half record never looks complete.

Search: the text is indexed folded (lower case, no diacritics, ``đ``→``d``: SQLite's
``remove_diacritics`` leaves ``đ`` alone), so ``thoi gian ky`` finds ``Thời gian ký``; the query is
folded the same way. Snippets are cut from the original text at the folded match offsets (folding
keeps one character per character).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import unicodedata
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from .fields_parse import fold as fold_slow
from .record import Record, hash_file

# fields_parse.fold as a str.translate table over Latin, Vietnamese and the punctuation around them:
# the same result, ~50x faster, which matters for the snippets of every search hit.
_FOLD = {c: fold_slow(chr(c)) for c in (*range(0x80, 0x250), *range(0x1E00, 0x1F00))}
_FOLD.update({c: chr(c).lower() for c in range(0x41, 0x5B)})


def fold(text: str) -> str:
    """Lower-case, diacritic-free (``đ``→``d``), one character per character."""
    return text.translate(_FOLD)


_VARIANTS: dict[str, str] = {}
for _code, _folded in _FOLD.items():
    _VARIANTS[_folded] = _VARIANTS.get(_folded, "") + chr(_code)

DB_NAME = "archive.sqlite"
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
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
    subject, text, content='', tokenize='unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS pending (sha256 TEXT PRIMARY KEY, dir TEXT NOT NULL, pid INTEGER);
CREATE TABLE IF NOT EXISTS failures (
    source TEXT NOT NULL, sha256 TEXT, reason TEXT, at TEXT, PRIMARY KEY (source, sha256)
);
"""


@dataclass(frozen=True)
class Filters:
    """Search filters; ``None`` means any. Type and issuer match diacritic-blind (issuer: substring of
    issuing or parent body); dates are ISO, inclusive (``date_to`` "2021" includes all of 2021)."""

    doc_type: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    issuer: str | None = None
    verdict: str | None = None


@dataclass(frozen=True)
class Hit:
    """One search result: ``score`` is bm25 (lower is better), ``snippet`` has the matches marked."""

    sha256: str
    score: float
    snippet: str
    verdict: str | None
    metadata: dict[str, Any]
    dir: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Archive:
    """An archive folder. Open it (repairs interrupted writes), ``has``/``store``/``search``, ``close``.

    ``repair=False`` (search) leaves pending records alone; repair never touches a record that a live
    process on this machine is still writing.
    """

    def __init__(self, root: str | Path, *, repair: bool = True):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.root / DB_NAME, timeout=30.0, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
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

    def search(self, query: str, filters: Filters | None = None, *, limit: int = 20) -> list[Hit]:
        """Best matches first (bm25, subject weighted ×5); an empty query lists by date, newest first."""
        return run_search(self.db, query, filters or Filters(), limit)

    # --- writing -----------------------------------------------------------------------------------

    def record_dir(self, record: Record) -> Path:
        assert record.sha256
        return Path(record.year) / record.sha256[:2] / record.sha256

    def store(self, record: Record, source: Path, text: str, searchable_pdf: bytes | None = None) -> Record:
        """Write the record's files atomically, then commit its row; a stored sha256 → ``duplicate``."""
        assert record.sha256 and record.status == "ingested"
        if self.has(record.sha256):
            return self.duplicate(record.sha256, record)
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
                    m["doc_type"],
                    fold(m["doc_type"] or ""),
                    m["number"],
                    m["date"],
                    m["issuing_body"],
                    fold(" ".join(filter(None, (m["parent_body"], m["issuing_body"])))),
                    m["subject"],
                    m["signer_name"],
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
        """Finish or remove records a crash interrupted; returns ``"redone <sha>"``/``"removed <sha>"``."""
        done = []
        for sha, rel, pid in self.db.execute("SELECT sha256, dir, pid FROM pending").fetchall():
            if pid != os.getpid() and _alive(pid):
                continue
            folder = self.root / rel
            for tmp in folder.glob(f"*{TMP_MARK}*") if folder.is_dir() else ():
                tmp.unlink(missing_ok=True)
            record = _complete_record(folder, sha)
            if record is not None and not self.has(sha):
                text = (folder / "text.txt").read_text("utf-8")
                self._commit_row(record, text)
                done.append(f"redone {sha}")
                continue
            if not self.has(sha):
                shutil.rmtree(folder, ignore_errors=True)
                done.append(f"removed {sha}")
            self.db.execute("DELETE FROM pending WHERE sha256 = ?", (sha,))
        return done


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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


# --- search -----------------------------------------------------------------------------------------

MARKS = ("«", "»")


def query_terms(query: str) -> list[tuple[tuple[str, ...], bool]]:
    """The query as folded phrases: ``"..."`` is a phrase, other words split on punctuation into one
    phrase each (``153/TB-VP`` → ``153 tb vp``); a trailing ``*`` makes a prefix search."""
    out = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', unicodedata.normalize("NFC", query)):
        tokens = tuple(re.findall(r"\w+", fold(phrase or word)))
        if tokens:
            out.append((tokens, word.endswith("*")))
    return out


def fts_query(terms: list[tuple[tuple[str, ...], bool]]) -> str:
    return " ".join('"' + " ".join(tokens) + '"' + ("*" if prefix else "") for tokens, prefix in terms)


def run_search(db: sqlite3.Connection, query: str, filters: Filters, limit: int) -> list[Hit]:
    where, params = [], []
    if filters.doc_type:
        where.append("d.doc_type_folded = ?")
        params.append(fold(filters.doc_type.strip()))
    if filters.date_from:
        where.append("d.date >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        where.append("d.date <= ?")
        params.append(filters.date_to + "\x7f")
    if filters.issuer:
        where.append("d.issuer_folded LIKE ?")
        params.append("%" + fold(filters.issuer.strip()) + "%")
    if filters.verdict:
        where.append("d.verdict = ?")
        params.append(filters.verdict)
    terms = query_terms(query)
    cond = "".join(f" AND {w}" for w in where)
    if terms and not where:  # the FTS table alone: no join to sort through
        rows = db.execute(
            "SELECT rowid, bm25(documents_fts, 5.0, 1.0) AS score FROM documents_fts"
            " WHERE documents_fts MATCH ? ORDER BY score LIMIT ?",
            [fts_query(terms), limit],
        ).fetchall()
    elif terms:
        rows = db.execute(
            "SELECT d.id, bm25(documents_fts, 5.0, 1.0) AS score FROM documents_fts"
            " JOIN documents d ON d.id = documents_fts.rowid"
            f" WHERE documents_fts MATCH ?{cond} ORDER BY score LIMIT ?",
            [fts_query(terms), *params, limit],
        ).fetchall()
    else:
        rows = db.execute(
            f"SELECT d.id, 0.0 FROM documents d WHERE 1{cond} ORDER BY d.date DESC, d.id DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
    hits = []
    for doc_id, score in rows:
        sha, rel, source, verdict, meta, text = db.execute(
            "SELECT sha256, dir, source, verdict, metadata, text FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        hits.append(Hit(sha, round(score, 6), snippet(text, terms), verdict, json.loads(meta), rel, source))
    return hits


def snippet(text: str, terms: list[tuple[tuple[str, ...], bool]], width: int = 180) -> str:
    """About ``width`` characters of ``text`` around the densest cluster of query words, marked «…».

    Words are found in the original text with diacritic-blind patterns (no fold of the whole text)."""
    words = {t for tokens, _ in terms for t in tokens[:-1]} | {tokens[-1] for tokens, p in terms if not p}
    prefixes = {tokens[-1] for tokens, p in terms if p}
    alts = [_loose(w) for w in sorted(words, key=len, reverse=True)] + [_loose(w) + r"\w*" for w in prefixes]
    matches = list(re.finditer(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", text))[:300] if alts else []
    if not matches:
        return _flat(text[:width]) + ("…" if len(text) > width else "")
    best, best_key = 0, (0, 0)
    for i, m in enumerate(matches):  # most distinct words in a window, then the tightest cluster
        seen: dict[str, int] = {}
        for x in matches[i:]:
            if x.end() > m.start() + width - 40:
                break
            seen.setdefault(fold(x.group()), x.end())
        key = (len(seen), -(max(seen.values()) - m.start()))
        if key > best_key:
            best, best_key = i, key
    start = max(0, matches[best].start() - 40)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace():
        end += 1
    out, pos = [], start
    for m in matches:
        if m.start() >= start and m.end() <= end:
            out += [text[pos : m.start()], MARKS[0], text[m.start() : m.end()], MARKS[1]]
            pos = m.end()
    out.append(text[pos:end])
    return ("…" if start > 0 else "") + _flat("".join(out)) + ("…" if end < len(text) else "")


def _loose(word: str) -> str:
    """A regex for a folded word that matches it in the original text with any diacritics or case."""
    return "".join(f"[{re.escape(ch + _VARIANTS[ch])}]" if ch in _VARIANTS else re.escape(ch) for ch in word)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
