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
* ``finish``: ``ingest`` (the archive commits the record), then the file goes to ``INBOX/.done/``
  (or is deleted with ``delete_done``) → **done**; a failed record sends it to ``INBOX/.failed/``
  with ``<name>.error.json`` beside it → **failed**.
* ``resume``: a file in ``.processing/`` whose lock nobody holds was left by a dead watcher; it is
  claimed again and finished. A record the crash left half-written is repaired by ``Archive`` on
  open; one that was committed but not yet moved comes back from ``ingest`` as a duplicate of
  itself (same source) and counts as done.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import fnmatch
import json
import logging
import os
import queue
import secrets
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, unquote

from .archive import Archive
from .record import Record, ingest

log = logging.getLogger("ocr_ingest.watch")

PROCESSING, DONE, FAILED = ".processing", ".done", ".failed"
STATUS_FILE = "status.json"
LOCK_FILE = ".watch-store.lock"  # in the archive: shared while storing, exclusive while opening
DEFAULT_IGNORE = (".*", "~*", "*~", "*.tmp", "*.part", "*.partial", "*.crdownload", "*.swp", "*.error.json")

State = Literal["seen", "stable", "claimed", "done", "failed"]


@dataclass(frozen=True)
class WatchSettings:
    """Every knob of the watcher, in one place (``watch_cmd`` maps the options onto these)."""

    settle: float = 2.0  # seconds size+mtime must stay unchanged
    grace: float = 30.0  # a stable file that still looks incomplete (no %%EOF, empty) is taken after this
    poll: float | None = None  # None: inotify events; else poll the folder every this many seconds
    rescan: float = 60.0  # full rescan of the inbox (events can be lost; a loss is then only a delay)
    tick: float = 0.1  # how often the settle checks run
    ignore: tuple[str, ...] = DEFAULT_IGNORE
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    delete_done: bool = False
    once: bool = False  # process what is there, then return


@dataclass
class Candidate:
    """A file in the inbox on its way to being claimed: ``seen`` until it settles, then ``stable``."""

    path: Path
    rel: str
    size: int = -1
    mtime_ns: int = -1
    since: float = 0.0  # when size/mtime last changed
    state: State = "seen"


@dataclass
class Claim:
    """A file this process holds in ``.processing/`` (``fd`` carries the lock)."""

    path: Path
    rel: str
    fd: int
    resumed: bool = False
    state: State = "claimed"


# --- names ------------------------------------------------------------------------------------------


def claimed_name(rel: str) -> str:
    """``<token>__<rel, percent-encoded>``: unique per claim, reversible, no clash between subfolders."""
    name = f"{secrets.token_hex(4)}__{quote(rel, safe='')}"
    if len(name.encode()) > 250:  # very deep paths: keep the tail (the folder is then partly lost)
        name = name[:12] + name[-238:]
    return name


def rel_of_claimed(name: str) -> str:
    return unquote(name.split("__", 1)[1]) if "__" in name else name


def is_ignored(rel: str, patterns: tuple[str, ...]) -> bool:
    parts = rel.split("/")
    if rel == STATUS_FILE:
        return True
    if any(p.startswith(".") for p in parts[:-1]):  # .processing/, .done/, .failed/, hidden folders
        return True
    return any(fnmatch.fnmatchcase(parts[-1], pat) for pat in patterns)


