"""The signer's name under a seal on bilevel scans (``ocr_ingest/under_seal.py``): found as a row of
letters below the signer's title, read by AsterOCR several ways and voted; real pages of the corpus,
real Tesseract and AsterOCR."""

from __future__ import annotations

import pytest

from bench.corpus_fields import load_corpus
from ocr_ingest.text import seal_pass as under_seal
from ocr_ingest.text.pipeline import Options, extract_text
from ocr_ingest.text.tesseract import Word


def _w(text: str, left: int, conf: float = 90.0) -> Word:
    return Word(text, left, 100, left + 40, 130, conf, 2000, 1, 1)


def test_each_place_takes_the_spelling_most_readings_are_sure_of_and_rim_junk_is_left_out():
    readings = [
        [_w("V,", 0, 60), _w("Châu", 50), _w("Xim", 100, 70), _w("Hương", 150)],
        [_w(",", 0, 80), _w("Châu", 50), _w("Kim", 100, 99), _w("Hương", 150)],
        [_w("Châu", 50), _w("Kim", 100, 90), _w("Hương", 150)],
    ]
    name = under_seal._voted(readings)
    assert [w.text for w in name] == ["Châu", "Kim", "Hương"]
    assert name[1].conf == pytest.approx((99 + 90) / 3, abs=0.01)


def test_no_name_when_the_readings_barely_agree_on_a_word():
    readings = [
        [_w("Vũ", 0), _w("Thị", 50, 20), _w("Tâm", 100)],
        [_w("Vũ", 0), _w("Ếu", 50, 10), _w("Tâm", 100)],
    ]
    assert under_seal._voted(readings) == []


def test_readings_that_differ_by_the_tone_alone_agree_on_the_word():
    """Real scan qd_0090: *Hồ* read ``Hồ`` three times and ``Hỗ`` twice over the seal's rim; counted
    apart, neither reached a believed word's confidence and the whole name was dropped."""
    first = [("Hồ", 62), ("Hỗ", 76), ("Hồ", 52), ("Hồ", 90), ("Hỗ", 74), ("Tỗ", 35)]
    readings = [[_w(t, 0, c), _w("Quốc", 50, 100), _w("Dũng", 100, 100)] for t, c in first]
    name = under_seal._voted(readings)
    assert [w.text for w in name] == ["Hồ", "Quốc", "Dũng"]  # spelt as most readings spell it
    assert name[0].conf == pytest.approx((62 + 76 + 52 + 90 + 74) / 6, abs=0.01)


def test_the_rim_read_as_a_syllable_before_the_name_is_left_out_but_not_a_doubtful_family_name():
    rim = [[_w("Xa:", 0, 20), _w("Bùi", 50, 95), _w("Văn", 100, 99), _w("Quang", 150, 99)]] * 2
    assert [w.text for w in under_seal._voted(rim)] == ["Bùi", "Văn", "Quang"]
    doubtful = [[_w("Lê", 0, 20), _w("Thành", 50, 95), _w("Long", 100, 99)]] * 2
    assert under_seal._voted(doubtful) == []  # a family name the readings doubt: no name, not half of one


def test_the_family_name_under_the_rim_is_voted_from_the_readings_by_the_closed_list():
    """Real scans qd_0100 and qd_0087: the seal's rim joined to the family name's first letter; no
    reading spelt it whole, so the name lost it (*Hồng Hà*, *Văn Quang*)."""
    firsts = [("Ởrần", 17), ("Đrần", 32), ("Đần", 47), ("Đrần", 59), ("Đần", 42), ("ần", 88)]
    readings = [[_w(t, 0, c), _w("Hồng", 50, 100), _w("Hà", 100, 100)] for t, c in firsts]
    name = under_seal._voted(readings)
    assert [w.text for w in name] == ["Trần", "Hồng", "Hà"]
    assert name[0].conf == 50.0  # three readings of six spell Trần but for its first letter
    glued = ["ỗ:Bùi", "NỗỗBùi", "Qưz", '":Bùi', "NỗỗBùi", "Bờ"]  # the rim read as letters before it
    readings = [[_w(t, 0, 40), _w("Văn", 50, 99), _w("Quang", 100, 99)] for t in glued]
    assert [w.text for w in under_seal._voted(readings)] == ["Bùi", "Văn", "Quang"]
    # a two-letter family name told by its marked vowel (real qd_0062: *Lê* under the rim), not by a
    # bare one a speck spells (``Zy``: *Lý*?)
    lee = [[_w(t, 0, 40), _w("Thành", 50, 99), _w("Long", 100, 99)] for t in ("XGể", "Xể", "ốể", "Qq")]
    assert [w.text for w in under_seal._voted(lee)] == ["Lê", "Thành", "Long"]
    specks = [[_w("Zy", 0, 40), _w("Thành", 50, 99), _w("Long", 100, 99)]] * 4
    assert [w.text for w in under_seal._voted(specks)] == ["Thành", "Long"]
    # fewer than half the readings, or two family names as many: no family name guessed
    few = [[_w(t, 0, 40), _w("Hồng", 50, 99), _w("Hà", 100, 99)] for t in ("Đrần", "Xy", "Xy", "Qq")]
    assert [w.text for w in under_seal._voted(few)] == ["Hồng", "Hà"]
    tied = [[_w(t, 0, 40), _w("Hồng", 50, 99), _w("Hà", 100, 99)] for t in ("Đrần", "Đrần", "Vùi", "Vùi")]
    assert [w.text for w in under_seal._voted(tied)] == ["Hồng", "Hà"]


