"""Where on its page each field was read (``fields.boxes``): boxes turned back onto the page as stored,
and on a real ingested scan, over the ink of the value they name."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocr_ingest.fields.boxes import add_boxes, stored_box
from ocr_ingest.text.document import DocumentText, PageText, WordBox
from preprocess.deskew import rotate


def _box_of(mask: np.ndarray) -> tuple[float, float, float, float]:
    ys, xs = np.nonzero(mask)
    h, w = mask.shape
    return xs.min() / w, ys.min() / h, (xs.max() + 1) / w, (ys.max() + 1) / h


@pytest.mark.parametrize("skew", [0.0, 3.5, -4.0])
@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_a_box_on_the_upright_page_lands_on_the_same_ink_of_the_stored_page(turn: int, skew: float) -> None:
    stored = np.full((1100, 800), 255, np.uint8)
    stored[120:150, 560:700] = 0  # a word near the top right of the page as scanned
    # what prepare_for_ocr does: deskew (rotate by -skew about the centre), and turn upright; a page
    # on its side is turned first and its skew measured after
    if turn in (0, 180):
        upright = np.rot90(rotate(stored, -skew, expand=False), k=-turn // 90)
    else:
        upright = rotate(np.ascontiguousarray(np.rot90(stored, k=-turn // 90)), -skew, expand=False)
    page = PageText(1, "x", "ocr", rotation=turn, skew=skew)
    got = stored_box(_box_of(upright < 128), page, (800, 1100))
    want = _box_of(stored < 128)
    centre = lambda b: ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)  # noqa: E731
    assert np.allclose(centre(got), centre(want), atol=0.003), (got, want)
    # an upright box of a turned word holds the word, grown by the turn alone (here under 2 % of the page)
    assert got[0] <= want[0] + 0.002 and got[1] <= want[1] + 0.002
    assert got[2] >= want[2] - 0.002 and got[3] >= want[3] - 0.002
    assert max(want[0] - got[0], want[1] - got[1], got[2] - want[2], got[3] - want[3]) < 0.02


def test_a_field_takes_the_union_of_the_words_its_span_covers_on_its_page() -> None:
    words = (
        WordBox("Số:", 0.10, 0.12, 0.14, 0.14, 0),
        WordBox("153/TB-VP", 0.15, 0.12, 0.30, 0.14, 0),
        WordBox("Gò", 0.55, 0.12, 0.58, 0.14, 1),
        WordBox("Quao,", 0.59, 0.12, 0.65, 0.14, 1),
    )
    page = PageText(1, "Số: 153/TB-VP\nGò Quao, ngày", "ocr", words=words)
    doc = DocumentText("x.pdf", "0" * 64, (page,))
    text = doc.text
    fields = {
        "number": {"value": "153/TB-VP", "span": [4, 13], "confidence": 0.9, "partial": False},
        "place": {
            "value": "Gò Quao",
            "span": [text.index("Gò"), text.index(",")],
            "confidence": 1,
            "partial": False,
        },
        "subject": None,
    }
    out = add_boxes(fields, doc)
    assert out["number"]["page"] == 1 and out["number"]["box"] == [0.15, 0.12, 0.3, 0.14]
    assert out["place"]["box"] == [0.55, 0.12, 0.65, 0.14]
    assert out["subject"] is None and "box" not in fields["number"]  # the input is left as it was


def test_on_an_ingested_scan_each_box_lies_over_the_ink_of_its_value(served_archive) -> None:
    record = served_archive.records["scan"]
    path = Path(record.source)
    fields = record.fields
    number, name = fields["number"], fields["signer_name"]
    assert number["page"] == 1 and number["box"][0] < 0.5 and number["box"][1] < 0.25  # header, left
    assert name["page"] == record.page_count and name["box"][0] > 0.45  # signature block, right
    for item in (number, name, fields["doc_type"]):
        grey = _render(path, item["page"])
        h, w = grey.shape
        left, top, right, bottom = item["box"]
        inside = grey[round(top * h) : round(bottom * h), round(left * w) : round(right * w)]
        # a line of print is far denser in ink than the page as a whole (margins, gaps between lines)
        assert (inside < 128).mean() > 2 * (grey < 128).mean(), item["value"]


def _render(path: Path, page: int) -> np.ndarray:
    out = subprocess.run(
        ["pdftoppm", "-r", "100", "-gray", "-f", str(page), "-l", str(page), str(path)],
        capture_output=True,
        check=True,
    ).stdout
    from io import BytesIO

    return np.asarray(Image.open(BytesIO(out)).convert("L"))
