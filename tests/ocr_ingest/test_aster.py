"""The second engine (issue 12, lever 2): AsterOCR's network on Tesseract's lines, for real (its ONNX
weights ship in its wheel, a dependency). Its accuracy
against Tesseract is a benchmark (``bench/bench_engines.py``); here: that it reads, where it puts the
words, and that it fails clearly when the extra is missing."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from bench.corpus_fields import load_corpus
from ocr_ingest.errors import MissingDependencyError
from ocr_ingest.text import aster
from ocr_ingest.text.cer import character_error_rate
from ocr_ingest.text.engines import AsterEngine
from ocr_ingest.text.pipeline import Options, extract_text
from ocr_ingest.text.tesseract import Word


def _word(text: str, left: int, right: int, line: int = 1) -> Word:
    return Word(text, left, 100, right, 130, 90.0, 1, 1, line)


def test_a_line_is_cut_at_a_gutter_and_where_the_network_ends():
    header = [_word("UBND", 0, 100), _word("TỈNH", 110, 200), _word("CỘNG", 600, 700)]
    assert [[w.text for w in p] for p in aster._pieces(header)] == [["UBND", "TỈNH"], ["CỘNG"]]
    # a 30 px line, padded 6 px above and below, scales 42 → 32 px: 256 steps of 4 columns hold 1 344 px
    long = [_word(f"w{i}", i * 60, i * 60 + 50) for i in range(40)]
    pieces = aster._pieces(long)
    assert len(pieces) == 2 and sum(map(len, pieces)) == 40
    assert all(p[-1].right - p[0].left + 12 <= 1344 for p in pieces)


def test_a_corpus_page_read_by_asterocr_is_close_to_its_truth_with_words_in_place():
    doc = next(d for d in load_corpus() if d.id == "bc-snn-daklak-2025-69")
    text = extract_text(doc.path("grey300"), Options(engine="asterocr")).text
    cer = character_error_rate(doc.truth(), text)
    print(f"asterocr CER {cer:.2%}")
    assert cer <= 0.015  # measured 0.73 % (Tesseract: 0.00 %)
    assert "Kết quả thực hiện công tác phòng, chống" in text


def test_words_lie_on_their_line_left_to_right_with_confidences():
    doc = next(d for d in load_corpus() if d.id == "bc-snn-daklak-2025-69")
    from ocr_ingest.text import load
    from ocr_ingest.text.pipeline import prepare_for_ocr

    ref = load.describe(doc.path("grey300"))[0]
    engine = AsterEngine()
    page = prepare_for_ocr(load.page_image(ref), ref.dpi, engine, Options(engine="asterocr"))
    words = engine.recognise(page.image, dpi=page.dpi)
    line = [w for w in words if w.text in ("BÁO", "CÁO")]
    assert [w.text for w in line] == ["BÁO", "CÁO"]
    assert line[0].right <= line[1].left
    assert all(0 <= w.conf <= 100 and w.right > w.left and w.bottom > w.top for w in words)
    assert np.mean([w.conf for w in words]) > 80


def test_version_names_both_engines():
    assert AsterEngine().version().startswith("asterocr 1.0.2 (onnxruntime ")
    assert " on tesseract 5" in AsterEngine().version()


def test_without_the_package_the_error_says_how_to_install_it(monkeypatch):
    aster.model.cache_clear()
    monkeypatch.setitem(sys.modules, "asterocr", None)  # what an absent package looks like to import
    try:
        with pytest.raises(MissingDependencyError, match=r"reinstall ocr-ingest"):
            AsterEngine().recognise(np.full((64, 64), 255, np.uint8), dpi=300)
    finally:
        aster.model.cache_clear()


def test_cli_reads_with_the_engine_asked_for():
    doc = next(d for d in load_corpus() if d.id == "bc-snn-daklak-2025-69")
    out = subprocess.run(
        [sys.executable, "-m", "ocr_ingest.cli", "text", "--engine", "asterocr", str(doc.path("bilevel200"))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "BÁO CÁO" in out.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "ocr_ingest.cli", "text", "--engine", "nope", str(doc.path("bilevel200"))],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "invalid choice: 'nope'" in bad.stderr
