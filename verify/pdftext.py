"""Text of pages and of signature appearances, via PDFium (pypdfium2) and pikepdf: no hand-written parsing.

A signature widget keeps its stamp in an appearance stream, not in the page content (and PDFium's
flattening misplaces nested appearance forms), so each widget's ``/AP /N`` form is copied with pikepdf
into a one-page document of its own, whose text PDFium then reads: exactly that widget's stamp.

PDFium is not thread-safe, not even across different documents ("doing so would crash or corrupt
the process", pypdfium2's docs), and ``run`` and ``watch`` verify several documents in threads. So
every PDFium call, closing included, happens under one process-wide lock, and nothing PDFium made
outlives it (pages and text pages are closed explicitly, not left to the garbage collector).
"""

from __future__ import annotations

import threading
from io import BytesIO

import pikepdf
import pypdfium2 as pdfium

PDFIUM_LOCK = threading.Lock()


def _page_text(doc: pdfium.PdfDocument, index: int) -> str:
    """Caller holds ``PDFIUM_LOCK``."""
    page = doc[index]
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range()
    finally:
        textpage.close()
        page.close()


def _text_of(pdf_bytes: bytes, index: int = 0) -> str:
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf_bytes)
        try:
            return _page_text(doc, index)
        finally:
            doc.close()


class PdfText:
    """Page text and widget-appearance text for one document (opened lazily, once)."""

    def __init__(self, data: bytes):
        self._data = data
        self._pike: pikepdf.Pdf | None = None
        self._doc: pdfium.PdfDocument | None = None

    def _pdfium(self) -> pdfium.PdfDocument:
        """Caller holds ``PDFIUM_LOCK``."""
        if self._doc is None:
            self._doc = pdfium.PdfDocument(self._data)
        return self._doc

    def page(self, index: int) -> str:
        with PDFIUM_LOCK:
            return _page_text(self._pdfium(), index)

    def all(self) -> str:
        with PDFIUM_LOCK:
            doc = self._pdfium()
            return "\n".join(_page_text(doc, i) for i in range(len(doc)))

    def in_widget(self, index: int, rect: tuple[float, float, float, float]) -> str:
        """Text of the appearance of the widget at ``rect`` on page ``index`` ('' when there is none)."""
        if self._pike is None:
            self._pike = pikepdf.open(BytesIO(self._data))
        page = self._pike.pages[index]
        for annot in page.obj.get("/Annots", pikepdf.Array()):
            if annot.get("/Subtype") != "/Widget" or "/AP" not in annot:
                continue
            r = [float(x) for x in annot.Rect]
            box = (min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3]))
            if all(abs(a - b) < 0.5 for a, b in zip(box, rect, strict=True)):
                ap = annot.AP.get("/N")
                if isinstance(ap, pikepdf.Dictionary) and "/Type" not in ap and "/BBox" not in ap:
                    ap = next(iter(ap.values()), None)  # appearance states: take the first
                if not isinstance(ap, pikepdf.Stream):
                    return ""
                return self._form_text(ap)
        return ""

    def _form_text(self, ap: pikepdf.Stream) -> str:
        dst = pikepdf.new()
        form = dst.copy_foreign(ap)
        b = [float(x) for x in ap.get("/BBox", [0, 0, 612, 792])]
        bbox = [
            min(b[0], b[2]),
            min(b[1], b[3]),
            max(b[0], b[2]),
            max(b[1], b[3]),
        ]  # pyHanko writes y flipped
        w, h = max(bbox[2] - bbox[0], 1), max(bbox[3] - bbox[1], 1)
        page = dst.add_blank_page(page_size=(w, h))
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm=form))
        page.obj.Contents = dst.make_stream(f"q 1 0 0 1 {-bbox[0]} {-bbox[1]} cm /Fm Do Q".encode())
        buf = BytesIO()
        dst.save(buf)
        return _text_of(buf.getvalue())

    def close(self) -> None:
        if self._doc is not None:
            with PDFIUM_LOCK:
                self._doc.close()
            self._doc = None
        if self._pike is not None:
            self._pike.close()
