"""Issue 20, lever 3: a field read where the page prints it (``ocr_ingest.fields.layout``). The words and
boxes here are copied from our own OCR output on a real decision of ``../shared/real/vietidp`` (the
subject under ``QUYẾT ĐỊNH``, where the engine read two passes over its first row into the text: words out of
order, twice, and a speck), with a stamp's words set beside it as a received stamp prints them."""

from __future__ import annotations

from ocr_ingest.fields import extract_fields
from ocr_ingest.fields.layout import Layout, column_text, once, rows, speck
from ocr_ingest.text.document import PageText, WordBox

# (text, left, top, right, bottom, conf) per line of the page text, as OCR gave them
LINES = [
    [("SAO", 0.020, 0.216, 0.060, 0.230, 90), ("Y", 0.065, 0.216, 0.080, 0.230, 90)],
    [("QUYẾT", 0.466, 0.194, 0.548, 0.212, 92), ("ĐỊNH", 0.556, 0.198, 0.617, 0.212, 95)],
    [
        ("Quy", 0.237, 0.216, 0.279, 0.231, 96), ("định", 0.286, 0.216, 0.332, 0.231, 96),
        ("mức", 0.339, 0.216, 0.382, 0.228, 96), ("tỷ", 0.384, 0.216, 0.408, 0.238, 96),
        ("lệ", 0.415, 0.216, 0.431, 0.231, 97), ("(%)", 0.438, 0.216, 0.476, 0.239, 64),
        ("cụ", 0.484, 0.220, 0.505, 0.232, 97), ("để", 0.550, 0.213, 0.574, 0.239, 84),
        ("xác", 0.581, 0.216, 0.614, 0.228, 96), ("định", 0.621, 0.215, 0.658, 0.240, 93),
        ("‹", 0.666, 0.217, 0.675, 0.239, 93), ("đơn", 0.673, 0.217, 0.711, 0.229, 96),
        ("giá", 0.718, 0.217, 0.747, 0.232, 96), ("thuê", 0.755, 0.217, 0.798, 0.229, 96),
        ("đất;", 0.805, 0.213, 0.843, 0.231, 96), ("thể", 0.513, 0.213, 0.543, 0.228, 96),
        ("để", 0.550, 0.213, 0.574, 0.228, 96),
    ],
    [("đất:", 0.805, 0.213, 0.843, 0.229, 92)],
    [
        ("mức", 0.224, 0.235, 0.267, 0.247, 96), ("tỷ", 0.273, 0.235, 0.292, 0.250, 96),
        ("lệ", 0.299, 0.235, 0.315, 0.250, 60), ("(%)", 0.324, 0.235, 0.361, 0.250, 91),
        ("để", 0.368, 0.232, 0.392, 0.247, 86), ("tính", 0.398, 0.235, 0.438, 0.247, 97),
        ("tiền", 0.445, 0.232, 0.482, 0.247, 96), ("thuê", 0.490, 0.235, 0.533, 0.248, 96),
    ],
    [("Căn", 0.211, 0.295, 0.248, 0.307, 96), ("cứ", 0.259, 0.296, 0.283, 0.307, 96)],
]  # fmt: skip
SUBJECT = "Quy định mức tỷ lệ (%) cụ thể để xác định đơn giá thuê đất; mức tỷ lệ (%) để tính tiền thuê"


def page(lines: list[list[tuple]] = LINES) -> PageText:
    text = "\n".join(" ".join(w[0] for w in ln) for ln in lines)
    words = tuple(WordBox(w[0], *w[1:5], line=k, conf=w[5]) for k, ln in enumerate(lines) for w in ln)
    return PageText(1, text, "ocr", words=words)


def test_the_subject_is_read_as_the_page_prints_it() -> None:
    p = page()
    assert extract_fields(p.text, [p]).subject.value == SUBJECT


def test_without_the_boxes_the_text_alone_decides() -> None:
    p = page()
    text_only = extract_fields(p.text).subject.value
    assert text_only.startswith("Quy định mức tỷ lệ (%) cụ để xác định ‹ đơn giá thuê đất; thể để")
    other = PageText(1, p.text + "\nthêm", "ocr", words=p.words)  # pages that are not this text's
    assert extract_fields(p.text, [other]).subject.value == text_only
    bare = PageText(1, p.text, "text_layer")  # a text layer: no boxes
    assert extract_fields(p.text, [bare]).subject.value == text_only


def test_each_word_once_and_rows_left_to_right() -> None:
    p = page()
    first = [w for w in p.words if w.line in (2, 3)]
    got = [w.text for r in rows(once(first)) for w in r]
    assert got == [
        "Quy",
        "định",
        "mức",
        "tỷ",
        "lệ",
        "(%)",
        "cụ",
        "thể",
        "để",
        "xác",
        "định",
        "‹",
        "đơn",
        "giá",
        "thuê",
        "đất;",
    ]
    assert speck("‹") and speck("„") and not speck("(%)") and not speck("-")


def test_a_stamp_beside_the_block_is_another_column() -> None:
    p = page()
    row = [w for w in p.words if w.line in (0, 4)]  # the stamp sits left of the subject's second row
    assert column_text(row, centre=0.54) == "mức tỷ lệ (%) để tính tiền thuê"
    assert column_text(row, centre=0.05) == "SAO Y"