def looks_complete(path: Path) -> bool:
    """Non-empty, and a PDF ends with ``%%EOF`` (in its last KiB: some writers add a newline or junk)."""
    try:
        with path.open("rb") as f:
            head = f.read(1024)
            if not head:
                return False
            if b"%PDF-" not in head:
                return True
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 1024))
            return b"%%EOF" in f.read()
    except OSError:
        return False


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _write_json_atomic(dest: Path, data: dict[str, Any]) -> None:
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    with tmp.open("w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, dest)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _free_name(dest: Path, token: str) -> Path:
    return dest if not dest.exists() else dest.with_name(f"{dest.stem}.{token}{dest.suffix}")


class _SourceArchive:
    """The archive as ``ingest`` sees it: records name the inbox path, not the ``.processing`` name, and
    a store holds the archive's lock shared (so no ``Archive`` open elsewhere repairs it meanwhile)."""

    def __init__(self, archive: Archive, source: str, lock_path: Path):
        self._a, self._source, self._lock_path = archive, source, lock_path

    def has(self, sha256: str) -> bool:
        return self._a.has(sha256)

    def duplicate(self, sha256: str, seen: Record) -> Record:
        return self._a.duplicate(sha256, replace(seen, source=self._source))

    def store(self, record: Record, source: Path, text: str, searchable_pdf: bytes | None = None) -> Record:
        # one writer per document across threads and watchers: the loser finds it stored (duplicate)
        assert record.sha256
        locks = self._lock_path.parent / ".watch-locks"
        locks.mkdir(exist_ok=True)
        with _flock(self._lock_path, fcntl.LOCK_SH), _flock(locks / record.sha256[:2], fcntl.LOCK_EX):
            return self._a.store(replace(record, source=self._source), source, text, searchable_pdf)


@contextlib.contextmanager
def _flock(path: Path, how: int):
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, how)
        yield
    finally:
        os.close(fd)


