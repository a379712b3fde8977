"""The ``ocr-ingest`` command: one entry point, one subcommand per job.

The CLI only parses arguments, calls the library and formats what comes back; errors are typed
(``errors.py``) and become a one-line message and an exit code here, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

from . import __version__
from .document import DocumentText, PageText
from .errors import EXIT_INTERRUPTED, EXIT_NOT_ALL_OK, EXIT_OK, EXIT_USAGE, OcrIngestError
from .pipeline import ENGINES, Options, extract_text, prepare_pages

# Subcommands that live in their own modules: (name, module, help). A module provides
# ``add_arguments(parser)`` and ``run(args) -> int``.
_PLUGGED = [
    ("verify", "verify.cli", "check the digital signatures and visible stamps of PDFs"),
    ("run", "ocr_ingest.run_cmd", "ingest files and folders into an archive and/or as JSON Lines"),
    ("search", "ocr_ingest.search_cmd", "full-text search of an archive (with or without diacritics)"),
    ("watch", "ocr_ingest.watch_cmd", "watch a scanner hot folder and ingest what lands there"),
    (
        "export",
        "ocr_ingest.intake.command",
        "a hồ sơ as the archive's package (TT 05/2025: PDF/A, signature, METS)",
    ),
    (
        "serve",
        "ocr_ingest.serve.command",
        "the archive in a browser: search, documents, signatures (read-only)",
    ),
]

EPILOG = """exit status: 0 success; 1 some input failed (or a signature is not valid); 2 usage error;
3 missing dependency (tesseract, poppler, language data); 4 unreadable input; 7 an external program
failed; 8 encrypted PDF; 130 interrupted."""


def add_reading_options(p: argparse.ArgumentParser) -> None:
    """Options that change how pages are read; shared by every command that reads documents."""
    g = p.add_argument_group("reading")
    g.add_argument(
        "--dpi", type=int, default=300, help="resolution for rendering non-scan PDF pages (default: 300)"
    )
    g.add_argument(
        "--target-dpi",
        type=int,
        default=0,
        metavar="DPI",
        help="upsample scans of lower resolution to DPI before OCR, instead of --letter-height (default: off; "
        "measured no more accurate with Tesseract and ~1.6x slower, but another engine may want 300)",
    )
    g.add_argument(
        "--letter-height",
        type=int,
        default=20,
        metavar="PX",
        help="shrink scans whose lower-case letters are taller than PX pixels to PX before OCR: same "
        "accuracy, less time (default: 20; 0 reads every page at its own resolution)",
    )
    g.add_argument(
        "--engine",
        choices=sorted(ENGINES),
        default="tesseract",
        help="what reads the lines: tesseract (default), or asterocr, a neural line recogniser on "
        "Tesseract's lines (measured less accurate and 2x slower on whole pages: README)",
    )
    g.add_argument("--lang", default="vie", help="Tesseract language(s), e.g. vie or vie+eng (default: vie)")
    g.add_argument(
        "--force-ocr", action="store_true", help="OCR every page even when it has a good text layer"
    )
    g.add_argument("--binarize", action="store_true", help="give Tesseract a bilevel page instead of grey")
    g.add_argument(
        "--no-correct",
        dest="correct",
        action="store_false",
        help="keep the engine's words as read (no syllable language model; see README)",
    )
    g.add_argument("--jobs", type=int, default=None, help="pages read in parallel (default: all cores)")
    g.add_argument(
        "--page-timeout", type=float, default=180.0, help="seconds one page may take (default: 180)"
    )
    g.add_argument(
        "--scheduler",
        metavar="tcp://HOST:8786",
        default=None,
        help="spread pages over a Dask cluster (default: $OCR_INGEST_SCHEDULER, else local threads)",
    )
    g.add_argument(
        "--scheduler-timeout",
        type=float,
        metavar="SECONDS",
        default=None,
        help="give up on an unreachable scheduler, or one without workers, after this long "
        "(default: $OCR_INGEST_SCHEDULER_TIMEOUT, else 10)",
    )


def options_from(args: argparse.Namespace) -> Options:
    return Options(
        dpi=args.dpi,
        target_dpi=args.target_dpi,
        letter_px=args.letter_height,
        lang=args.lang,
        engine=args.engine,
        force_ocr=args.force_ocr,
        binarize=args.binarize,
        timeout=args.page_timeout,
        correct=args.correct,
    )


def page_json(page: PageText) -> dict:
    d = asdict(page)
    d["seconds"] = round(page.seconds, 3)
    return d


def document_json(doc: DocumentText) -> dict:
    return {"file": doc.path, "sha256": doc.sha256, "pages": [page_json(p) for p in doc.pages]}


def _progress(total: int | None, desc: str):
    """A page progress bar on a terminal's stderr; nothing when output is piped or logged."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="page", leave=False, file=sys.stderr)


