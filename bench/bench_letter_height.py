"""What shrinking letters to ``--letter-height`` buys: Tesseract time and CER at each height, one run.

    .venv/bin/python bench/bench_letter_height.py [--heights 0 24 20 16]

Every fixture scan is read in-process at each letter height (0 = each page at its own resolution,
the baseline), the settings interleaved round by round. Reported per height: CPU seconds spent in
Tesseract (its child processes: steady under load, unlike wall time), our own CPU seconds, wall
time, and the CER of each scan against the ground truth; then Tesseract time as a ratio of the
baseline's. Why 20 is the default is in ``preprocess/scale.py``.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cer import truth_for  # noqa: E402
from ocr_ingest import extract_text  # noqa: E402
from ocr_ingest.text.cer import character_error_rate  # noqa: E402
from ocr_ingest.text.pipeline import Options  # noqa: E402

SCANS = ["govquao-2021-standard", "huyenuy-2023-standard", "govquao-2021-hard", "huyenuy-2023-hard"]


def cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def read_all(letter_px: int) -> tuple[float, float, float, list[float]]:
    """Tesseract CPU s, own CPU s, wall s, CER per scan: all scans at one letter height."""
    child0, self0, t0 = cpu(resource.RUSAGE_CHILDREN), cpu(resource.RUSAGE_SELF), time.perf_counter()
    cers = []
    for name in SCANS:
        pdf = ROOT / "fixtures" / "scans" / f"{name}.pdf"
        doc = extract_text(pdf, Options(letter_px=letter_px))
        cers.append(character_error_rate(truth_for(pdf), doc.text))
    wall = time.perf_counter() - t0
    return cpu(resource.RUSAGE_CHILDREN) - child0, cpu(resource.RUSAGE_SELF) - self0, wall, cers


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--heights", type=int, nargs="+", default=[0, 24, 20, 16], help="first is the baseline")
    ap.add_argument("--rounds", type=int, default=2, help="interleaved rounds; medians reported (default 2)")
    args = ap.parse_args()
    runs: dict[int, list[tuple[float, float, float, list[float]]]] = {h: [] for h in args.heights}
    for _ in range(args.rounds):
        for height in args.heights:
            runs[height].append(read_all(height))
    base = statistics.median(r[0] for r in runs[args.heights[0]])
    print(f"{len(SCANS)} scans, 18 pages; medians of {args.rounds} rounds; CER per scan: {', '.join(SCANS)}")
    print(
        f"{'letter px':>9} {'tesseract CPU s':>15} {'own CPU s':>9} {'wall s':>6}  vs baseline  CER per scan"
    )
    for height, rs in runs.items():
        tess = statistics.median(r[0] for r in rs)
        own = statistics.median(r[1] for r in rs)
        wall = statistics.median(r[2] for r in rs)
        cers = "  ".join(f"{c:.3%}" for c in rs[0][3])  # text is the same every round
        label = "off" if height == 0 else str(height)
        print(f"{label:>9} {tess:15.1f} {own:9.1f} {wall:6.1f}  {tess / base:10.2f}×  {cers}")


if __name__ == "__main__":
    main()
