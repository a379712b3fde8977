"""The corpus scanner (fixtures/gen/scanner.py): page count, resolution, encodings, determinism, and
that the marks land where they are asked to, in their inks."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from fixtures.gen import scanner
from fixtures.gen.render import Box, register_fonts
from ocr_ingest.text import load

PAGE_W, PAGE_H = A4
SEAL = scanner.Seal((1, 200.0, 300.0), "ỦY BAN NHÂN DÂN * TỈNH LÂM ĐỒNG *")
SIGNATURE = Box(1, 300, 280, 200, 70)
NOTE = Box(0, 350, 520, 150, 24)
STAMP = scanner.ReceivedStamp(Box(0, 60, 440, 170, 60), "VĂN PHÒNG UBND TỈNH ĐẮK LẮK", "1532", "12/3/2025")
MARKS = scanner.PaperMarks(
    signatures=(SIGNATURE,), seals=(SEAL,), handwriting=(scanner.Handwriting(NOTE, "122"),), received=STAMP
)
BLANK = Box(0, 60, 150, 150, 60)  # nothing printed or marked here (the text ends at y ~600)
SLACK_PT = 20  # ±1.5° skew about the centre plus a 1.5 mm shift move a point up to ~16 pt


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two A4 pages of 13 pt Liberation Serif, as the corpus renderer prints them."""
    register_fonts()
    path = tmp_path_factory.mktemp("paper") / "paper.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for page in range(2):
        c.setFont("Serif", 13)
        for i in range(12):
            c.drawString(72, 800 - 18 * i, f"Trang {page + 1}, dòng {i + 1}: Ủy ban nhân dân tỉnh Lâm Đồng")
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def scans(paper: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("scans")
    result = {}
    for condition in scanner.CONDITIONS:
        path = out / f"{condition}.pdf"
        assert scanner.scan(paper, MARKS, condition, 7, path) == 2
        result[condition] = path
    return result


@dataclass(frozen=True)
class PageImage:
    """What a scan page holds: its one image's dictionary entries, raw bytes and pixels, the page size."""

    filter: str
    colour_space: str
    bits: int
    width: int
    height: int
    parms: dict[str, int | bool]
    raw: bytes
    pixels: np.ndarray  # grey, as pikepdf decodes the image
    page_pt: tuple[float, float]

    @property
    def dpi(self) -> int:
        return round(self.width / (self.page_pt[0] / 72))


def _page_image(path: Path, page: int) -> PageImage:
    with pikepdf.open(path) as pdf:
        p = pdf.pages[page]
        (image,) = p.get_images().values()
        parms = image.get("/DecodeParms", pikepdf.Dictionary())
        return PageImage(
            str(image.Filter),
            str(image.ColorSpace),
            int(image.BitsPerComponent),
            int(image.Width),
            int(image.Height),
            {str(k)[1:]: (bool(v) if isinstance(v, bool) else int(v)) for k, v in parms.items()},
            image.read_raw_bytes(),
            np.asarray(pikepdf.PdfImage(image).as_pil_image().convert("L")),
            (float(p.mediabox[2]), float(p.mediabox[3])),
        )


def test_grey300_is_a_300_dpi_grey_jpeg_per_page(scans: dict[str, Path]) -> None:
    for n in range(2):
        image = _page_image(scans["grey300"], n)
        assert (image.filter, image.colour_space, image.bits) == ("/DCTDecode", "/DeviceGray", 8)
        assert image.dpi == 300
        assert abs(image.page_pt[0] - PAGE_W) < 1 and abs(image.page_pt[1] - PAGE_H) < 1
        with Image.open(io.BytesIO(image.raw)) as jpeg:
            assert jpeg.mode == "L" and jpeg.size == (image.width, image.height)
        assert len(image.raw) < 400_000


def test_bilevel200_is_a_200_dpi_ccitt_g4_image_per_page(scans: dict[str, Path]) -> None:
    for n in range(2):
        image = _page_image(scans["bilevel200"], n)
        assert (image.filter, image.colour_space, image.bits) == ("/CCITTFaxDecode", "/DeviceGray", 1)
        assert image.parms["K"] == -1
        assert (image.parms["Columns"], image.parms["Rows"]) == (image.width, image.height)
        assert image.dpi == 200
        assert len(image.raw) < 60_000


def test_bilevel_pages_read_as_black_ink_on_white_paper(scans: dict[str, Path]) -> None:
    """Neither poppler nor our loader may see the page inverted (the /BlackIs1 trap)."""
    ref = load.describe(scans["bilevel200"])[0]
    assert ref.dpi == 200
    decoded = load.page_image(ref)
    rendered = load.poppler.rasterize(ref.path, 1, 200)
    for img in (decoded, rendered.mean(axis=2)):
        assert img.mean() > 200  # mostly paper
        text = _crop(img, Box(0, 72, 800 - 18 * 11 - 4, 300, 18 * 12), 200)
        assert (text < 128).mean() > 0.03  # the printed lines are black


def test_same_seed_same_bytes_other_seed_other_page(
    paper: Path, scans: dict[str, Path], tmp_path: Path
) -> None:
    for condition in scanner.CONDITIONS:
        again = tmp_path / f"{condition}-again.pdf"
        scanner.scan(paper, MARKS, condition, 7, again)
        assert again.read_bytes() == scans[condition].read_bytes()
    other = tmp_path / "other.pdf"
    scanner.scan(paper, MARKS, "bilevel200", 8, other)
    assert other.read_bytes() != scans["bilevel200"].read_bytes()


def _crop(img: np.ndarray, box: Box, dpi: int, slack: float = 0.0) -> np.ndarray:
    s = dpi / 72
    top = round((PAGE_H - box.y - box.h - slack) * s)
    bottom = round((PAGE_H - box.y + slack) * s)
    return img[max(0, top) : bottom, max(0, round((box.x - slack) * s)) : round((box.x + box.w + slack) * s)]


@pytest.mark.parametrize("condition", scanner.CONDITIONS)
def test_marks_land_in_their_boxes(scans: dict[str, Path], condition: str) -> None:
    first, second = _page_image(scans[condition], 0), _page_image(scans[condition], 1)
    page0, page1, dpi = first.pixels, second.pixels, first.dpi
    r = SEAL.radius_mm / 25.4 * 72
    seal_box = Box(1, SEAL.centre[1] - r, SEAL.centre[2] - r, 2 * r, 2 * r)
    blank = _crop(page0, BLANK, dpi)
    for img, box in ((page0, NOTE), (page0, STAMP.box), (page1, seal_box), (page1, SIGNATURE)):
        ink = int((_crop(img, box, dpi, SLACK_PT) < 128).sum())
        assert ink > 300 * (dpi / 200) ** 2, (box, ink)  # at least three handwritten digits' worth
    assert int((blank < 128).sum()) < 20  # a blank stays blank (no specks, no ghost of a mark)


def test_inks_are_coloured_before_the_scanner_greys_them() -> None:
    page = np.full((round(PAGE_H / 72 * 100), round(PAGE_W / 72 * 100), 3), 255, np.uint8)
    marks = scanner.PaperMarks(
        signatures=(Box(0, 300, 280, 200, 70),), seals=(scanner.Seal((0, 150, 600), "A * B *"),)
    )
    scanner.mark_page(page, 0, marks, 100, np.random.default_rng(1))
    seal = _crop(page, Box(0, 110, 560, 80, 80), 100).reshape(-1, 3).astype(int)
    inked = seal[seal.sum(axis=1) < 600]
    assert len(inked) > 100 and (inked[:, 0] - inked[:, 1] > 60).mean() > 0.95  # red
    sign = _crop(page, Box(0, 300, 280, 200, 70), 100).reshape(-1, 3).astype(int)
    inked = sign[sign.sum(axis=1) < 600]
    assert len(inked) > 100 and (inked[:, 2] - inked[:, 0] > 60).mean() > 0.95  # blue
    assert (page[:50, :50] == 255).all()  # and nothing elsewhere


def test_unknown_condition_is_refused(paper: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown condition"):
        scanner.scan(paper, scanner.PaperMarks(), "colour600", 1, tmp_path / "x.pdf")