def cmd_text(args: argparse.Namespace) -> int:
    """Print the clean text of each file (pages separated by a form feed), or JSON per file.

    Several files are read at once (their pages share the workers, so none idles at a document's
    tail) and printed in the order given, each as soon as it and those before it are done.
    """
    from .dask_executor import documents_in_flight, make_executor, map_documents

    options = options_from(args)
    failures, last_error = 0, None
    executor = make_executor(args.scheduler, args.jobs, args.scheduler_timeout)
    bar = _progress(_page_count(args.files, options), "pages")

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
    from . import load

    total = 0
    for path in files:
        with contextlib.suppress(OcrIngestError):
            total += len(load.describe(path, dpi=options.dpi, max_pixels=options.max_pixels))
    return total


def cmd_preprocess(args: argparse.Namespace) -> int:
    """Write each page, cleaned for OCR, as PNG into --out (its dpi recorded in the file, so an
    engine reading it sizes the letters right); report rotation, skew and steps."""
    from PIL import Image

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    options = options_from(args)
    failures = 0
    for path in args.files:
        try:
            for ref, page in prepare_pages(path, options):
                target = out / f"{Path(path).stem}-p{ref.number:03d}.png"
                Image.fromarray(page.image).save(target, dpi=(page.dpi, page.dpi), compress_level=3)
                info = {
                    "file": path,
                    "page": ref.number,
                    "image": str(target),
                    "dpi": page.dpi,
                    "rotation": page.rotation,
                    "skew": page.skew,
                    "steps": [asdict(s) for s in page.steps],
                }
                if args.json:
                    print(json.dumps(info, ensure_ascii=False), flush=True)
                else:
                    print(f"{target}  turned {page.rotation}°, deskewed {page.skew:+.2f}°, {page.dpi} dpi")
        except OcrIngestError as exc:
            failures += 1
            print(f"ocr-ingest: {exc}", file=sys.stderr)
    return EXIT_NOT_ALL_OK if failures else EXIT_OK


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The full parser. A plugged subcommand's module (and its heavy imports: pyHanko, watchdog, …)
    is loaded only when that subcommand is the one being run; ``--help`` lists them all from _PLUGGED."""
    argv = sys.argv[1:] if argv is None else argv
    selected = next((a for a in argv if not a.startswith("-")), None)
    parser = argparse.ArgumentParser(
        prog="ocr-ingest",
        description="Scanned and e-signed Vietnamese government notices → verified, clean, structured text.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"ocr-ingest {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "text",
        help="print the clean Vietnamese text of PDFs or images",
        description="Print the clean text of each file: text layer when it is real Vietnamese, OCR otherwise. "
        "Pages are separated by a form feed (\\f).",
        epilog=EPILOG,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="PDF, PNG, JPEG or (multi-page) TIFF")
    p.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per file: per-page text, confidence, rotation, skew, source",
    )
    add_reading_options(p)
    p.set_defaults(func=cmd_text)

    p = sub.add_parser(
        "preprocess",
        help="write the cleaned page images (PNG) for another OCR",
        description="Rotate, deskew, remove coloured ink, flatten the background and upsample each page, "
        "and write it as PNG into --out.",
        epilog=EPILOG,
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the PNG pages")
    p.add_argument("--json", action="store_true", help="one JSON line per page with what each step did")
    add_reading_options(p)
    p.set_defaults(func=cmd_preprocess)

    for name, module, help_text in _PLUGGED:
        if name != selected:
            sub.add_parser(name, help=help_text)
            continue
        mod = importlib.import_module(module)
        p = sub.add_parser(
            name,
            help=help_text,
            description=(mod.__doc__ or help_text).strip().splitlines()[0],
            epilog=EPILOG,
        )
        mod.add_arguments(p)
        p.set_defaults(func=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except OcrIngestError as exc:
        print(f"ocr-ingest: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("ocr-ingest: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
