"""``ingest``: file → text → fields → signature → archive, in one call.

``ingest`` is what ``ocr-ingest run`` does per file and what other pipelines call. It never raises for
a bad file: an unreadable, encrypted or truncated input becomes a ``status: failed`` record with the
reason, so a batch goes on and nothing is silently dropped. ``KeyboardInterrupt`` (and archive I/O
errors such as a full disk, which are not the input's fault) still propagate.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OcrIngestError
from ..execute.local import Executor, SerialExecutor
from ..text import load
from ..text.document import DocumentText, PageText
from ..text.load import hash_file
from ..text.pipeline import Options, PageTask, describe, extract_text, prepare_for_ocr
from .record import PageInfo, Record, now, versions

if TYPE_CHECKING:
    from verify import Settings

    from .store import Archive


def ingest(
    path: str | Path,
    archive: Archive | None = None,
    *,
    options: Options | None = None,
    executor: Executor | None = None,
    relative_folder: str = "",
    searchable_pdf: bool = False,
    settings: Settings | None = None,
    on_page: Callable[[PageText], None] | None = None,
    source: str | Path | None = None,
) -> Record:
    """Read, understand, verify and (with ``archive``) store one file; a failed record for bad input.

    ``source`` is the path the record names (default: ``path``, the file read), for callers that read
    a file under another name than the one it arrived as (the watcher reads ``.processing/…``).
    A file already in the archive is not read again: its stored record comes back as ``duplicate``.
    A :class:`~ocr_ingest.execute.dask_cluster.SchedulerUnreachableError` propagates: it is not the file's fault.

    The steps, for callers that read documents concurrently and store them on one thread (``run``):
    :func:`hashed`, :func:`read_document`, :func:`store_read`.
    """
    started = time.perf_counter()
    options = options or Options()
    base = hashed(path, source=source, relative_folder=relative_folder, options=options)
    if base.sha256 is None:
        return with_total(base, started)
    if archive is not None and archive.has(base.sha256):
        return with_total(replace(archive.duplicate(base.sha256, base), timings=base.timings), started)
    read = read_document(
        path, base, options=options, executor=executor, searchable_pdf=searchable_pdf, settings=settings,
        on_page=on_page,
    )  # fmt: skip
    if isinstance(read, Record):
        return with_total(read, started)
    return store_read(read, archive, path, started)


@dataclass(frozen=True)
class ReadDocument:
    """A document read, understood and verified, not yet stored (``record.status`` is ``ingested``)."""

    record: Record
    text: str
    searchable_pdf: bytes | None = None


def hashed(
    path: str | Path,
    *,
    source: str | Path | None = None,
    relative_folder: str = "",
    options: Options | None = None,
) -> Record:
    """The start of every record: versions, time, ``sha256`` and ``size`` (``status`` is ``failed``
    until read); an unreadable file gets its ``reason`` and no ``sha256``."""
    started = time.perf_counter()
    pipeline_version, engine_version = versions(options or Options())
    base = Record(
        source=str(source if source is not None else path),
        status="failed",
        relative_folder=relative_folder,
        pipeline_version=pipeline_version,
        engine_version=engine_version,
        ingested_at=now(),
    )
    try:
        sha, size = hash_file(Path(path))
    except OSError as exc:
        return replace(base, reason=f"cannot be read: {exc.strerror or exc}")
    return replace(base, sha256=sha, size=size, timings={"hash": round(time.perf_counter() - started, 3)})


def read_document(
    path: str | Path,
    base: Record,
    *,
    options: Options | None = None,
    executor: Executor | None = None,
    searchable_pdf: bool = False,
    settings: Settings | None = None,
    on_page: Callable[[PageText], None] | None = None,
) -> ReadDocument | Record:
    """Text, fields, signature report (and the searchable PDF) of ``path``; a failed record (``base``
    with the reason) for bad input. Touches no archive, so it may run in any thread."""
    from verify import verify_file

    from ..execute.dask_cluster import SchedulerUnreachableError
    from ..fields import add_boxes, extract_fields, with_signing_day

    options = options or Options()
    path = Path(path)
    timings = dict(base.timings)
    t = time.perf_counter()

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = round(now - since, 3)
        return now

    try:
        refs = describe(path, options)
        doc = extract_text(path, options, executor=executor, on_page=on_page, refs=refs)
    except SchedulerUnreachableError:
        raise  # the cluster, not this file: the caller stops
    except OcrIngestError as exc:
        return replace(base, reason=exc.reason, timings=timings)
    except Exception as exc:  # a reader bug on one hostile file must not stop a batch
        return replace(base, reason=f"internal error: {type(exc).__name__}: {exc}", timings=timings)
    t = lap("extract", t)
    sizes = {r.number: (r.width_px, r.height_px) for r in refs}
    found = extract_fields(doc.text, doc.pages)
    t = lap("fields", t)
    report = verify_file(path, settings=settings, text=doc.text)
    t = lap("verify", t)
    fields = add_boxes(with_signing_day(found, report.signed_by()).to_dict(), doc, sizes)
    record = replace(
        base,
        status="ingested",
        page_count=len(doc.pages),
        pages=tuple(PageInfo.of(p) for p in doc.pages),
        fields=fields,
        signature=json.loads(report.to_json()),
        verdict=report.verdict,
    )
    pdf_bytes: bytes | None = None
    if searchable_pdf:
        pdf_bytes, note = make_searchable_pdf(doc, refs, options, executor)
        record = replace(record, searchable_pdf=note)
        lap("searchable_pdf", t)
    return ReadDocument(replace(record, timings=timings), doc.text, pdf_bytes)


def store_read(read: ReadDocument, archive: Archive | None, path: str | Path, started: float) -> Record:
    """Store a read document (``path``: the file to copy as the original), or just return its record
    without an archive; ``timings.total`` counts from ``started`` (a ``time.perf_counter()`` value)."""
    record = with_total(read.record, started)  # record.json gets the timings known so far
    if archive is None:
        return record
    t = time.perf_counter()
    record = named_as_archive_knows(record, archive)
    stored = archive.store(record, Path(path), read.text, read.searchable_pdf)
    timings = {**record.timings, "archive": round(time.perf_counter() - t, 3)}
    return with_total(replace(stored, timings=timings), started)


def named_as_archive_knows(record: Record, archive: Archive) -> Record:
    """The record with a signer's name read without its family name completed from the names the
    archive holds under the same issuer (:func:`ocr_ingest.fields.known_signer`); the name as read is
    kept beside it (``read_as``) and the confidence drops to ``KNOWN_CONF``, so the desk asks for a look."""
    from ..fields import KNOWN_CONF, known_signer, lacks_family_name

    name = record.fields.get("signer_name")
    if record.status != "ingested" or not name or not lacks_family_name(name.get("value")):
        return record  # no query for a name read whole: most records
    meta = record.metadata
    full = known_signer(name.get("value"), meta["issuing_body"], archive.signers(meta))
    if full is None:
        return record
    named = {
        **name,
        "value": full,
        "confidence": min(name.get("confidence") or 0, KNOWN_CONF),
        "read_as": name["value"],
    }
    return replace(record, fields={**record.fields, "signer_name": named})


def with_total(record: Record, started: float) -> Record:
    return replace(record, timings={**record.timings, "total": round(time.perf_counter() - started, 3)})


def make_searchable_pdf(
    doc: DocumentText, refs: Sequence[load.PageRef], options: Options, executor: Executor | None
) -> tuple[bytes | None, str]:
    """Image + invisible text layer via Tesseract's PDF renderer, on our preprocessed pages.

    Born-digital (text-layer) documents are already searchable: skipped, and the record says why.
    The page images keep the scan's resolution (no ``letter_px`` shrinking): people read this copy.
    """
    if any(p.source != "ocr" for p in doc.pages):
        return None, "skipped: the document has a text layer, it is already searchable"
    import pikepdf

    full_size = replace(options, letter_px=0)
    tasks = [PageTask(ref, full_size) for ref in refs]
    out = pikepdf.new()
    for page_pdf in (executor or SerialExecutor()).map(searchable_page, tasks):
        with pikepdf.open(io.BytesIO(page_pdf)) as src:
            out.pages.extend(src.pages)
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue(), "written"


def searchable_page(task: PageTask) -> bytes:
    """One page as a one-page PDF: the upright, cleaned page image with Tesseract's invisible text."""
    import pytesseract
    from PIL import Image

    engine = task.options.make_engine()
    page = prepare_for_ocr(load.page_image(task.ref), task.ref.dpi, engine, task.options)
    return pytesseract.image_to_pdf_or_hocr(
        Image.fromarray(page.image),
        lang=task.options.lang,
        extension="pdf",
        config=f"--dpi {page.dpi}",
        timeout=task.options.timeout,
    )
