import cv2
import numpy as np
import pytest

from fixtures.gen.degrade import sensor_noise, uneven_lighting
from preprocess.background import flatten_background
from preprocess.binarize import binarize
from preprocess.border import clean_borders
from preprocess.denoise import denoise, noise_level
from preprocess.ink import remove_colour_ink
from preprocess.scale import fit_letter_height, letter_height, upsample


def test_uneven_lighting_is_flattened(clean_page_rgb):
    dark = uneven_lighting(clean_page_rgb, 0.4, np.random.default_rng(3))
    grey, _ = remove_colour_ink(dark)
    paper = grey > 120
    assert np.percentile(grey[paper], 95) - np.percentile(grey[paper], 5) > 50
    flat, report = flatten_background(grey, dpi=150)
    paper = flat > 150
    assert report.changed and report.details["paper_min"] < 200
    assert np.percentile(flat[paper], 95) - np.percentile(flat[paper], 5) < 25


def test_denoise_lowers_the_noise_level(clean_page_rgb):
    noisy, _ = remove_colour_ink(sensor_noise(clean_page_rgb, 12.0, 0.002, np.random.default_rng(5)))
    out, report = denoise(noisy)
    assert report.details["noise_after"] < report.details["noise_before"] * 0.7
    assert noise_level(out) < noise_level(noisy)


def test_binarize_gives_two_levels_and_a_plausible_ink_share(clean_page_rgb):
    grey, _ = remove_colour_ink(clean_page_rgb)
    out, report = binarize(grey)
    assert set(np.unique(out)) <= {0, 255}
    assert 0.02 < report.details["ink_fraction"] < 0.2


@pytest.mark.parametrize("dpi,changed", [(200, True), (300, False), (600, False)])
def test_upsample_only_low_resolution(dpi, changed):
    img = np.zeros((200, 100), np.uint8)
    assert upsample(img, dpi)[2].changed is False  # off unless asked for
    out, new_dpi, report = upsample(img, dpi, target_dpi=300)
    assert report.changed is changed
    assert new_dpi == (300 if changed else dpi)
    assert out.shape == ((300, 150) if changed else (200, 100))


def test_letter_height_follows_the_resolution(clean_page_rgb, clean_page_300):
    low, high = (remove_colour_ink(page)[0] for page in (clean_page_rgb, clean_page_300))
    h150, h300 = letter_height(low), letter_height(high)
    assert 20 <= h300 <= 28  # 13 pt lower-case at 300 dpi: x-height ~24 px
    assert abs(h300 / h150 - 2) < 0.2
    assert letter_height(np.full((3508, 2480), 255, np.uint8)) is None  # no text, no guess
    assert letter_height(np.zeros((3, 5), np.uint8)) is None  # too small (OpenCV crashed on it)
    texture = cv2.GaussianBlur(np.random.default_rng(0).integers(0, 256, (3508, 2480), np.uint8), (0, 0), 9)
    texture = cv2.normalize(texture, None, 0, 255, cv2.NORM_MINMAX)  # a photo: blobs of every size
    assert letter_height(texture) is None


def test_pages_are_shrunk_to_the_letter_height_never_enlarged(clean_page_rgb, clean_page_300):
    grey = remove_colour_ink(clean_page_300)[0]
    out, dpi, report = fit_letter_height(grey, 300, letter_px=16)
    assert report.changed and abs(letter_height(out) - 16) <= 1
    assert dpi == round(300 * out.shape[0] / grey.shape[0]) and out.shape[0] < grey.shape[0]
    low = remove_colour_ink(clean_page_rgb)[0]  # letters ~12 px: already small enough
    same, dpi, report = fit_letter_height(low, 150, letter_px=16)
    assert not report.changed and same is low and dpi == 150
    assert fit_letter_height(grey, 300, letter_px=0)[0] is grey  # 0: off


def test_dark_scanner_border_is_cleared_but_text_kept(clean_page_rgb):
    grey, _ = remove_colour_ink(clean_page_rgb)
    framed = grey.copy()
    framed[:, :25] = 20  # a black edge along the left side
    out, report = clean_borders(framed)
    assert report.changed and (out[:, :25] == 255).all()
    assert np.array_equal(out[:, 25:], framed[:, 25:])
