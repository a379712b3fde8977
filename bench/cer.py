"""Print the CER of our text against the fixture ground truth: ``python -m bench.cer FILE...``.

The truth of ``fixtures/scans/<key>-<grade>.pdf`` and of images is ``fixtures/truth/<key>.txt``; of
born-digital ``fixtures/digital/<key>.pdf`` it is ``fixtures/truth/<key>.digital.txt`` (no stamp).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ocr_ingest import extract_text
from ocr_ingest.text.cer import character_error_rate

TRUTH = Path(__file__).resolve().parent.parent / "fixtures" / "truth"
KEYS = ("govquao-2021", "huyenuy-2023")


def truth_for(path: str | Path) -> str:
    path = Path(path)
    key = next(k for k in KEYS if path.name.startswith(k))
    digital = path.parent.name == "digital" and path.stem == key
    return (TRUTH / f"{key}{'.digital' if digital else ''}.txt").read_text(encoding="utf-8")


def main(files: list[str]) -> None:
    for f in files:
        t0 = time.perf_counter()
        doc = extract_text(f)
        dt = time.perf_counter() - t0
        cer = character_error_rate(truth_for(f), doc.text)
        sources = ",".join(sorted({p.source for p in doc.pages}))
        print(f"{f}: CER {cer:.3%}  ({len(doc.pages)} pages, {sources}, {dt:.1f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
