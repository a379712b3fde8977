import unicodedata
from dataclasses import replace

import numpy as np

from ocr_ingest.text.boxes import trim_tall_boxes
from ocr_ingest.text.clean import (
    cut_rules_off_numbers,
    drop_scan_junk,
    drop_specks,
    drop_unsure_words,
    normalise,
    number_sections,
    page_text,
)
from ocr_ingest.text.layout import reading_order
from ocr_ingest.text.tesseract import Word


def words_of(
    line: str,
    left: int,
    top: int,
    *,
    line_id: int,
    right: int | None = None,
    block: int = 1,
    conf: float = 95.0,
) -> list[Word]:
    """Words 12 px a character, spaced 12 px apart, or justified to end at ``right``."""
    tokens = line.split()
    widths = [12 * len(t) for t in tokens]
    gap = 12.0
    if right is not None and len(tokens) > 1:
        gap = (right - left - sum(widths)) / (len(tokens) - 1)
    out, x = [], float(left)
    for t, w in zip(tokens, widths, strict=True):
        out.append(Word(t, round(x), top, round(x) + w, top + 30, conf, block, 1, line_id))
        x += w + gap
    return out


def test_two_column_header_is_read_left_column_first():
    # Tesseract-style: one "line" id spans both columns of a row.
    words = words_of("UBND HUYỆN GÒ QUAO", 100, 100, line_id=1) + words_of(
        "CỘNG HÒA XÃ HỘI", 900, 100, line_id=1
    )
    words += words_of("VĂN PHÒNG", 130, 140, line_id=2) + words_of("Độc lập - Tự do", 950, 140, line_id=2)
    title = "THÔNG BÁO kết luận của Chủ tịch UBND huyện Võ Văn Trà tại hội nghị thành viên"
    words += words_of(title, 150, 220, line_id=3, right=1300)
    order = [ln.text for ln in reading_order(words)]
    assert order == ["UBND HUYỆN GÒ QUAO", "VĂN PHÒNG", "CỘNG HÒA XÃ HỘI", "Độc lập - Tự do", order[-1]]
    assert order[-1].startswith("THÔNG BÁO")


