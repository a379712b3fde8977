"""Watcher benchmark: sustained throughput against ``ocr-ingest run`` on the same files, and the latency
from a file landing in the inbox to its record being searchable.

    .venv/bin/python bench/bench_watch.py

Documents are the fixture scans, each in two byte-distinct copies (a PDF comment appended after
``%%EOF``: a different SHA-256, the same pages), so nothing is a duplicate. Phase 1 gives ``run`` a
folder and the watcher an inbox with the same files dropped at once; phase 2 drops documents one at a
time into an idle watcher and times each until its row is in the archive index.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = str(ROOT / ".venv" / "bin" / "ocr-ingest")
SCANS = ["govquao-2021-standard", "govquao-2021-hard", "huyenuy-2023-standard", "huyenuy-2023-hard"]
PAGES = {"govquao-2021": 3, "huyenuy-2023": 6}
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def make_documents(folder: Path, copies: int = 2) -> list[tuple[Path, str, int]]:
    """(file, sha256, pages) for byte-distinct copies of the fixture scans."""
    folder.mkdir(parents=True)
    out = []
    for name in SCANS:
        data = (ROOT / "fixtures" / "scans" / f"{name}.pdf").read_bytes()
        for k in range(copies):
            body = data + f"% bench copy {k}\n".encode()
            path = folder / f"{name}-{k}.pdf"
            path.write_bytes(body)
            out.append((path, hashlib.sha256(body).hexdigest(), PAGES[name.rsplit("-", 1)[0]]))
    return out


def indexed(archive: Path) -> set[str]:
    db = archive / "archive.sqlite"
    if not db.exists():
        return set()
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
            return {row[0] for row in con.execute("SELECT sha256 FROM documents")}
    except sqlite3.Error:
        return set()


def start_watcher(inbox: Path, archive: Path) -> subprocess.Popen:
    inbox.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [CLI, "watch", str(inbox), "--archive", str(archive), "--settle", "0.5", "--log-json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=ENV,
        start_new_session=True,
    )


def drop(src: Path, inbox: Path) -> float:
    """Land a file the way a careful scanner does (write elsewhere, rename in); the landing time."""
    tmp = inbox.parent / f".landing-{src.name}"
    shutil.copyfile(src, tmp)
    os.rename(tmp, inbox / src.name)
    return time.monotonic()


def wait_for(archive: Path, shas: set[str], limit: float) -> dict[str, float]:
    seen: dict[str, float] = {}
    deadline = time.monotonic() + limit
    while len(seen) < len(shas) and time.monotonic() < deadline:
        now = time.monotonic()
        for sha in indexed(archive) & shas:
            seen.setdefault(sha, now)
        time.sleep(0.1)
    return seen


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        docs = make_documents(tmp / "docs")
        pages = sum(p for _, _, p in docs)
        shas = {sha for _, sha, _ in docs}

        t0 = time.monotonic()
        subprocess.run(
            [CLI, "run", str(tmp / "docs"), "--archive", str(tmp / "a-run")],
            check=True,
            env=ENV,
            capture_output=True,
        )
        run_s = time.monotonic() - t0

        watcher = start_watcher(tmp / "inbox", tmp / "a-watch")
        time.sleep(2.0)  # started and idle
        first = min(drop(path, tmp / "inbox") for path, _, _ in docs)
        seen = wait_for(tmp / "a-watch", shas, limit=30 * run_s + 120)
        watch_s = max(seen.values()) - first if len(seen) == len(shas) else float("nan")
        stop(watcher)

        watcher = start_watcher(tmp / "inbox2", tmp / "a-latency")
        time.sleep(2.0)
        latencies = []
        for path, sha, _ in docs[::2]:  # one copy of each scan, one at a time into an idle watcher
            landed = drop(path, tmp / "inbox2")
            got = wait_for(tmp / "a-latency", {sha}, limit=300)
            latencies.append(got[sha] - landed)
        stop(watcher)

    print(f"{len(docs)} documents, {pages} pages (fixture scans, two byte-distinct copies each)")
    print(
        f"  ocr-ingest run   : {run_s:6.1f} s  {60 * len(docs) / run_s:5.1f} docs/min  {60 * pages / run_s:5.1f} pages/min"
    )
    print(
        f"  ocr-ingest watch : {watch_s:6.1f} s  {60 * len(docs) / watch_s:5.1f} docs/min  {60 * pages / watch_s:5.1f} pages/min"
    )
    print(
        f"  watch vs run     : {watch_s / run_s:.2f}× the time (watcher overhead {watch_s / run_s - 1:+.0%})"
    )
    print(
        f"  landing → searchable, one 3- or 6-page scan into an idle watcher: median "
        f"{statistics.median(latencies):.1f} s, max {max(latencies):.1f} s (settle time 0.5 s)"
    )


if __name__ == "__main__":
    sys.exit(main())
