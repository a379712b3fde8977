"""The archive: a record per document (``record``), its folder and SQLite index (``store``), search with or
without diacritics (``search``), and ``ingest``: file → text → fields → signature report → record → store
(``ingestion``, loaded when first asked for: it brings the OCR pipeline and signature checking)."""

from typing import Any

from ..text.load import hash_file
from .record import Record
from .search import Filters, Hit, fold
from .store import DB_NAME, Archive

__all__ = ["DB_NAME", "Archive", "Filters", "Hit", "Record", "fold", "hash_file", "ingest", "read_document"]


def __getattr__(name: str) -> Any:
    if name in ("ingest", "read_document"):
        from . import ingestion

        return getattr(ingestion, name)
    raise AttributeError(f"module 'ocr_ingest.archive' has no attribute {name!r}")
