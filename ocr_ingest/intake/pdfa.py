"""The archive's copy of a scan: a two-layer PDF/A-2b (Thông tư 05/2025/TT-BNV).

The scan's own image streams stay byte for byte as they are (no re-compression: their resolution and
colour are what the archive asked for); any invisible text layer the scan came with (a wrong OCR, as on
the samples an office delivered) is stripped, and our clean words are grafted on as an invisible text
layer placed word by word, so a reader's search and copy give our text. The layer is rendered by
OCRmyPDF's fpdf2 renderer with its glyphless font (the house model: OCRmyPDF's ``_graft.py``) in the
upright, deskewed frame the engine read, then turned onto the page by one matrix. XMP carries the
document's fields; ``pikepdf.pdfa`` adds the output intent and validates the bytes it writes.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Matrix, Name, Pdf

from ..text.document import DocumentText, PageText, WordBox

FLAVOUR = "2b"
RENDER_DPI = 300.0  # the text layer's own pixel grid: fine enough that word edges fall within 0.25 pt


class PdfaError(Exception):
    """The copy did not pass the PDF/A validator; ``findings`` are its reasons, one line each."""

    def __init__(self, findings: list[str]):
        super().__init__("not PDF/A-2b: " + "; ".join(findings[:5]))
        self.findings = findings


@dataclass(frozen=True)
class PdfaCopy:
    """What was written: the path, the validator's verdict and the pages given our text layer."""

    path: Path
    verdict: str
    pages_with_text: int


def write_two_layer_pdfa(
    source: Path, doc: DocumentText, out: Path, *, xmp: dict[str, str | list[str]] | None = None
) -> PdfaCopy:
    """Write ``out``: ``source``'s pages with ``doc``'s words as their text layer, as PDF/A-2b.

    ``source`` is only read. ``xmp`` maps XMP keys (``dc:title``, ``dc:creator``, ``pdf:Keywords``, …)
    to values. Raises :class:`PdfaError` if the validator does not approve what was written (nothing
    is left at ``out`` then).
    """
    import pikepdf.pdfa

    with pikepdf.open(source) as pdf:
        read = [(page, text) for page, text in zip(pdf.pages, doc.pages, strict=True) if text.source == "ocr"]
        for page, _ in read:
            strip_text_layer(pdf, page)
        graft_text_layers(pdf, [(page, text) for page, text in read if text.words])
        set_xmp(pdf, xmp or {})
        try:
            report = pikepdf.pdfa.save(pdf, out, FLAVOUR)
        except pikepdf.pdfa.PdfaError as exc:
            raise PdfaError(finding_lines(exc.report)) from exc
    return PdfaCopy(out, report.verdict, sum(1 for _, text in read if text.words))


def validate(path: Path) -> tuple[str, list[str]]:
    """The PDF/A-2b verdict on a written file (``pass``, ``fail``, ``not_checked``) and its findings.

    ``pikepdf.pdfa`` is an allowlist validator: it approves only what it knows to conform, so a
    ``pass`` is trustworthy, a finding may be a false alarm (it is not veraPDF)."""
    import pikepdf.pdfa

    report = pikepdf.pdfa.validate_written(path, FLAVOUR)
    return report.verdict, finding_lines(report)


def finding_lines(report: object) -> list[str]:
    return [str(f) for f in getattr(report, "findings", [])]


def strip_text_layer(pdf: Pdf, page: pikepdf.Page) -> None:
    """Remove the page's invisible text (render mode 3), in its content and in forms it draws.

    OCRmyPDF's own ``strip_invisible_text`` (its ``--redo-ocr``); visible text and images stay."""
    from ocrmypdf._graft import strip_invisible_text

    strip_invisible_text(pdf, page)


def graft_text_layers(pdf: Pdf, pages: list[tuple[pikepdf.Page, PageText]], *, visible: bool = False) -> None:
    """Draw each page's words invisibly over it: one form XObject per page appended to its content.
    All pages' layers are rendered in one go (one font embedded once). ``visible``: draw the letters
    (to see, or test, where the words land on the scan)."""
    if not pages:
        return
    sizes = [_upright_size(page, text.rotation) for page, text in pages]
    layer = render_text_layers(
        [(text.words, w, h) for (_, text), (w, h) in zip(pages, sizes, strict=True)], visible
    )
    with pikepdf.open(io.BytesIO(layer)) as src:
        for (page, text), (w, h), layer_page in zip(pages, sizes, src.pages, strict=True):
            form = pdf.copy_foreign(layer_page.as_form_xobject())
            name = page.add_resource(form, Name.XObject, prefix="OCR")
            ctm = upright_to_page(page, w, h, text.rotation, text.skew)
            page.contents_add(
                pdf.make_stream(b"q %s cm %s Do Q\n" % (ctm.encode(), bytes(name))), prepend=False
            )


