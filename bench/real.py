"""Fields and text measured on real files (issue 20): ``make bench-real`` / ``python -m bench.real``.

On ``../shared/real`` (relative to the repository root; nothing here when it is absent):

- **vietidp**: 137 real e-signed decisions with hand-checked fields (``fields.jsonl``). Each file is read
  by the real pipeline, only the pages the fields come from (page 1 and the signature page the truth
  names: the truth was read from pages 1–6 only, so a block further on is ``null`` there and is not
  read here either); the fields are extracted and scored as the set's README says (NFC, white space
  collapsed, a trailing dot ignored, spaces around ``/`` and ``-`` ignored in the number). Accuracy per
  field by kind (``scan`` / ``digital``); every miss written to ``bench/out/real-misses.tsv``.
  ``--whole`` reads every page of every file, as ``run`` does (1 355 pages, ~15 min the first time), so
  the annexes and attached regulations after the signing block are in the text the fields come from;
  the block's fields of the 40 files whose block lies past page 6 (``null`` in ``fields.jsonl``) are
  scored against ``bench/vietidp-blocks.jsonl``: those blocks read by eye from the page images, as the
  set's README says its truth was read (2026-12-07; authority, title and name as printed).
- **nomvn**: 9 real scanned pages with hand-made truth. CER per page, its metric (NFC, white space
  collapsed, Levenshtein / max(|hyp|, |truth|)), for ocr-ingest, bare Tesseract ``vie`` on the page
  image and OCRmyPDF (``--sidecar``) on the image-only PDF, in the same run.

OCR is slow (~2 s a page), so every document read is kept in ``bench/out/real-cache`` under the file's
SHA-256, the pages read and :data:`READ_VERSION` (bump it when the text stage changes); a change to the
field code then re-scores in seconds. ``--fresh`` reads everything again.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from ocr_ingest import Options, extract_text
from ocr_ingest.execute import SerialExecutor, cores
from ocr_ingest.fields import extract_fields, known_signer, with_signing_day
from ocr_ingest.fields.parse import fold
from ocr_ingest.text.document import PageText, UnsureFigures, WordBox
from ocr_ingest.text.load import hash_file
from verify import verify_file

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real"
OUT = ROOT / "bench" / "out"
CACHE = OUT / "real-cache"
#: Part of every cache key: bump when the text stage (preprocess, OCR, layout, clean) changes.
READ_VERSION = "text-65"  # what each version changed: docs/accuracy.md, "Read versions"
FIELDS = (
    "issuing_body", "parent_body", "number", "place", "date", "doc_type", "subject",
    "authority", "signer_title", "signer_name",
)  # fmt: skip
KINDS = ("scan", "digital")
#: The signing block's fields: the set's truth holds them only when the block is on pages 1–6.
BLOCK = frozenset(("authority", "signer_title", "signer_name"))
#: The blocks past page 6, read by eye for ``--whole`` (the set's truth has them ``null``).
BLOCKS_PAST_PAGE_6 = ROOT / "bench" / "vietidp-blocks.jsonl"


# --- reading, cached ---------------------------------------------------------------------------------


def _cache_file(path: Path, tag: str) -> Path:
    return CACHE / f"{hash_file(path)[0][:20]}-{READ_VERSION}-{tag}.json"


def read_cached(
    path: Path, pages: tuple[int, ...] = (), fresh: bool = False, keep: bool = True
) -> list[dict]:
    """The pages of ``path`` the pipeline reads (``pages``: only these), as JSON-ready dicts (number,
    text, source, confidence, rotation, seconds), from the cache when there; ``fresh``: read again;
    ``keep``: False to neither use nor fill the cache (the tests read with the code as it is)."""
    tag = "p" + "_".join(map(str, pages)) if pages else "all"
    saved = _cache_file(path, tag)
    if saved.exists() and not fresh and keep:
        return json.loads(saved.read_text(encoding="utf-8"))["pages"]
    doc = extract_text(path, Options(pages=pages), executor=SerialExecutor())
    out = [
        {
            "number": p.number,
            "text": p.text,
            "source": p.source,
            "confidence": p.confidence,
            "rotation": p.rotation,
            "seconds": round(p.seconds, 2),
            "received": list(p.received),
            "words": [[w.text, w.left, w.top, w.right, w.bottom, w.line, w.conf] for w in p.words],
            "unsure": [[u.label, u.text, u.confidence] for u in p.unsure_figures],
        }
        for p in doc.pages
    ]
    if not keep:
        return out
    saved.parent.mkdir(parents=True, exist_ok=True)
    tmp = saved.with_suffix(".tmp")
    tmp.write_text(json.dumps({"file": path.name, "pages": out}, ensure_ascii=False), encoding="utf-8")
    tmp.replace(saved)
    return out


def read_all(
    jobs: list[tuple[Path, tuple[int, ...]]], fresh: bool, keep: bool = True, log: bool = True
) -> list[list[dict]]:
    """Documents read side by side (one page at a time each), in the order given."""
    done = [0]
    started = time.perf_counter()

    def one(job: tuple[Path, tuple[int, ...]]) -> list[dict]:
        pages = read_cached(*job, fresh=fresh, keep=keep)
        done[0] += 1
        if log:
            took = time.perf_counter() - started
            print(f"  [{done[0]}/{len(jobs)} {took:5.0f} s] {job[0].name}", file=sys.stderr, flush=True)
        return pages

    with ThreadPoolExecutor(cores()) as pool:
        return list(pool.map(one, jobs))


# --- vietidp: fields ---------------------------------------------------------------------------------


def load_truth(folder: Path) -> list[dict]:
    lines = (folder / "fields.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def pages_needed(row: dict) -> tuple[int, ...]:
    """Page 1 (the header) and the signature block's page, as the truth names it."""
    sig = row.get("signature_page")
    return (1,) if not sig or sig == 1 else (1, int(sig))


