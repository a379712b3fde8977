import numpy as np
import pytest

from fixtures.gen.degrade import skew
from preprocess.deskew import deskew, rotate, skew_angle
from preprocess.ink import remove_colour_ink


@pytest.mark.parametrize("angle", [-10.0, -7.3, -4.0, -0.6, 0.0, 0.35, 2.5, 5.9, 9.8])
def test_skew_is_measured_within_a_fifth_of_a_degree(clean_page_rgb, angle):
    grey, _ = remove_colour_ink(skew(clean_page_rgb, angle))
    assert skew_angle(grey) == pytest.approx(angle, abs=0.2)


def test_deskew_straightens_and_reports(clean_page_rgb):
    grey, _ = remove_colour_ink(skew(clean_page_rgb, 3.2))
    out, angle, report = deskew(grey)
    assert angle == pytest.approx(3.2, abs=0.2)
    assert report.changed and report.details["angle"] == angle
    assert abs(skew_angle(out)) < 0.2


def test_a_straight_page_is_left_alone(clean_page_rgb):
    grey, _ = remove_colour_ink(clean_page_rgb)
    out, angle, report = deskew(grey)
    assert abs(angle) < 0.05 and not report.changed and out is grey


def test_blank_page_has_no_skew():
    assert skew_angle(np.full((800, 600), 250, np.uint8)) == 0.0


def test_rotate_grows_the_canvas_and_fills_white():
    img = np.zeros((100, 200), np.uint8)
    out = rotate(img, 30)
    assert out.shape[0] > 100 and out.shape[1] > 200
    assert out[0, 0] == 255
