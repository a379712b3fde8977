"""ocr-ingest: scanned and e-signed Vietnamese government notices → verified, clean, structured text.

Library entry points::

    from ocr_ingest import extract_text, Options
    doc = extract_text("notice.pdf")          # DocumentText: .text, .pages[i].confidence, ...
"""

from .document import DocumentText, PageText
from .errors import (
    BadInputError,
    EncryptedPdfError,
    MissingDependencyError,
    OcrIngestError,
    PageTooLargeError,
)
from .pipeline import Options, extract_text
from .record import Record, ingest

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