def test_a_long_issuer_beside_the_motto_is_still_a_column():
    """Real scans (nomvn qd_707, qd_729, tt_21): ``THỦ TƯỚNG CHÍNH PHỦ`` ends three word spaces before
    ``CỘNG HÒA``; the row is cut where the motto starts, and the title centred below, which starts just
    right of that narrow gutter, is no right-column line."""
    words = words_of("THỦ TƯỚNG CHÍNH PHỦ", 100, 100, line_id=1)  # ends at 100 + 17*12 + 3*12 = 340
    words += words_of("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 376, 100, line_id=1)
    words += words_of("Độc lập - Tự do - Hạnh phúc", 520, 140, line_id=2)
    words += words_of("Số: 707/QĐ-TTg", 130, 180, line_id=3) + words_of(
        "Hà Nội, ngày 22 tháng 4", 500, 180, line_id=3
    )
    words += words_of("QUYẾT ĐỊNH", 380, 240, line_id=4)
    order = [ln.text for ln in reading_order(words)]
    assert order == [
        "THỦ TƯỚNG CHÍNH PHỦ", "Số: 707/QĐ-TTg", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 22 tháng 4", "QUYẾT ĐỊNH",
    ]  # fmt: skip
    spaced = words_of("nói rằng CỘNG HÒA XÃ HỘI", 100, 300, line_id=5)  # word spaces only: one line
    assert [ln.text for ln in reading_order(spaced)] == ["nói rằng CỘNG HÒA XÃ HỘI"]


def test_a_column_going_on_alone_after_a_blank_ends_the_block():
    """nomvn metro (a công văn): under ``Số:`` its ``V/v`` lines go on in the left column alone, and a
    blank below them ``Kính gửi:`` opens the text under the header. It was read into the left column,
    before the motto; it follows the header. Lines of one column at their line spacing stay in it, and
    a blank after a row of both columns (``V/v`` a line lower than ``Số:``) does not end the block."""
    words = words_of("VĂN PHÒNG CHÍNH PHỦ", 100, 100, line_id=1) + words_of(
        "CỘNG HÒA XÃ HỘI", 900, 100, line_id=1
    )
    words += words_of("Số: 3722/VPCP-CN", 130, 160, line_id=2) + words_of(
        "Hà Nội, ngày 28", 950, 160, line_id=2
    )
    words += words_of("V/v cơ chế đặc thù", 100, 200, line_id=3) + words_of(
        "quốc tế Long Thành", 130, 236, line_id=4
    )
    words += words_of("Kính gửi:", 300, 320, line_id=5)
    words += words_of(
        "- Các Bộ: Công an, Tư pháp, Tài chính, Xây dựng, Nông nghiệp và Môi trường", 400, 360, line_id=6
    )
    order = [ln.text for ln in reading_order(words)]
    assert order[:6] == [
        "VĂN PHÒNG CHÍNH PHỦ", "Số: 3722/VPCP-CN", "V/v cơ chế đặc thù", "quốc tế Long Thành",
        "CỘNG HÒA XÃ HỘI", "Hà Nội, ngày 28",
    ]  # fmt: skip
    assert order[6] == "Kính gửi:"
    # a stamp's speck beside the row, two lines tall and reaching up into the blank, does not close it
    speck = Word("+", 40, 285, 52, 375, 34.0, 1, 1, 5)
    order = [ln.text for ln in reading_order([*words, speck])]
    assert order.index("CỘNG HÒA XÃ HỘI") < order.index("Kính gửi:")
    # a signing block: the name goes on alone in the right column after the signature's blank, split
    # by the seal into two pieces (our corpus's ``Dương`` / ``Công Trung``): one line, in the block; and
    # a recipient after a blank in the left column while the right column goes on below stays in it
    block = words_of("Nơi nhận:", 100, 600, line_id=7) + words_of(
        "TM. HỘI ĐỒNG NHÂN DÂN", 900, 600, line_id=7
    )
    block += words_of("- Lưu: VT.", 100, 640, line_id=8) + words_of("KT. CHỦ TỊCH", 980, 640, line_id=8)
    block += words_of("PHÓ CHỦ TỊCH", 980, 680, line_id=9)
    block += words_of("Dương", 900, 800, line_id=10) + words_of("Công Trung", 1060, 800, line_id=10)
    order = [ln.text for ln in reading_order(block)]
    assert order == [
        "Nơi nhận:", "- Lưu: VT.", "TM. HỘI ĐỒNG NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Dương Công Trung"
    ]  # fmt: skip
    late = [w for w in block if w.line in (7, 8)] + words_of("- UBND tỉnh.", 100, 760, line_id=9)
    late += words_of("Dương Công Trung", 900, 840, line_id=10)
    order = [ln.text for ln in reading_order(late)]
    assert order == [
        "Nơi nhận:", "- Lưu: VT.", "- UBND tỉnh.", "TM. HỘI ĐỒNG NHÂN DÂN", "KT. CHỦ TỊCH", "Dương Công Trung"
    ]  # fmt: skip
    blank_after_both = [w for w in words if w.line in (1, 2)] + words_of("V/v cơ chế", 100, 260, line_id=3)
    order = [ln.text for ln in reading_order(blank_after_both)]
    assert order == [
        "VĂN PHÒNG CHÍNH PHỦ",
        "Số: 3722/VPCP-CN",
        "V/v cơ chế",
        "CỘNG HÒA XÃ HỘI",
        "Hà Nội, ngày 28",
    ]


def test_one_engine_line_spanning_two_rows_is_split_by_height():
    words = words_of("Số 153", 100, 100, line_id=1) + words_of("Gò Quao", 900, 140, line_id=1)
    words += words_of("VĂN PHÒNG", 100, 140, line_id=2) + words_of("CỘNG HÒA", 900, 100, line_id=2)
    order = [ln.text for ln in reading_order(words)]
    assert order == ["Số 153", "VĂN PHÒNG", "CỘNG HÒA", "Gò Quao"]


def test_dot_runs_do_not_bridge_the_gutter_and_unsure_words_go():
    words = words_of("VĂN PHÒNG HĐND-UBND.......", 100, 100, line_id=1) + words_of(
        "..... ....", 480, 100, line_id=1
    )
    words += words_of("Độc lập", 900, 100, line_id=1) + words_of("S556", 1200, 100, line_id=1, conf=3)
    words += words_of("Số 153/TB-VP", 100, 140, line_id=2) + words_of("Gò Quao", 900, 140, line_id=2)
    lines = drop_unsure_words(reading_order(drop_scan_junk(words)))
    assert [ln.text for ln in lines] == ["VĂN PHÒNG HĐND-UBND", "Số 153/TB-VP", "Độc lập", "Gò Quao"]


def test_a_list_dash_read_as_tilde_stays_a_dash_and_other_tildes_go():
    """On a noisy 200 dpi scan Tesseract gives ``- Các cơ quan`` as ``~ Các cơ quan``."""
    words = words_of("~ Các cơ quan tham mưu,", 100, 100, line_id=1, conf=50)
    words += words_of("_ Các chi, đảng bộ", 100, 140, line_id=2, conf=80)
    words += words_of("ký ~ tên", 100, 180, line_id=3, conf=60)  # inside a line: a speck
    words += words_of("~ các", 100, 220, line_id=4, conf=60)  # lower case follows: not a list item
    words += [Word("~", 100, 260, 112, 290, 60, 1, 1, 5), Word("Lưu", 400, 260, 436, 290, 95, 1, 1, 5)]
    # a signature's last stroke just above the signer's name (ttr-syt-bentre-2019-125, bilevel)
    words += [Word("_", 83, 296, 94, 300, 55, 1, 1, 6), Word("Đinh", 100, 300, 180, 339, 90, 1, 1, 6)]
    lines = reading_order(drop_scan_junk(words))
    assert [ln.text for ln in lines] == [
        "- Các cơ quan tham mưu,",
        "- Các chi, đảng bộ",
        "ký tên",
        "các",
        "Lưu",
        "Đinh",
    ]


def _lines(rows):
    words = []
    for i, (text, left, right) in enumerate(rows):
        words += words_of(text, left, 100 + 40 * i, line_id=i + 1, right=right)
    return reading_order(words)


def test_paragraphs_reflow_list_items_stay_and_page_numbers_go():
    rows = [
        ("- 2 -", 500, None),
        ("Ngày 04 tháng 6 năm 2021, Chủ tịch UBND huyện Võ Văn Trà chủ trì", 160, 1300),
        ("hội nghị sơ kết công tác chỉ đạo, điều hành, tình hình kinh tế-", 100, 1300),
        ("xã hội tháng 5.", 100, None),
        ("1. Thủ trưởng các phòng, ban ngành", 160, None),
        ("- TT.UBND huyện;", 100, None),
        ("- Lưu: VT.", 100, None),
    ]
    text = page_text(_lines(rows), page_height=400)
    assert text.split("\n") == [
        "Ngày 04 tháng 6 năm 2021, Chủ tịch UBND huyện Võ Văn Trà chủ trì hội nghị sơ kết công tác chỉ đạo, "
        "điều hành, tình hình kinh tế-xã hội tháng 5.",
        "1. Thủ trưởng các phòng, ban ngành",
        "- TT.UBND huyện;",
        "- Lưu: VT.",
    ]


def test_normalise_gives_nfc_and_plain_spaces_but_keeps_tone_placement():
    decomposed = unicodedata.normalize("NFD", "Hòa và Hoà\u00a0 nghị\u00ad")
    out = normalise(decomposed)
    assert out == "Hòa và Hoà nghị"
    assert unicodedata.is_normalized("NFC", out)


def test_a_table_is_read_row_by_row_and_its_rulings_dropped():
    """An annex of figures: Tesseract gives each column its own block; the rows are what a clerk reads.
    The vertical rulings come back as ``|``, alone or stuck to a cell's first word."""
    rows = [
        ("TT", "Chỉ tiêu", "Đơn vị", "Kế hoạch", "Thực hiện"),
        ("1", "|Thu ngân sách", "tỷ đồng", "6.957", "5.771"),
        ("2", "Chi đầu tư", "tỷ đồng", "8.470", "9.308|"),
        ("3", "Chi thường xuyên", "tỷ đồng", "3.464", "3.388"),
    ]
    lefts = (100, 250, 700, 950, 1200)
    words = []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            words += words_of(cell, lefts[c], 100 + 45 * r, line_id=r, block=c + 1)
    words += words_of("|", 600, 145, line_id=9, block=9, conf=96.0)
    lines = reading_order(drop_scan_junk(words))
    assert [ln.text for ln in lines] == [" ".join(row).replace("|", "") for row in rows]
    assert page_text(lines, 2000).split("\n") == [ln.text for ln in lines]  # one row a line


def test_a_two_column_header_with_a_blank_in_the_number_is_not_a_table():
    words = words_of("ỦY BAN NHÂN DÂN", 100, 100, line_id=1) + words_of(
        "CỘNG HÒA XÃ HỘI", 900, 100, line_id=1
    )
    words += words_of("TỈNH LÂM ĐỒNG", 130, 140, line_id=2) + words_of("Độc lập - Tự do", 950, 140, line_id=2)
    words += words_of("Số:", 100, 180, line_id=3) + words_of("/QĐ-UBND", 260, 180, line_id=3)
    words += words_of("Lâm Đồng, ngày", 900, 180, line_id=3)
    order = [ln.text for ln in reading_order(words)]
    assert order == ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "Số: /QĐ-UBND", "CỘNG HÒA XÃ HỘI", "Độc lập - Tự do",
                     "Lâm Đồng, ngày"]  # fmt: skip


