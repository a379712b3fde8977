"""Watch a scanner hot folder and ingest every complete file that lands there, exactly once.

``ocr-ingest watch INBOX --archive DIR`` runs until SIGTERM/Ctrl-C (``--once``: until the inbox is
empty); ``ocr-ingest watch INBOX --status`` prints the running watcher's ``status.json``. See
docs/watch.md for the folders, the states and what happens after a crash.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import logging
import os
import signal
import sys
from pathlib import Path

from ..errors import EXIT_NOT_ALL_OK, EXIT_OK, EXIT_USAGE
from ..watch.status import read_status
from ..watch.watcher import STATUS_FILE, Watcher, WatchSettings, install_signal_handlers

_STD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``ts``, ``level``, ``msg`` and the structured fields (``event``, ``file``…)."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname.lower(),
            "msg": record.getMessage(),
        }
        out.update({k: v for k, v in record.__dict__.items() if k not in _STD and v is not None})
        if record.exc_info:
            out["error"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def add_arguments(p: argparse.ArgumentParser) -> None:
    from .options import add_reading_options

    p.add_argument("inbox", metavar="INBOX", type=Path, help="the hot folder (subfolders are watched too)")
    p.add_argument("--archive", type=Path, help="archive folder (required unless --status)")
    p.add_argument(
        "--poll", type=float, metavar="SECONDS", help="poll every SECONDS instead of inotify events"
    )
    p.add_argument(
        "--settle", type=float, default=2.0, metavar="SECONDS", help="size/mtime quiet time (default: 2)"
    )
    p.add_argument(
        "--grace",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="take a stable file that still looks incomplete (no %%%%EOF, empty) after this (default: 30)",
    )
    p.add_argument(
        "--rescan", type=float, default=60.0, metavar="SECONDS", help="full rescan period (default: 60)"
    )
    p.add_argument("--workers", type=int, default=None, help="documents at a time (default: cores)")
    p.add_argument("--delete-done", action="store_true", help="delete a file once its record is committed")
    p.add_argument(
        "--max-crashes",
        type=int,
        default=3,
        metavar="N",
        help="set a file aside into .failed/ once the watcher has died more than N times while reading it "
        "(default: 3)",
    )
    p.add_argument("--log-json", action="store_true", help="log one JSON object per line on stderr")
    p.add_argument("-v", "--verbose", action="store_true", help="log every file seen, not only outcomes")
    p.add_argument("--status", action="store_true", help="print the watcher's status.json and folder counts")
    p.add_argument("--once", action="store_true", help="process what is in the inbox, then exit")
    add_reading_options(p)


def setup_logging(json_lines: bool, verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter() if json_lines else logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    )
    logger = logging.getLogger("ocr_ingest.watch.watcher")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False


def show_status(inbox: Path) -> int:
    """``status.json`` plus live folder counts; exit 1 when no watcher ever wrote one."""
    status = read_status(inbox)
    if status is None:
        print(
            f"ocr-ingest: {inbox / STATUS_FILE}: no status (no watcher has run on this inbox)",
            file=sys.stderr,
        )
        return EXIT_NOT_ALL_OK
    print(json.dumps(status, ensure_ascii=False, indent=1))
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    from .options import options_from

    if args.status:
        return show_status(args.inbox)
    if args.archive is None:
        print("ocr-ingest watch: --archive DIR is required", file=sys.stderr)
        return EXIT_USAGE
    if not args.inbox.is_dir():
        print(f"ocr-ingest watch: {args.inbox}: not a folder", file=sys.stderr)
        return EXIT_USAGE
    setup_logging(args.log_json, args.verbose)
    # `kill -USR1 PID` writes every thread's stack to stderr: a stuck watcher tells where it is stuck.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    settings = WatchSettings(
        settle=args.settle,
        grace=args.grace,
        poll=args.poll,
        rescan=args.rescan,
        workers=args.workers or os.cpu_count() or 1,
        delete_done=args.delete_done,
        once=args.once,
        max_crashes=args.max_crashes,
    )
    from ..execute.dask_cluster import SchedulerUnreachableError, make_executor

    try:  # pages on a Dask cluster with --scheduler / $OCR_INGEST_SCHEDULER, else local threads
        executor = make_executor(args.scheduler, args.jobs, args.scheduler_timeout)
    except SchedulerUnreachableError as exc:
        print(f"ocr-ingest watch: {exc}", file=sys.stderr)
        return exc.exit_code
    watcher = Watcher(args.inbox, args.archive, settings, options=options_from(args), executor=executor)
    install_signal_handlers(watcher)
    try:
        counts = watcher.run()
    finally:
        executor.close()
    if watcher.fatal is not None:  # the cluster went away: files in hand were put back
        print(f"ocr-ingest watch: {watcher.fatal}", file=sys.stderr)
        return watcher.fatal.exit_code
    return EXIT_NOT_ALL_OK if args.once and counts["failed"] else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ocr-ingest watch", description=(__doc__ or "").splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