def normalise(field: str, value: object) -> object:
    """The README's comparison: NFC, white space collapsed, a trailing dot ignored; in the number,
    spaces around ``/`` and ``-`` too."""
    if not isinstance(value, str):
        return value
    v = " ".join(unicodedata.normalize("NFC", value).split()).rstrip(".").rstrip()
    if field == "number":
        v = re.sub(r"\s*([/-])\s*", r"\1", v)
    return v or None


@dataclass(frozen=True)
class Scored:
    row: dict
    found: dict[str, object]
    #: Fields the truth cannot judge here: read whole, a file whose signing block lies past the pages the
    #: truth was read from (``signature_page`` null) has no truth for the block's fields.
    unjudged: frozenset[str] = frozenset()

    @property
    def kind(self) -> str:
        return self.row["kind"]

    def right(self, field: str) -> bool:
        return normalise(field, self.row.get(field)) == normalise(field, self.found.get(field))


def as_page(page: dict) -> PageText:
    """A cached page as the pipeline's :class:`PageText` (text and word boxes: what the fields read)."""
    words = tuple(WordBox(*w) for w in page.get("words", ()))
    unsure = tuple(UnsureFigures(*u) for u in page.get("unsure", ()))
    return PageText(page["number"], page["text"], page["source"], words=words, unsure_figures=unsure)


def fields_of(pages: list[dict], signed: Sequence[tuple[str, str]] = ()) -> dict[str, object]:
    """The fields as ``ingest`` makes them: from the text, then the signature's day (``signed``)."""
    f = extract_fields("\f".join(p["text"] for p in pages), [as_page(p) for p in pages])
    f = with_signing_day(f, signed)
    return {name: (v.value if (v := getattr(f, name)) is not None else None) for name in FIELDS}


