"""Issue 11: every field of every document of the realistic corpus, born-digital and scanned two ways.

The corpus (``fixtures/corpus``, made by ``fixtures/gen/corpus.py``) is 48 documents of 12 kinds in the
Nghị định 30 layout with received stamps, handwritten numbers, seals, banners, annexes and attached
regulations. Born-digital: every field right. Scans: every miss is one named in :data:`KNOWN_MISSES`
with its cause — a new miss fails, and so does a named one that no longer happens (so the list stays
true). The issue asks for 95 % of each field on the scans, asserted too: the misses left (at most
two documents a field and condition) are the list's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus_fields import FIELDS, Outcome, compare, found_values, load_corpus, score
from ocr_ingest import extract_text
from ocr_ingest.fields import extract_fields
from tests.conftest import corpus_read
from verify import verify_file

DOCS = load_corpus()

# (condition, document, field) -> why it misses: ``corpus_misses.tsv`` beside this file, written by
# ``python -m bench.corpus_fields --known-misses`` and read. Every cause is the scan's or the OCR's (a
# parser miss is fixed, not listed); the "tone or vowel mark" rows wait for issue 12's language model.
KNOWN_MISSES: dict[tuple[str, str, str], str] = {
    (c, d, f): cause
    for c, d, f, cause in (
        line.split("\t")
        for line in (Path(__file__).parent / "corpus_misses.tsv").read_text().splitlines()[1:]
    )
}


def test_corpus_is_there() -> None:
    assert len(DOCS) >= 40
    assert len({d.kind for d in DOCS}) >= 8


@pytest.mark.parametrize("doc", DOCS, ids=[d.id for d in DOCS])
def test_every_field_of_a_born_digital_document(doc) -> None:
    text = extract_text(doc.path("digital")).text
    found = found_values(extract_fields(text))
    wrong = {k: (doc.expected[k], found[k]) for k, ok in compare(doc.expected, found).items() if not ok}
    assert not wrong, wrong


@pytest.fixture(scope="module", params=["grey300", "bilevel200"])
def scanned(request: pytest.FixtureRequest) -> list[Outcome]:
    """Every document of one scan condition read with the real pipeline (Tesseract), once per module."""
    read = corpus_read(request.param)
    return score(DOCS, request.param, read={path: doc.text for path, doc in read.items()})


@pytest.mark.slow
def test_fields_on_scans(scanned: list[Outcome]) -> None:
    condition = scanned[0].condition
    misses = {(condition, o.doc.id, name) for o in scanned for name in o.misses()}
    named = {k for k in KNOWN_MISSES if k[0] == condition}
    details = {
        (c, i, n): (o.doc.expected[n], o.found[n]) for o in scanned for (c, i, n) in misses if i == o.doc.id
    }
    assert misses <= named, {k: details[k] for k in sorted(misses - named)}
    assert named <= misses, f"fixed, take off KNOWN_MISSES: {sorted(named - misses)}"
    shares = {name: sum(o.right[name] for o in scanned) / len(scanned) for name in FIELDS}
    print(condition, {name: f"{share:.0%}" for name, share in shares.items()})
    assert all(share >= 0.95 for share in shares.values()), f"issue 11's bar is 95 % a field: {shares}"


def expected_verdict(doc) -> str:
    """None of the corpus documents is signed; those with a printed e-signature banner show a stamp."""
    return "stamp_only" if "esign_banner" in doc.features else "unsigned"


@pytest.mark.parametrize("doc", DOCS, ids=[d.id for d in DOCS])
def test_verdict_of_a_born_digital_document(doc) -> None:
    assert verify_file(doc.path("digital")).verdict == expected_verdict(doc)


@pytest.mark.slow
def test_verdicts_on_scans(scanned: list[Outcome]) -> None:
    """A banner printed, then scanned, reads with OCR noise; it must still be found (stamp_only)."""
    wrong = {
        o.doc.id: (expected_verdict(o.doc), r.verdict)
        for o in scanned
        if (r := verify_file(o.doc.path(o.condition), text=o.text)).verdict != expected_verdict(o.doc)
    }
    assert not wrong, wrong
