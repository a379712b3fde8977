"""Shared test inputs, all built from the committed fixtures (see fixtures/generate.py)."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
from pdf2image import convert_from_path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@functools.cache
def _clean_page(dpi: int) -> np.ndarray:
    return np.asarray(
        convert_from_path(FIXTURES / "digital" / "govquao-2021.pdf", dpi=dpi, first_page=1, last_page=1)[
            0
        ].convert("RGB")
    )


@pytest.fixture
def clean_page_rgb() -> np.ndarray:
    """Page 1 of the born-digital Gò Quao notice rendered at 150 dpi, RGB (a perfect "scan")."""
    return _clean_page(150).copy()


@pytest.fixture
def clean_page_300() -> np.ndarray:
    return _clean_page(300).copy()


def truth(key: str, *, digital: bool = False) -> str:
    return (FIXTURES / "truth" / f"{key}{'.digital' if digital else ''}.txt").read_text(encoding="utf-8")


@functools.cache
def corpus_read(condition: str) -> dict:
    """Every document of the realistic corpus in one scan condition, read by the pipeline once per test
    session (minutes of OCR), for the CER and the field tests alike: ``{path: DocumentText}``."""
    from bench.corpus_fields import load_corpus, read_docs

    return read_docs([d.path(condition) for d in load_corpus()])
