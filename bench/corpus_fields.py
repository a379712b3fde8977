"""Field accuracy on the realistic corpus (issue 11): per field, by scan condition and by document kind.

``python -m bench.corpus_fields [--conditions digital grey300 bilevel200] [--misses]`` reads every
document of ``fixtures/corpus`` in each condition with the real pipeline (text layer or Tesseract),
extracts the fields and compares them with ``fixtures/corpus/expected/<id>.json``; the test suite asserts
the same comparison (``tests/ocr_ingest/test_corpus_fields.py``), this prints the tables for the README.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ocr_ingest import Options, extract_text
from ocr_ingest.execute.local import SerialExecutor, cores
from ocr_ingest.fields import NoticeFields, extract_fields
from ocr_ingest.fields.parse import fold
from ocr_ingest.text.document import DocumentText

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
CONDITIONS = ("digital", "grey300", "bilevel200")
FIELDS = (
    "parent_body", "issuing_body", "number", "place", "date", "doc_type", "subject",
    "authority", "signer_title", "signer_name", "recipients",
)  # fmt: skip


@dataclass(frozen=True)
class CorpusDoc:
    """One document of the corpus: what a clerk typed from it, and where its renderings are."""

    id: str
    kind: str
    features: tuple[str, ...]
    expected: dict[str, object]

    def path(self, condition: str) -> Path:
        return CORPUS / condition / f"{self.id}.pdf"

    def truth(self) -> str:
        return (CORPUS / "truth" / f"{self.id}.txt").read_text(encoding="utf-8")


def load_corpus() -> list[CorpusDoc]:
    docs = []
    for f in sorted((CORPUS / "expected").glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        docs.append(CorpusDoc(d["id"], d["kind"], tuple(d.get("features", ())), d["fields"]))
    return docs


def found_values(f: NoticeFields) -> dict[str, object]:
    """The extracted fields as plain values, in the expected JSON's shape."""
    out: dict[str, object] = {}
    for name in FIELDS:
        v = getattr(f, name)
        out[name] = [r.value for r in v] if name == "recipients" else (v.value if v is not None else None)
    return out


def compare(expected: dict[str, object], found: dict[str, object]) -> dict[str, bool]:
    """Exact comparison per field (white space collapsed): the value a clerk would type, or a miss."""

    def norm(v: object) -> object:
        if isinstance(v, list):
            return [norm(x) for x in v]
        return " ".join(v.split()) if isinstance(v, str) else v

    return {name: norm(expected.get(name)) == norm(found.get(name)) for name in FIELDS}


def read_docs(paths: Iterable[Path], options: Options | None = None) -> dict[Path, DocumentText]:
    """Documents read side by side, one page at a time each (both cores busy also on 1-page ones)."""
    paths = list(paths)
    with ThreadPoolExecutor(cores()) as pool:
        docs = pool.map(lambda p: extract_text(p, options, executor=SerialExecutor()), paths)
        return dict(zip(paths, docs, strict=True))


@dataclass(frozen=True)
class Outcome:
    doc: CorpusDoc
    condition: str
    text: str
    found: dict[str, object]
    right: dict[str, bool]

    def misses(self) -> list[str]:
        return [name for name, ok in self.right.items() if not ok]


def score(
    docs: list[CorpusDoc], condition: str, cache: Path | None = None, read: dict[Path, str] | None = None
) -> list[Outcome]:
    """Read and compare every document; ``read``: texts already read; ``cache``: keep each text there and
    reuse it next time (``<cache>/<condition>/<id>.txt``), to work on the field parser without OCR."""
    texts: dict[Path, str] = dict(read or {})
    todo = []
    for d in docs:
        saved = cache / condition / f"{d.id}.txt" if cache else None
        if d.path(condition) in texts:
            continue
        if saved and saved.exists():
            texts[d.path(condition)] = saved.read_text(encoding="utf-8")
        else:
            todo.append(d)
    for path, doc in read_docs(d.path(condition) for d in todo).items():
        texts[path] = doc.text
        if cache:
            (cache / condition).mkdir(parents=True, exist_ok=True)
            (cache / condition / f"{path.stem}.txt").write_text(doc.text, encoding="utf-8")
    out = []
    for d in docs:
        text = texts[d.path(condition)]
        found = found_values(extract_fields(text))
        out.append(Outcome(d, condition, text, found, compare(d.expected, found)))
    return out


