"""Character error rate on the realistic corpus (issue 12): per document and per scan condition.

    python -m bench.corpus_cer [--conditions grey300 bilevel200] [--limit N] [--set target_dpi=300] [--lost]

Every document of ``fixtures/corpus`` is read with the real pipeline and compared with
``fixtures/corpus/truth/<id>.txt`` (CER as ``ocr_ingest.text.cer`` computes it everywhere), and each *header
line* of the truth is looked for in the page-1 text. Header lines: the lines of the two-column block
above the type name or subject (issuer, number, motto, place and date), exact after whitespace collapse;
the e-signature banner's labelled lines and the lone ``*`` of a Party document are not counted (the
banner is a box of its own, and a mark without a letter is dropped as noise by ``clean.is_noise``).

What the truth holds and the scans do not, and the other way round (``fixtures/gen/corpus_docs.truth_text``):
the truth has a handwritten numeral or day as its value (Tesseract reads handwriting poorly, so documents
with ``handwritten_number`` / ``handwritten_day`` pay for it), and it does *not* have the received
stamp (``ĐẾN``), a handwritten margin note, signatures and seals: whatever the engine reads of those is
counted as inserted characters. The table gives the CER with and without those documents for that reason.
``--set NAME=VALUE`` reads with other ``pipeline.Options`` (a lever measured against the default).
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from dataclasses import dataclass, fields, replace
from pathlib import Path

from bench.corpus_fields import CorpusDoc, load_corpus, read_docs
from ocr_ingest.execute.local import cores
from ocr_ingest.text.cer import character_error_rate, comparable
from ocr_ingest.text.document import DocumentText
from ocr_ingest.text.pipeline import Options

CONDITIONS = ("grey300", "bilevel200")
#: marks on the paper that the truth leaves out (they read as insertions) or holds as typed (handwriting)
PAPER_ONLY = ("received_stamp", "handwritten_note", "margin_note")
HANDWRITTEN = ("handwritten_number", "handwritten_day")
_BANNER = re.compile(r"^(?:Người ký|Ký bởi|Email|Cơ quan|Thời gian ký|Giờ ký|Ngày ký)\s*:")
_DATE_LINE = re.compile(r"\bngày\b.*\bnăm\b")
_ALNUM = re.compile(r"\w")


def header_lines(truth: str) -> list[str]:
    """The truth's two-column header lines: after the banner, up to and including the place-and-date line."""
    out = []
    for line in truth.splitlines():
        if _BANNER.match(line):
            continue
        if _ALNUM.search(line):
            out.append(line)
        if _DATE_LINE.search(line):
            break
    return out


def lost_header_lines(truth: str, text: str, *, spaces: bool = True) -> list[str]:
    """Header lines not found (whitespace collapsed, exact) in the first page's text. ``spaces=False``
    ignores spaces: the truth keeps one after a numeral typed into a gap (``Số: 3027 /UBND-TNMT``),
    which the engine reads as one word, the line being otherwise right."""
    first = comparable(text.split("\f", 1)[0])
    if not spaces:
        first = first.replace(" ", "")
    return [
        ln for ln in header_lines(truth) if (comparable(ln) if spaces else ln.replace(" ", "")) not in first
    ]


@dataclass(frozen=True)
class Reading:
    doc: CorpusDoc
    condition: str
    cer: float
    lost: tuple[str, ...]
    lost_apart_from_spaces: tuple[str, ...]
    pages: int
    seconds: float  # the pipeline's own seconds summed over the pages (CPU-bound work, both cores busy)

    @property
    def clean(self) -> bool:
        """No mark on the paper that the truth leaves out or holds as typed."""
        return not set(self.doc.features) & set(PAPER_ONLY + HANDWRITTEN)


def measure(
    docs: list[CorpusDoc],
    condition: str,
    options: Options | None = None,
    read: dict[Path, DocumentText] | None = None,
) -> list[Reading]:
    """CER, header lines lost and seconds of each document; ``read``: the documents already read."""
    read = read or read_docs([d.path(condition) for d in docs], options)
    out = []
    for d in docs:
        doc = read[d.path(condition)]
        truth = d.truth()
        out.append(
            Reading(
                d,
                condition,
                character_error_rate(truth, doc.text),
                tuple(lost_header_lines(truth, doc.text)),
                tuple(lost_header_lines(truth, doc.text, spaces=False)),
                len(doc.pages),
                sum(p.seconds for p in doc.pages),
            )
        )
    return out


def pooled_cer(readings: list[Reading]) -> float:
    """Edits over all truth characters of the documents (long documents weigh more, as pages do)."""
    chars = sum(len(comparable(r.doc.truth())) for r in readings)
    return sum(r.cer * len(comparable(r.doc.truth())) for r in readings) / max(1, chars)


def summary(readings: list[Reading], wall: float) -> str:
    clean = [r for r in readings if r.clean]
    pages = sum(r.pages for r in readings)
    headers = sum(len(header_lines(r.doc.truth())) for r in readings)
    lost = sum(len(r.lost) for r in readings)
    lost_nospace = sum(len(r.lost_apart_from_spaces) for r in readings)
    return (
        f"{readings[0].condition}: {len(readings)} docs, {pages} pages | CER all {pooled_cer(readings):.2%}"
        f" (median doc {statistics.median(r.cer for r in readings):.2%}, worst {max(r.cer for r in readings):.2%})"
        f" | without paper-only marks / handwriting ({len(clean)} docs) {pooled_cer(clean):.2%}"
        f" | header lines lost {lost}/{headers} in {sum(bool(r.lost) for r in readings)} docs"
        f" ({lost_nospace} apart from spaces)"
        f" | {wall / pages:.2f} s/page wall on {cores()} cores, {sum(r.seconds for r in readings) / pages:.2f}"
        " s/page in the pipeline"
    )


def parse_set(items: list[str]) -> Options:
    kinds = {f.name: f.type for f in fields(Options)}
    values: dict[str, object] = {}
    for item in items:
        name, _, raw = item.partition("=")
        if name not in kinds:
            raise SystemExit(f"--set: Options has no field {name!r} ({', '.join(kinds)})")
        kind = kinds[name]
        values[name] = raw.lower() in ("1", "true", "yes") if kind == "bool" else eval(kind)(raw)  # noqa: S307
    return replace(Options(), **values)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--conditions", nargs="+", default=list(CONDITIONS), choices=CONDITIONS)
    p.add_argument("--limit", type=int, default=0, help="only the first N documents (by id)")
    p.add_argument("--only", nargs="*", default=(), help="only these ids")
    p.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE", help="pipeline.Options fields")
    p.add_argument("--docs", action="store_true", help="one line per document")
    args = p.parse_args(argv)
    docs = load_corpus()
    if args.only:
        docs = [d for d in docs if d.id in set(args.only)]
    if args.limit:
        docs = docs[: args.limit]
    options = parse_set(args.set)
    print(f"options: {options}")
    for condition in args.conditions:
        t0 = time.perf_counter()
        readings = measure(docs, condition, options)
        wall = time.perf_counter() - t0
        if args.docs:
            for r in readings:
                marks = ",".join(f for f in r.doc.features if f in PAPER_ONLY + HANDWRITTEN)
                print(f"  {condition} {r.doc.id:34} {r.pages}p CER {r.cer:6.2%} {marks}")
                for line in r.lost:
                    spacing = "" if line in r.lost_apart_from_spaces else " (only a space differs)"
                    print(f"      header line lost: {line}{spacing}")
        print(summary(readings, wall), flush=True)


if __name__ == "__main__":
    main()
