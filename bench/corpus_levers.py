"""What each reading lever costs, in seconds per page, against the pipeline without it, in one run.

    python -m bench.corpus_levers [--docs 12] [--rounds 2] [--conditions grey300 bilevel200]

Issue 12 asks for the cost of each lever measured against Tesseract alone in the same run. The
levers are ``pipeline.Options`` switches; each variant turns one off. Every variant reads the same
corpus documents (the first ``--docs`` by id, born-scanned pages), one page at a time on one core
(``SerialExecutor``; the other core stays free so that variants do not slow each other), rounds
interleaved so that a slow moment of the machine hits all variants alike; the median over rounds is
compared. "tesseract only" is the engine alone on the same prepared pages: Tesseract's own share.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

from bench.corpus_fields import load_corpus
from ocr_ingest import Options, extract_text, load
from ocr_ingest.execute.local import SerialExecutor
from ocr_ingest.text.pipeline import prepare_pages

VARIANTS: dict[str, dict[str, bool]] = {
    "all levers (default)": {},
    "no column pass": {"column_pass": False},
    "no seal pass": {"mark_pass": False},
    "no language model": {"correct": False},
    "no figures pass": {"figures_pass": False},
}


def read_seconds(paths: list, options: Options) -> float:
    started = time.perf_counter()
    for path in paths:
        extract_text(path, options, executor=SerialExecutor())
    return time.perf_counter() - started


def engine_seconds(paths: list, options: Options) -> float:
    """Tesseract alone on the pages the pipeline prepares (preparing not timed)."""
    engine = options.make_engine()
    pages = [page for path in paths for _, page in prepare_pages(path, options)]
    started = time.perf_counter()
    for page in pages:
        engine.recognise(page.image, dpi=page.dpi)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=12, help="documents per condition (first by id)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--conditions", nargs="+", default=["grey300", "bilevel200"])
    args = ap.parse_args()
    docs = load_corpus()[: args.docs]
    for condition in args.conditions:
        paths = [d.path(condition) for d in docs]
        pages = sum(len(load.describe(p)) for p in paths)
        times: dict[str, list[float]] = {name: [] for name in [*VARIANTS, "tesseract only"]}
        for _ in range(args.rounds):
            for name, change in VARIANTS.items():
                times[name].append(read_seconds(paths, replace(Options(), **change)))
            times["tesseract only"].append(engine_seconds(paths, Options()))
        base = statistics.median(times["all levers (default)"])
        print(f"\n{condition}: {len(paths)} documents, {pages} pages, median of {args.rounds} rounds")
        print("| variant | s/page | vs default | lever's cost, s/page |")
        print("|---|---:|---:|---:|")
        for name, ts in times.items():
            t = statistics.median(ts)
            cost = (
                f"{(base - t) / pages:+.2f}" if name not in ("all levers (default)", "tesseract only") else ""
            )
            print(f"| {name} | {t / pages:.2f} | {t / base:.2f}× | {cost} |")


if __name__ == "__main__":
    main()