def test_a_box_line_is_placed_in_the_text_line_that_holds_it() -> None:
    """The text joins the engine's first two lines (a clerk's mark before the header): the boxes of
    both are that one text line's, and the lines after keep their own."""
    p = page(LINES[1:])
    joined = PageText(
        1,
        "TTĐT 6 " + p.text,
        "ocr",
        words=(WordBox("TTĐT", 0.1, 0.1, 0.15, 0.11, 0),)
        + tuple(WordBox(w.text, w.left, w.top, w.right, w.bottom, w.line + 1, w.conf) for w in p.words),
    )
    lay = Layout(joined.text, [joined])
    first = joined.text.index("\n")
    assert [w.text for w in lay.words(joined.text, 0, first)] == ["TTĐT", "QUYẾT", "ĐỊNH"]
    second = joined.text.index("\n", first + 1)
    assert lay.words(joined.text, first + 1, second)[0].text == "Quy"


# The close of a Prime Minister's decision as OCR read it (lines in the text's order, boxes as printed):
# the seal over the signing column took the "KT." of its first line and garbled the deputy's title under it.
CLOSE = [
    [("Điều", 0.20, 0.150, 0.24, 0.162, 96), ("3.", 0.25, 0.150, 0.27, 0.162, 96), ("Thi", 0.28, 0.150, 0.31, 0.162, 96),
     ("hành.", 0.32, 0.150, 0.37, 0.162, 96)],
    [("Nơi", 0.15, 0.197, 0.19, 0.209, 96), ("nhận:", 0.19, 0.197, 0.23, 0.209, 96)],
    [("-", 0.15, 0.213, 0.16, 0.225, 96), ("Ban", 0.16, 0.213, 0.20, 0.225, 96), ("Bí", 0.21, 0.213, 0.23, 0.225, 96),
     ("thư;", 0.24, 0.213, 0.28, 0.225, 96)],
    [("THỦ", 0.69, 0.194, 0.75, 0.210, 90), ("TƯỚNG", 0.76, 0.194, 0.83, 0.210, 90)],
    [("1Ú", 0.72, 0.213, 0.75, 0.229, 40), ("TƯỚ", 0.76, 0.213, 0.80, 0.229, 50), ("LƯƠNG", 0.80, 0.213, 0.84, 0.229, 40)],
    [("-", 0.15, 0.243, 0.16, 0.255, 96), ("Lưu:", 0.16, 0.243, 0.20, 0.255, 96), ("VT.", 0.21, 0.243, 0.24, 0.255, 96)],
    [("Trần", 0.70, 0.300, 0.75, 0.315, 96), ("Hồng", 0.76, 0.300, 0.81, 0.315, 96), ("Hà", 0.82, 0.300, 0.85, 0.315, 96)],
]  # fmt: skip


def test_a_lost_kt_is_found_by_the_signing_columns_lines() -> None:
    p = page(LINES[1:3] + CLOSE)
    alone = extract_fields(p.text)
    assert alone.authority is None and alone.signer_title.value == "THỦ TƯỚNG"
    f = extract_fields(p.text, [p])
    assert (f.authority.value, f.signer_title.value, f.signer_name.value) == (
        "KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "Trần Hồng Hà"
    )  # fmt: skip


def test_a_head_signing_alone_keeps_his_title() -> None:
    """The head's title with the signature's space under it (no line right below): he signs himself."""
    close = CLOSE[:4] + CLOSE[5:]
    f = extract_fields(page(LINES[1:3] + close).text, [page(LINES[1:3] + close)])
    assert f.authority is None and f.signer_title.value == "THỦ TƯỚNG"


def test_an_unsure_mark_set_off_at_a_rows_edge_is_not_a_word() -> None:
    """A seal's rim read ``pủ`` (confidence 40) left of the subject's first word, further off than the
    row's word spaces (boxes from our OCR of a real decision)."""
    row = [
        WordBox("pủ", 0.226, 0.210, 0.241, 0.223, conf=40), WordBox("Quy", 0.275, 0.207, 0.316, 0.222, conf=90),
        WordBox("định", 0.323, 0.207, 0.366, 0.229, conf=97), WordBox("vị", 0.372, 0.207, 0.390, 0.229, conf=96),
        WordBox("trí,", 0.396, 0.207, 0.430, 0.229, conf=96),
    ]  # fmt: skip
    assert column_text(row, centre=0.33) == "Quy định vị trí,"
    sure = [WordBox("Bãi", 0.226, 0.210, 0.254, 0.223, conf=90), *row[1:]]  # a sure word stays
    assert column_text(sure, centre=0.33) == "Bãi Quy định vị trí,"


def test_a_stamps_line_between_type_and_subject_is_passed_over() -> None:
    """A received stamp's office name (``CHÍNH PHỦ``, capitals: a text alone ends the subject there) at
    the left margin under the type name, as OCR read it on a real decision."""
    stamp = [("CHÍNH", 0.21, 0.200, 0.25, 0.212, 80), ("PHỦ", 0.25, 0.200, 0.27, 0.212, 80)]
    lines = [LINES[1], stamp, *LINES[2:]]
    p = page(lines)
    assert extract_fields(p.text).subject is None
    assert extract_fields(p.text, [p]).subject.value == SUBJECT