def test_a_family_name_takes_the_tone_the_list_gives_it():
    """Real qd_0086: *Mai* read ``Mái`` four times and ``Mãi`` twice under the seal's rim."""
    readings = [[_w(t, 0, 80), _w("Văn", 50, 100), _w("Chính", 100, 100)] for t in ["Mái"] * 4 + ["Mãi"] * 2]
    assert [w.text for w in under_seal._voted(readings)] == ["Mai", "Văn", "Chính"]
    # real qd_0138: *Phạm* read ``Phậm``, the rim before it ``Tà:`` (no family name put before *Phạm*)
    rim = [
        [_w(t, 0, 25), _w("Phậm", 50, 90), _w("Minh", 100, 100), _w("Chính", 150, 100)] for t in ["Tà:"] * 4
    ]
    assert [w.text for w in under_seal._voted(rim)] == ["Phạm", "Minh", "Chính"]
    alone = [[_w("Lệ", 0, 90), _w("Thu", 50, 100)]] * 3  # two words: given names, Lệ is not Lê
    assert [w.text for w in under_seal._voted(alone)] == ["Lệ", "Thu"]


def test_a_name_read_with_junk_where_its_family_name_is_is_cut():
    junk = Word("„zủi", 0, 100, 38, 130, 41.0, 2, 1, 1)
    row = [_w("Thanh", 50), _w("Sơn", 100)]
    assert under_seal._family_cut(row, [junk, *row])
    assert under_seal._family_cut([junk, *row], [junk, *row])  # the junk read on the name's own line
    assert not under_seal._family_cut(row, row)  # nothing before it
    far = Word("„zủi", 0, 100, 2, 130, 41.0, 2, 1, 1)  # a speck well left of the name
    assert not under_seal._family_cut(row, [far, *row])
    whole = [_w("Bùi", 50), _w("Thanh", 100), _w("Sơn", 150)]  # read whole already
    assert not under_seal._family_cut(whole, [Word("„", 0, 100, 45, 130, 41.0, 2, 1, 1), *whole])
    # one name word after an unsure reading of the rest (real qd_0062: ``~—~ thành Long``, *Lê Thành Long*)
    long = [_w("Long", 100)]
    assert under_seal._family_cut(long, [Word("thành", 0, 100, 95, 130, 19.0, 2, 1, 1), *long])
    assert not under_seal._family_cut(long, [Word("thành", 0, 100, 95, 130, 96.0, 2, 1, 1), *long])
    line = [Word("dân", 0, 100, 60, 130, 96.0, 2, 1, 1), Word("do", 70, 100, 95, 130, 20.0, 2, 1, 1), *long]
    assert not under_seal._family_cut(line, line)  # a line of text ending in a capitalised word (real tt_37)
    # a family name misread and unsure (real qd_0086: ``Tãi Văn Chính``, *Mai*), not one read sure
    assert under_seal._family_cut([_w("Tãi", 50, 60), _w("Văn", 100), _w("Chính", 150)], [])
    assert not under_seal._family_cut([_w("Tãi", 50, 95), _w("Văn", 100), _w("Chính", 150)], [])
    # a body line's words before capitals are words, not junk; a lower-case line (a recipient's) is no name
    assert not under_seal._family_cut(row, [Word("của", 0, 100, 38, 130, 96.0, 2, 1, 1), *row])
    assert not under_seal._family_cut(
        [_w("công", 50), _w("báo", 100)], [junk, _w("công", 50), _w("báo", 100)]
    )