def open_archive(root: Path) -> Archive:
    """Open (and so repair) the archive while no watcher is in the middle of storing a record."""
    root.mkdir(parents=True, exist_ok=True)
    with _flock(root / LOCK_FILE, fcntl.LOCK_EX):
        return Archive(root)


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
        self.started_at = _now()
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
        _fsync_dir(self.processing)
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
            if claim is not None:
                claim.resumed = True
                out.append(claim)
                log.info("resumed %s", claim.rel, extra={"event": "resumed", "file": claim.rel})
        return out

    def finish(self, claim: Claim, record: Record) -> State:
        """``claimed`` → ``done`` (archived or a duplicate; moved to ``.done/`` or deleted) or ``failed``
        (moved to ``.failed/`` with ``<name>.error.json``). The record is committed before the move."""
        token = claim.path.name.split("__", 1)[0]
        status = record.status
        if status == "duplicate" and claim.resumed and record.duplicate_of == record.source:
            status = "ingested"  # committed by us (or a crashed run of us) before the move: not a copy
        if status == "failed":
            dest = _free_name(self.failed_dir / claim.rel, token)
            dest.parent.mkdir(parents=True, exist_ok=True)
            why = {
                "file": claim.rel,
                "reason": record.reason,
                "sha256": record.sha256,
                "size": record.size,
                "at": _now(),
                "record": record.to_dict(),
            }
            _write_json_atomic(dest.with_name(dest.name + ".error.json"), why)
            os.rename(claim.path, dest)
            _fsync_dir(dest.parent)
            state: State = "failed"
        else:
            if self.s.delete_done:
                claim.path.unlink()
            else:
                dest = _free_name(self.done_dir / claim.rel, token)
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.rename(claim.path, dest)
                _fsync_dir(dest.parent)
            _fsync_dir(self.processing)
            state = "done"
        claim.state = state
        self._release(claim)
        with self.lock:
            self.counts[status] += 1
            self.last = {"file": claim.rel, "status": status, "reason": record.reason, "at": _now()}
        level = logging.WARNING if state == "failed" else logging.INFO
        log.log(
            level,
            "%s %s%s",
            status,
            claim.rel,
            f": {record.reason}" if record.reason else "",
            extra={
                "event": status,
                "file": claim.rel,
                "sha256": record.sha256,
                "reason": record.reason,
                "pages": record.page_count,
                "seconds": record.timings.get("total"),
                "verdict": record.verdict,
            },
        )
        return state

    def put_back(self, claim: Claim) -> None:
        """``claimed`` → back in the inbox, untouched (interrupted before it could be finished)."""
        dest = self.inbox / claim.rel
        if dest.exists():
            dest = _free_name(dest, claim.path.name.split("__", 1)[0])
        with contextlib.suppress(OSError):
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.rename(claim.path, dest)
            with self.lock:
                self.counts["put_back"] += 1
            log.info("put back %s", claim.rel, extra={"event": "put_back", "file": claim.rel})
        self._release(claim)

    # --- helpers ----------------------------------------------------------------------------------

    def _lock(self, path: Path, rel: str) -> Claim | None:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.stat(path).st_ino != os.fstat(fd).st_ino:  # finished and moved before we locked
                raise FileNotFoundError(path)
        except OSError:
            os.close(fd)
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
        a = getattr(self._local, "archive", None)
        if a is None:
            a = self._local.archive = open_archive(self.archive_root)
        return a

    def process(self, claim: Claim) -> State:
        """Ingest one claimed file and finish it (the whole ``claimed`` → ``done|failed`` step)."""
        folder = str(Path(claim.rel).parent) if "/" in claim.rel else ""
        wrapped = _SourceArchive(self.archive(), str(self.inbox / claim.rel), self.archive_root / LOCK_FILE)
        record = ingest(
            claim.path,
            wrapped,  # type: ignore[arg-type]
            options=self.options,
            executor=self.executor,
            relative_folder=folder,
        )
        if record.status == "failed":
            with contextlib.suppress(Exception):
                self.archive().note_failure(replace(record, source=str(self.inbox / claim.rel)))
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
            waiting = sum(1 for c in self.candidates.values() if c.state == "seen")
            queued = sum(1 for c in self.candidates.values() if c.state == "stable")
            return {
                "state": state,
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "inbox": str(self.inbox),
                "archive": str(self.archive_root),
                "mode": self.mode,
                "workers": self.s.workers,
                "started_at": self.started_at,
                "updated_at": _now(),
                "waiting": waiting,
                "queued": queued,
                "in_progress": sorted(c.rel for c in self.in_hand.values()),
                "counts": dict(self.counts),
                "last": self.last,
            }

    def write_status(self, state: str = "running", force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._status_at < 1.0:
            return
        self._status_at = now
        st = self.status(state)
        with contextlib.suppress(OSError):
            _write_json_atomic(self.inbox / STATUS_FILE, st)
        if sys.stderr.isatty() and not self.s.once:
            c = st["counts"]
            line = (
                f"\r[watch] waiting {st['waiting']}  working {len(st['in_progress'])}  ingested {c['ingested']}"
                f"  duplicate {c['duplicate']}  failed {c['failed']}"
            )
            sys.stderr.write(line.ljust(78)[:100])
            sys.stderr.flush()

    def _observer(self):
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: Any) -> None:
                if event.is_directory and event.event_type != "moved":
                    return
                target = getattr(event, "dest_path", "") or event.src_path
                if event.is_directory:  # a folder moved in: look at everything under it
                    for dirpath, _, names in os.walk(target):
                        for n in names:
                            watcher.observe(Path(dirpath) / n)
                elif event.event_type in ("created", "modified", "moved", "closed"):
                    watcher.observe(Path(os.fsdecode(target)))

        def start(obs: Any) -> Any:
            obs.schedule(Handler(), str(self.inbox), recursive=True)
            obs.start()
            return obs

        if self.s.poll:
            return start(PollingObserver(timeout=self.s.poll))
        try:
            return start(Observer())
        except OSError as exc:  # e.g. inotify watch limit: polling still works
            log.warning("inotify unavailable (%s); polling every 5 s", exc, extra={"event": "fallback"})
            self.mode = "poll"
            return start(PollingObserver(timeout=5.0))

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> dict[str, int]:
        """Resume orphans, rescan, then watch until stopped (or idle, with ``once``); returns the counts."""
        self.archive_root.mkdir(parents=True, exist_ok=True)
        open_archive(self.archive_root).close()  # repair a crashed run's half-written record now
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
