"""Decoding pages: a scan's own JPEG is read straight into an array, pixel for pixel what PIL gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

from ocr_ingest.text import load
from tests.conftest import FIXTURES


def _pil_decode(ref: load.PageRef) -> np.ndarray:
    with pikepdf.open(ref.path) as pdf:
        (image,) = pdf.pages[ref.number - 1].get_images().values()
        pil = pikepdf.PdfImage(image).as_pil_image()
        return np.asarray(pil.convert("L") if pil.mode == "L" else pil.convert("RGB"))


def _jpeg_pdf(tmp_path: Path, mode: str) -> Path:
    """A one-page PDF holding a JPEG scan, as PIL (like many scanners) writes it: DCTDecode, one image."""
    rng = np.random.default_rng(1)
    shape = (330, 240) if mode == "L" else (330, 240, 3)
    pixels = (rng.random(shape) * 255).astype(np.uint8)
    path = tmp_path / f"scan-{mode}.pdf"
    Image.fromarray(pixels, mode).save(path, resolution=100)
    return path


@pytest.mark.parametrize("scan", ["govquao-2021-standard", "huyenuy-2023-hard"])
def test_scan_pages_decode_exactly_as_pil_does(scan):
    ref = load.describe(FIXTURES / "scans" / f"{scan}.pdf")[0]
    page = load.page_image(ref)
    assert page.ndim == 3 and np.array_equal(page, _pil_decode(ref))


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_grey_and_colour_jpeg_pages(tmp_path, mode):
    ref = load.describe(_jpeg_pdf(tmp_path, mode))[0]
    with pikepdf.open(ref.path) as pdf:
        direct = load._plain_jpeg(next(iter(pdf.pages[0].get_images().values())))
    page = load.page_image(ref)
    assert direct is not None and np.array_equal(page, direct)
    assert page.shape[:2] == (330, 240) and page.ndim == (2 if mode == "L" else 3)
    assert np.array_equal(page, _pil_decode(ref))


def test_only_plain_jpegs_are_decoded_directly(tmp_path):
    path = _jpeg_pdf(tmp_path, "RGB")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        (image,) = pdf.pages[0].get_images().values()
        assert load._plain_jpeg(image) is not None
        image.Filter = pikepdf.Array([pikepdf.Name.DCTDecode])  # the same filter, written as an array
        assert load._plain_jpeg(image) is not None
        image.DecodeParms = pikepdf.Dictionary(ColorTransform=0)  # colours as stored: PIL knows how
        assert load._plain_jpeg(image) is None
        del image.DecodeParms
        image.Width = 24_000  # the PDF says one size, the JPEG's own header another
        assert load._plain_jpeg(image) is None


def test_only_pages_without_any_font_skip_the_text_layer(tmp_path):
    """A scan has no font anywhere: no text layer to look for. A font on the page, in a form drawn on
    it (an overlaid stamp), or an annotation (it may draw text) and poppler is asked."""
    assert [r.has_fonts for r in load.describe(FIXTURES / "scans" / "govquao-2021-hard.pdf")] == [False] * 3
    assert load.describe(FIXTURES / "digital" / "govquao-2021.pdf")[0].has_fonts
    assert load.describe(FIXTURES / "digital" / "govquao-2021-stamp-layer.pdf")[0].has_fonts
    path = _jpeg_pdf(tmp_path, "RGB")
    assert not load.describe(path)[0].has_fonts
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array())
        pdf.save(path)
    assert load.describe(path)[0].has_fonts
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        del pdf.pages[0].Annots
        pdf.pages[0].Resources.XObject = 5  # malformed: unsure, so poppler is asked, the file still read
        pdf.save(path)
    assert load.describe(path)[0].has_fonts
