"""The language model's levers measured in seconds, not OCR hours: the words of every page are read once
and kept, then the pipeline's tail (``drop_unsure_words`` → ``join_number_pieces`` → ``split_glued_words`` → ``correct_lines`` → ``page_text`` →
``number_sections``, the only steps that consult the model) is run again with each model.

    python -m bench.lm_replay read [--sets nomvn grey300 bilevel200]   # OCR once (minutes), keeps words
    python -m bench.lm_replay score [--model PATH ...] [--pages]       # CER with each model (seconds)

``read`` runs the real pipeline (default ``Options``) and records, per page, the lines handed to
``drop_unsure_words`` and the page height handed to ``page_text``; it checks that replaying them with
the committed model gives the pipeline's own text, so a replay number is a pipeline number. Kept in
``bench/out/lm-replay/<set>.pkl`` (not committed: a cache of OCR output).

Sets: ``nomvn`` (``../shared/real/nomvn``: 9 real scans, the benchmark's metric, Levenshtein over the
longer of truth and text, mean over pages), ``grey300`` and ``bilevel200`` (``fixtures/corpus``: the
pooled CER that ``tests/ocr_ingest/test_corpus_cer.py`` bounds, and header lines lost). ``--model
none`` replays with ``correct=False`` (``drop_unsure_words`` still consults the committed model).
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.corpus_cer import lost_header_lines
from bench.corpus_fields import load_corpus
from bench.real import cer_nomvn
from ocr_ingest import lm
from ocr_ingest.execute.local import cores
from ocr_ingest.lm import model as lm_model
from ocr_ingest.text import clean, pipeline
from ocr_ingest.text.cer import character_error_rate, comparable
from ocr_ingest.text.layout import Line

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real"
NOMVN = REAL / "nomvn"
OUT = ROOT / "bench" / "out" / "lm-replay"
SETS = ("nomvn", "grey300", "bilevel200")


@dataclass
class Page:
    """One page as the pipeline's tail sees it: ``lines`` before ``drop_unsure_words`` (``None`` for a
    text-layer page, whose ``text`` is final), the height ``page_text`` judges noise by, and the text
    the pipeline gave (to check the replay)."""

    source: str
    text: str
    lines: list[Line] | None = None
    height: float = 0.0


@dataclass
class Doc:
    name: str
    truth: str
    pages: list[Page]
    text: str  # the pipeline's document text


_local = threading.local()


@contextmanager
def recording():
    """Patch the pipeline's tail so that each page's lines and height are kept on the thread reading it."""
    drop, text = clean.drop_unsure_words, clean.page_text

    def recorded_drop(lines):
        _local.seen["lines"] = list(lines)
        return drop(lines)

    def recorded_text(lines, height):
        _local.seen.setdefault("height", height)
        return text(lines, height)

    clean.drop_unsure_words, clean.page_text = recorded_drop, recorded_text
    try:
        yield
    finally:
        clean.drop_unsure_words, clean.page_text = drop, text


def _sources(name: str) -> list[tuple[Path, str]]:
    if name == "nomvn":
        return [
            (NOMVN / "docs" / f"{t.stem}.pdf", t.read_text(encoding="utf-8"))
            for t in sorted((NOMVN / "truth").glob("*.txt"))
        ]
    return [(d.path(name), d.truth()) for d in load_corpus()]


def _read_doc(path: Path, truth: str) -> Doc:
    options = pipeline.Options()
    pages = []
    for ref in pipeline.describe(path, options):
        _local.seen = {}
        got = pipeline.read_page(pipeline.PageTask(ref, options))
        seen = _local.seen
        lines = seen.get("lines") if got.source == "ocr" else None
        pages.append(Page(got.source, got.text, lines, seen.get("height", 0.0)))
    numbered = clean.number_sections([p.text for p in pages])
    text = "\f".join(n if p.source == "ocr" else p.text for p, n in zip(pages, numbered, strict=True))
    return Doc(path.stem, truth, pages, text)


def read(name: str) -> list[Doc]:
    """OCR every document of a set once (two at a time), keeping each page's lines (see module doc)."""
    with recording(), ThreadPoolExecutor(cores()) as pool:
        docs = list(pool.map(lambda src: _read_doc(*src), _sources(name)))
    wrong = [d.name for d in docs if replay(d, lm.load()) != d.text]
    if wrong:
        raise SystemExit(f"{name}: the replay does not give the pipeline's text for {wrong}")
    return docs