def test_a_received_stamps_words_are_set_aside_and_other_frames_keep_theirs():
    from ocr_ingest.text.stamps import set_aside_received_stamps

    issuer = words_of("ỦY BAN NHÂN DÂN", 100, 100, line_id=1)
    stamp = words_of("SỞ TƯ PHÁP", 110, 310, line_id=2) + words_of("ĐE N Số: 2973", 110, 350, line_id=3)
    stamp += words_of("Chuyển: Đ/c Long", 110, 390, line_id=4)
    banner = words_of("Ký bởi: Sở Tư pháp", 900, 20, line_id=5)
    table = words_of("TỪ NGÀY ĐẾN NGÀY", 100, 800, line_id=6)
    words = issuer + stamp + banner + table
    frames = [(100, 300, 400, 140), (890, 10, 400, 50), (90, 790, 1500, 300)]  # stamp, banner, table
    kept, received = set_aside_received_stamps(words, frames, dpi=300)
    assert kept == issuer + banner + table  # the banner and the wide table frame keep their words
    assert [(r.box, r.text) for r in received] == [(frames[0], "SỞ TƯ PHÁP\nĐE N Số: 2973\nChuyển: Đ/c Long")]
    assert set_aside_received_stamps(words, [], dpi=300) == (words, ())
    # A frame without the big word is not a received stamp.
    assert set_aside_received_stamps(issuer + banner, [(890, 10, 400, 50)], dpi=300)[1] == ()