def as_archive_fed(scored: list[Scored]) -> list[Scored]:
    """The set as ``ingest`` stores it in one archive, file after file in the truth's order: a signer's
    name read without its family name is completed from the names stored before it under the same
    issuer (``archive.ingestion.named_as_archive_knows``, which reads ``Archive.signers``: the same
    parent and issuing body, folded). The first files of an issuer know nothing yet."""
    out, stored = [], []
    for s in scored:
        key = fold(" ".join(str(s.found[k]) for k in ("parent_body", "issuing_body") if s.found[k]))
        known = [(body, name) for k, body, name in stored if k == key]
        full = known_signer(s.found["signer_name"], s.found["issuing_body"], known)  # type: ignore[arg-type]
        found = {**s.found, "signer_name": full} if full else s.found
        stored.append((key, found["issuing_body"], found["signer_name"]))
        out.append(Scored(s.row, found, s.unjudged))
    return out


def signed_by(path: Path, keep: bool = True) -> tuple[tuple[str, str], ...]:
    """Who signed ``path`` validly and when (``verify.FileReport.signed_by()``), cached like the text."""
    saved = CACHE / f"{hash_file(path)[0][:20]}-signed.json"
    if keep and saved.exists():
        return tuple(tuple(s) for s in json.loads(saved.read_text(encoding="utf-8")))  # type: ignore[misc]
    signed = verify_file(path).signed_by()
    if keep:
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(json.dumps(signed, ensure_ascii=False), encoding="utf-8")
    return signed


def score_vietidp(
    folder: Path,
    fresh: bool = False,
    only: Iterable[str] | None = None,
    keep: bool = True,
    whole: bool = False,
) -> list[Scored]:
    """Every file of the set (``only``: these names) read and its fields scored; ``keep``: use the cache;
    ``whole``: every page read, as ``run`` reads a file (the signing block's fields are then judged only
    where the truth holds them: a block on pages 1–6)."""
    rows = load_truth(folder)
    if only is not None:
        names = set(only)
        rows = [r for r in rows if r["file"] in names]
    jobs = [(folder / r["file"], () if whole else pages_needed(r)) for r in rows]
    docs = read_all(jobs, fresh, keep, log=keep)
    signed = [signed_by(folder / r["file"], keep) for r in rows]
    if whole:
        rows = [_with_block_past_page_6(r) for r in rows]
    return [
        Scored(r, fields_of(d, s), BLOCK if whole and not r.get("signature_page") else frozenset())
        for r, d, s in zip(rows, docs, signed, strict=True)
    ]


def _with_block_past_page_6(row: dict) -> dict:
    """``row`` with its signing block from :data:`BLOCKS_PAST_PAGE_6` where the set's truth has none."""
    if row.get("signature_page"):
        return row
    return {**row, **_blocks_past_page_6().get(row["file"], {})}


@functools.cache
def _blocks_past_page_6() -> dict[str, dict]:
    if not BLOCKS_PAST_PAGE_6.exists():
        return {}
    lines = BLOCKS_PAST_PAGE_6.read_text(encoding="utf-8").splitlines()
    return {(block := json.loads(line))["file"]: block for line in lines if line.strip()}


def score_archived(
    folder: Path, fresh: bool = False, whole: bool = False
) -> tuple[list[Scored], list[Scored]]:
    """The set's fields as ``run`` reads each file alone, and as ``ingest`` stores them in one archive
    (:func:`as_archive_fed`)."""
    alone = score_vietidp(folder, fresh, whole=whole)
    return alone, as_archive_fed(alone)


def accuracy(scored: list[Scored], field: str) -> float:
    judged = [s for s in scored if field not in s.unjudged]
    return sum(s.right(field) for s in judged) / len(judged) if judged else float("nan")


def field_table(scored: list[Scored]) -> str:
    """Markdown: one row per field, columns scan / digital / all."""
    groups = {k: [s for s in scored if s.kind == k] for k in KINDS}
    groups["all"] = scored
    rows = [
        "| field | " + " | ".join(f"{k} ({len(v)})" for k, v in groups.items()) + " |",
        "|---|" + "---:|" * len(groups),
    ]
    for name in FIELDS:
        rows.append(f"| {name} | " + " | ".join(f"{accuracy(v, name):.1%}" for v in groups.values()) + " |")
    every = " | ".join(
        f"{sum(all(s.right(f) for f in FIELDS if f not in s.unjudged) for s in v)}/{len(v)}"
        for v in groups.values()
    )
    mean = " | ".join(
        f"{statistics.mean(accuracy(v, f) for f in FIELDS):.1%}" if v else "–" for v in groups.values()
    )
    rows += [f"| all fields (mean) | {mean} |", f"| files with every field right | {every} |"]
    return "\n".join(rows)