def accuracy(outcomes: list[Outcome], field: str) -> float:
    return sum(o.right[field] for o in outcomes) / len(outcomes) if outcomes else float("nan")


def table(by_condition: dict[str, list[Outcome]]) -> str:
    """Markdown: one row per field, one column per condition; then all fields per kind."""
    conds = list(by_condition)
    rows = ["| field | " + " | ".join(conds) + " |", "|---|" + "---:|" * len(conds)]
    for name in FIELDS:
        rows.append(
            f"| {name} | " + " | ".join(f"{accuracy(by_condition[c], name):.0%}" for c in conds) + " |"
        )
    all_right = " | ".join(
        f"{sum(all(o.right.values()) for o in by_condition[c])}/{len(by_condition[c])}" for c in conds
    )
    rows.append(f"| documents with every field right | {all_right} |")
    rows += ["", "| kind (documents) | " + " | ".join(conds) + " |", "|---|" + "---:|" * len(conds)]
    kinds: dict[str, dict[str, list[Outcome]]] = defaultdict(lambda: defaultdict(list))
    for c, outs in by_condition.items():
        for o in outs:
            kinds[o.doc.kind][c].append(o)
    for kind in sorted(kinds):
        n = len(kinds[kind][conds[0]])
        cells = []
        for c in conds:
            outs = kinds[kind][c]
            right = sum(sum(o.right.values()) for o in outs)
            cells.append(f"{right / (len(outs) * len(FIELDS)):.0%}" if outs else "–")
        rows.append(f"| {kind} ({n}) | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def cause(o: Outcome, name: str) -> str:
    """A short reason for a miss, for the test's list of known misses (a first guess: read it)."""
    want, got = o.doc.expected.get(name), o.found.get(name)
    if got is None or got == []:
        if name == "signer_name" and "seal_over_name" in o.doc.features:
            return "the seal covers the name; OCR reads nothing there"
        return "OCR lost the line"
    if name == "number" and "handwritten_number" in o.doc.features:
        return "numeral written by hand, misread"
    if name == "date" and "handwritten_day" in o.doc.features:
        return "day written by hand, misread"
    if isinstance(want, list) and isinstance(got, list) and len(want) != len(got):
        return "OCR lost or split a recipient line"
    if fold(json.dumps(want, ensure_ascii=False)) == fold(json.dumps(got, ensure_ascii=False)):
        return "OCR: a tone or vowel mark"
    return "OCR: characters"


def known_misses(by_condition: dict[str, list[Outcome]]) -> str:
    """The misses as ``tests/ocr_ingest/corpus_misses.tsv``: condition, document, field, cause."""
    rows = [
        f"{o.condition}\t{o.doc.id}\t{name}\t{cause(o, name)}"
        for outs in by_condition.values()
        for o in outs
        for name in o.misses()
    ]
    return "\n".join(["condition\tdocument\tfield\tcause", *rows])


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--conditions", nargs="+", default=list(CONDITIONS), choices=CONDITIONS)
    p.add_argument("--misses", action="store_true", help="list every wrong field with both values")
    p.add_argument("--cache", type=Path, help="keep the texts read here and reuse them (parser work)")
    p.add_argument(
        "--known-misses", action="store_true", help="print the misses as tests/ocr_ingest/corpus_misses.tsv"
    )
    args = p.parse_args(argv)
    docs = load_corpus()
    by_condition = {c: score(docs, c, args.cache) for c in args.conditions}
    if args.known_misses:
        print(known_misses(by_condition))
        return
    print(f"{len(docs)} documents\n")
    print(table(by_condition))
    if args.misses:
        for c, outs in by_condition.items():
            for o in outs:
                for name in o.misses():
                    print(
                        f"{c} {o.doc.id} {name}: expected {o.doc.expected.get(name)!r}, got {o.found[name]!r}"
                    )


if __name__ == "__main__":
    main()
