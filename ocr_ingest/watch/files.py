"""The watcher's file side: which names count, when a file is complete, claimed names, locks, moves,
the watchdog observer that reports changed files, and the watcher's settings.

Nothing here knows about states or threads; :mod:`watch` drives these helpers.
"""

from __future__ import annotations

import contextlib
import fcntl
import fnmatch
import logging
import os
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, unquote

PROCESSING, DONE, FAILED = ".processing", ".done", ".failed"
STATUS_FILE = "status.json"
log = logging.getLogger("ocr_ingest.watch.watcher")

DEFAULT_IGNORE = (".*", "~*", "*~", "*.tmp", "*.part", "*.partial", "*.crdownload", "*.swp", "*.error.json")


State = Literal["seen", "stable", "claimed", "done", "failed"]


@dataclass(frozen=True)
class WatchSettings:
    """Every knob of the watcher, in one place (``cli/watch.py`` maps the options onto these)."""

    settle: float = 2.0  # seconds size+mtime must stay unchanged
    grace: float = 30.0  # a stable file that still looks incomplete (no %%EOF, empty) is taken after this
    poll: float | None = None  # None: inotify events; else poll the folder every this many seconds
    rescan: float = 60.0  # full rescan of the inbox (events can be lost; a loss is then only a delay)
    tick: float = 0.1  # how often the settle checks run
    ignore: tuple[str, ...] = DEFAULT_IGNORE
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    delete_done: bool = False
    once: bool = False  # process what is there, then return
    max_crashes: int = 3  # a file the watcher died with in hand more often than this is set aside


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


def claimed_name(rel: str) -> str:
    """``<token>__<rel, percent-encoded>``: unique per claim, reversible, no clash between subfolders."""
    name = f"{secrets.token_hex(4)}__{quote(rel, safe='')}"
    if len(name.encode()) > 250:  # very deep paths: keep the tail (the folder is then partly lost)
        name = name[:12] + name[-238:]
    return name


def rel_of_claimed(name: str) -> str:
    return unquote(name.split("__", 1)[1]) if "__" in name else name


def token_of_claimed(name: str) -> str:
    return name.split("__", 1)[0]


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


def lock_file(path: Path) -> int | None:
    """An exclusive ``flock`` on ``path`` (the fd holds it), or ``None`` if someone alive holds it or
    the file is gone (also when it was finished and moved between our open and our lock)."""
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
    return fd


def fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def free_name(dest: Path, token: str) -> Path:
    return dest if not dest.exists() else dest.with_name(f"{dest.stem}.{token}{dest.suffix}")


def move_into(src: Path, dest: Path) -> None:
    """Rename ``src`` to ``dest`` (creating its folder) and make the move durable."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.rename(src, dest)
    fsync_dir(dest.parent)


def crash_count_file(claimed: Path) -> Path:
    """Beside a claimed file: how many times a watcher died holding it (dot name: never a candidate)."""
    return claimed.with_name(f".crashes-{token_of_claimed(claimed.name)}")


def count_crash(claimed: Path) -> int:
    """One more watcher died holding ``claimed`` (we are resuming it): the new count, made durable
    before the file is read again, so a file that kills its reader cannot do so unnoticed."""
    counter = crash_count_file(claimed)
    try:
        n = int(counter.read_text("ascii").strip() or 0) + 1
    except (OSError, ValueError):
        n = 1
    write_atomic(counter, str(n))
    return n


def forget_crashes(claimed: Path) -> None:
    with contextlib.suppress(OSError):
        crash_count_file(claimed).unlink()


def write_atomic(dest: Path, text: str) -> None:
    """Write, fsync, rename: a reader sees the old content or the new, never half. The temporary
    name carries our pid, so :func:`remove_stale_temps` can tell a dead writer's from a live one's."""
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    with tmp.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, dest)


_TEMP = re.compile(r"^\..*\.tmp-(\d+)-\d+$")


def remove_stale_temps(folder: Path, *, recursive: bool = False) -> int:
    """Remove the temporary files of :func:`write_atomic` whose writer is dead (killed between write
    and rename); the number removed. Another live watcher's are left alone."""
    removed = 0
    for path in folder.rglob(".*.tmp-*") if recursive else folder.glob(".*.tmp-*"):
        m = _TEMP.match(path.name)
        if m and not _alive(int(m.group(1))):
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_observer(inbox: Path, poll: float | None, observe: Callable[[Path], None]) -> tuple[Any, str]:
    """A started watchdog observer calling ``observe(path)`` for every file that may have changed
    (all files under a folder moved in), and its mode: ``inotify``, or ``poll`` (asked for with
    ``poll`` seconds, or the fallback every 5 s when inotify cannot start, e.g. its watch limit)."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: Any) -> None:
            if event.is_directory and event.event_type != "moved":
                return
            target = getattr(event, "dest_path", "") or event.src_path
            if event.is_directory:  # a folder moved in: look at everything under it
                for dirpath, _, names in os.walk(target):
                    for n in names:
                        observe(Path(dirpath) / n)
            elif event.event_type in ("created", "modified", "moved", "closed"):
                observe(Path(os.fsdecode(target)))

    def start(obs: Any) -> Any:
        obs.schedule(Handler(), str(inbox), recursive=True)
        obs.start()
        return obs

    if poll:
        return start(PollingObserver(timeout=poll)), "poll"
    try:
        return start(Observer()), "inotify"
    except OSError as exc:
        log.warning("inotify unavailable (%s); polling every 5 s", exc, extra={"event": "fallback"})
        return start(PollingObserver(timeout=5.0)), "poll"
