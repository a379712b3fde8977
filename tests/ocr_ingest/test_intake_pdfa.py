"""The archive's two-layer PDF/A copy of a scan: validated by pikepdf.pdfa, the scan's image streams
byte for byte, our clean text given back by pdftotext, and the invisible words lying on the scan's ink."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

from ocr_ingest.intake import validate, write_two_layer_pdfa
from ocr_ingest.intake.pdfa import graft_text_layers
from ocr_ingest.text.document import DocumentText
from ocr_ingest.text.pipeline import Options, extract_text

ROOT = Path(__file__).resolve().parents[2]
HARD = ROOT / "fixtures" / "scans" / "govquao-2021-hard.pdf"  # skewed, page 2 upside down
ORIGINAL_SHA256 = hashlib.sha256(HARD.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def hard_doc() -> DocumentText:
    return extract_text(HARD)


@pytest.fixture(scope="module")
def copy(hard_doc: DocumentText, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdfa") / "copy.pdf"
    xmp = {"dc:title": "Ý kiến kết luận của Chủ tịch UBND huyện", "dc:creator": ["VĂN PHÒNG HĐND-UBND"]}
    result = write_two_layer_pdfa(HARD, hard_doc, out, xmp=xmp)
    assert (result.verdict, result.pages_with_text) == ("pass", 3)
    return out


def image_digests(path: Path) -> list[tuple[str, int, int, str]]:
    with pikepdf.open(path) as pdf:
        return [
            (hashlib.sha256(im.read_raw_bytes()).hexdigest(), int(im.Width), int(im.Height), str(im.Filter))
            for page in pdf.pages
            for im in page.images.values()
        ]


def test_copy_is_pdfa_2b_and_keeps_the_scan_images(copy: Path) -> None:
    assert validate(copy) == ("pass", [])
    assert validate(HARD)[0] == "fail"  # the scan itself is no PDF/A: the validator can say no
    assert image_digests(copy) == image_digests(HARD)
    with pikepdf.open(copy) as pdf:
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "Ý kiến kết luận của Chủ tịch UBND huyện"
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"


def test_pdftotext_gives_back_our_text_page_by_page(copy: Path, hard_doc: DocumentText) -> None:
    for page in hard_doc.pages:
        n = str(page.number)
        out = subprocess.run(
            ["pdftotext", "-raw", "-f", n, "-l", n, str(copy), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "".join(out.split()) == "".join(page.text.split())


def ink(path: Path, prefix: Path) -> list[np.ndarray]:
    subprocess.run(["pdftoppm", "-r", "50", "-gray", str(path), str(prefix)], check=True)
    return [np.array(Image.open(p)) < 128 for p in sorted(prefix.parent.glob(prefix.name + "-*.pgm"))]


def test_words_lie_on_the_scans_ink(hard_doc: DocumentText, tmp_path: Path) -> None:
    """The layer drawn visibly without the scan: its letters overlap the scan's, and no shift of the
    layer (±6 px at 50 dpi, 3 mm) overlaps better than 1 px away: placed right, turned pages and skew too."""
    with pikepdf.open(HARD) as pdf:
        for page in pdf.pages:
            page.Contents = pdf.make_stream(b"")
        graft_text_layers(pdf, list(zip(pdf.pages, hard_doc.pages, strict=True)), visible=True)
        pdf.save(tmp_path / "visible.pdf")
    visible = tmp_path / "visible.pdf"
    scans, layers = ink(HARD, tmp_path / "scan"), ink(visible, tmp_path / "text")
    assert len(scans) == len(layers) == 3
    for scan, layer in zip(scans, layers, strict=True):
        overlap = {
            (dx, dy): int((scan & np.roll(np.roll(layer, dx, 1), dy, 0)).sum())
            for dx in range(-6, 7)
            for dy in range(-6, 7)
        }
        dx, dy = max(overlap, key=overlap.__getitem__)
        assert abs(dx) <= 1 and abs(dy) <= 1, (dx, dy)
        assert overlap[0, 0] / layer.sum() > 0.25


def test_original_is_untouched(copy: Path) -> None:
    assert hashlib.sha256(HARD.read_bytes()).hexdigest() == ORIGINAL_SHA256


REAL_SAMPLE = ROOT.parent / "shared" / "tt05" / "samples" / "001.03.08.H30.81.2024.K4.01.01.003.pdf"


@pytest.mark.real
@pytest.mark.skipif(not REAL_SAMPLE.exists(), reason="../shared/tt05/samples absent")
def test_delivered_sample_gets_our_layer_instead_of_its_wrong_one(tmp_path: Path) -> None:
    """An office's delivered scan (1-bit mask + colour JPEG, an OCR layer that misreads, XMP claiming
    PDF/A-2b): its images stay byte for byte, its layer goes, ours reads back, the copy passes."""
    doc = extract_text(REAL_SAMPLE, Options(force_ocr=True))
    out = tmp_path / "copy.pdf"
    write_two_layer_pdfa(REAL_SAMPLE, doc, out)
    assert validate(out) == ("pass", [])
    assert image_digests(out) == image_digests(REAL_SAMPLE)
    for page in doc.pages:
        n = str(page.number)
        got = subprocess.run(
            ["pdftotext", "-raw", "-f", n, "-l", n, str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "".join(got.split()) == "".join(page.text.split())