def test_a_line_joined_across_the_gutter_at_two_heights_is_told_from_a_header_row():
    from ocr_ingest.text.column_pass import _joined_across

    header = words_of("UBND TỈNH", 100, 100, line_id=1) + words_of("CỘNG HÒA", 900, 102, line_id=1)
    assert not _joined_across(header, gutter=600)
    # Recipients' line 20 px (two thirds of a word's height) below the title's, one engine line.
    joined = words_of("- Đài PT-TH tỉnh;", 100, 130, line_id=2) + words_of("CHÁNH VĂN", 900, 110, line_id=2)
    assert _joined_across(joined, gutter=600)
    junk = words_of("-Eaïtrilsridir", 100, 100, line_id=3, conf=0.0) + words_of("PHÒNG", 900, 100, line_id=3)
    assert _joined_across(junk, gutter=600)
    # Two engine lines, each on one side: nothing joined.
    apart = words_of("- Đài PT-TH tỉnh;", 100, 130, line_id=4) + words_of("CHÁNH", 900, 110, line_id=5)
    assert not _joined_across(apart, gutter=600)


def test_column_bands_are_the_two_column_blocks_with_their_gutter():
    from ocr_ingest.text.layout import column_bands

    header = words_of("UBND TỈNH", 100, 100, line_id=1) + words_of("CỘNG HÒA", 900, 100, line_id=1)
    header += words_of("Số: 12/TB", 100, 140, line_id=2) + words_of("Độc lập", 950, 140, line_id=2)
    body = words_of(
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6", 100, 300, line_id=3, right=1300
    )
    signer = words_of("Nơi nhận:", 100, 500, line_id=4) + words_of("CHỦ TỊCH", 1000, 500, line_id=4)
    signer += words_of("- Như trên;", 100, 540, line_id=5) + words_of("Lê Văn A", 1000, 545, line_id=6)
    bands = column_bands(header + body + signer)
    assert [(b.top, b.bottom) for b in bands] == [(100, 170), (500, 575)]
    assert all(220 < b.gutter < 900 for b in bands)
    assert column_bands(body) == []
    # A column beside a stray mark (a frame's "|" read at the right edge) is not a two-column block.
    stray = words_of("Căn cứ Luật |", 100, 700, line_id=7, right=1500)
    stray += words_of("Căn cứ Nghị định", 100, 740, line_id=8) + words_of("Điều 1.", 100, 780, line_id=9)
    assert column_bands(stray) == []


def test_a_recipients_report_note_read_with_a_slip_is_restored():
    words = words_of(
        "- Bộ Xây dựng (b/€); - UBND tỉnh (b/C) - Bộ Y tế (b/); - Sở (b/c);", 100, 100, line_id=1
    )
    texts = [w.text for w in drop_scan_junk(words)]
    assert [t for t in texts if t.startswith("(")] == ["(b/c);", "(b/c)", "(b/c);", "(b/c);"]


def test_a_received_stamp_cut_in_two_by_its_blanks_is_set_aside_whole():
    from ocr_ingest.text.stamps import set_aside_received_stamps

    top = words_of("SỞ TƯ PHÁP", 110, 310, line_id=1) + words_of("ĐẾN Số: 12", 110, 350, line_id=2)
    bottom = words_of("Chuyển: Đ/c Long", 110, 420, line_id=3)
    motto = words_of("Độc lập - Tự do", 900, 420, line_id=4)
    frames = [(100, 300, 400, 100), (102, 404, 398, 50)]  # the stamp's upper and lower compartments
    kept, (stamp,) = set_aside_received_stamps(top + bottom + motto, frames, dpi=300)
    assert kept == motto
    assert stamp.box == (100, 300, 400, 154) and stamp.text.endswith("Chuyển: Đ/c Long")


def test_number_sections_sets_right_a_numeral_that_breaks_the_count():
    # Tesseract reads bold serif III as II, HI or IH, and II as H (measured on the corpus scans).
    page = "I. KẾT QUẢ\nNội dung.\nII. TỒN TẠI, HẠN CHẾ\nII. PHƯƠNG HƯỚNG\nIV. KIẾN NGHỊ"
    assert number_sections([page]) == [
        "I. KẾT QUẢ\nNội dung.\nII. TỒN TẠI, HẠN CHẾ\nIII. PHƯƠNG HƯỚNG\nIV. KIẾN NGHỊ"
    ]
    # a look-alike that is not the expected numeral stays as read
    assert number_sections(["I. A\nHI. B"]) == ["I. A\nHI. B"]
    assert number_sections(["I. MỤC TIÊU\nH. NHIỆM VỤ\nIH. TỔ CHỨC"]) == [
        "I. MỤC TIÊU\nII. NHIỆM VỤ\nIII. TỔ CHỨC"
    ]


