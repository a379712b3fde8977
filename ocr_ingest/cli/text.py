"""``ocr-ingest text``: print the clean text of each file (pages separated by a form feed), or JSON."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from dataclasses import asdict

from ..errors import EXIT_NOT_ALL_OK, EXIT_OK, OcrIngestError
from ..execute import documents_in_flight, make_executor, map_documents
from ..text import DocumentText, Options, PageText, describe, extract_text
from .options import add_reading_options, options_from, progress

DESCRIPTION = (
    "Print the clean text of each file: text layer when it is real Vietnamese, OCR otherwise. "
    "Pages are separated by a form feed (\\f)."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="PDF, PNG, JPEG or (multi-page) TIFF")
    p.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per file: per-page text, confidence, rotation, skew, source",
    )
    add_reading_options(p)


def page_json(page: PageText) -> dict:
    d = asdict(page)
    d["seconds"] = round(page.seconds, 3)
    return d


def document_json(doc: DocumentText) -> dict:
    return {"file": doc.path, "sha256": doc.sha256, "pages": [page_json(p) for p in doc.pages]}


def run(args: argparse.Namespace) -> int:
    """Print the clean text of each file (pages separated by a form feed), or JSON per file.

    Several files are read at once (their pages share the workers, so none idles at a document's
    tail) and printed in the order given, each as soon as it and those before it are done.
    """
    options = options_from(args)
    failures, last_error = 0, None
    executor = make_executor(args.scheduler, args.jobs, args.scheduler_timeout)
    bar = progress(_page_count(args.files, options), "pages")

    def read(path: str) -> DocumentText:
        return extract_text(
            path, options, executor=executor, on_page=(lambda _p: bar.update()) if bar else None
        )

    try:
        for path, doc in map_documents(read, args.files, in_flight=documents_in_flight(executor)):
            if isinstance(doc, OcrIngestError):
                failures, last_error = failures + 1, doc
                print(f"ocr-ingest: {doc}", file=sys.stderr)
            elif isinstance(doc, BaseException):  # a bug of ours must not stop the other files
                failures += 1
                print(
                    f"ocr-ingest: {path}: internal error ({type(doc).__name__}: {doc}); please report it",
                    file=sys.stderr,
                )
            elif args.json:
                print(json.dumps(document_json(doc), ensure_ascii=False), flush=True)
            else:
                sys.stdout.write(doc.text + ("\n" if not doc.text.endswith("\n") else ""))
                sys.stdout.flush()
    finally:
        if bar:
            bar.close()
        executor.close()
    if failures and len(args.files) == 1 and last_error is not None:
        return last_error.exit_code
    return EXIT_NOT_ALL_OK if failures else EXIT_OK


def _page_count(files: list[str], options: Options) -> int | None:
    """Pages in all ``files`` for the progress bar (a file we cannot read counts 0: its error comes
    later, in order); ``None`` off a terminal, where there is no bar to size."""
    if not sys.stderr.isatty():
        return None
    total = 0
    for path in files:
        with contextlib.suppress(OcrIngestError):
            total += len(describe(path, options))
    return total
