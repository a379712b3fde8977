"""What the reading commands share: the reading options (``text``, ``preprocess``, ``run``, ``watch``),
the exit-status epilogue and the progress bar."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..text import ENGINES, Options

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


def progress(total: int | None, desc: str) -> Any:
    """A page progress bar on a terminal's stderr; nothing when output is piped or logged."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="page", leave=False, file=sys.stderr)