def test_number_sections_counts_across_pages_and_restarts_in_an_annex():
    pages = ["I. MỤC ĐÍCH\nII. NỘI DUNG", "II. TỔ CHỨC THỰC HIỆN\nPhụ lục\nI. DANH MỤC\nII. BIỂU MẪU"]
    assert number_sections(pages) == [
        "I. MỤC ĐÍCH\nII. NỘI DUNG",
        "III. TỔ CHỨC THỰC HIỆN\nPhụ lục\nI. DANH MỤC\nII. BIỂU MẪU",
    ]


def test_number_sections_leaves_what_the_count_does_not_speak_for():
    # no heading before: nothing to count from; arabic items, numerals inside a line and a heading in
    # lower case are not section headings
    for text in ("II. NỘI DUNG", "1. Tổ chức thực hiện\n1. Tổ chức", "thực hiện: quý II. Tiếp", "I. A\nI. b"):
        assert number_sections([text]) == [text]
    assert number_sections(["I. A\nI. B"]) == ["I. A\nI. B"]  # one I short only of two joined


def test_an_unsure_section_numeral_opening_a_believed_heading_is_kept():
    # bilevel 200 dpi: bold "III" read as "II" at confidence 23, the heading's words at 92-96
    heading = [
        replace(w, conf=23.0 if w.text == "II" else 94.0)
        for w in words_of("II PHƯƠNG HƯỚNG", 100, 100, line_id=1)
    ]
    speck = (
        words_of("II thực hiện", 100, 200, line_id=2, conf=20.0)[:1]
        + words_of("thực hiện", 200, 200, line_id=2)[1:]
    )
    kept = [ln.text for ln in drop_unsure_words(reading_order(heading + speck))]
    assert kept == ["II PHƯƠNG HƯỚNG", "hiện"]
    assert number_sections(["I. KẾT QUẢ\nII. TỒN TẠI\nII PHƯƠNG HƯỚNG"]) == [
        "I. KẾT QUẢ\nII. TỒN TẠI\nIII. PHƯƠNG HƯỚNG"
    ]


def test_a_speck_read_as_a_letter_does_not_make_a_gutter_of_its_own():
    """cv-btc-2022-2044 (bilevel 200 dpi): a 1 × 5 px ``ị`` far right of the e-signature banner opened a
    two-column band whose gutter lay right of everything, and the header's two columns were read as
    one (``BỘ TÀI CHÍNH CỘNG HÒA XÃ HỘI …``)."""
    words = words_of("Cơ quan: Bộ Tài chính", 1100, 100, line_id=1)
    words.append(Word("ị", 1540, 105, 1541, 110, 46.0, 1, 1, 1))
    words += words_of("BỘ TÀI CHÍNH", 400, 200, line_id=2) + words_of("CỘNG HÒA XÃ HỘI", 840, 200, line_id=2)
    words += words_of("Số: 2044/BTC-HCSN", 380, 260, line_id=3) + words_of(
        "Độc lập - Tự do", 950, 260, line_id=3
    )
    order = [ln.text for ln in drop_unsure_words(reading_order(drop_scan_junk(words)))]
    assert order == [
        "Cơ quan: Bộ Tài chính",
        "BỘ TÀI CHÍNH",
        "Số: 2044/BTC-HCSN",
        "CỘNG HÒA XÃ HỘI",
        "Độc lập - Tự do",
    ]
    blank = Word("_", 700, 260, 712, 290, 20.0, 1, 1, 3)  # other junk is not a speck
    assert drop_specks([*words, blank]) == [w for w in words if w.text != "ị"] + [blank]
    # an unsure speck (``Ộ``, 6 × 6 px at 0): out of the layout, but the column pass still sees it
    unsure = Word("Ộ", 1229, 272, 1235, 278, 0.0, 1, 1, 3)
    assert unsure not in drop_scan_junk([*words, unsure]) and unsure in drop_specks([*words, unsure])


def test_an_unsure_word_stays_beside_a_believed_one_the_model_has_seen_it_with():
    """Bold ``ĐẢNG`` before ``CỘNG`` read right at a confidence of 7 (a corpus bilevel scan)."""
    motto = words_of("ĐẢNG CỘNG SẢN VIỆT NAM", 900, 100, line_id=1)
    motto[0] = replace(motto[0], conf=7.0)
    stroke = words_of("CỘNG HÒA", 900, 160, line_id=2)
    tall = replace(words_of("ĐẢNG", 800, 130, line_id=2)[0], bottom=230, conf=7.0)  # a seal's height
    unknown = words_of("xoè HÒA", 900, 260, line_id=3)  # a syllable the model never saw before HÒA
    unknown[0] = replace(unknown[0], conf=7.0)
    marked = words_of("sản phãm OCOP", 900, 320, line_id=4)  # seen as *sản phẩm*: the model sets it
    marked[1] = replace(marked[1], conf=20.0)
    lines = drop_unsure_words(reading_order(motto + stroke + [tall] + unknown + marked))
    assert [ln.text for ln in lines] == ["ĐẢNG CỘNG SẢN VIỆT NAM", "CỘNG HÒA", "HÒA", "sản phãm OCOP"]