def _upright_size(page: pikepdf.Page, rotation: int) -> tuple[float, float]:
    box = page.mediabox
    w, h = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    return (h, w) if rotation % 180 else (w, h)


def upright_to_page(
    page: pikepdf.Page, upright_w: float, upright_h: float, rotation: int, skew: float
) -> Matrix:
    """The matrix from the upright frame (points, origin bottom left) to the page's own space.

    The engine read the page turned ``rotation`` degrees clockwise and then rotated by ``-skew``
    degrees (deskew), both about the page's centre; rotations about one centre add up, so the way
    back is one turn of ``rotation + skew`` degrees counter-clockwise about the centre."""
    box = page.mediabox
    x0, y0 = float(box[0]), float(box[1])
    pw, ph = float(box[2]) - x0, float(box[3]) - y0
    to_centre = Matrix().translated(-upright_w / 2, -upright_h / 2)
    turn = Matrix().rotated(rotation + skew)
    to_page = Matrix().translated(x0 + pw / 2, y0 + ph / 2)
    return to_centre @ turn @ to_page  # pikepdf: ``a @ b`` applies a, then b


def render_text_layers(pages: list[tuple[tuple[WordBox, ...], float, float]], visible: bool = False) -> bytes:
    """A PDF with a page per (words, width, height in points) holding the words as invisible text.

    Only OCRmyPDF's own fonts are offered (its glyphless Occulta first): a search of the system's
    fonts for each script cost 0.3 s a page and adds nothing to text nobody sees."""
    from ocrmypdf.font import MultiFontManager
    from ocrmypdf.font.font_provider import BuiltinFontProvider
    from ocrmypdf.fpdf_renderer import Fpdf2MultiPageRenderer

    fonts = _ocrmypdf_font_dir()
    trees = [
        (k, ocr_tree(words, w * RENDER_DPI / 72, h * RENDER_DPI / 72), RENDER_DPI)
        for k, (words, w, h) in enumerate(pages)
    ]
    manager = MultiFontManager(fonts, font_provider=BuiltinFontProvider(fonts))
    renderer = Fpdf2MultiPageRenderer(trees, manager, invisible_text=not visible)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "layer.pdf"
        renderer.render(out)
        return out.read_bytes()


def ocr_tree(words: tuple[WordBox, ...], width_px: float, height_px: float):  # -> OcrElement
    """OCRmyPDF's OcrElement tree (page → lines → words, pixels) of our words, line by line."""
    from ocrmypdf.models.ocr_element import BoundingBox, OcrClass, OcrElement

    lines: dict[int, list[WordBox]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)

    def box(left: float, top: float, right: float, bottom: float) -> BoundingBox:
        return BoundingBox(left * width_px, top * height_px, right * width_px, bottom * height_px)

    children = []
    for line_words in lines.values():
        items = [
            OcrElement(OcrClass.WORD, box(w.left, w.top, w.right, w.bottom), text=w.text) for w in line_words
        ]
        edges = (
            min(w.left for w in line_words),
            min(w.top for w in line_words),
            max(w.right for w in line_words),
            max(w.bottom for w in line_words),
        )
        children.append(OcrElement(OcrClass.LINE, box(*edges), children=items))
    return OcrElement(
        OcrClass.PAGE, BoundingBox(0, 0, width_px, height_px), children=children, dpi=RENDER_DPI
    )


def _ocrmypdf_font_dir() -> Path:
    import ocrmypdf

    return Path(ocrmypdf.__file__).parent / "data"


def set_xmp(pdf: Pdf, values: dict[str, str | list[str]]) -> None:
    """The document's fields in XMP (Dublin Core and PDF keys, which PDF/A knows without extension
    schemas); the DocInfo dictionary is kept in step by pikepdf."""
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        for key, value in values.items():
            if value:
                meta[key] = value
