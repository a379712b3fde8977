"""Page pictures for the browser: thumbnails and page views rendered from the stored original.

PDFs go through the project's poppler wrapper (one page per call), images through PIL. Each picture
is turned upright as the pipeline turned it for OCR (``rotation``, degrees clockwise), so a page read
upside down is shown beside its text the right way up. Pictures are cached in memory (the archive may
be read-only, and nothing is written beside the user's files).
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from PIL import Image

from ..text import poppler

#: size name → (render dpi, longest side in pixels)
SIZES = {"thumb": (40, 240), "view": (110, 1400)}

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}


def media_type(path: Path) -> str:
    return MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")


@functools.lru_cache(maxsize=128)  # at most ~50 MB of page views
def page_png(original: Path, number: int, size: str, rotation: int = 0) -> bytes:
    """Page ``number`` (1-based) of ``original`` as PNG bytes at ``size`` (``thumb`` or ``view``).

    Raises :class:`ocr_ingest.errors.OcrIngestError` (or ``OSError``) when the page cannot be drawn.
    """
    dpi, longest = SIZES[size]
    if media_type(original) == "application/pdf":
        image = Image.fromarray(poppler.rasterize(str(original), number, dpi))
    else:
        with Image.open(original) as im:
            im.seek(number - 1)
            image = im.convert("RGB")
    if rotation % 360:
        image = image.rotate(-rotation, expand=True)  # PIL turns counter-clockwise
    image.thumbnail((longest, longest))
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False, compress_level=6)
    return buf.getvalue()


def page_texts(text: str, page_count: int) -> list[str]:
    """The stored text split at form feeds into ``page_count`` pages (missing pages are empty)."""
    parts = text.split("\f")
    return (parts + [""] * page_count)[: max(page_count, 1)]