def test_the_recipients_closed_forms_stay_however_unsure_the_engine_is():
    """``(b/c)`` read at 18 and the unit in ``Lưu: VT, NN.`` at 9 (corpus grey scans)."""
    note = words_of("- Bộ Tài nguyên và Môi trường (b/€);", 100, 100, line_id=1)
    note[-1] = replace(note[-1], conf=18.0)
    archive = words_of("- Lưu: VT, NN.", 100, 140, line_id=2)
    archive[-1] = replace(archive[-1], conf=9.0)
    elsewhere = words_of("Giao Sở XD, NN.", 100, 180, line_id=3)
    elsewhere[-1] = replace(elsewhere[-1], conf=9.0)
    lines = drop_unsure_words(reading_order(drop_scan_junk(note + archive + elsewhere)))
    assert [ln.text for ln in lines] == [
        "- Bộ Tài nguyên và Môi trường (b/c);",
        "- Lưu: VT, NN.",
        "Giao Sở XD,",
    ]


def test_a_word_box_stretched_over_the_next_line_is_cut_to_its_own_letters():
    """*Nơi nhận:* came back two lines tall, over the first recipient's dash: layout then read the
    recipients' column and the signer's in turns. Its box is cut to the inked rows across its line's
    middle; a capital's mark above a short blank stays in, and a big letter keeps its box."""
    page = np.full((300, 600), 255, np.uint8)
    page[100:130, 10:60] = 0  # the label's letters
    page[150:155, 10:20] = 0  # the next line's dash, inside the label's box
    page[92:96, 220:240] = 0  # a mark above a capital, 4 rows above it
    page[100:130, 220:260] = 0
    page[80:150, 400:460] = 0  # a big letter, inked from top to bottom
    line = [
        Word("Nơi", 10, 100, 60, 160, 60.0, 1, 1, 1),
        Word("TM.", 100, 100, 160, 130, 96.0, 1, 1, 1),
        Word("ỦY", 220, 92, 260, 130, 96.0, 1, 1, 1),
        Word("BAN", 300, 100, 360, 130, 96.0, 1, 1, 1),
        Word("Đ", 400, 80, 460, 150, 90.0, 1, 1, 1),
    ]
    got = trim_tall_boxes(page, line)
    assert (got[0].top, got[0].bottom) == (100, 130)
    assert got[1:] == line[1:]


def test_a_stamp_frame_whose_words_read_as_junk_is_read_alone_and_set_aside():
    """On a 200 dpi scan the portal's stamp, read among the page's lines, comes back as junk; read
    alone it says its heading or ĐẾN, and the frame's words go, its heading's line above it too. A
    framed e-signature banner naming the portal keeps its words."""
    from ocr_ingest.text.stamps import set_aside_received_stamps

    subject = words_of("Quy định chức năng", 460, 470, line_id=1)
    junk = words_of("IPẾNG, nay 6Š12025.", 50, 500, line_id=1, conf=20.0)
    heading = words_of("TÙ GHÍNYPHỦ", 60, 450, line_id=2, conf=40.0)
    frame = (45, 487, 368, 104)  # the ĐẾN compartment; the heading's is above it
    alone = words_of("CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", 50, 440, line_id=1)
    alone += words_of("ĐÈN Ngày: 17/7/2025", 50, 520, line_id=2)
    calls = []

    def reread(box):
        calls.append(box)
        return alone

    kept, (stamp,) = set_aside_received_stamps(subject + junk + heading, [frame], dpi=200, reread=reread)
    assert kept == subject and calls == [frame]
    assert stamp.text == "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ\nĐÈN Ngày: 17/7/2025"
    assert set_aside_received_stamps(subject + junk, [frame], dpi=200)[1] == ()  # no second reading
    banner = words_of("Người ký: CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", 50, 440, line_id=1)
    assert set_aside_received_stamps(subject + junk, [frame], dpi=200, reread=lambda b: banner)[1] == ()


def test_a_stamps_heading_right_above_it_goes_with_it_and_the_notices_words_there_stay():
    from ocr_ingest.text.stamps import set_aside_received_stamps

    frame = (45, 487, 368, 104)  # the ĐẾN compartment
    stamp = words_of("ĐẾN Ngày: 17/7/2025", 60, 520, line_id=1)
    heading = words_of("CỔNG THÔNG TƯ CHÍNH PHỦ", 50, 450, line_id=2)  # a second reading's, above it
    issuer = words_of("THỦ TƯỚNG", 200, 440, line_id=3)  # TƯỚNG is one slip from THÔNG: alone, it stays
    kept, (got,) = set_aside_received_stamps(stamp + heading + issuer, [frame], dpi=200)
    assert kept == issuer
    top = min(w.top for w in heading)  # the box takes in the heading: the second readings see it whited out
    assert got.box == (frame[0], top, frame[2], frame[1] + frame[3] - top)
    # an office's name beside the portal's words goes with its line (real tt_21: VĂN PHÒNG CHÍNH PHỦ)
    office = words_of("cán VĂN PHÒNG CHÍNH PHỦ", 50, 450, line_id=2)
    kept, (got,) = set_aside_received_stamps(stamp + office + issuer, [frame], dpi=200)
    assert kept == [office[0], *issuer]  # the notice's word the engine read into the line stays
    assert got.box[0] == frame[0]  # and the box does not take it in


