"""The syllable language model over the engine's words (``model``: ``correct(words) -> Corrected``), the
province and place names it restores (``places``), and the Vietnamese syllable rules (``vietnamese``).
``python -m ocr_ingest.lm.build`` builds ``model.tsv.gz``."""

from .model import (
    FAIRLY_SURE,
    MARGIN,
    MODEL,
    NUMBER,
    SURE,
    SURNAMES,
    Corrected,
    Correction,
    Model,
    comma_pairs,
    context_key,
    correct,
    key,
    load,
    phrases,
    seen_together,
)

__all__ = [
    "FAIRLY_SURE",
    "MARGIN",
    "MODEL",
    "NUMBER",
    "SURE",
    "SURNAMES",
    "Corrected",
    "Correction",
    "Model",
    "comma_pairs",
    "context_key",
    "correct",
    "key",
    "load",
    "phrases",
    "seen_together",
]
