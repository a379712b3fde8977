"""Tesseract against AsterOCR (issue 12, lever 2): CER and pages per minute on the same corpus pages,
in one run.

    python -m bench.bench_engines [--limit 12] [--conditions grey300 bilevel200]

Both engines read the same documents of ``fixtures/corpus`` through the whole pipeline (the same
preparation, second readings, cleaning and language model; only ``Options.engine`` differs), both
cores busy, in turns per condition so that a slow moment of the machine does not favour one. The
baseline is Tesseract: the ratios are AsterOCR's CER over Tesseract's and AsterOCR's pages per minute
over Tesseract's. ``--limit 0`` reads the whole corpus (the README's table).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from bench.corpus_cer import CONDITIONS, Reading, measure, pooled_cer
from bench.corpus_fields import load_corpus
from ocr_ingest.text.pipeline import Options

ENGINES = ("tesseract", "asterocr")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--limit", type=int, default=12, help="first N documents by id (0: all)")
    p.add_argument("--conditions", nargs="+", default=list(CONDITIONS), choices=CONDITIONS)
    args = p.parse_args(argv)
    docs = load_corpus()
    if args.limit:
        docs = docs[: args.limit]
    print(f"{len(docs)} documents; baseline: tesseract; the pipeline's levers on for both engines")
    print(
        f"{'condition':11} {'engine':10} {'pages':>5} {'CER':>7} {'pages/min':>9} {'docs better/worse':>17}"
    )
    for condition in args.conditions:
        got: dict[str, tuple[list[Reading], float]] = {}
        for engine in ENGINES:
            started = time.perf_counter()
            readings = measure(docs, condition, replace(Options(), engine=engine))
            got[engine] = readings, time.perf_counter() - started
        base, base_wall = got["tesseract"]
        pages = sum(r.pages for r in base)
        for engine, (readings, wall) in got.items():
            better = sum(r.cer < b.cer for r, b in zip(readings, base, strict=True))
            worse = sum(r.cer > b.cer for r, b in zip(readings, base, strict=True))
            cer, rate = pooled_cer(readings), 60 * pages / wall
            ratio = (
                ""
                if engine == "tesseract"
                else f"  CER ×{cer / max(pooled_cer(base), 1e-9):.2f}, speed ×{base_wall / wall:.2f}"
            )
            print(
                f"{condition:11} {engine:10} {pages:5} {cer:7.2%} {rate:9.1f} {better:>8}/{worse:<8}{ratio}",
                flush=True,
            )


if __name__ == "__main__":
    main()