def test_a_number_split_at_a_space_is_one_word_again():
    from ocr_ingest.text.clean import join_number_pieces
    from ocr_ingest.text.layout import Line

    def joined(text: str) -> str:
        return join_number_pieces([Line(tuple(words_of(text, 100, 100, line_id=1)))])[0].text

    assert joined("Số: 115 /NQ-CP") == "Số: 115/NQ-CP"  # the blank's padding after a filled-in numeral
    assert joined("Số 433 -TB/HU") == "Số 433-TB/HU"  # a Party number
    assert joined("Thông tư số 18/2025/TT- -BCT ngày") == "Thông tư số 18/2025/TT-BCT ngày"
    assert joined("Nghị định số 109/2025/NĐ- CP;") == "Nghị định số 109/2025/NĐ-CP;"
    assert joined("khoản 2 - Văn phòng") == "khoản 2 - Văn phòng"  # a list's dash is no symbol
    assert joined("1 93/2025/NĐ-CP") == "1 93/2025/NĐ-CP"  # two figures: which is the number's, unknown
    assert joined("Nghị quyết số 80- NQ/TW ngày") == "Nghị quyết số 80-NQ/TW ngày"  # a Party number
    assert joined("Số: /QĐ- TTg") == "Số: /QĐ-TTg"  # the numeral's blank left empty
    assert joined("Điều 4- Phạm vi") == "Điều 4- Phạm vi"  # a figure and a dash before a word
    line = join_number_pieces([Line(tuple(words_of("Số: 115 /NQ-CP", 100, 100, line_id=1)))])[0]
    w = words_of("Số: 115 /NQ-CP", 100, 100, line_id=1)
    assert (line.words[1].left, line.words[1].right) == (w[1].left, w[2].right)  # one box over both


def test_a_number_the_line_breaks_after_its_hyphen_is_put_together():
    from ocr_ingest.text.clean import join_number_pieces
    from ocr_ingest.text.layout import Line

    lines = [
        Line(tuple(words_of("bãi bỏ Thông tư số 18/2025/TT-", 100, 100, line_id=1))),
        Line(tuple(words_of("BCT ngày 13 tháng 3", 100, 140, line_id=2))),
    ]
    got = join_number_pieces(lines)
    assert [ln.text for ln in got] == ["bãi bỏ Thông tư số 18/2025/TT-BCT", "ngày 13 tháng 3"]
    prose = [
        Line(tuple(words_of("văn hiến-", 100, 100, line_id=1))),
        Line(tuple(words_of("nơi hội tụ", 100, 140, line_id=2))),
    ]
    assert [ln.text for ln in join_number_pieces(prose)] == ["văn hiến-", "nơi hội tụ"]


def test_the_stroked_d_read_as_an_eth_is_one_d_and_marks_come_in_order():
    from ocr_ingest.text.clean import mended_letters
    from ocr_ingest.text.layout import Line

    line = Line(tuple(words_of("Số: 23 /2025/QĐÐ-UBND /QÐ-TTg TGĐÐ Cổng TTĐT", 100, 100, line_id=1)))
    assert mended_letters([line])[0].text == "Số: 23 /2025/QĐ-UBND /QĐ-TTg TGĐ Cổng TTĐT"
    marks = Line(tuple(words_of("cá\u0302p thie\u0301\u0302t đề\u0302 ĐÉ\u0302N cấp", 100, 100, line_id=1)))
    assert mended_letters([marks])[0].text == "cấp thiết đề ĐẾN cấp"  # a tone before the circumflex, or twice


def test_an_em_dash_between_two_figures_is_the_en_dash_of_a_range():
    """qd_0086's subject ``giai đoạn 2025 — 2030``: the engine reads a bold en dash as an em dash, which
    no range takes. Between words, or at a line's end, a dash stays as read."""
    from ocr_ingest.text.clean import mended_letters
    from ocr_ingest.text.layout import Line

    def mended(text: str) -> str:
        return mended_letters([Line(tuple(words_of(text, 100, 100, line_id=1)))])[0].text

    assert mended("giai đoạn 2025 — 2030") == "giai đoạn 2025 – 2030"
    assert mended("Điều 5 — 7;") == "Điều 5 – 7;"
    assert mended("Hà Nội — Thủ đô") == "Hà Nội — Thủ đô"
    assert mended("năm 2025 —") == "năm 2025 —"
    assert mended("2025 - 2030") == "2025 - 2030"


def test_two_words_run_together_at_a_capital_are_split():
    from ocr_ingest.text.clean import split_glued_words
    from ocr_ingest.text.layout import Line

    def split(text: str) -> list[str]:
        return [
            w.text for w in split_glued_words([Line(tuple(words_of(text, 100, 100, line_id=1)))])[0].words
        ]

    assert split("cơ cấu tổ chức củaBan Quản lý") == ["cơ", "cấu", "tổ", "chức", "của", "Ban", "Quản", "lý"]
    assert split("(củaBan,") == ["(của", "Ban,"]
    assert split("Quyết định 16/2025/QĐ-TTg của eKYC") == ["Quyết", "định", "16/2025/QĐ-TTg", "của", "eKYC"]
    assert split("xìQuy định") == ["xìQuy", "định"]  # a stamp's scrap: no pair the model has seen
    (line,) = split_glued_words([Line(tuple(words_of("củaBan", 100, 100, line_id=1)))])
    whole = words_of("củaBan", 100, 100, line_id=1)[0]
    assert line.words[0].left == whole.left and line.words[1].right == whole.right
    assert line.words[0].right == line.words[1].left