def test_a_garbled_name_line_is_a_name_with_junk_and_nothing_else():
    assert under_seal._garbled_name([_w("Dương", 0), _w("Cốp", 50), _w("ø", 100), _w("Trung", 150)])
    assert not under_seal._garbled_name([_w("Dương", 0), _w("Công", 50), _w("Trung", 150)])
    # a body line ending the page's text, and a title with junk, are no names
    assert not under_seal._garbled_name([_w("Sở", 0), _w("Nội", 50), _w("vụ", 100), _w("2023./.", 150)])
    assert not under_seal._garbled_name([_w("T/M", 0), _w("BAN", 50), _w("THƯỜNG", 100), _w("VỤ", 150)])


def test_the_signature_column_starts_at_its_title_not_where_the_recipients_lines_end():
    """Recipients' long lines reach past the page's middle; their last (*Công báo;*) is not the title."""
    at = lambda text, left, top: Word(text, left, top, left + 60, top + 30, 95.0, 2, 1, 1)  # noqa: E731
    words = [
        at("Nơi", 270, 400), at("KT.", 1120, 410), at("THỦ", 1195, 410), at("TƯỚNG", 1280, 410),
        at("PHÓ", 1140, 450), at("THỦ", 1200, 450), at("TƯỚNG.", 1300, 450),
        at("trung", 870, 560), at("ương;", 940, 560), at("TTĐT,", 906, 990), at("báo;", 760, 1020),
    ]  # fmt: skip
    column = under_seal._signature_column(words, width=1670, dpi=200)
    assert [w.text for w in column] == ["KT.", "THỦ", "TƯỚNG", "PHÓ", "THỦ", "TƯỚNG."]
    # no title in capitals: everything right of the page's COLUMN share, as before
    plain = [w for w in words if not w.text.isupper()]
    assert under_seal._signature_column(plain, width=1670, dpi=200) == [w for w in plain if w.left > 751]


def test_the_band_is_looked_for_under_the_title_not_under_a_recipients_line():
    """Real scan qd_0091: ``- VPCP: BTCN, các PCN, Trợ lý Cổng TTĐT,`` reaches into the column under
    ``PHÓ THỦ TƯỚNG``; the name lies under the title, not under that line."""
    at = lambda text, left, top: Word(text, left, top, left + 60, top + 30, 95.0, 2, 1, 1)  # noqa: E731
    title = [at("PHÓ", 1140, 1660), at("THỦ", 1200, 1660), at("TƯỚNG", 1300, 1660)]
    recipient = [at("TTĐT,", 1150, 2118)]
    assert under_seal._title_line([[at("KT.", 1120, 1610)], title, recipient]) == title
    assert (
        under_seal._title_line([[at("Nguyễn", 1150, 1700)], recipient]) == recipient
    )  # no title: the lowest


def test_the_seal_emblem_read_as_small_capitals_is_no_title():
    """Real scan qd_0094: the emblem under *THỦ TƯỚNG* read as ``ĐÁ`` (9 px, the page prints 27 px):
    taken for the lowest title line, its band was too thin and a recipient's word stopped the look;
    the name (*Quốc Dũng*) was never read."""
    at = lambda text, left, top, h=30: Word(text, left, top, left + 60, top + h, 95.0, 2, 1, 1)  # noqa: E731
    title = [at("THỦ", 1200, 490), at("TƯỚNG", 1300, 490)]
    emblem = [at("ĐÁ", 1132, 655, 9)]
    assert under_seal._title_line([title, emblem]) == emblem  # no size given: as before
    assert under_seal._title_line([title, emblem], size=0.6 * 27) == title


def test_a_given_names_row_whose_capital_the_rim_took_is_a_cut_name():
    """Real scan qd_0031: ``văn Mười`` under *CHỦ TỊCH* (*Hồ Văn Mười*: the rim over *Hồ* and the *V*):
    read again as a name whose family name is voted by the list; a line of text is not one."""
    at = lambda text, left: Word(text, left, 840, left + 70, 875, 90.0, 2, 1, 1)  # noqa: E731
    assert under_seal._given_cut([at("văn", 1170), at("Mười", 1252)])
    assert not under_seal._given_cut([at("Mười", 1252)])  # one word: nothing tells it is a name
    assert not under_seal._given_cut([at("thi", 1000), at("hành", 1070), at("Quyết", 1170), at("Định", 1250)])
    assert not under_seal._given_cut([at("văn", 1170), at("bản", 1252)])  # no name word after it


