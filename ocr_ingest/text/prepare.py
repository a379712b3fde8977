"""A page made ready for the engine: colour ink lifted, background flattened, letters brought to the
engine's height, deskewed, turned upright, borders and specks cleaned, ruled frames found."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from preprocess import StepReport
from preprocess.background import flatten_background
from preprocess.binarize import binarize
from preprocess.border import clean_borders
from preprocess.denoise import denoise
from preprocess.deskew import deskew
from preprocess.frames import Box, frame_boxes, whiten_table_rules
from preprocess.ink import remove_colour_ink
from preprocess.rotate import rotate_quadrant, upright_evidence
from preprocess.scale import fit_letter_height, upsample

from .engines import OcrEngine
from .options import Options


@dataclass(frozen=True)
class Prepared:
    """A page ready for the engine: grey (or bilevel) image, its dpi, the turns and skew undone;
    ``bilevel``: the scan had two tones (ink all black: no grey seal to tell from print); ``frames``:
    the ruled frames on it (``preprocess.frames``: received stamps, banners, table cells)."""

    image: np.ndarray
    dpi: int
    rotation: int
    skew: float
    steps: tuple[StepReport, ...]
    bilevel: bool = False
    frames: tuple[Box, ...] = ()
    unruled: np.ndarray | None = None  # the page before its tables' rules were whited out, if they were


def prepare_for_ocr(image: np.ndarray, dpi: int, engine: OcrEngine, options: Options) -> Prepared:
    """The preprocessing chain, in the order each step needs the previous one's result."""
    steps: list[StepReport] = []
    bilevel = image.ndim == 2 and np.count_nonzero(np.bincount(image[::8, ::8].ravel(), minlength=256)) <= 2
    grey, r = remove_colour_ink(image)
    steps.append(r)
    grey, dpi, r = upsample(grey, dpi, target_dpi=options.target_dpi)
    steps.append(r)
    grey, r = flatten_background(grey, dpi=dpi)
    steps.append(r)
    if not options.target_dpi:
        grey, dpi, r = fit_letter_height(grey, dpi, letter_px=options.letter_px)
        steps.append(r)
    grey, skew, r = deskew(grey)
    steps.append(r)
    grey, rotation, skew, r = orient(grey, dpi, skew, engine)
    steps.append(r)
    grey, r = clean_borders(grey)
    steps.append(r)
    grey, r = denoise(grey, dpi=dpi)
    steps.append(r)
    frames = tuple(frame_boxes(grey, dpi=dpi))
    unruled = None
    if bilevel:  # measured: a help on bilevel pages only (see whiten_table_rules)
        before = grey
        grey, r = whiten_table_rules(grey, dpi=dpi)
        steps.append(r)
        unruled = before if r.changed else None
    if options.binarize:
        grey, r = binarize(grey)
        steps.append(r)
    return Prepared(grey, dpi, rotation, skew, tuple(steps), bilevel, frames, unruled)


def orient(
    grey: np.ndarray, dpi: int, skew: float, engine: OcrEngine
) -> tuple[np.ndarray, int, float, StepReport]:
    """Turn the page upright; returns image, clockwise turn applied, skew, report.

    First signal: the top-heavy ink profile of Vietnamese lines (free). When it is weak, or the page
    lies on its side, Tesseract's OSD is asked; when the two disagree about upside-down, the engine's
    confidence on a strip of the page read both ways decides.
    """
    evidence = upright_evidence(grey, dpi)
    portrait = grey.shape[0] >= grey.shape[1]
    if portrait and abs(evidence) >= 0.3:
        turn = 0 if evidence > 0 else 180
        return (
            _turn(grey, turn),
            turn,
            skew,
            StepReport("orient", bool(turn), {"turn": turn, "profile": round(evidence, 3), "by": "profile"}),
        )
    osd = engine.orientation(grey, dpi=dpi)
    turn = 0
    if osd and osd.rotate in (90, 270) and osd.confidence >= 1.0:
        turn = osd.rotate
        grey, extra, _ = deskew(rotate_quadrant(grey, turn))
        skew = extra
        evidence = upright_evidence(grey, dpi)
    osd_flip = bool(osd and osd.rotate == 180)
    details: dict[str, float | int | str] = {"profile": round(evidence, 3), "osd": osd.rotate if osd else -1}
    details["osd_confidence"] = round(osd.confidence, 2) if osd else 0.0
    if abs(evidence) >= 0.3:
        flip, by = evidence < 0, "profile"
    elif osd and osd.confidence >= 14 and turn == 0:
        flip, by = osd_flip, "osd"
    else:
        flip, by = _upside_down_by_confidence(grey, dpi, engine), "confidence"
    if flip:
        grey = rotate_quadrant(grey, 180)
        turn = (turn + 180) % 360
    details.update(turn=turn, by=by)
    return grey, turn, skew, StepReport("orient", bool(turn), details)


def _turn(grey: np.ndarray, turn: int) -> np.ndarray:
    return rotate_quadrant(grey, turn) if turn else grey


def _upside_down_by_confidence(grey: np.ndarray, dpi: int, engine: OcrEngine) -> bool:
    """Read a band across the middle of the page both ways; the reading with more confidence wins."""
    h = grey.shape[0]
    strip = grey[int(h * 0.35) : int(h * 0.6)]

    def mean_conf(img: np.ndarray) -> float:
        words = engine.recognise(img, dpi=dpi, psm=6)
        return sum(w.conf for w in words) / len(words) if words else 0.0

    return mean_conf(rotate_quadrant(strip, 180)) > mean_conf(strip) + 5.0
