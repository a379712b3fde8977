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

from ..archive.record import Record
from .files import DONE, FAILED, PROCESSING, STATUS_FILE, write_atomic

log = logging.getLogger("ocr_ingest.watch.watcher")


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


def read_status(inbox: Path) -> dict[str, Any] | None:
    """The inbox's ``status.json`` with ``state`` "dead" for a watcher on this host that is gone, and
    ``folders``: files in ``processing``, ``done``, ``failed``; ``None`` when no watcher wrote one."""
    try:
        status = json.loads((inbox / STATUS_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if status.get("state") == "running" and status.get("host") == socket.gethostname():
        try:
            os.kill(int(status["pid"]), 0)
        except (OSError, ValueError, KeyError):
            status["state"] = "dead"
    status["folders"] = {
        name.strip("."): sum(
            1 for p in (inbox / name).rglob("*") if p.is_file() and not p.name.endswith(".error.json")
        )
        if (inbox / name).is_dir()
        else 0
        for name in (PROCESSING, DONE, FAILED)
    }
    return status


def failed_reports(inbox: Path, limit: int = 50) -> list[dict[str, Any]]:
    """The ``<name>.error.json`` reports in ``INBOX/.failed``, newest first (``file``, ``reason``, ``at``)."""
    reports = []
    for path in (inbox / FAILED).rglob("*.error.json") if (inbox / FAILED).is_dir() else ():
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(path.read_text("utf-8"))
            reports.append({k: data.get(k) for k in ("file", "reason", "at", "sha256")})
    reports.sort(key=lambda r: r["at"] or "", reverse=True)
    return reports[:limit]