def load_cached(name: str) -> list[Doc]:
    """The pages ``read`` kept (by ``python -m``: pickled under ``__main__``, mapped back here)."""

    class Here(pickle.Unpickler):
        def find_class(self, module: str, name: str):
            return globals()[name] if module == "__main__" else super().find_class(module, name)

    with open(OUT / f"{name}.pkl", "rb") as f:
        return Here(f).load()


def replay(doc: Doc, model: lm.Model | None) -> str:
    """The document's text from its kept lines, with ``model`` (``None``: no correction)."""
    texts = []
    for p in doc.pages:
        if p.lines is None:
            texts.append(p.text)
            continue
        with using(model or lm.load()):  # the model also vouches for unsure words (drop_unsure_words)
            lines = clean.split_glued_words(
                clean.join_number_pieces(clean.mended_letters(clean.drop_unsure_words(p.lines)))
            )
            if model is not None:
                lines, _ = pipeline.correct_lines(lines)
        texts.append(clean.page_text(lines, p.height))
    numbered = clean.number_sections(texts)
    out = [t if p.lines is None else n for p, t, n in zip(doc.pages, texts, numbered, strict=True)]
    return "\f".join(out)


@contextmanager
def using(model: lm.Model):
    """``lm.correct`` with ``model`` (its default is the committed one, loaded by ``load()``)."""
    saved = lm_model.load
    lm_model.load = lambda path=None: model  # type: ignore[assignment]
    try:
        yield
    finally:
        lm_model.load = saved


def score(name: str, docs: list[Doc], model: lm.Model | None, per_page: bool = False) -> str:
    texts = [replay(d, model) for d in docs]
    if name == "nomvn":
        cers = [cer_nomvn(d.truth, t) for d, t in zip(docs, texts, strict=True)]
        line = f"nomvn: mean CER {statistics.mean(cers):.3%}"
        if per_page:
            line += "\n" + "\n".join(f"  {d.name:32} {c:.3%}" for d, c in zip(docs, cers, strict=True))
        return line
    chars = sum(len(comparable(d.truth)) for d in docs)
    edits = sum(
        character_error_rate(d.truth, t) * len(comparable(d.truth)) for d, t in zip(docs, texts, strict=True)
    )
    lost = sum(len(lost_header_lines(d.truth, t)) for d, t in zip(docs, texts, strict=True))
    return f"{name}: pooled CER {edits / chars:.3%}, header lines lost {lost}"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=("read", "score"))
    p.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    p.add_argument(
        "--model", nargs="+", default=["committed"], help="model.tsv.gz paths, 'committed', 'none'"
    )
    p.add_argument("--pages", action="store_true", help="nomvn: CER of each page")
    args = p.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.action == "read":
        for name in args.sets:
            t0 = time.perf_counter()
            docs = read(name)
            (OUT / f"{name}.pkl").write_bytes(pickle.dumps(docs))
            print(f"{name}: {len(docs)} documents read in {time.perf_counter() - t0:.0f} s", flush=True)
        return
    cached = {name: load_cached(name) for name in args.sets}
    for spec in args.model:
        t0 = time.perf_counter()
        model = None if spec == "none" else lm.load() if spec == "committed" else lm.load(Path(spec))
        loaded = time.perf_counter() - t0
        print(f"# model {spec} (loaded in {loaded:.1f} s)", flush=True)
        for name, docs in cached.items():
            print(score(name, docs, model, args.pages), flush=True)


if __name__ == "__main__":  # run as the module itself, so that the kept pages unpickle from anywhere
    from bench.lm_replay import main as module_main

    module_main()
