"""Numbers and days written by hand, on the real decisions (issue 20): Tesseract's digits against the
project's own digit-string recogniser (``ocr_ingest/text/digits``), on the gaps the pipeline finds.

``python -m bench.figures_real [--real ../shared/real] [--limit N]`` reads page 1 of every vietidp
decision the pipeline OCRs (text layers are skipped: nothing is written by hand there), up to the
figures pass, once: the page and its words are cached in ``bench/out/figures-cache/`` by file hash, so
the readers are compared again in seconds. Then, for each way of reading the gaps (none, Tesseract's
digits, the recogniser, both), the rest of the page's reading and the fields, and the number and the
date compared with ``fields.jsonl``; the figures read in the blank after ``Số:`` are also compared with
the number's numeral alone (its own comparison: NFC, whitespace collapsed, spaces around
``/`` and ``-`` ignored in the number). Prints counts right per reader and writes every miss to
``bench/out/figures-misses.tsv``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import re
import unicodedata
from pathlib import Path

import numpy as np

from ocr_ingest.fields import extract_fields
from ocr_ingest.text import clean, load, stamps
from ocr_ingest.text.boxes import trim_tall_boxes
from ocr_ingest.text.column_pass import reread_columns
from ocr_ingest.text.engines import OcrEngine
from ocr_ingest.text.figures_pass import find_blanks, read_blank, reread_filled_in
from ocr_ingest.text.layout import reading_order
from ocr_ingest.text.mark_pass import words_by_marks
from ocr_ingest.text.options import Options
from ocr_ingest.text.pipeline import correct_lines, text_from_layer
from ocr_ingest.text.prepare import Prepared, prepare_for_ocr
from ocr_ingest.text.seal_pass import read_name_under_seal
from ocr_ingest.text.tesseract import Word

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
READERS = ("none", "tesseract", "model", "vote", "fallback")


def before_figures(path: Path, options: Options) -> tuple[Prepared, list[Word], list] | None:
    """Page 1 read as ``read_page`` reads it, up to the figures pass; None when its text layer is used."""
    ref = load.describe(path, dpi=options.dpi, max_pixels=options.max_pixels)[0]
    if ref.kind == "pdf" and ref.has_fonts and text_from_layer(ref) is not None:
        return None
    engine = options.make_engine()
    page = prepare_for_ocr(load.page_image(ref), ref.dpi, engine, options)
    words = trim_tall_boxes(page.image, engine.recognise(page.image, dpi=page.dpi))
    words, found = stamps.set_aside_received_stamps(words, list(page.frames), page.dpi)
    words = reread_columns(page, words, engine, blank=[s.box for s in found])
    if page.bilevel:
        words = read_name_under_seal(page.image, page.dpi, words)
    else:
        words = words_by_marks(page, words, engine)
    return page, words, found


def after_figures(page: Prepared, words: list[Word]) -> str:
    """The rest of ``read_page``: stamps, reading order, language model, the page's text."""
    words, _ = stamps.set_aside_received_stamps(words, list(page.frames), page.dpi)
    lines = clean.drop_unsure_words(reading_order(clean.drop_scan_junk(words)))
    lines, _ = correct_lines(lines)
    return clean.page_text(lines, page.image.shape[0])


def cached(path: Path, options: Options) -> tuple[Prepared, list[Word]] | None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    file = OUT / "figures-cache" / f"{digest}.pkl"
    if file.exists():
        got = pickle.loads(file.read_bytes())
    else:
        got = before_figures(path, options)
        got = None if got is None else got[:2]
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(pickle.dumps(got))
    return got


class MemoDigits:
    """The engine, its digits readings kept by crop: every reader that asks Tesseract asks once."""

    def __init__(self, engine: OcrEngine) -> None:
        self.engine = engine
        self.memo: dict[tuple, list[Word]] = {}

    def read_digits(self, image: np.ndarray, *, dpi: int) -> list[Word]:
        key = (image.shape, hashlib.sha1(image.tobytes()).hexdigest(), dpi)
        if key not in self.memo:
            self.memo[key] = self.engine.read_digits(image, dpi=dpi)
        return self.memo[key]

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self.engine, name)


def norm_number(s: str | None) -> str | None:
    if s is None:
        return None
    s = re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip().rstrip(".")
    return re.sub(r"\s*([/-])\s*", r"\1", s)


def found(text: str) -> tuple[str | None, str | None]:
    """The number (as printed) and the ISO date (None unless day, month and year) the fields find."""
    f = extract_fields(text)
    number = f.number.value if f.number else None
    date = None
    if f.date and f.date.year and f.date.month and f.date.day:
        date = f"{f.date.year:04d}-{f.date.month:02d}-{f.date.day:02d}"
    return norm_number(number), date


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "real")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--readers", nargs="+", default=list(READERS), choices=READERS)
    ap.add_argument("--cache-only", action="store_true", help="read the pages up to the figures pass")
    args = ap.parse_args(argv)
    options = Options()
    engine = MemoDigits(options.make_engine())
    records = [json.loads(x) for x in (args.real / "vietidp" / "fields.jsonl").read_text().splitlines()]
    records = records[: args.limit] if args.limit else records
    right = {r: [0, 0, 0] for r in args.readers}  # numbers, dates, Số: blanks read exactly
    misses = []
    n = blanks = 0
    for rec in records:
        got = cached(args.real / "vietidp" / rec["file"], options)
        if got is None or args.cache_only:
            continue
        n += 1
        page, words = got
        truth = (norm_number(rec["number"]), rec["date"])
        numeral = re.match(r"\d*", truth[0] or "").group()
        blank = next((b for b in find_blanks(page, list(words)) if b.label.text.startswith("Số")), None)
        blanks += blank is not None
        seen: dict[tuple, tuple[str | None, str | None]] = {}
        for reader in args.readers:
            if blank is not None and reader != "none":
                figure = read_blank(page, blank, engine, reader)
                right[reader][2] += figure is not None and figure.text == numeral
            after = words if reader == "none" else reread_filled_in(page, list(words), engine, reader=reader)
            key = tuple(sorted((w.text, w.left, w.top, w.conf) for w in after))
            if key not in seen:  # readers that leave the same words share the rest of the reading
                seen[key] = found(after_figures(page, after))
            number, date = seen[key]
            right[reader][0] += number == truth[0]
            right[reader][1] += date == truth[1]
            if (number, date) != truth:
                misses.append((rec["file"], reader, truth[0], number, truth[1], date))
    if args.cache_only:
        return
    print(f"{n} OCR'd first pages of vietidp, {blanks} with a blank after Số: found")
    print(f"{'reader':<10} {'number':>8} {'date':>8} {'Số: blank':>10}")
    for reader, (num, day, gap) in right.items():
        print(f"{reader:<10} {num:>8} {day:>8} {gap:>10}")
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "figures-misses.tsv", "w", encoding="utf-8") as fh:
        fh.write("file\treader\tnumber_truth\tnumber_read\tdate_truth\tdate_read\n")
        for m in misses:
            fh.write("\t".join(str(x) for x in m) + "\n")


if __name__ == "__main__":
    main()
