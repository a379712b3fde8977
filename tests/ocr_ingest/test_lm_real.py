"""The language model on real text (issue 20, lever 4): built from ``../shared/real/lm``, judged on the
real scans of ``../shared/real/nomvn``. Marked ``real``; skipped when ``../shared/real`` is absent.

The nomvn pages are read once by the real pipeline (``bench.lm_replay.read``, which checks that the
kept words give the pipeline's own text) and the model's steps are replayed with and without it: the
floor and the model's own share, in the benchmark's metric (Levenshtein over the longer of truth and
text, mean over the 9 pages). Measured 2026-12-06: 4.53 % without the model, 4.07 % with the model
built from hand-written text, 3.77 % with the model built from the real text.
"""

from __future__ import annotations

import gzip
import statistics

import pytest

from bench import lm_replay
from bench.real import cer_nomvn
from ocr_ingest import lm
from ocr_ingest.lm import build

pytestmark = [
    pytest.mark.real,
    pytest.mark.skipif(not lm_replay.REAL.is_dir(), reason="../shared/real is absent"),
]
#: mean CER over the nomvn pages with the committed model, and how much the model takes off at least
CER_MEAN = 0.0380
MODEL_GAIN = 0.005


def test_the_model_from_real_text_sets_marks_right_on_real_scans():
    docs = lm_replay.read("nomvn")
    with_model, without = (
        statistics.mean(cer_nomvn(d.truth, lm_replay.replay(d, model)) for d in docs)
        for model in (lm.load(), None)
    )
    print(f"nomvn mean CER: {with_model:.3%} with the model, {without:.3%} without")
    assert with_model <= CER_MEAN
    assert without - with_model >= MODEL_GAIN


@pytest.mark.slow
def test_the_committed_model_is_what_the_build_makes_from_the_real_text(tmp_path):
    """Minutes: the whole text is counted again."""
    out = tmp_path / "model.tsv.gz"
    build.main([*map(str, sorted((lm_replay.REAL / "lm").glob("*.txt.gz"))), "--out", str(out)])
    with gzip.open(out, "rb") as new, gzip.open(lm.MODEL, "rb") as committed:
        assert new.read() == committed.read()