def test_letter_rows_are_tried_lowest_first():
    """The seal's emblem above is denser than the name printed across its lower half."""
    import numpy as np

    y = np.arange(300)
    rows = 0.30 * np.exp(-(((y - 55) / 12) ** 2))  # the emblem and the rim's lettering
    rows += 0.26 * np.exp(-(((y - 207) / 6) ** 2))  # the name
    rows += 0.05 * np.exp(-(((y - 280) / 3) ** 2))  # a speck: under ROW_INK
    assert under_seal._letter_row_peaks(rows, letter=20.0) == [207, 55]


@pytest.mark.slow
@pytest.mark.parametrize(
    "doc_id, name",
    [
        ("tb-ubnd-quangnam-2024-122", "Đinh Văn Vinh"),
        ("qd-ubnd-lamdong-2025-23", "Châu Thị Kim Hương"),
        ("tt-bnv-2024-32", "Kiều Thị Kim Hạnh"),
    ],
)
def test_a_name_under_a_black_seal_is_read_on_the_bilevel_scan_and_only_with_the_pass(doc_id, name):
    path = next(d for d in load_corpus() if d.id == doc_id).path("bilevel200")
    # the name may also stand in the text (a banner, the body): the pass adds the signature's own
    assert (
        extract_text(path).text.count(name)
        == extract_text(path, Options(mark_pass=False)).text.count(name) + 1
    )


def test_a_signing_rows_reading_is_taken_as_a_title_line_only():
    from ocr_ingest.text.seal_pass import _block_line
    from ocr_ingest.text.tesseract import Word

    def row(*pairs):
        return [Word(t, 100 * i, 0, 100 * i + 80, 30, c, 3000, 1, 1) for i, (t, c) in enumerate(pairs)]

    title = _block_line(row(("{T.", 79), ("THỦ", 93), ("TƯỚNG", 91), ("ý", 10)))
    assert [w.text for w in title] == ["T.", "THỦ", "TƯỚNG"]  # the rim's sign off, KT.'s dot kept
    assert _block_line(row(("c", 84), ("thuộc", 71), ("trung", 96), ("ương;", 96))) == []  # recipients
    assert _block_line(row(("Trần", 0), ("Hồng", 87), ("Hà", 96))) == []  # a name: the name pass's


def test_a_speck_read_as_a_sign_does_not_count_as_a_signing_row_read():
    """Real scan qd_0100: a seal's speck on the PHÓ THỦ TƯỚNG row was read as ``^`` at a confidence of
    84, and the row counted as read: the deputy's title was lost. The row is read alone (real
    Tesseract) unless a believed word of two letters or more lies over it."""
    import cv2
    import numpy as np

    from ocr_ingest.text.seal_pass import ROWS_BLOCK, reread_signing_rows
    from ocr_ingest.text.tesseract import Word

    image = np.full((900, 1600), 255, np.uint8)
    cv2.putText(image, "KT. THU TUONG", (1000, 330), cv2.FONT_HERSHEY_DUPLEX, 1.1, 0, 2)
    cv2.putText(image, "PHO THU TUONG", (1000, 380), cv2.FONT_HERSHEY_DUPLEX, 1.1, 0, 2)
    left = [Word(t, 100 + 120 * i, 300, 200 + 120 * i, 330, 96.0, 1, 1, 1) for i, t in enumerate(
        ["Nơi", "nhận:", "Ban", "Bí", "thư"])]  # fmt: skip
    first = [
        Word("KT.", 1000, 305, 1070, 332, 95.0, 2, 1, 1),
        Word("THU", 1085, 305, 1170, 332, 95.0, 2, 1, 1),
    ]
    speck = Word("^", 1200, 362, 1208, 368, 84.0, 2, 2, 1)

    def second_row(words: list[Word]) -> list[str]:
        return [w.text for w in reread_signing_rows(image, 200, words, Options().make_engine())
                if w.block >= ROWS_BLOCK and 355 < (w.top + w.bottom) / 2 < 395]  # fmt: skip

    assert "TUONG" in second_row([*left, *first, speck])
    read = Word("PHO", 1000, 355, 1080, 382, 95.0, 2, 2, 1)
    assert second_row([*left, *first, read]) == []  # a word read there already: left alone