def cause(field: str, want: object, got: object) -> str:
    """A first guess at why a field misses, from the two values alone (read the notes to be sure)."""
    if got is None:
        return "lost" if want is not None else "found where the truth has none"
    if want is None:
        return "found where the truth has none"
    w, g = str(normalise(field, want)), str(normalise(field, got))
    if field == "date" and w.startswith(g):
        return "left partial (a day or month not read)"
    if field == "number" and w.endswith(g) and g[:1] in "/-":
        return "left partial (the numeral not read)"
    if fold(w) == fold(g):
        return "a tone or vowel mark"
    if g in w:
        return "part lost"
    if w in g:
        return "other text joined"
    return "characters"


def misses(scored: list[Scored]) -> list[tuple[str, str, str, str, str, str]]:
    """(file, kind, field, cause, expected, got) for every wrong field."""
    out = []
    for s in scored:
        for name in FIELDS:
            if name not in s.unjudged and not s.right(name):
                want, got = s.row.get(name), s.found.get(name)
                out.append((s.row["file"], s.kind, name, cause(name, want, got), str(want), str(got)))
    return out


def cause_table(rows: list[tuple[str, str, str, str, str, str]]) -> str:
    """Markdown: misses per field and cause."""
    counts: dict[tuple[str, str], int] = {}
    for _, _, field, why, _, _ in rows:
        counts[field, why] = counts.get((field, why), 0) + 1
    lines = ["| field | cause | misses |", "|---|---|---:|"]
    lines += [
        f"| {f} | {why} | {n} |" for (f, why), n in sorted(counts.items(), key=lambda x: (x[0][0], -x[1]))
    ]
    return "\n".join(lines)


# --- nomvn: CER against peers ------------------------------------------------------------------------


def cer_nomvn(truth: str, hypothesis: str) -> float:
    """The benchmark's own metric: NFC, white space collapsed, Levenshtein / max(|hyp|, |truth|)."""
    t = " ".join(unicodedata.normalize("NFC", truth).split())
    h = " ".join(unicodedata.normalize("NFC", hypothesis).split())
    return Levenshtein.distance(t, h) / max(1, len(t), len(h))


ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _tool_cached(tool: str, path: Path, run: Callable[[Path], str], fresh: bool) -> str:
    saved = CACHE / f"{hash_file(path)[0][:20]}-{tool}.txt"
    if saved.exists() and not fresh:
        return saved.read_text(encoding="utf-8")
    text = run(path)
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(text, encoding="utf-8")
    return text


def bare_tesseract(png: Path) -> str:
    cmd = ["tesseract", str(png), "stdout", "-l", "vie"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True, env=ENV).stdout


def ocrmypdf(pdf: Path) -> str:
    """OCRmyPDF as users run it on a scan (deskew, clean, rotate, forced OCR), its ``--sidecar`` text."""
    with tempfile.TemporaryDirectory() as tmp:
        sidecar = Path(tmp) / "out.txt"
        cmd = [str(Path(sys.executable).parent / "ocrmypdf"), "-l", "vie", "--deskew", "--clean"]
        cmd += ["--rotate-pages", "--force-ocr", "--jobs", "1", "--sidecar", str(sidecar), "-q"]
        cmd += [str(pdf), str(Path(tmp) / "out.pdf")]
        subprocess.run(cmd, capture_output=True, check=True, env=ENV)
        return sidecar.read_text(encoding="utf-8").replace("\f", "\n")


