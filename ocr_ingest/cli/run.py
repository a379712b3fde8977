"""``ocr-ingest run INPUT... [--archive DIR] [--jsonl -|FILE]``: ingest files and folders, one record each.

Records stream out as documents finish (``--jsonl -``: one JSON object per line on stdout, everything
else on stderr) so a downstream process can consume them. Every input is accounted for: the summary
``ingested N, duplicate N, failed N (of N inputs)`` adds up, and the exit status is 1 if any failed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from verify import Settings

from ..archive.ingestion import ReadDocument, hashed, ingest, read_document, store_read, with_total
from ..archive.record import Record
from ..archive.store import Archive
from ..errors import EXIT_INTERRUPTED, EXIT_NOT_ALL_OK, EXIT_OK, EXIT_USAGE
from ..execute.dask_cluster import (
    SchedulerUnreachableError,
    documents_in_flight,
    make_executor,
    map_documents,
)
from ..execute.local import Executor
from ..text.load import IMAGE_SUFFIXES
from ..text.pipeline import Options
from .options import add_reading_options, options_from

DOCUMENT_SUFFIXES = {".pdf", *IMAGE_SUFFIXES}
TEMP_SUFFIXES = (".tmp", ".part", ".crdownload", ".partial", ".swp", "~")


@dataclass(frozen=True)
class Job:
    """What every document of a run shares."""

    archive: Archive | None
    options: Options
    executor: Executor
    settings: Settings
    searchable_pdf: bool
    on_page: Callable[[int], object]


@dataclass(frozen=True)
class Input:
    """One file to ingest and the sub-folder of its input root it was found in."""

    path: Path
    relative_folder: str = ""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="PDF/image files or folders (recursive)")
    parser.add_argument(
        "--archive", metavar="DIR", type=Path, help="store records here (else just emit them)"
    )
    parser.add_argument(
        "--jsonl", metavar="FILE", help="write one record per line to FILE ('-': stdout, logs go to stderr)"
    )
    parser.add_argument(
        "--searchable-pdf", action="store_true", help="also archive searchable.pdf for scanned documents"
    )
    add_reading_options(parser)  # --dpi, --target-dpi, --lang, --force-ocr, --jobs, --scheduler, …
    parser.add_argument(
        "--trust", metavar="DIR", type=Path, action="append", default=[], help="extra trust anchors"
    )


def is_candidate(path: Path) -> bool:
    """In a folder: documents by suffix or by a PDF header; never hidden, lock or partial files."""
    name = path.name
    if name.startswith((".", "~$", "~")) or name.lower().endswith(TEMP_SUFFIXES):
        return False
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        return True
    try:
        with path.open("rb") as f:
            return b"%PDF-" in f.read(1024)
    except OSError:
        return False


def collect(inputs: list[str]) -> tuple[list[Input], int]:
    """Files named directly are always tried; folders are walked in name order. Returns (inputs, skipped)."""
    found: list[Input] = []
    skipped = 0
    for raw in inputs:
        root = Path(raw)
        if not root.is_dir():
            found.append(Input(root))
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if not is_candidate(path):
                    skipped += 1
                    continue
                rel = Path(dirpath).relative_to(root)
                found.append(Input(path, "" if rel == Path(".") else rel.as_posix()))
    return found, skipped


def human_line(record: Record) -> str:
    m = record.metadata
    if record.status == "failed":
        return f"failed     {record.source}: {record.reason}"
    what = " ".join(str(v) for v in (m["doc_type"], m["number"], m["date"]) if v) or "(no fields)"
    return f"{record.status:<10} {record.source}: {what}, {record.page_count} p., {record.verdict}"


@contextlib.contextmanager
def _output(target: str | None) -> Iterator[IO[str] | None]:
    if target is None:
        yield None
    elif target == "-":
        yield sys.stdout
    else:
        with open(target, "w", encoding="utf-8") as f:
            yield f


def run(args: argparse.Namespace) -> int:
    if args.jobs is not None and args.jobs < 1:
        print("ocr-ingest run: --jobs must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    from tqdm import tqdm

    inputs, skipped = collect(args.inputs)
    options = options_from(args)
    settings = Settings(trust_dirs=tuple(args.trust))
    log = sys.stderr if args.jsonl == "-" else sys.stdout
    tty = sys.stderr.isatty()
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    pages = 0
    try:  # a cluster that cannot be reached stops the run before anything is read
        executor = make_executor(args.scheduler, args.jobs, args.scheduler_timeout)
    except SchedulerUnreachableError as exc:
        print(f"ocr-ingest run: {exc}", file=sys.stderr)
        return exc.exit_code
    archive = Archive(args.archive) if args.archive else None
    if archive is not None and archive.repaired:
        print(f"archive repaired: {', '.join(archive.repaired)}", file=sys.stderr)
    docs_bar = tqdm(total=len(inputs), unit="doc", disable=not tty, position=0, file=sys.stderr)
    pages_bar = tqdm(unit="page", disable=not tty, position=1, file=sys.stderr)
    job = Job(archive, options, executor, settings, args.searchable_pdf, pages_bar.update)
    code = EXIT_OK
    try:
        with _output(args.jsonl) as out:
            for record in records(inputs, job):
                counts[record.status] += 1
                pages += record.page_count if record.status == "ingested" else 0
                if out is not None:
                    out.write(record.to_json() + "\n")
                    out.flush()
                tqdm.write(human_line(record), file=log)
                docs_bar.update()
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
        print("interrupted", file=sys.stderr)
    except SchedulerUnreachableError as exc:  # lost mid-batch: every later page would fail the same way
        code = exc.exit_code
        print(f"ocr-ingest run: {exc}", file=sys.stderr)
    except (OSError, sqlite3.Error) as exc:  # the archive, not an input: stop, say so
        code = EXIT_NOT_ALL_OK
        print(f"archive error: {exc}", file=sys.stderr)
    finally:
        docs_bar.close()
        pages_bar.close()
        executor.close()
        if archive is not None:
            archive.close()
    seconds = time.perf_counter() - started
    total = sum(counts.values())
    print(
        f"ingested {counts['ingested']}, duplicate {counts['duplicate']}, failed {counts['failed']} "
        f"(of {len(inputs)} inputs)",
        file=sys.stderr,
    )
    note = f", skipped {skipped} non-document files" if skipped else ""
    print(f"{pages} pages read in {seconds:.1f} s{note}", file=sys.stderr)
    if code == EXIT_OK and (counts["failed"] or total != len(inputs)):
        code = EXIT_NOT_ALL_OK
    return code


@dataclass
class _Planned:
    """An input after its hash (main thread): ``read`` if its bytes are new to the archive and to this
    run, else it waits for the earlier copy (``copy_of``) or for the archive (``stored``)."""

    item: Input
    base: Record
    started: float
    read: bool = False
    stored: bool = False


def records(inputs: list[Input], job: Job) -> Iterator[Record]:
    """One record per input, in input order, as documents finish.

    Documents are read several at a time (``map_documents``: enough to keep every page worker, local
    or on a cluster, busy across document boundaries); hashing, duplicate checks and the archive stay
    on this thread, one writer. A repeat of bytes already in the archive or earlier in this run is
    recognised by hash before any reading. :class:`SchedulerUnreachableError` propagates (it stops the
    batch); any other failure fails only its document.
    """
    firsts: dict[str, Record] = {}  # sha256 → the record of its first occurrence in this run
    planned: set[str] = set()

    def plan(item: Input) -> _Planned:
        t = time.perf_counter()
        base = hashed(item.path, relative_folder=item.relative_folder, options=job.options)
        p = _Planned(item, base, t)
        if base.sha256 is None or base.sha256 in planned:
            return p
        planned.add(base.sha256)
        p.stored = job.archive is not None and job.archive.has(base.sha256)
        p.read = not p.stored
        return p

    def read(p: _Planned) -> ReadDocument | Record | None:
        if not p.read:
            return None
        return read_document(
            p.item.path, p.base, options=job.options, executor=job.executor,
            searchable_pdf=job.searchable_pdf, settings=job.settings, on_page=lambda _page: job.on_page(1),
        )  # fmt: skip

    in_flight = documents_in_flight(job.executor)
    for p, outcome in map_documents(read, (plan(i) for i in inputs), in_flight=in_flight):
        if isinstance(outcome, SchedulerUnreachableError):
            raise outcome
        record = _settle(p, outcome, job, firsts)
        if record.sha256 and record.status != "failed":
            firsts.setdefault(record.sha256, record)
        if record.status == "failed" and job.archive is not None:
            job.archive.note_failure(record)
        yield record


def _settle(
    p: _Planned, outcome: ReadDocument | Record | BaseException | None, job: Job, firsts: dict[str, Record]
) -> Record:
    """The final record of one planned input (main thread: stores into the archive)."""
    sha = p.base.sha256
    if sha is None:  # unreadable
        return with_total(p.base, p.started)
    if isinstance(outcome, BaseException):
        if not isinstance(outcome, Exception):
            raise outcome  # KeyboardInterrupt and the like
        reason = getattr(outcome, "reason", None) or f"internal error: {type(outcome).__name__}: {outcome}"
        return with_total(replace(p.base, reason=reason), p.started)
    if isinstance(outcome, Record):  # bad input
        return with_total(outcome, p.started)
    if isinstance(outcome, ReadDocument):
        return store_read(outcome, job.archive, p.item.path, p.started)
    # not read: in the archive already, or a repeat of an earlier input of this run
    if job.archive is not None and (p.stored or job.archive.has(sha)):
        return with_total(replace(job.archive.duplicate(sha, p.base), timings=p.base.timings), p.started)
    first = firsts.get(sha)
    if first is None:  # the earlier copy failed (it may have been a passing fault): read this one
        return ingest(
            p.item.path, job.archive, options=job.options, executor=job.executor,
            relative_folder=p.item.relative_folder, searchable_pdf=job.searchable_pdf,
            settings=job.settings, on_page=lambda _page: job.on_page(1),
        )  # fmt: skip
    return with_total(
        replace(p.base, status="duplicate", duplicate_of=first.source, timings=p.base.timings), p.started
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ocr-ingest run", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
