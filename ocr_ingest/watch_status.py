"""What the watcher tells the outside: ``INBOX/status.json``, the terminal status line, outcome logs."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import socket
import sys
from pathlib import Path
from typing import Any

from .record import Record
from .watch_files import write_atomic

log = logging.getLogger("ocr_ingest.watch")


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def write_json_atomic(dest: Path, data: dict[str, Any]) -> None:
    write_atomic(dest, json.dumps(data, ensure_ascii=False, indent=1))


def status_dict(
    *,
    state: str,
    inbox: Path,
    archive: Path,
    mode: str,
    workers: int,
    started_at: str,
    waiting: int,
    queued: int,
    in_progress: list[str],
    counts: dict[str, int],
    last: dict[str, Any] | None,
) -> dict[str, Any]:
    """The ``status.json`` object (docs/watch.md)."""
    return {
        "state": state,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "inbox": str(inbox),
        "archive": str(archive),
        "mode": mode,
        "workers": workers,
        "started_at": started_at,
        "updated_at": now_iso(),
        "waiting": waiting,
        "queued": queued,
        "in_progress": in_progress,
        "counts": dict(counts),
        "last": last,
    }


def publish(status: dict[str, Any], status_file: Path, *, terminal: bool) -> None:
    """Write ``status.json`` (best effort) and, with ``terminal``, redraw the status line on stderr."""
    with contextlib.suppress(OSError):
        write_json_atomic(status_file, status)
    if terminal and sys.stderr.isatty():
        c = status["counts"]
        line = (
            f"\r[watch] waiting {status['waiting']}  working {len(status['in_progress'])}"
            f"  ingested {c['ingested']}  duplicate {c['duplicate']}  failed {c['failed']}"
        )
        sys.stderr.write(line.ljust(78)[:100])
        sys.stderr.flush()


def log_outcome(rel: str, status: str, record: Record, failed: bool) -> None:
    """One line per finished file: ``ingested``/``duplicate`` (info) or ``failed`` (warning)."""
    log.log(
        logging.WARNING if failed else logging.INFO,
        "%s %s%s",
        status,
        rel,
        f": {record.reason}" if record.reason else "",
        extra={
            "event": status,
            "file": rel,
            "sha256": record.sha256,
            "reason": record.reason,
            "pages": record.page_count,
            "seconds": record.timings.get("total"),
            "verdict": record.verdict,
        },
    )


def error_report(rel: str, record: Record) -> dict[str, Any]:
    """``<name>.error.json`` beside a failed file."""
    return {
        "file": rel,
        "reason": record.reason,
        "sha256": record.sha256,
        "size": record.size,
        "at": now_iso(),
        "record": record.to_dict(),
    }
