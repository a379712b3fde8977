"""``ocr-ingest preprocess``: write the cleaned page images (PNG) for another OCR."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from ..errors import EXIT_NOT_ALL_OK, EXIT_OK, OcrIngestError
from ..text import prepare_pages
from .options import add_reading_options, options_from

DESCRIPTION = (
    "Rotate, deskew, remove coloured ink, flatten the background and upsample each page, "
    "and write it as PNG into --out."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the PNG pages")
    p.add_argument("--json", action="store_true", help="one JSON line per page with what each step did")
    add_reading_options(p)


def run(args: argparse.Namespace) -> int:
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
