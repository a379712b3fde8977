"""ocr-ingest: scanned and e-signed Vietnamese government notices → verified, clean, structured text.

Library entry points::

    from ocr_ingest import extract_text, Options
    doc = extract_text("notice.pdf")          # DocumentText: .text, .pages[i].confidence, ...
    from ocr_ingest import ingest
    record = ingest("notice.pdf", archive)   # Record: fields, signature report, archive paths
"""

from .errors import (
    BadInputError,
    EncryptedPdfError,
    MissingDependencyError,
    OcrIngestError,
    PageTooLargeError,
)
from .text.document import DocumentText, PageText
from .text.pipeline import Options, extract_text

__version__ = "0.1.0"

__all__ = [
    "BadInputError",
    "DocumentText",
    "EncryptedPdfError",
    "MissingDependencyError",
    "OcrIngestError",
    "Options",
    "PageText",
    "PageTooLargeError",
    "__version__",
    "extract_text",
]
__all__ += ["Record", "ingest"]


def __getattr__(name: str):
    """``ingest`` and ``Record`` load signature verification (pyHanko, ~0.5 s): only when asked for."""
    if name in ("ingest", "Record"):
        from . import archive

        return getattr(archive, name)
    raise AttributeError(f"module 'ocr_ingest' has no attribute {name!r}")
