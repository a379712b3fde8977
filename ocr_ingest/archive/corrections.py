"""A clerk's corrections and approvals, kept beside the machine's values, and applied to the index.

Why this shape (paperless-ngx keeps edits as an audit log): ``record.json`` stays what the machine
read, and the original's bytes are never opened for writing. Each saved change is a row of
``corrections`` in the archive's own ``archive.sqlite`` (who, when UTC, field, the machine's value,
before, after), so the history travels with the archive. After each save the document's index row is
rebuilt from the corrected fields: the search filters (number, date, type, issuer, subject, signer) and
the full-text index then hold the clerk's values. In the index's copy of the text, a corrected value
replaces the machine's reading where the field was read (its ``span``) when that is the value as
written; otherwise it is added as a line, so a search for the corrected value finds the document either
way. ``text.txt`` keeps the machine's text.

:func:`corrected_record` is the record with the clerk's values, for anything that exports records.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..fields.parse import parse_number
from .record import Record
from .search import fold
from .store import DB_NAME, index_columns

#: Fields a clerk edits as one line each (``recipients`` and ``body`` are lists and paragraphs: not
#: edited here). The order is the order a notice is read.
EDITABLE = (
    "number",
    "date",
    "doc_type",
    "subject",
    "parent_body",
    "issuing_body",
    "place",
    "authority",
    "signer_title",
    "signer_name",
)
#: Below this (0-1 heuristic confidence of the fields module) a value is marked "unsure".
UNSURE_BELOW = 0.9
#: The fields whose certainty orders the review queue: what an archive's catalogue is searched by.
KEY_FIELDS = ("number", "date", "doc_type", "subject", "issuing_body", "signer_name")
MAX_VALUE = 2000  # characters of one corrected value

SCHEMA = """
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, field TEXT NOT NULL,
    machine TEXT, before TEXT, after TEXT, who TEXT NOT NULL, at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS corrections_doc ON corrections(sha256);