def _seal_page():
    """A signing block whose seal (a ring of a state seal's size) lies over the start of its rows, as on
    the Prime Minister's bilevel scans; the recipients' list at left with its ``Nơi nhận:``."""
    import cv2
    import numpy as np

    from ocr_ingest.text.tesseract import Word

    image = np.full((900, 1600), 255, np.uint8)
    cv2.putText(image, "KT. THU TUONG", (1000, 330), cv2.FONT_HERSHEY_DUPLEX, 1.1, 0, 2)
    cv2.putText(image, "PHO THU TUONG", (1000, 380), cv2.FONT_HERSHEY_DUPLEX, 1.1, 0, 2)
    cv2.circle(image, (930, 420), 142, 0, 6)  # 36 mm across at 200 dpi, over KT. and PHO
    left = [Word(t, 100 + 120 * i, 300, 200 + 120 * i, 330, 96.0, 1, 1, 1) for i, t in enumerate(
        ["Nơi", "nhận:", "Ban", "Bí", "thư"])]  # fmt: skip
    first = [
        Word("KT.", 1000, 305, 1070, 332, 95.0, 2, 1, 1),
        Word("THU", 1085, 305, 1170, 332, 95.0, 2, 1, 1),
        Word("TUONG", 1180, 305, 1330, 332, 95.0, 2, 1, 1),
    ]
    return image, left, first


def test_the_seal_is_found_by_its_rim():
    import numpy as np

    from ocr_ingest.text.seal_pass import _seal

    image, _, _ = _seal_page()
    cx, cy, r = _seal(image, 200, 300, 900)
    assert abs(cx - 930) < 10 and abs(cy - 420) < 10 and abs(r - 142) < 10
    assert _seal(np.full((900, 1600), 255, np.uint8), 200, 300, 900) is None


def test_a_title_row_read_garbled_across_the_seal_is_read_again_from_its_rim():
    """Real scan qd_0004: *PHÓ THỦ TƯỚNG* under the seal's rim was read ``= SN nướng`` (``nướng`` as tall
    as the seal), so the fields found no deputy's block. The row is read again from where it leaves the
    seal (real Tesseract): its free words come back and the garbled ones go. A row read cleanly is left
    as it is, seal or not."""
    from ocr_ingest.text.seal_pass import ROWS_BLOCK, reread_signing_rows
    from ocr_ingest.text.tesseract import Word

    image, left, first = _seal_page()
    garbled = [
        Word("=", 930, 366, 950, 369, 92.0, 2, 2, 1),
        Word("nuong", 1180, 360, 1330, 460, 70.0, 2, 2, 1),
    ]
    out = reread_signing_rows(image, 200, [*left, *first, *garbled], Options().make_engine())
    second = [w.text for w in out if w.block >= ROWS_BLOCK and 345 < (w.top + w.bottom) / 2 < 395]
    assert second[-2:] == ["THU", "TUONG"], second
    assert not any(w in out for w in garbled)
    assert all(w in out for w in first) and not any(w.block >= ROWS_BLOCK and w.bottom < 345 for w in out)


def test_a_title_row_not_read_across_the_seal_is_read_and_a_name_row_or_a_row_read_alike_is_left():
    """Real scan qd_0062: *PHÓ THỦ TƯỚNG* under the rim was not read at all; read from the rim on it
    comes back (``1Ù TƯỚNG``) and the fields tell the deputy's block. A row the page's reading has as a
    name (``"1 Hồ Đức Phớc``: the name pass's) or ending as the row read again (``TTƯỚNG``, real
    qd_0065, where it came back ``I. TƯƠNG``) is left as read."""
    from ocr_ingest.text.seal_pass import ROWS_BLOCK, reread_signing_rows
    from ocr_ingest.text.tesseract import Word

    image, left, first = _seal_page()
    engine = Options().make_engine()

    def second_row(words: list[Word]) -> list[str]:
        out = reread_signing_rows(image, 200, [*left, *first, *words], engine)
        return [
            w.text
            for w in out
            if 345 < (w.top + w.bottom) / 2 < 395 and (w.block >= ROWS_BLOCK or w in words)
        ]

    assert second_row([])[-2:] == ["THU", "TUONG"]
    name = [
        Word(t, 1000 + 110 * i, 355, 1090 + 110 * i, 382, 95.0, 2, 2, 1)
        for i, t in enumerate(["Hồ", "Đức", "Phớc"])
    ]
    assert second_row(name) == ["Hồ", "Đức", "Phớc"]
    alike = [Word("TTUONG", 1160, 355, 1330, 382, 90.0, 2, 2, 1)]
    assert second_row(alike) == ["TTUONG"]
