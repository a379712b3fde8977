"""Numbers and days written into their blanks by hand (``pipeline.reread_filled_in``), on real corpus
scans: the page's reading gets them wrong (``247`` for 2841, ``1Z_`` for 15), figures only on the
gap get them right."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from ocr_ingest.text import load
from ocr_ingest.text.figures_pass import reread_filled_in
from ocr_ingest.text.pipeline import Options, PageTask, Prepared, read_page
from ocr_ingest.text.tesseract import Word

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"


def first_page(condition: str, doc: str, options: Options) -> list[str]:
    ref = load.describe(CORPUS / condition / f"{doc}.pdf")[0]
    return read_page(PageTask(ref, options)).text.splitlines()


@pytest.mark.slow
@pytest.mark.parametrize("condition", ["grey300", "bilevel200"])
def test_a_number_written_by_hand_is_read_as_figures(condition):
    lines = first_page(condition, "qd-ubnd-bentre-2023-2841", Options())
    assert "Số: 2841/QĐ-UBND" in lines and "Bến Tre, ngày 25 tháng 7 năm 2023" in lines
    without = first_page(condition, "qd-ubnd-bentre-2023-2841", replace(Options(), figures_pass=False))
    assert "Số: 2841/QĐ-UBND" not in without


@pytest.mark.slow
def test_a_day_written_by_hand_is_read_as_figures():
    lines = first_page("grey300", "kh-ubnd-ductrong-2020-108", Options())
    assert "Đức Trọng, ngày 15 tháng 6 năm 2020" in lines
    without = first_page("grey300", "kh-ubnd-ductrong-2020-108", replace(Options(), figures_pass=False))
    assert "Đức Trọng, ngày 15 tháng 6 năm 2020" not in without


def test_words_between_ngay_and_thang_are_not_a_blank():
    """``có hiệu lực từ ngày ký ban hành đến hết tháng``: a sentence, left as read."""
    page = Prepared(np.full((200, 2400), 255, np.uint8), 300, 0, 0.0, ())
    text = "từ ngày ký đến hết tháng 12"
    words = [Word(t, 60 * i, 50, 60 * i + 50, 80, 95.0, 1, 1, 1) for i, t in enumerate(text.split())]
    assert reread_filled_in(page, words, Options().make_engine()) == words


@pytest.mark.parametrize(("typed", "split"), [("3027 /UBND-TNMT", True), ("2044/BTC-HCSN", False)])
def test_a_number_typed_into_its_gap_keeps_the_space_the_engine_joined(typed, split):
    """The engine reads ``Số: 3027 /UBND-TNMT`` (a number typed into the gap) as ``3027/UBND-TNMT``;
    the blank on the page parts the figures from the symbol, so the gap is told a filled-in blank
    (the page's text then writes the number as one word again: ``clean.join_number_pieces``), and a
    number typed with its symbol stays one word."""
    import cv2

    image = np.full((120, 900), 255, np.uint8)
    cv2.putText(image, "So:", (20, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 0, 3)
    (width, _), _ = cv2.getTextSize(typed, cv2.FONT_HERSHEY_SIMPLEX, 1.5, 3)
    cv2.putText(image, typed, (160, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 0, 3)
    joined = typed.replace(" ", "")
    label = Word("Số:", 20, 45, 140, 85, 95.0, 1, 1, 1)
    number = Word(joined, 160, 45, 160 + width, 85, 95.0, 1, 1, 1)
    page = Prepared(image, 300, 0, 0.0, ())
    read = reread_filled_in(page, [label, number], Options().make_engine())
    assert [w.text for w in sorted(read, key=lambda w: w.left)] == ["Số:", *typed.split()]
    assert split == (len(read) == 3)


def test_a_day_glued_to_its_labels_is_a_blank_between_them():
    """``ngày82tháng`` (real scan qd_707: the pen touched the print on both sides, one word at a
    confidence of 26) and ``Í0tháng`` after ``ngày``: the labels split off and believed, the gap found."""
    from ocr_ingest.text.figures_pass import find_blanks

    page = Prepared(np.full((200, 1600), 255, np.uint8), 200, 0, 0.0, ())
    glued = [
        Word("Nội,", 800, 100, 860, 130, 93.0, 6, 1, 1),
        Word("ngày82tháng", 875, 98, 1091, 137, 26.0, 6, 1, 1),
    ]
    (blank,) = find_blanks(page, glued)
    assert (blank.label.text, [w.text for w in blank.between], blank.end.text) == ("ngày", ["82"], "tháng")
    assert blank.label.conf >= 35 and blank.end.conf >= 35  # kept in the text, not dropped as unsure
    after = [
        Word("ngày", 800, 100, 870, 130, 95.0, 6, 1, 1),
        Word("Í0tháng", 880, 100, 1000, 130, 60.0, 6, 1, 1),
    ]
    (blank,) = find_blanks(page, after)
    assert [w.text for w in blank.between] == ["Í0"]
    # real scan qd_0105: ``Ñ)tháng``, the written 30's ink above the print makes the box taller than
    # the print; the labels' width is measured by ``ngày`` beside it
    tall = [
        Word("ngày", 990, 307, 1059, 340, 96.0, 6, 1, 1),
        Word("„", 1052, 294, 1062, 350, 11.0, 6, 1, 1),
        Word("Ñ)tháng", 1075, 294, 1187, 350, 48.0, 6, 1, 1),
        Word("8", 1197, 306, 1213, 332, 96.0, 6, 1, 1),
    ]
    (blank,) = find_blanks(page, tall)
    assert (blank.label.text, [w.text for w in blank.between], blank.end.text) == (
        "ngày",
        ["Ñ)"],
        "tháng",
    )
    prose = [Word("dụng/tháng", 100, 100, 260, 130, 90.0, 6, 1, 1)]
    assert find_blanks(page, prose) == [] and [w.text for w in prose] == ["dụng/tháng"]


@pytest.mark.parametrize(
    ("label", "conf", "between"),
    [
        ("Số:21", 34.0, ["21"]),  # real scan qd_0068: the figures glued to the label, one word
        ("Số:", 0.0, []),  # real scan qd_0116: the label's box over the figures, barely believed
    ],
)
def test_a_number_label_holding_the_figures_is_cut_back_to_its_print(label, conf, between):
    """The blank after ``Số:`` is found when the engine's label word holds the figures written
    beside it: the cut falls in the gap after the colon (the third run of ink), not in the figures."""
    import cv2

    from ocr_ingest.text.figures_pass import find_blanks

    image = np.full((120, 900), 255, np.uint8)
    cv2.putText(image, "So:", (20, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
    cv2.putText(image, "21", (112, 84), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.3, 0, 2)
    page = Prepared(image, 300, 0, 0.0, ())
    symbol = Word("/2025/QĐ-UBND", 200, 45, 520, 90, 90.0, 1, 1, 1)
    (blank,) = find_blanks(page, [Word(label, 20, 45, 180, 90, conf, 1, 1, 1), symbol])
    assert blank.label.text == "Số:" and [w.text for w in blank.between] == between
    assert 75 < blank.box[0] < 112 and blank.end.text == "/2025/QĐ-UBND"  # after the colon, before the 2
    believed = [Word("Số:", 20, 45, 180, 90, 90.0, 1, 1, 1), symbol]  # a label read sure: left as read
    find_blanks(page, believed)
    assert [(w.text, w.right) for w in believed] == [("Số:", 180), ("/2025/QĐ-UBND", 520)]


def test_the_dates_blanks_the_day_and_the_month():
    """Real scans: ``ngày lố tháng`` (qd_0049: 16, a syllable read unsure), ``ngày1† tháng`` (qd_0146:
    the label glued to the day) and the month written in after ``tháng``; a day or month typed and
    believed, or a word read sure between the labels, is no blank."""
    from ocr_ingest.text.figures_pass import find_blanks

    page = Prepared(np.full((200, 1600), 255, np.uint8), 200, 0, 0.0, ())

    def gaps(*texts_confs: tuple[str, float]) -> list[tuple[str, list[str], str]]:
        words, x = [], 100
        for text, conf in texts_confs:
            width = 18 * len(text)
            words.append(Word(text, x, 100, x + width, 134, conf, 6, 1, 1))
            x += width + 40
        return [(b.label.text, [w.text for w in b.between], b.end.text) for b in find_blanks(page, words)]

    assert gaps(("ngày", 95), ("lố", 72), ("tháng", 96)) == [("ngày", ["lố"], "tháng")]
    assert gaps(("ngày", 95), ("và", 96), ("tháng", 96)) == []  # read sure: a word
    assert gaps(("ngày1†", 29), ("tháng", 96)) == [("ngày", ["1†"], "tháng")]
    assert gaps(("tháng", 96), ("ƒ", 20), ("năm", 96), ("2025", 96)) == [("tháng", ["ƒ"], "năm")]
    assert gaps(("tháng", 96), ("6", 96), ("năm", 96)) == []  # a month typed, believed
    # qd_0046: a day read as capitals, sure (``AO`` for 10), a month as a capital and a speck (9)
    assert gaps(("ngày", 93), ("AO", 93), ("tháng", 93)) == [("ngày", ["AO"], "tháng")]
    assert gaps(("tháng", 93), ("Ở", 13), ("`", 13), ("năm", 96)) == [("tháng", ["Ở", "`"], "năm")]
    assert gaps(("ngày", 95), ("ký", 96), ("và", 96), ("tháng", 96)) == []  # words in lower case
    # qd_0135: a day the engine is sure of that no month has (a written 18 read 48) is read again
    assert gaps(("ngày", 95), ("48", 96), ("tháng", 96)) == [("ngày", ["48"], "tháng")]
    assert gaps(("ngày", 95), ("18", 96), ("tháng", 96)) == []
    assert gaps(("tháng", 96), ("13", 96), ("năm", 96)) == [("tháng", ["13"], "năm")]


def test_the_slash_read_with_the_figures_junk_is_given_back_to_the_year():
    """Real scan qd_0118: ``Số:.05 2025/QĐ-UBND``, the printed ``/`` before the year read into the
    junk of the 25 written in the gap; the year was then taken for the number (``2025/QĐ-UBND``). The
    symbol gets its slash back and the gap is read as a blank; a year typed as a number is left alone."""
    from ocr_ingest.text.figures_pass import find_blanks

    page = Prepared(np.full((200, 1600), 255, np.uint8), 200, 0, 0.0, ())
    words = [
        Word("Số:", 100, 100, 150, 134, 90.0, 1, 1, 1),
        Word(".05", 170, 100, 220, 134, 27.0, 1, 1, 1),
        Word("2025/QĐ-UBND", 250, 100, 520, 134, 40.0, 1, 1, 1),
    ]
    (blank,) = find_blanks(page, words)
    assert [w.text for w in blank.between] == [".05"] and blank.end.text == "/2025/QĐ-UBND"
    assert "/2025/QĐ-UBND" in [w.text for w in words]
    typed = [
        Word("Số:", 100, 100, 150, 134, 90.0, 1, 1, 1),
        Word("2025/QĐ-UBND", 170, 100, 440, 134, 95.0, 1, 1, 1),
    ]
    assert find_blanks(page, typed) == [] and typed[1].text == "2025/QĐ-UBND"


def test_a_number_line_struck_by_a_stamps_rule_is_read_again_without_the_rule():
    """A received stamp's frame pressed across the number line: the engine read the rule into the label
    and the figures (real qd_0141: ``-:>———Số;-22/2026/NĐ-CP`` for 77, barely believed); the line read
    alone with its rules whited out gives the number, and a word no rule struck is left as read."""
    from PIL import Image, ImageDraw, ImageFont

    from preprocess.frames import whiten_rules

    image = Image.new("L", (1100, 140), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", 44)
    draw.text((330, 40), "Số: 77/2026/NĐ-CP", font=font, fill=0)
    draw.line([(20, 84), (720, 86)], fill=0, width=4)  # the stamp's top rule along the figures' foot
    page = Prepared(np.asarray(image), 200, 0, 0.0, ())
    unruled, report = whiten_rules(page.image, dpi=200)
    assert report.changed and report.details["rules"] == 1
    assert (unruled[78:94, 20:320] < 128).sum() <= 10  # the rule left of the print gone (its cap's corner
    # may stay), the print kept
    assert unruled[40:80, 330:720].min() < 100
    struck = Word("-:>———Số;-22/2026/NĐ-CP", 30, 40, 720, 96, 32.0, 1, 1, 1)
    other = Word("Hà", 800, 40, 860, 96, 96.0, 1, 1, 1)
    read = reread_filled_in(page, [struck, other], Options().make_engine())
    assert [w.text for w in sorted(read, key=lambda w: w.left)] == ["Số:", "77/2026/NĐ-CP", "Hà"]


def test_a_date_label_whose_box_holds_the_figures_beside_it_is_cut_back_to_its_print():
    """``tháng /O`` with the pen touching the label (real qd_0051: ``tháng``'s box 119 px wide, its print
    ~76, the month's gap to ``năm`` 20 px) and ``tháng 09năm`` with the month typed over the year's
    label (real qd_0061: ``năm`` 102 px wide): each label cut back to its print, the month's blank found;
    labels as wide as their print are left as read."""
    from ocr_ingest.text.figures_pass import find_blanks

    page = Prepared(np.full((400, 1600), 255, np.uint8), 200, 0, 0.0, ())
    pen = [
        Word("ngày", 955, 100, 1022, 134, 96.0, 1, 1, 1),
        Word("15", 1030, 100, 1075, 134, 90.0, 1, 1, 1),
        Word("tháng", 1092, 100, 1211, 134, 92.0, 1, 1, 1),
        Word("năm", 1231, 100, 1286, 134, 86.0, 1, 1, 1),
    ]
    blanks = find_blanks(page, pen)
    month = next(b for b in blanks if b.label.text == "tháng")
    assert month.box[0] < 1092 + 1.2 * 76 and month.end.text == "năm"
    over = [
        Word("ngày", 965, 200, 1039, 234, 96.0, 1, 2, 1),
        Word("01", 1054, 200, 1088, 234, 96.0, 1, 2, 1),
        Word("tháng", 1119, 200, 1193, 234, 96.0, 1, 2, 1),
        Word("năm", 1204, 204, 1306, 234, 42.0, 1, 2, 1),  # 102 px for a print of ~72
    ]
    month = next(b for b in find_blanks(page, over) if b.label.text == "tháng")
    assert month.end.left == 1306 - 72 and month.box[2] == 1306 - 72 - 1
    plain = [
        Word("ngày", 965, 300, 1039, 334, 96.0, 1, 3, 1),
        Word("tháng", 1100, 300, 1174, 334, 96.0, 1, 3, 1),
        Word("năm", 1190, 300, 1270, 334, 96.0, 1, 3, 1),  # a year's label as wide as its print (2.4 h)
    ]
    kept = list(plain)
    blanks = find_blanks(page, kept)
    assert [(w.text, w.left, w.right) for w in kept] == [(w.text, w.left, w.right) for w in plain]
    assert [b.box[0] for b in blanks] == [1041]  # no month's blank cut out of the year's label