def test_a_numbers_symbol_the_engine_doubts_after_a_believed_label_is_kept():
    """``Số: 42 /2025/QĐ-UBND``: read with the gap as one word at a confidence of 2, the whole number
    was lost. Its symbol is a closed form; after a believed ``Số:`` it stays (a seal stroke never
    reads so), and the numeral is left to the figures pass."""

    def kept(text: str, doubted: set[str]) -> str:
        words = [
            replace(w, conf=2.0) if w.text in doubted else w for w in words_of(text, 100, 100, line_id=1)
        ]
        return " ".join(ln.text for ln in drop_unsure_words(reading_order(words)))

    assert kept("Số: 42 /2025/QĐ-UBND", {"42", "/2025/QĐ-UBND"}) == "Số: /2025/QĐ-UBND"
    assert kept("Số: -TB/HU", {"-TB/HU"}) == "Số: -TB/HU"
    # a whole number, both codes, stays without its label (lost under a stamp: ``Ì5/QĐ-TTg`` at 31);
    # a symbol's piece without a label does not
    assert kept("nhận Ì5/QĐ-TTg", {"Ì5/QĐ-TTg"}) == "nhận Ì5/QĐ-TTg"
    assert kept("nhận -TB/HU", {"-TB/HU"}) == "nhận"
    assert kept("Số: /xyz", {"/xyz"}) == "Số:"  # no symbol's shape
    # a number the text cites after a believed ``số``: numeral, year and code (nomvn tt_21 read
    # ``64/2025/QH`` at 27, a speck above it); not without its label, nor a symbol's piece after ``số``
    assert kept("Luật số 64/2025/QH 15 được", {"64/2025/QH"}) == "Luật số 64/2025/QH 15 được"
    assert kept("Nghị định số 81/2019/NĐ-CP;", {"81/2019/NĐ-CP;"}) == "Nghị định số 81/2019/NĐ-CP;"
    assert kept("Luật 64/2025/QH 15", {"64/2025/QH"}) == "Luật 15"
    assert kept("Luật số -TB/HU", {"-TB/HU"}) == "Luật số"


def test_a_line_of_scraps_that_holds_a_whole_number_is_no_noise():
    """Real scan qd_0082: the number line under a received stamp read ``TT Tư Ì5/QĐ-TTg`` at 7–35;
    its codes are no syllables, but the line is the number's, not a seal's strokes."""
    from ocr_ingest.text.clean import is_noise
    from ocr_ingest.text.layout import Line

    number = Line(tuple(words_of("TT ŠX Ì5/QĐ-TTg", 100, 100, line_id=1, conf=30.0)))
    strokes = Line(tuple(words_of("TT ŠX Ì5//Z-", 100, 100, line_id=1, conf=30.0)))
    assert not is_noise(number, page_height=2000) and is_noise(strokes, page_height=2000)


def test_a_number_behind_a_rules_strokes_is_cut_out_of_them_its_doubted_figures_left_out():
    # A received stamp's frame pressed across the number line: the engine reads the rule's strokes
    # into one word with the label and the number (real qd_0088, qd_0141). The label and the symbol are
    # forms no stroke takes; figures the engine barely believes are their own word, for the figures
    # pass to read again, and dropped when nothing reads them (the number left partial, not guessed).
    ruled = [Word("s<<„————-Số:.43/2025/QĐ-UBND", 94, 287, 560, 332, 0.0, 1, 1, 1)]
    ruled += [Word("~_—~8ó:.43/2025/QĐ-UBND", 94, 387, 560, 432, 60.0, 1, 1, 2)]
    cut = cut_rules_off_numbers(ruled)
    assert [(w.text, w.conf) for w in cut] == [
        ("Số:", 35.0),
        ("43", 0.0),
        ("/2025/QĐ-UBND", 35.0),
        ("Số:", 60.0),
        ("43/2025/QĐ-UBND", 60.0),
    ]
    assert cut[1].left > 300 and cut[2].right == 560  # the number's share of the box, not the strokes'
    lines = drop_unsure_words(reading_order(drop_scan_junk(cut)))
    assert [ln.text for ln in lines] == ["Số: /2025/QĐ-UBND", "Số: 43/2025/QĐ-UBND"]
    # Words that only look alike keep their text: a number typed after its label, a stroke alone.
    plain = words_of("Số: 43/2025/QĐ-UBND", 100, 500, line_id=3) + words_of("————-S", 100, 600, line_id=4)
    assert [w.text for w in cut_rules_off_numbers(plain)] == ["Số:", "43/2025/QĐ-UBND", "————-S"]
