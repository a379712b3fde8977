"""Hot-folder consumer: scanner output lands in an inbox, each complete file is ingested exactly once.

A file moves through a small explicit state machine, one function per transition::

    seen ──settle──▶ stable ──claim──▶ claimed ──finish──▶ done | failed
                                         ▲   └──put_back──▶ (inbox again)
                          resume (orphan after a crash)

* ``observe``: an event (watchdog) or a rescan noticed a file → **seen** (size, mtime recorded).
* ``settle``: size and mtime unchanged for ``settle`` seconds, and for a PDF the ``%%EOF`` trailer is
  there (a file that stays without one for ``grace`` seconds is taken anyway, to fail with a reason)
  → **stable**.
* ``claim``: an atomic ``rename`` into ``INBOX/.processing/<token>__<quoted relative path>`` and an
  ``flock`` on it → **claimed**. The rename is the claim: a second watcher's rename of the same file
  fails. The lock says "someone alive holds it"; the kernel drops it when the holder dies.
* ``finish``: ``ingest`` (the archive commits the record, naming the inbox path as its source), then the file goes to ``INBOX/.done/``
  (or is deleted with ``delete_done``) → **done**; a failed record sends it to ``INBOX/.failed/``
  with ``<name>.error.json`` beside it → **failed**.
* ``resume``: a file in ``.processing/`` whose lock nobody holds was left by a dead watcher; it is
  claimed again and finished. A record the crash left half-written is repaired by ``Archive`` on
  open; one that was committed but not yet moved comes back from ``ingest`` as a duplicate of
  itself (same source) and counts as done. Each resume is counted beside the file; one resumed more
  than ``max_crashes`` times is **set aside** into ``.failed/`` unread: a file that crashes its
  reader (or a machine that keeps losing power on it) must not stop the inbox forever.

Two watchers (or a watcher and ``run``) meeting the same bytes at once are sorted out by the archive
(one writer per document: the other gets ``duplicate``), and opening the archive never repairs a
record a live writer holds. Files, names, locks and the settings: :mod:`.files`; status and logs:
:mod:`.status`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ..archive.ingestion import ingest
from ..archive.record import Record
from ..archive.store import Archive
from ..execute.dask_cluster import SchedulerUnreachableError
from .files import (
    DEFAULT_IGNORE,
    DONE,
    FAILED,
    PROCESSING,
    STATUS_FILE,
    Candidate,
    Claim,
    State,
    WatchSettings,
    claimed_name,
    count_crash,
    forget_crashes,
    free_name,
    fsync_dir,
    is_ignored,
    lock_file,
    looks_complete,
    move_into,
    rel_of_claimed,
    remove_stale_temps,
    start_observer,
    token_of_claimed,
)
from .status import error_report, log_outcome, now_iso, publish, status_dict, write_json_atomic

__all__ = [
    "DEFAULT_IGNORE",
    "DONE",
    "FAILED",
    "PROCESSING",
    "STATUS_FILE",
    "Watcher",
    "WatchSettings",
    "claimed_name",
    "install_signal_handlers",
    "is_ignored",
    "looks_complete",
    "rel_of_claimed",
]

log = logging.getLogger("ocr_ingest.watch.watcher")

# --- the watcher ------------------------------------------------------------------------------------


class Watcher:
    """One consumer of one inbox. ``run()`` blocks until ``stop()`` (or, with ``once``, until idle)."""

    def __init__(
        self, inbox: Path, archive_root: Path, settings: WatchSettings, *, options=None, executor=None
    ):
        self.inbox, self.archive_root, self.s = Path(inbox).resolve(), Path(archive_root), settings
        self.options, self.executor = options, executor
        self.processing, self.done_dir, self.failed_dir = (self.inbox / d for d in (PROCESSING, DONE, FAILED))
        for d in (self.processing, self.done_dir, self.failed_dir):
            d.mkdir(parents=True, exist_ok=True)
        self.candidates: dict[str, Candidate] = {}
        self.ready: queue.Queue[Candidate | Claim | None] = queue.Queue()
        self.lock = threading.RLock()  # candidates, in_hand, counts
        self.in_hand: dict[str, Claim] = {}
        self.counts = {"ingested": 0, "duplicate": 0, "failed": 0, "put_back": 0, "resumed": 0}
        self.last: dict[str, Any] | None = None
        self.busy = 0
        self.stopping = threading.Event()
        self.started_at = now_iso()
        self.fatal: SchedulerUnreachableError | None = None  # stops the watcher (the cluster is gone)
        self.mode = "poll" if settings.poll else "inotify"
        self._local = threading.local()
        self._status_at = 0.0

    # --- transitions ------------------------------------------------------------------------------

    def observe(self, path: Path) -> None:
        """(event or rescan) → ``seen``; a file already on its way is left alone."""
        try:
            rel = path.relative_to(self.inbox).as_posix()
        except ValueError:
            return
        if is_ignored(rel, self.s.ignore) or not path.is_file():
            return
        with self.lock:
            if rel not in self.candidates:
                self.candidates[rel] = Candidate(path, rel, since=time.monotonic())
                log.debug("seen %s", rel, extra={"event": "seen", "file": rel})

    def settle(self, cand: Candidate, now: float) -> bool:
        """``seen`` → ``stable`` once size and mtime have not moved for ``settle`` seconds (and it looks
        complete, or has looked incomplete for ``grace``); a vanished file is forgotten."""
        try:
            st = cand.path.stat()
        except FileNotFoundError:
            with self.lock:
                self.candidates.pop(cand.rel, None)
            return False
        if (st.st_size, st.st_mtime_ns) != (cand.size, cand.mtime_ns):
            cand.size, cand.mtime_ns, cand.since = st.st_size, st.st_mtime_ns, now
            return False
        quiet = now - cand.since
        if quiet < self.s.settle:
            return False
        if not looks_complete(cand.path) and quiet < max(self.s.grace, self.s.settle):
            return False
        cand.state = "stable"
        return True

    def claim(self, cand: Candidate) -> Claim | None:
        """``stable`` → ``claimed``: rename into ``.processing/`` (atomic: only one watcher wins), lock it."""
        dest = self.processing / claimed_name(cand.rel)
        try:
            os.rename(cand.path, dest)
        except FileNotFoundError:
            return None  # another watcher took it, or it was removed
        fsync_dir(self.processing)
        claim = self._lock(dest, cand.rel)
        if claim is not None:
            log.info("claimed %s", cand.rel, extra={"event": "claimed", "file": cand.rel})
        return claim

    def resume(self) -> list[Claim]:
        """Orphans in ``.processing/`` (their watcher died: nobody holds the lock) → ``claimed`` again."""
        out = []
        for path in sorted(self.processing.iterdir()):
            if path.name.startswith(".") or not path.is_file():
                continue
            with self.lock:
                if path.name in self.in_hand:
                    continue
            claim = self._lock(path, rel_of_claimed(path.name))
            if claim is None:
                continue
            claim.resumed = True
            crashes = count_crash(path)
            if crashes > self.s.max_crashes:
                self.set_aside(claim, crashes)
                continue
            out.append(claim)
            log.info(
                "resumed %s", claim.rel, extra={"event": "resumed", "file": claim.rel, "crashes": crashes}
            )
        return out

    def finish(self, claim: Claim, record: Record) -> State:
        """``claimed`` → ``done`` (archived or a duplicate; moved to ``.done/`` or deleted) or ``failed``
        (moved to ``.failed/`` with ``<name>.error.json``). The record is committed before the move."""
        token = token_of_claimed(claim.path.name)
        status = record.status
        if status == "duplicate" and claim.resumed and record.duplicate_of == record.source:
            status = "ingested"  # committed by us (or a crashed run of us) before the move: not a copy
        if status == "failed":
            self._to_failed(claim, error_report(claim.rel, record))
            state: State = "failed"
        else:
            if self.s.delete_done:
                claim.path.unlink()
            else:
                move_into(claim.path, free_name(self.done_dir / claim.rel, token))
            fsync_dir(self.processing)
            state = "done"
        self._finished(claim, state, status, record.reason)
        log_outcome(claim.rel, status, record, failed=state == "failed")
        return state

    def set_aside(self, claim: Claim, crashes: int) -> None:
        """(resumed) ``claimed`` → ``failed``, unread: watchers died ``crashes`` times holding it."""
        reason = (
            f"set aside unread: the watcher stopped {crashes} times while this file was in hand "
            "(killed, or crashed reading it); check it, then put it back in the inbox to retry"
        )
        self._to_failed(claim, {"file": claim.rel, "reason": reason, "crashes": crashes, "at": now_iso()})
        self._finished(claim, "failed", "failed", reason)
        log.error(
            "set aside %s: %s",
            claim.rel,
            reason,
            extra={"event": "failed", "file": claim.rel, "reason": reason},
        )

    def _to_failed(self, claim: Claim, report: dict[str, Any]) -> None:
        dest = free_name(self.failed_dir / claim.rel, token_of_claimed(claim.path.name))
        dest.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(dest.with_name(dest.name + ".error.json"), report)
        move_into(claim.path, dest)

    def _finished(self, claim: Claim, state: State, status: str, reason: str | None) -> None:
        forget_crashes(claim.path)
        claim.state = state
        self._release(claim)
        with self.lock:
            self.counts[status] += 1
            self.last = {"file": claim.rel, "status": status, "reason": reason, "at": now_iso()}

    def put_back(self, claim: Claim) -> None:
        """``claimed`` → back in the inbox, untouched (interrupted before it could be finished)."""
        dest = self.inbox / claim.rel
        if dest.exists():
            dest = free_name(dest, token_of_claimed(claim.path.name))
        with contextlib.suppress(OSError):
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.rename(claim.path, dest)
            with self.lock:
                self.counts["put_back"] += 1
            log.info("put back %s", claim.rel, extra={"event": "put_back", "file": claim.rel})
        forget_crashes(claim.path)
        self._release(claim)

    # --- helpers ----------------------------------------------------------------------------------

    def _lock(self, path: Path, rel: str) -> Claim | None:
        fd = lock_file(path)
        if fd is None:
            return None
        claim = Claim(path, rel, fd)
        with self.lock:
            self.in_hand[path.name] = claim
        return claim

    def _release(self, claim: Claim) -> None:
        with self.lock:
            self.in_hand.pop(claim.path.name, None)
        with contextlib.suppress(OSError):
            os.close(claim.fd)

    def archive(self) -> Archive:
        """This thread's connection to the archive (opening it repairs only dead writers' records)."""
        a = getattr(self._local, "archive", None)
        if a is None:
            a = self._local.archive = Archive(self.archive_root)
        return a

    def process(self, claim: Claim) -> State:
        """Ingest one claimed file and finish it (the whole ``claimed`` → ``done|failed`` step)."""
        folder = str(Path(claim.rel).parent) if "/" in claim.rel else ""
        record = ingest(
            claim.path,
            self.archive(),
            options=self.options,
            executor=self.executor,
            relative_folder=folder,
            source=self.inbox / claim.rel,  # the record names where the file arrived, not .processing/
        )
        if record.status == "failed":
            with contextlib.suppress(Exception):
                self.archive().note_failure(record)
        return self.finish(claim, record)

    def rescan(self) -> None:
        for dirpath, dirnames, filenames in os.walk(self.inbox):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                self.observe(Path(dirpath) / name)

    # --- threads ----------------------------------------------------------------------------------

    def _worker(self) -> None:
        while True:
            item = self.ready.get()
            if item is None:
                return
            claim: Claim | None = item if isinstance(item, Claim) else None
            try:
                if isinstance(item, Candidate):
                    if not self.stopping.is_set():
                        claim = self.claim(item)
                    with self.lock:
                        self.candidates.pop(item.rel, None)
                if claim is not None:
                    if self.stopping.is_set():  # not started: leave it for the next run
                        self._release(claim) if claim.resumed else self.put_back(claim)
                    else:
                        self.process(claim)
            except SchedulerUnreachableError as exc:  # not the file's fault: give it back, stop
                log.error("%s", exc, extra={"event": "scheduler_unreachable"})
                if claim is not None:
                    self.put_back(claim)
                self.fatal = self.fatal or exc
                self.stop()
            except Exception:
                log.exception("unexpected error", extra={"event": "error"})
                if claim is not None:
                    self._release(claim)  # stays in .processing/: the next resume retries it
            finally:
                with self.lock:
                    self.busy -= 1

    def _enqueue(self, item: Candidate | Claim) -> None:
        with self.lock:
            self.busy += 1
        self.ready.put(item)

    def _tick(self, now: float) -> None:
        with self.lock:
            seen = [c for c in self.candidates.values() if c.state == "seen"]
        for cand in seen:
            if self.settle(cand, now):
                self._enqueue(cand)

    def idle(self) -> bool:
        with self.lock:
            return not self.candidates and self.busy == 0

    def status(self, state: str = "running") -> dict[str, Any]:
        with self.lock:
            return status_dict(
                state=state,
                inbox=self.inbox,
                archive=self.archive_root,
                mode=self.mode,
                workers=self.s.workers,
                started_at=self.started_at,
                waiting=sum(1 for c in self.candidates.values() if c.state == "seen"),
                queued=sum(1 for c in self.candidates.values() if c.state == "stable"),
                in_progress=sorted(c.rel for c in self.in_hand.values()),
                counts=self.counts,
                last=self.last,
            )

    def write_status(self, state: str = "running", force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._status_at < 1.0:
            return
        self._status_at = now
        publish(self.status(state), self.inbox / STATUS_FILE, terminal=not self.s.once)

    def _observer(self) -> Any:
        observer, self.mode = start_observer(self.inbox, self.s.poll, self.observe)
        return observer

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> dict[str, int]:
        """Resume orphans, rescan, then watch until stopped (or idle, with ``once``); returns the counts."""
        self.archive_root.mkdir(parents=True, exist_ok=True)
        Archive(self.archive_root).close()  # repair a crashed run's half-written record now
        for folder, deep in ((self.inbox, False), (self.processing, False), (self.failed_dir, True)):
            remove_stale_temps(folder, recursive=deep)  # a kill -9 mid-write left a status or report
        threads = [
            threading.Thread(target=self._worker, name=f"watch-worker-{i}", daemon=True)
            for i in range(max(1, self.s.workers))
        ]
        for t in threads:
            t.start()
        observer = None if self.s.once else self._observer()
        log.info(
            "watching %s (%s, %d workers)",
            self.inbox,
            "once" if self.s.once else self.mode,
            self.s.workers,
            extra={"event": "start", "inbox": str(self.inbox), "archive": str(self.archive_root)},
        )
        last_scan = float("-inf")
        try:
            while not self.stopping.is_set():
                now = time.monotonic()
                if now - last_scan >= self.s.rescan:
                    last_scan = now
                    for claim in self.resume():
                        with self.lock:
                            self.counts["resumed"] += 1
                        self._enqueue(claim)
                    self.rescan()
                self._tick(now)
                self.write_status()
                if self.s.once and self.idle():
                    break
                self.stopping.wait(self.s.tick)
        finally:
            self.stopping.set()
            if observer is not None:
                observer.stop()
            for _ in threads:
                self.ready.put(None)
            for t in threads:
                while t.is_alive():
                    t.join(0.2)
            if observer is not None:
                observer.join(5)
            self.write_status("stopped", force=True)
            if sys.stderr.isatty() and not self.s.once:
                sys.stderr.write("\n")
            log.info("stopped", extra={"event": "stop", **self.counts})
        return dict(self.counts)

    def abort(self) -> None:
        """Second interrupt: put back what is in hand (the next run resumes anything left) and go."""
        with self.lock:
            claims = list(self.in_hand.values())
        for claim in claims:
            self.put_back(claim)
        self.write_status("stopped", force=True)


def install_signal_handlers(watcher: Watcher) -> None:
    """First SIGTERM/SIGINT: finish the documents in hand and exit; a second one: put them back, exit now."""

    def handler(signum: int, frame: Any) -> None:
        if watcher.stopping.is_set():
            watcher.abort()
            os._exit(130)
        log.info("stopping (signal %d): finishing the documents in hand", signum, extra={"event": "stopping"})
        watcher.stop()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
