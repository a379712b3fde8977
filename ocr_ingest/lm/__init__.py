"""The syllable language model over the engine's words (``model``: ``correct(words) -> Corrected``), the
province and place names it restores (``places``), the Vietnamese syllable rules (``vietnamese``), and the
names real legal text shows signing under the leaders' titles (``signers``: ``listed()``).
``python -m ocr_ingest.lm.build`` builds ``model.tsv.gz``, ``python -m ocr_ingest.lm.signers`` ``signers.tsv``."""

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