CREATE TABLE IF NOT EXISTS reviews (sha256 TEXT PRIMARY KEY, who TEXT NOT NULL, at TEXT NOT NULL);
"""

_DMY = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class BadValue(ValueError):
    """A value the field cannot hold; the message is Vietnamese, for the clerk."""


@dataclass(frozen=True)
class Change:
    """One saved correction (``before``/``after``: ``None`` for an empty value)."""

    field: str
    machine: str | None
    before: str | None
    after: str | None
    who: str
    at: str


def normalise(field: str, value: str) -> str | None:
    """The value as stored: spaces collapsed, ``None`` when empty; a date as ISO ``YYYY[-MM[-DD]]``
    (``09/06/2021`` is accepted); :class:`BadValue` for a date that is none."""
    value = " ".join(value.split())[:MAX_VALUE]
    if not value:
        return None
    if field != "date":
        return value
    m = _DMY.fullmatch(value)
    parts = (m[3], m[2].zfill(2), m[1].zfill(2)) if m else None
    if parts is None and (m := _ISO.fullmatch(value)):
        parts = tuple(p for p in m.groups() if p)
    if parts is None:
        raise BadValue(f"«{value}» không phải là ngày (ví dụ 09/06/2021 hoặc 2021-06-09).")
    try:
        dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        raise BadValue(f"«{value}» không phải là ngày có thật.") from None
    return "-".join(parts)


def corrected_fields(fields: dict[str, Any], values: dict[str, str | None]) -> dict[str, Any]:
    """``fields`` with the clerk's ``values`` (field → value, ``None``: cleared). A corrected field is
    ``{value, confidence: 1.0, corrected: true, machine: <the machine's value>}``; ``number`` and ``date``
    get their parts again from the new value."""
    out = dict(fields)
    for key, value in values.items():
        machine = (fields.get(key) or {}).get("value") if isinstance(fields.get(key), dict) else None
        if value is None:
            out[key] = None
            continue
        item: dict[str, Any] = {"value": value, "confidence": 1.0, "partial": False}
        if key == "number":
            parsed = parse_number(value, 0)
            item.update(
                numeral=parsed.numeral if parsed else None,
                year=parsed.year if parsed else None,
                symbol=parsed.symbol if parsed else None,
                type_code=parsed.type_code if parsed else None,
                issuer_code=parsed.issuer_code if parsed else None,
            )
        elif key == "date":
            parts = value.split("-")
            item.update(
                year=int(parts[0]),
                month=int(parts[1]) if len(parts) > 1 else None,
                day=int(parts[2]) if len(parts) > 2 else None,
                partial=len(parts) < 3,
            )
        out[key] = {**item, "corrected": True, "machine": machine}
    return out


def corrected_record(record: Record, values: dict[str, str | None]) -> Record:
    """The record with the clerk's values (see :func:`corrected_fields`); ``metadata`` follows."""
    return replace(record, fields=corrected_fields(record.fields, values)) if values else record


def certainty(record: Record, values: dict[str, str | None] | None = None) -> float:
    """How sure the machine is of a document, 0-1: the least confidence among :data:`KEY_FIELDS`
    (a missing field counts 0, a corrected one 1). The review queue shows the least sure first."""
    fields = corrected_fields(record.fields, values or {})
    return min(
        (float(f.get("confidence") or 0.0) if isinstance(f, dict) else 0.0)
        for f in (fields.get(k) for k in KEY_FIELDS)
    )


def is_unsure(item: Any) -> bool:
    """A field value to look at: missing, partial, or below :data:`UNSURE_BELOW`."""
    if not isinstance(item, dict) or item.get("value") in (None, ""):
        return True
    return bool(item.get("partial")) or float(item.get("confidence") or 0.0) < UNSURE_BELOW


def indexed_text(text: str, fields: dict[str, Any], values: dict[str, str | None]) -> str:
    """The index's copy of the text: each corrected value in place of the machine's reading at its span
    when the span holds that reading as written (diacritic-blind), else appended as a line."""
    replaced, added = [], []
    for key, value in values.items():
        item = fields.get(key) if isinstance(fields.get(key), dict) else None
        span = (item or {}).get("span") or ()
        machine = (item or {}).get("value")
        if len(span) == 2 and machine and fold(" ".join(text[span[0] : span[1]].split())) == fold(machine):
            replaced.append((span[0], span[1], value or ""))
        elif value:
            added.append(value)
    for start, end, value in sorted(replaced, reverse=True):
        text = text[:start] + value + text[end:]
    return text + ("\n\n" + "\n".join(added) if added else "")


class Corrections:
    """History and approvals of one archive. Reads open the index read-only, so ``serve`` without
    accounts never writes; the tables are created by the first save."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.path = self.root / DB_NAME

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection | None]:
        db = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True, timeout=30.0)
        try:
            has = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'corrections'").fetchone()
            yield db if has else None
        finally:
            db.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            db.executescript(SCHEMA)
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    def values(self, sha256: str) -> dict[str, str | None]:
        """The clerk's current value of each corrected field (the last change wins)."""
        with self._read() as db:
            return _values(db, sha256) if db else {}

    def all_values(self) -> dict[str, dict[str, str | None]]:
        """:meth:`values` of every corrected document, in one query (the review queue)."""
        with self._read() as db:
            if db is None:
                return {}
            out: dict[str, dict[str, str | None]] = {}
            for sha, key, after in db.execute("SELECT sha256, field, after FROM corrections ORDER BY id"):
                out.setdefault(sha, {})[key] = after
            return out

    def history(self, sha256: str) -> list[Change]:
        """Every change to the document, oldest first."""
        with self._read() as db:
            if db is None:
                return []
            rows = db.execute(
                "SELECT field, machine, before, after, who, at FROM corrections WHERE sha256 = ? ORDER BY id",
                (sha256,),
            )
            return [Change(*r) for r in rows]

    def reviewed(self, sha256: str) -> tuple[str, str] | None:
        """``(who, at)`` of the approval, ``None`` while the document waits for review."""
        with self._read() as db:
            row = (
                db.execute("SELECT who, at FROM reviews WHERE sha256 = ?", (sha256,)).fetchone()
                if db
                else None
            )
        return tuple(row) if row else None

    def reviewed_all(self) -> set[str]:
        with self._read() as db:
            return {r[0] for r in db.execute("SELECT sha256 FROM reviews")} if db else set()

    def save(self, record: Record, text: str, submitted: dict[str, str], who: str) -> list[Change]:
        """Record each field of ``submitted`` (field → raw value) that differs from its current value and
        rebuild the document's index row; returns the changes (none: nothing written). ``text``: the
        machine's text (``text.txt``). :class:`BadValue` before anything is written."""
        assert record.sha256
        wanted = {k: normalise(k, v) for k, v in submitted.items() if k in EDITABLE}
        at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._write() as db:
            current = _values(db, record.sha256)
            changes = []
            for key, after in wanted.items():
                item = record.fields.get(key)
                machine = item.get("value") if isinstance(item, dict) else None
                before = current.get(key, machine)
                if after == before:
                    continue
                changes.append(Change(key, machine, before, after, who, at))
                db.execute(
                    "INSERT INTO corrections (sha256, field, machine, before, after, who, at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (record.sha256, key, machine, before, after, who, at),
                )
                current[key] = after
            if changes:
                _reindex(db, record, text, current)
        return changes

    def approve(self, sha256: str, who: str) -> None:
        at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO reviews VALUES (?, ?, ?)", (sha256, who, at))


def _values(db: sqlite3.Connection, sha256: str) -> dict[str, str | None]:
    rows = db.execute("SELECT field, after FROM corrections WHERE sha256 = ? ORDER BY id", (sha256,))
    return dict(rows.fetchall())


def _reindex(db: sqlite3.Connection, record: Record, text: str, values: dict[str, str | None]) -> None:
    """The document's ``documents`` row and full-text entry from the corrected record, in the caller's
    transaction. The FTS table is contentless: the old entry is deleted with the values it was given
    (the row's folded subject and text, as the archive inserted them)."""
    row = db.execute("SELECT id, subject, text FROM documents WHERE sha256 = ?", (record.sha256,)).fetchone()
    if row is None:
        return
    doc_id, old_subject, old_text = row
    fixed = corrected_record(record, values)
    m = fixed.metadata
    new_text = indexed_text(text, record.fields, values)
    db.execute(
        "INSERT INTO documents_fts (documents_fts, rowid, subject, text) VALUES ('delete', ?, ?, ?)",
        (doc_id, fold(old_subject or ""), fold(old_text)),
    )
    db.execute(
        "UPDATE documents SET doc_type = ?, doc_type_folded = ?, number = ?, date = ?, issuing_body = ?,"
        " issuer_folded = ?, subject = ?, signer = ?, metadata = ?, text = ? WHERE id = ?",
        (
            *index_columns(m),
            json.dumps(m, ensure_ascii=False),
            new_text,
            doc_id,
        ),
    )
    db.execute(
        "INSERT INTO documents_fts (rowid, subject, text) VALUES (?, ?, ?)",
        (doc_id, fold(m["subject"] or ""), fold(new_text)),
    )
