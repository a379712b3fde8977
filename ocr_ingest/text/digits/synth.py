"""Training data for the digit-string recogniser, made here: figures written by hand into the blank
after ``Số:`` or ``ngày``, as the figures pass crops them from a page (training time only).

Why generated: no collection of Vietnamese clerks' figures is ours to ship, and the crop is always the
same scene: a strip two label-heights tall (``figures_pass``: half a line above and below the label),
the printed line's baseline three quarters down, a dotted or plain blank along it, and one to five
figures written over it, bigger or smaller than the print, slanted, in black or blue ink, sometimes
touching. The same pass also reads days typed in the text (``ngày 16 tháng 6``, often italic), so
a third of the samples are typed figures (``PRINT_FONTS``), and a few are blanks left empty.
Handwritten figures come from two sources: the handwriting fonts Debian ships (``HAND_FONTS``) and
pen strokes drawn from a skeleton of each figure (``STROKES``) with the pen's width, slant and jitter
drawn at random. The strip is then scanned as a 300 dpi grey page or a 200 dpi bilevel one.

Sizes are in pixels of the page after ``prepare`` (lower-case letters ~20 px tall); one sample is
``(grey uint8 strip, its figures)``.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

HAND_FONTS = (
    "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf",
    "/usr/share/fonts/truetype/fifthhorseman/dkgIt.ttf",
    "/usr/share/fonts/truetype/fifthhorseman/dkgBd.ttf",
    "/usr/share/fonts/truetype/breip/Breip.ttf",
    "/usr/share/fonts/opentype/bwht/BecauseWeBuild-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeConnect-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeCreate-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeLearn-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeMentor-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeOrganize-Regular.otf",
    "/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf",
    "/usr/share/fonts/opentype/dancingscript/DancingScript-Bold.otf",
    "/usr/share/fonts/truetype/femkeklaver/femkeklaver.ttf",
    "/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf",
    "/usr/share/fonts/truetype/kristi/Kristi.ttf",
    "/usr/share/fonts/opentype/comic-neue/ComicNeue-Regular.otf",
    "/usr/share/fonts/opentype/comic-neue/ComicNeue-Italic.otf",
    "/usr/share/fonts/opentype/comic-neue/ComicNeue-Bold.otf",
    "/usr/share/fonts/opentype/kaushanscript/KaushanScript-Regular.otf",
    "/usr/share/fonts/truetype/ecolier-court/Ecolier-court.ttf",
)
# The print around the blank (fragments of the lines above and below, a figure typed into the gap).
PRINT_FONTS = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-BoldItalic.ttf",
)
HAND_APT_PACKAGES = (
    "fonts-dkg-handwriting fonts-breip fonts-bwht fonts-dancingscript fonts-femkeklaver fonts-humor-sans "
    "fonts-kristi fonts-comic-neue fonts-kaushanscript fonts-ecolier-court"
)

# Each figure as pen strokes in a unit box (x right, y down; 0..1), with the variants people write.
_ARC = np.linspace(0, 2 * np.pi, 20)
STROKES: dict[str, list[list[list[tuple[float, float]]]]] = {
    "0": [[list(zip(0.5 + 0.42 * np.sin(_ARC), 0.5 - 0.5 * np.cos(_ARC), strict=True))]],
    "1": [
        [[(0.55, 0.0), (0.5, 1.0)]],
        [[(0.25, 0.25), (0.6, 0.0), (0.55, 1.0)]],
        [[(0.25, 0.25), (0.6, 0.0), (0.55, 1.0)], [(0.3, 1.0), (0.8, 1.0)]],
        [[(0.0, 0.45), (0.6, 0.0), (0.55, 1.0)]],  # the long lead-in many clerks write
        [[(0.05, 0.6), (0.3, 0.3), (0.65, 0.0), (0.6, 1.0)]],
    ],
    "2": [
        [[(0.1, 0.25), (0.3, 0.02), (0.65, 0.0), (0.85, 0.2), (0.8, 0.45), (0.1, 1.0), (0.95, 0.98)]],
        [[(0.1, 0.3), (0.4, 0.0), (0.85, 0.15), (0.7, 0.55), (0.1, 1.0), (0.5, 0.9), (0.95, 1.0)]],
        # the looped 2 many Vietnamese clerks write: a loop where the stroke turns at the foot, a long tail
        [[(0.3, 0.3), (0.4, 0.05), (0.65, 0.0), (0.82, 0.15), (0.72, 0.4), (0.45, 0.62), (0.15, 0.85),
          (0.05, 1.0), (0.35, 1.0), (0.55, 0.8), (0.4, 0.58), (0.15, 0.68), (0.25, 0.9), (0.6, 0.95),
          (1.0, 0.88)]],
        [[(0.15, 0.2), (0.4, 0.0), (0.7, 0.05), (0.72, 0.3), (0.45, 0.6), (0.15, 0.85), (0.1, 1.0),
          (0.4, 0.98), (0.5, 0.75), (0.3, 0.62), (0.12, 0.75), (0.3, 0.92), (1.0, 0.9)]],
    ],
    "3": [
        [
            [(0.1, 0.15), (0.4, 0.0), (0.8, 0.1), (0.8, 0.35), (0.4, 0.48), (0.85, 0.6), (0.85, 0.88),
             (0.5, 1.0), (0.1, 0.88)],
        ],
        [[(0.1, 0.0), (0.85, 0.0), (0.4, 0.42), (0.85, 0.6), (0.85, 0.88), (0.5, 1.0), (0.1, 0.88)]],
    ],
    "4": [
        [[(0.65, 0.0), (0.05, 0.7), (0.95, 0.7)], [(0.65, 0.0), (0.65, 1.0)]],
        [[(0.3, 0.0), (0.1, 0.6), (0.9, 0.6)], [(0.7, 0.2), (0.7, 1.0)]],
    ],
    "5": [
        [[(0.85, 0.0), (0.2, 0.0), (0.15, 0.45), (0.55, 0.38), (0.85, 0.6), (0.8, 0.9), (0.45, 1.0),
          (0.1, 0.88)]],
        [[(0.2, 0.0), (0.15, 0.45), (0.55, 0.38), (0.85, 0.6), (0.8, 0.9), (0.45, 1.0), (0.1, 0.88)],
         [(0.2, 0.0), (0.85, 0.02)]],
    ],
    "6": [
        [[(0.75, 0.0), (0.35, 0.25), (0.15, 0.65), (0.3, 0.95), (0.6, 1.0), (0.85, 0.8), (0.7, 0.5),
          (0.4, 0.5), (0.17, 0.7)]],
    ],
    "7": [
        [[(0.1, 0.05), (0.9, 0.0), (0.35, 1.0)]],
        [[(0.1, 0.05), (0.9, 0.0), (0.35, 1.0)], [(0.3, 0.5), (0.8, 0.5)]],
        [[(0.1, 0.15), (0.1, 0.0), (0.9, 0.0), (0.55, 0.5), (0.45, 1.0)]],
    ],
    "8": [
        [[(0.5, 0.48), (0.2, 0.3), (0.25, 0.05), (0.5, 0.0), (0.75, 0.05), (0.8, 0.3), (0.5, 0.48),
          (0.15, 0.7), (0.25, 0.95), (0.5, 1.0), (0.8, 0.95), (0.85, 0.7), (0.5, 0.48)]],
    ],
    "9": [
        [[(0.82, 0.3), (0.6, 0.5), (0.3, 0.48), (0.15, 0.25), (0.35, 0.02), (0.65, 0.0), (0.82, 0.2),
          (0.8, 0.6), (0.65, 1.0)]],
        [[(0.82, 0.3), (0.6, 0.5), (0.3, 0.48), (0.15, 0.25), (0.35, 0.02), (0.65, 0.0), (0.82, 0.2),
          (0.8, 1.0)]],
    ],
}  # fmt: skip

_FONT_CACHE: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}


def available_hand_fonts() -> list[str]:
    return [f for f in HAND_FONTS if Path(f).exists()]


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    key = (path, size)
    if key not in _FONT_CACHE:
        _FONT_CACHE[key] = ImageFont.truetype(path, size)
    return _FONT_CACHE[key]


#: Variants written wider than a figure's usual box: the looped 2's loop and tail.
WIDE = {("2", 2), ("2", 3)}


def random_figures(rng: np.random.Generator) -> str:
    """What is written in a blank: a day (1–31, with or without a leading 0), a month, or a number
    of one to five figures (numbers start at 1; a leading 0 only in 01–09)."""
    kind = rng.random()
    if kind < 0.35:
        day = int(rng.integers(1, 32))
        return f"{day:02d}" if rng.random() < 0.3 else str(day)
    if kind < 0.45:
        month = int(rng.integers(1, 13))
        return f"{month:02d}" if rng.random() < 0.3 else str(month)
    n = int(rng.choice([1, 2, 3, 4, 5], p=[0.12, 0.3, 0.3, 0.23, 0.05]))
    s = str(int(rng.integers(1, 10))) + "".join(str(int(d)) for d in rng.integers(0, 10, n - 1))
    return f"0{s}" if n == 1 and rng.random() < 0.3 else s


def _stroke_glyph(ch: str, height: float, pen: float, rng: np.random.Generator) -> np.ndarray:
    """One figure drawn with a pen: its skeleton's points moved a little, widths kept (ink 1.0)."""
    k = int(rng.integers(len(STROKES[ch])))
    variant = STROKES[ch][k]
    width_ratio = rng.uniform(0.45, 0.8) if ch != "1" else rng.uniform(0.3, 0.7)
    if (ch, k) in WIDE:
        width_ratio = rng.uniform(0.8, 1.1)
    w, h = height * width_ratio, height
    pad = int(pen * 2 + 3)
    scale = 4  # drawn at 4x then shrunk: smooth strokes
    canvas = np.zeros((int((h + 2 * pad) * scale), int((w + 2 * pad) * scale)), np.uint8)
    for stroke in variant:
        pts = np.array(stroke, np.float64)
        pts += rng.normal(0, 0.04, pts.shape)
        if len(pts) > 3:  # a smooth pen path through the points
            t = np.linspace(0, 1, len(pts))
            tt = np.linspace(0, 1, len(pts) * 6)
            pts = np.stack([np.interp(tt, t, pts[:, 0]), np.interp(tt, t, pts[:, 1])], axis=1)
            k = np.ones(5) / 5
            pts[2:-2] = np.stack([np.convolve(pts[:, i], k, "valid") for i in range(2)], axis=1)
        xy = np.stack([(pad + pts[:, 0] * w) * scale, (pad + pts[:, 1] * h) * scale], axis=1)
        cv2.polylines(
            canvas, [np.round(xy).astype(np.int32)], False, 255, max(1, int(pen * scale)), cv2.LINE_AA
        )
    out = cv2.resize(
        canvas, (canvas.shape[1] // scale, canvas.shape[0] // scale), interpolation=cv2.INTER_AREA
    )
    return out.astype(np.float32) / 255.0


def _font_glyph(ch: str, height: float, font: str, bold: float) -> np.ndarray:
    """One figure from a handwriting font, its ink box ``height`` px tall (ink 1.0)."""
    size = max(8, int(height * 1.45))
    f = _font(font, size)
    left, top, right, bottom = f.getbbox(ch)
    if right <= left or bottom <= top:
        return np.zeros((int(height), 2), np.float32)
    im = Image.new("L", (right - left + 6, bottom - top + 6), 0)
    ImageDraw.Draw(im).text((3 - left, 3 - top), ch, fill=255, font=f)
    a = np.asarray(im, np.float32) / 255.0
    ys, xs = np.nonzero(a > 0.2)
    if len(ys):
        a = a[max(0, ys.min() - 2) : ys.max() + 3, max(0, xs.min() - 2) : xs.max() + 3]
        a = cv2.resize(a, (max(2, int(a.shape[1] * height / a.shape[0])), max(2, int(height))))
    if bold > 0:
        k = int(round(bold))
        if k > 0:
            a = cv2.dilate(a, np.ones((k + 1, k + 1), np.uint8))
    return a


def _written(text: str, height: float, rng: np.random.Generator, fonts: list[str]) -> np.ndarray:
    """The figures written in one go (one hand: one source, one pen), as an ink map (1.0 = ink)."""
    use_font = fonts and rng.random() < 0.55
    font = fonts[int(rng.integers(len(fonts)))] if use_font else ""
    pen = rng.uniform(0.06, 0.16) * height
    bold = rng.choice([0, 0, 0, 1, 2])
    glyphs = []
    for ch in text:
        gh = height * rng.uniform(0.88, 1.12)
        g = _font_glyph(ch, gh, font, bold) if use_font else _stroke_glyph(ch, gh, pen, rng)
        glyphs.append(g)
    gap_mean = rng.uniform(-0.15, 0.2) * height
    total_h = int(max(g.shape[0] for g in glyphs) + height * 0.3 + 4)
    total_w = int(sum(g.shape[1] for g in glyphs) + max(0, gap_mean) * len(glyphs) + height + 4)
    ink = np.zeros((total_h, total_w), np.float32)
    x = 2.0
    for g in glyphs:
        y = int(total_h - g.shape[0] - 2 - rng.uniform(0, 0.15) * height)
        xi = int(max(0, x))
        gw = min(g.shape[1], total_w - xi)
        ink[y : y + g.shape[0], xi : xi + gw] = np.maximum(ink[y : y + g.shape[0], xi : xi + gw], g[:, :gw])
        x += g.shape[1] + gap_mean + rng.normal(0, 0.06 * height)
    xs = np.nonzero(ink.max(axis=0) > 0.1)[0]
    ink = ink[:, : xs.max() + 3] if len(xs) else ink
    # slant (shear) and a small turn of the whole string
    slant = rng.uniform(-0.1, 0.4)
    angle = rng.uniform(-6, 6)
    h, w = ink.shape
    extra = int(abs(slant) * h) + 4
    m = np.array([[1, -slant, extra if slant > 0 else 4], [0, 1, 0]], np.float32)
    ink = cv2.warpAffine(ink, m, (w + extra + 4, h))
    r = cv2.getRotationMatrix2D((ink.shape[1] / 2, ink.shape[0] / 2), angle, 1.0)
    pad = int(0.2 * ink.shape[1] * abs(np.sin(np.radians(angle)))) + 2
    ink = cv2.copyMakeBorder(ink, pad, pad, 0, 0, cv2.BORDER_CONSTANT, value=0)
    ink = cv2.warpAffine(ink, r, (ink.shape[1], ink.shape[0]))
    ys, xs = np.nonzero(ink > 0.1)
    if len(ys):
        ink = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    return ink


def _paste(dst: np.ndarray, src: np.ndarray, x: int, y: int) -> None:
    """``dst = max(dst, src)`` with ``src``'s top-left at (x, y), clipped to ``dst``."""
    h, w = dst.shape
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(w, x + src.shape[1]), min(h, y + src.shape[0])
    if x1 <= x0 or y1 <= y0:
        return
    region = src[y0 - y : y1 - y, x0 - x : x1 - x]
    dst[y0:y1, x0:x1] = np.maximum(dst[y0:y1, x0:x1], region)


def _print_ink(text: str, cap: float, rng: np.random.Generator) -> np.ndarray:
    f = _font(PRINT_FONTS[int(rng.integers(len(PRINT_FONTS)))], max(8, int(cap * 1.4)))
    left, top, right, bottom = f.getbbox(text)
    im = Image.new("L", (right - left + 4, bottom - top + 4), 0)
    ImageDraw.Draw(im).text((2 - left, 2 - top), text, fill=255, font=f)
    return np.asarray(im, np.float32) / 255.0


_PRINT_WORDS = ("ỦY BAN NHÂN DÂN", "Độc lập - Tự do", "QUYẾT ĐỊNH", "tháng", "năm 2025", "Hạnh phúc", "SỞ")


def sample(rng: np.random.Generator, fonts: list[str]) -> tuple[np.ndarray, str]:
    """One crop of a blank with figures written in it, as the figures pass cuts it from a page."""
    text = random_figures(rng) if rng.random() > 0.04 else ""
    label_h = rng.uniform(26, 44)  # the box of ``Số:`` (accent to baseline) on the prepared page
    cap = label_h * 0.72
    height = int(round(2 * label_h))
    base = int(round(1.5 * label_h + rng.uniform(-0.15, 0.1) * label_h))
    typed = rng.random() < 0.33
    if not text:
        written = np.zeros((int(cap), int(cap * rng.uniform(0.5, 3))), np.float32)
    elif typed:
        written = _print_ink(text, cap * rng.uniform(0.9, 1.5), rng)
    else:
        written = _written(text, cap * rng.uniform(0.8, 1.9), rng, fonts)
    blank_w = int(written.shape[1] + rng.uniform(0.1, 2.0) * cap + rng.uniform(0, 0.5) * written.shape[1])
    width = max(blank_w, int(label_h * 1.2))
    ink = np.zeros((height, width), np.float32)
    # the blank: dots, a dotted rule, or nothing, along the baseline
    style = rng.random()
    line_y = base + int(rng.uniform(-0.05, 0.12) * cap)
    if style < 0.45:
        step = rng.uniform(0.12, 0.35) * cap
        dot = max(1, int(round(rng.uniform(0.04, 0.1) * cap)))
        x = rng.uniform(0, step)
        while x < width:
            cv2.circle(ink, (int(x), line_y), dot // 2 + (dot > 2), 1.0, -1)
            x += step
    elif style < 0.6:
        cv2.line(ink, (0, line_y), (width, line_y), 1.0, max(1, int(0.05 * cap)))
    # the figures, over the blank, their foot near the baseline
    x = int(rng.uniform(0, max(1, width - written.shape[1])))
    foot = base + (int(rng.uniform(-0.05, 0.15) * cap) if typed else int(rng.uniform(-0.25, 0.3) * cap))
    pen_ink = rng.uniform(0.55, 1.0)  # blue ink reaches the engine lighter than black
    _paste(ink, written * pen_ink, x, foot - written.shape[0])
    # print of the lines above and below, cut by the crop; rules; a stroke of the next symbol
    if rng.random() < 0.35:
        frag = _print_ink(_PRINT_WORDS[int(rng.integers(len(_PRINT_WORDS)))], cap, rng)
        at = (
            int(rng.uniform(-0.9, -0.3) * frag.shape[0])
            if rng.random() < 0.5
            else height - int(rng.uniform(0.1, 0.6) * frag.shape[0])
        )
        _paste(ink, frag, int(rng.uniform(-frag.shape[1], width)), at)
    if rng.random() < 0.15:
        y = int(rng.choice([rng.uniform(0, 0.2), rng.uniform(0.85, 1.0)]) * height)
        cv2.line(ink, (int(rng.uniform(0, width)), y), (width, y), 1.0, max(1, int(0.05 * cap)))
    if rng.random() < 0.15:
        stub = _print_ink(str(rng.choice(["/", "Q", "t", "2", "."])), cap, rng)
        side = 0 if rng.random() < 0.5 else width - int(rng.uniform(0.1, 0.5) * stub.shape[1])
        _paste(
            ink,
            stub,
            side - (int(rng.uniform(0.5, 0.9) * stub.shape[1]) if side == 0 else 0),
            base - stub.shape[0] + 2,
        )
    return _scanned(ink, rng), text


def _scanned(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The ink on paper, scanned: 300 dpi grey (blur, grain, paper tone) or 200 dpi bilevel (a
    threshold, jagged edges, specks), then as the pipeline sees it (grey uint8)."""
    ink = np.clip(ink, 0, 1)
    if rng.random() < 0.5:  # 200 dpi bilevel: coarser, then thresholded
        s = rng.uniform(0.6, 0.8)
        small = cv2.resize(ink, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
        small += rng.normal(0, 0.08, small.shape)
        small = (small > rng.uniform(0.2, 0.45)).astype(np.float32)
        if rng.random() < 0.3:
            specks = rng.random(small.shape) < rng.uniform(0, 0.004)
            small[specks] = 1.0
        out = cv2.resize(small, (ink.shape[1], ink.shape[0]), interpolation=cv2.INTER_NEAREST)
        return ((1 - out) * 255).astype(np.uint8)
    blurred = cv2.GaussianBlur(ink, (0, 0), rng.uniform(0.3, 1.0))
    paper = rng.uniform(200, 255)
    dark = rng.uniform(0, 90)
    grey = paper - blurred * (paper - dark) + rng.normal(0, rng.uniform(1, 10), ink.shape)
    return np.clip(grey, 0, 255).astype(np.uint8)