def score_nomvn(
    folder: Path, fresh: bool = False, peers: bool = True, keep: bool = True
) -> dict[str, dict[str, float]]:
    """{page: {tool: CER}} for every page of the set; ``keep``: use the cache."""
    names = sorted(p.stem for p in (folder / "truth").glob("*.txt"))
    ours = read_all([(folder / "docs" / f"{n}.pdf", ()) for n in names], fresh, keep, log=keep)
    out: dict[str, dict[str, float]] = {}
    tools: dict[str, Callable[[str], str]] = {}
    if peers:
        tools = {
            "bare tesseract": lambda n: _tool_cached(
                "tesseract", folder / "pages" / f"{n}.png", bare_tesseract, fresh
            ),
            "ocrmypdf": lambda n: _tool_cached("ocrmypdf", folder / "docs" / f"{n}.pdf", ocrmypdf, fresh),
        }
    with ThreadPoolExecutor(cores()) as pool:
        peer_texts = {t: list(pool.map(run, names)) for t, run in tools.items()}
    for i, n in enumerate(names):
        truth = (folder / "truth" / f"{n}.txt").read_text(encoding="utf-8")
        row = {"ocr-ingest": cer_nomvn(truth, "\f".join(p["text"] for p in ours[i]))}
        for t, texts in peer_texts.items():
            row[t] = cer_nomvn(truth, texts[i])
        out[n] = row
    return out


def cer_table(cers: dict[str, dict[str, float]]) -> str:
    tools = list(next(iter(cers.values())))
    rows = ["| page | " + " | ".join(tools) + " |", "|---|" + "---:|" * len(tools)]
    for name, row in cers.items():
        rows.append(f"| {name} | " + " | ".join(f"{row[t]:.2%}" for t in tools) + " |")
    rows.append(
        "| **mean** | "
        + " | ".join(f"**{statistics.mean(r[t] for r in cers.values()):.2%}**" for t in tools)
        + " |"
    )
    return "\n".join(rows)


# --- main --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--real", type=Path, default=REAL, help="the real sets' folder (default: ../shared/real)")
    p.add_argument("--fresh", action="store_true", help="read every file again, ignoring the cache")
    p.add_argument("--only", choices=("vietidp", "nomvn"), help="one set only")
    p.add_argument(
        "--whole",
        action="store_true",
        help="vietidp: read every page of every file, as `run` does (the first time: ~15 min), not only page 1"
        " and the signature page; misses to bench/out/real-misses-whole.tsv",
    )
    p.add_argument("--no-peers", action="store_true", help="nomvn: ocr-ingest only, no Tesseract/OCRmyPDF")
    args = p.parse_args(argv)
    if not args.real.is_dir():
        print(f"{args.real} is absent: nothing to measure")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    if args.only in (None, "vietidp"):
        t0 = time.perf_counter()
        alone, scored = score_archived(args.real / "vietidp", args.fresh, args.whole)
        read = "every page" if args.whole else "page 1 and the signature page"
        print(f"\n## vietidp: {len(scored)} files, {read} ({time.perf_counter() - t0:.0f} s)\n")
        print(field_table(scored))
        by_kind = " / ".join(
            f"{accuracy([s for s in alone if s.kind == k], 'signer_name'):.1%}" for k in KINDS
        )
        print(
            f"\nAs `ingest` stores the files in one archive, in file order: a name whose family name the seal"
            f" took is completed from the names stored before it ({sum(a.found != b.found for a, b in zip(alone, scored, strict=True))}"
            f" files). Each file read alone (`run`), signer_name scan / digital: {by_kind}."
        )
        rows = misses(scored)
        tsv = OUT / ("real-misses-whole.tsv" if args.whole else "real-misses.tsv")
        tsv.write_text(
            "\n".join("\t".join(r) for r in [("file", "kind", "field", "cause", "expected", "got"), *rows])
            + "\n",
            encoding="utf-8",
        )
        print(f"\n{len(rows)} misses listed in {tsv.relative_to(ROOT)}; by cause:\n")
        print(cause_table(rows))
    if args.only in (None, "nomvn"):
        t0 = time.perf_counter()
        cers = score_nomvn(args.real / "nomvn", args.fresh, peers=not args.no_peers)
        print(f"\n## nomvn: CER per page, Levenshtein / max(len) ({time.perf_counter() - t0:.0f} s)\n")
        print(cer_table(cers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
