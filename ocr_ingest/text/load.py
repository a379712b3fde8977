"""Loading: what a file is, how many pages it has, and each page as an image — refusing what we can't read.

Everything that can go wrong with a user's file is found here, before any OCR starts, and becomes one
typed error naming the file and the reason (see ``errors.py``). Pages are described first (cheap,
``PageRef``) and decoded one at a time later, so memory is bounded by a page, not a document.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import cv2
import numpy as np
import pikepdf
from PIL import Image, ImageSequence, UnidentifiedImageError

from ..errors import BadInputError, EncryptedPdfError, PageTooLargeError
from . import poppler

Kind = Literal["pdf", "image"]
MIN_SIDE_PX = 32  # a line of 8 pt print at 100 dpi is ~12 px high; a page needs room for a few
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".pbm", ".pgm", ".ppm"}


@dataclass(frozen=True)
class PageRef:
    """Enough to fetch and read one page later, in any process: picklable and small.

    ``dpi`` is the resolution to rasterise at (a scan's own resolution, so 200 dpi scans are not blurred
    by poppler's scaling), ``image_cover`` the share of
    the page height covered by its widest image, scaled to the page width (a scan is ~1.0).
    ``has_fonts``: False only when neither the page nor its forms name a font and it has no
    annotations, so it cannot carry text and nobody needs to ask poppler for it.
    """

    path: str
    kind: Kind
    number: int  # 1-based
    width_px: int
    height_px: int
    dpi: int
    image_cover: float = 0.0
    has_fonts: bool = True


def hash_file(path: Path) -> tuple[str, int]:
    """The file's SHA-256 (hex) and size in bytes, read in 1 MiB pieces: the document's identity."""
    h, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def sniff(path: Path) -> Kind:
    """PDF or image, by content (a scanner may name a PDF ``.dat``), falling back to the suffix."""
    try:
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError as exc:
        raise BadInputError(path, f"cannot be read: {exc.strerror or exc}") from exc
    if not head:
        raise BadInputError(path, "is empty (0 bytes)")
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(
        (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"RIFF", b"P4", b"P5", b"P6")
    ):
        return "image"
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return "image"
    raise BadInputError(path, "is neither a PDF nor an image we can read")


def describe(
    path: str | Path, *, dpi: int = 300, max_dpi: int = 600, max_pixels: int = 150_000_000
) -> list[PageRef]:
    """Validate the file and list its pages. Raises a typed error for anything we cannot read."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(path, "does not exist or is not a file")
    kind = sniff(path)
    pages = _describe_pdf(path, dpi, max_dpi) if kind == "pdf" else _describe_image(path, dpi)
    if not pages:
        raise BadInputError(path, "has no pages")
    for p in pages:
        if min(p.width_px, p.height_px) < MIN_SIDE_PX:  # a thumbnail or a hostile 1 × 1: nothing to read
            raise BadInputError(
                path, f"page {p.number} is only {p.width_px} × {p.height_px} px, too small to hold text"
            )
        if p.width_px * p.height_px > max_pixels:
            raise PageTooLargeError(
                path,
                f"page {p.number} would be {p.width_px} × {p.height_px} px at {p.dpi} dpi, over the limit of "
                f"{max_pixels / 1e6:.0f} Mpx (a decompression bomb?)",
            )
    return pages


def _describe_pdf(path: Path, dpi: int, max_dpi: int) -> list[PageRef]:
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as exc:
        raise EncryptedPdfError(path, "is encrypted with a password; decrypt it first") from exc
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        raise BadInputError(path, f"is a damaged or truncated PDF ({_first_line(exc, path)})") from exc
    with pdf:
        try:
            return [_describe_pdf_page(path, n + 1, page, dpi, max_dpi) for n, page in enumerate(pdf.pages)]
        except (pikepdf.PdfError, KeyError, ValueError, TypeError) as exc:
            raise BadInputError(path, f"is a damaged PDF ({_first_line(exc)})") from exc


def _describe_pdf_page(path: Path, number: int, page: pikepdf.Page, dpi: int, max_dpi: int) -> PageRef:
    box = [float(v) for v in page.mediabox]
    w_pt, h_pt = abs(box[2] - box[0]), abs(box[3] - box[1])
    if w_pt <= 0 or h_pt <= 0:
        raise BadInputError(path, f"page {number} has an empty page box")
    native, cover = 0, 0.0
    for image in page.get_images().values():
        iw, ih = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        if iw and ih:
            # Resolution if the image spans the page width; a scan's image spans the whole page.
            native = max(native, round(iw / (w_pt / 72.0)))
            cover = max(cover, min(1.0, (ih / max(1.0, iw / w_pt)) / h_pt))
    raster_dpi = min(max_dpi, native) if native >= 150 else dpi
    rot = int(page.obj.get("/Rotate", 0)) % 180
    w_px, h_px = round(w_pt / 72 * raster_dpi), round(h_pt / 72 * raster_dpi)
    if rot:
        w_px, h_px = h_px, w_px
    fonts = "/Annots" in page.obj or _names_fonts(page.obj.get("/Resources"))  # annotations draw text too
    return PageRef(str(path), "pdf", number, w_px, h_px, raster_dpi, round(cover, 3), fonts)


def _names_fonts(resources: pikepdf.Object | None, depth: int = 0) -> bool:
    """Whether a resource dictionary, or a form XObject under it, has a font; True when unsure
    (no /Resources of its own may mean inherited ones, deep nesting is suspicious)."""
    if resources is None or depth > 4 or not isinstance(resources, pikepdf.Dictionary):
        return True
    try:
        if len(resources.get("/Font", {})):
            return True
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == pikepdf.Name.Form and _names_fonts(
                xobject.get("/Resources"), depth + 1
            ):
                return True
    except (TypeError, ValueError, AttributeError, pikepdf.PdfError):  # malformed: let poppler judge
        return True
    return False


def _describe_image(path: Path, dpi: int) -> list[PageRef]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                pages = []
                for n, frame in enumerate(ImageSequence.Iterator(im)):
                    fdpi = frame.info.get("dpi", (dpi, dpi))[0] or dpi
                    fdpi = int(round(float(fdpi))) if 50 <= float(fdpi) <= 2400 else dpi
                    pages.append(PageRef(str(path), "image", n + 1, frame.width, frame.height, fdpi, 1.0))
                return pages
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PageTooLargeError(path, f"is too large to decode safely ({_first_line(exc)})") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise BadInputError(path, f"is not a readable image ({_first_line(exc)})") from exc


def page_image(ref: PageRef) -> np.ndarray:
    """Decode one page as RGB (or grey, for grey images) uint8."""
    if ref.kind == "pdf":
        scan = _scan_image(ref) if ref.image_cover >= 0.98 else None
        return scan if scan is not None else poppler.rasterize(ref.path, ref.number, ref.dpi)
    try:
        with Image.open(ref.path) as im:
            im.seek(ref.number - 1)
            frame = im.convert("L") if im.mode in ("1", "L", "I;16", "I") else im.convert("RGB")
            return np.asarray(frame)
    except (OSError, EOFError, ValueError) as exc:
        raise BadInputError(ref.path, f"page {ref.number} cannot be decoded ({_first_line(exc)})") from exc


def _scan_image(ref: PageRef) -> np.ndarray | None:
    """The page's scan itself, when the page is nothing but one upright image over the whole page.

    Decoding that image is ~10× faster than rendering the page and loses nothing (rendering resamples).
    Anything else on the page — text, a second image, a rotation, a mirrored or partial placement —
    and we return ``None`` so the page is rendered as it looks.
    """
    try:
        with pikepdf.open(ref.path) as pdf:
            page = pdf.pages[ref.number - 1]
            images = list(page.get_images().values())
            if len(images) != 1 or int(page.obj.get("/Rotate", 0)) % 360:
                return None
            ops = pikepdf.parse_content_stream(page)
            if {str(op) for _, op in ops} - {"q", "Q", "cm", "Do"}:
                return None
            matrices = [[float(v) for v in operands] for operands, op in ops if str(op) == "cm"]
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            if len(matrices) != 1:
                return None
            a, b, c, d, e, f = matrices[0]
            if (
                b
                or c
                or abs(a - (x1 - x0)) > 1
                or abs(d - (y1 - y0)) > 1
                or abs(e - x0) > 1
                or abs(f - y0) > 1
            ):
                return None
            jpeg = _plain_jpeg(images[0])
            if jpeg is not None:
                return jpeg
            pil = pikepdf.PdfImage(images[0]).as_pil_image()
    except Exception:  # noqa: BLE001 - any surprise in an unusual PDF: fall back to rendering
        return None
    return np.asarray(pil.convert("L") if pil.mode in ("1", "L") else pil.convert("RGB"))


def _plain_jpeg(image: pikepdf.Stream) -> np.ndarray | None:
    """A scanner's JPEG (8-bit RGB or grey, nothing else to apply) decoded straight into an array.

    Why: through PIL a 300 dpi page is decoded, copied by ``convert`` and copied again into numpy in
    thousands of chunks, ~45 ms of a page's ~75 ms; OpenCV decodes into the array. Anything unusual
    (CMYK, a /Decode array, decode parameters such as /ColorTransform, a mask, a header that disagrees
    with the PDF's size) takes the PIL path.
    """
    space = image.get("/ColorSpace")
    filters = image.get("/Filter")
    if isinstance(filters, pikepdf.Array) and len(filters) == 1:  # [/DCTDecode] is common too
        filters = filters[0]
    if (
        filters != pikepdf.Name.DCTDecode
        or space not in (pikepdf.Name.DeviceRGB, pikepdf.Name.DeviceGray)
        or int(image.get("/BitsPerComponent", 0)) != 8
        or any(key in image for key in ("/Decode", "/DecodeParms", "/SMask", "/Mask"))
    ):
        return None
    raw = image.read_raw_bytes()
    with Image.open(io.BytesIO(raw)) as probe:  # the header only: no decoding of a hostile size
        if probe.size != (int(image.Width), int(image.Height)):
            return None
    decoded = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_UNCHANGED)  # no EXIF turning
    channels = 1 if space == pikepdf.Name.DeviceGray else 3
    if decoded is None or (decoded.ndim == 2) != (channels == 1) or decoded.shape[:2] != probe.size[::-1]:
        return None
    return decoded if channels == 1 else cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB)


def _first_line(exc: BaseException, path: Path | str | None = None) -> str:
    """The gist of a library's error, without the file name it repeats."""
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if path is not None:
        line = line.replace(f"{path}: ", "")
    return line[:160]
