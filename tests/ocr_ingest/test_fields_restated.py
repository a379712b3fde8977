"""Issue 20: the subject set right by the enacting sentence that says it again (``fields.restated``).

The readings below are our own OCR output on real scans of ``../shared/real/vietidp`` (the bold subject
under a received stamp, and the same subject in the body's sentence), with the real language model."""

from __future__ import annotations

import pytest

from ocr_ingest.fields import extract_fields
from ocr_ingest.fields.parse import split_lines
from ocr_ingest.fields.restated import merged_subject, opener_from_article, restated_subject
from ocr_ingest.text.document import PageText, WordBox

GROUNDS = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;",
    "Căn cứ Quyết định số 12/2016/QĐ-UBND của Ủy ban nhân dân tỉnh ban hành Quyết định về quản lý;",
    "Theo đề nghị của Giám đốc Sở Nội vụ;",
]


def test_the_enacting_sentence_restates_the_subject() -> None:
    lines = split_lines(
        "\n".join(
            [
                *GROUNDS,
                "Ủy ban nhân dân tỉnh Phú Thọ ban hành Quyết định Quy định chức năng, nhiệm vụ, quyền hạn và",
                "cơ cấu tổ chức của Sở Nội vụ tỉnh Phú Thọ như sau: Điều 1. Vị trí",
            ]
        )
    )
    said = restated_subject(lines)
    assert said is not None  # the ground citing another act's "ban hành Quyết định" is passed over
    assert (
        said.value == "Quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Nội vụ tỉnh Phú Thọ"
    )
    one_line = split_lines(
        "Theo đề nghị của Bộ trưởng; Thủ tướng Chính phủ ban hành Quyết định quy định mức thu."
    )
    assert restated_subject(one_line).value == "quy định mức thu"


def test_the_sentence_with_quyet_lost_before_a_capital() -> None:
    lines = split_lines(
        "Ủy ban nhân dân tỉnh ban hành định Quy định vị trí, chức năng của Sở Xây dựng như sau:"
    )
    assert restated_subject(lines).value == "Quy định vị trí, chức năng của Sở Xây dựng"
    assert restated_subject(split_lines("Bộ trưởng ban hành định mức chi cho hội nghị.")) is None


def test_without_the_sentence_nothing_is_restated() -> None:
    assert restated_subject(split_lines("\n".join([*GROUNDS, "QUYẾT ĐỊNH:", "Điều 1. Phê duyệt"]))) is None
    after_articles = split_lines("Điều 2. Hiệu lực\nỦy ban nhân dân tỉnh ban hành Quyết định khác.")
    assert restated_subject(after_articles) is None  # the sentence comes before the articles


@pytest.mark.parametrize(
    ("heading", "said", "want"),
    [
        pytest.param(  # fragments give way to the sentence's words
            "Quy định chức năng, nhiệm vụ, quyền hạn và ˆ ơ cấu tổ chức của Sở Công Thương tỉnh Phú Thọ",
            "Quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Công Thương tỉnh Phú Thọ",
            "Quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Công Thương tỉnh Phú Thọ",
            id="fragments",
        ),
        pytest.param(  # a dropped word goes back, a stray scrap goes
            "Quy định nguyên tắc, tiêu chí, định mức phân bổ ngân sách trung ương í thực hiện Chương trình",
            "quy định nguyên tắc, tiêu chí, định mức phân bổ vốn ngân sách trung ương thực hiện Chương trình",
            "Quy định nguyên tắc, tiêu chí, định mức phân bổ vốn ngân sách trung ương thực hiện Chương trình",
            id="dropped-word",
        ),
        pytest.param(  # two words: the language model decides
            "Sửa đi, bổ sung một số điều của Quyết định số 22/2021/QĐ-TTg về việc chuyển giao",
            "sửa đổi, bổ sung một số điều của Quyết định số 22/2021/QĐ-TTg về việc chuyển giao",
            "Sửa đổi, bổ sung một số điều của Quyết định số 22/2021/QĐ-TTg về việc chuyển giao",
            id="language-model",
        ),
        pytest.param(  # a syllable shouted amid lower case is no word
            "Quy định mức nộp tiền để Nhà nước bổ sung diện tích đất chuyên trồng lúa",
            "quy định mức HỘP tiền để Nhà nước bổ sung diện tích đất chuyên trồng lúa",
            "Quy định mức nộp tiền để Nhà nước bổ sung diện tích đất chuyên trồng lúa",
            id="shouted",
        ),
        pytest.param(  # a comma the bold type lost
            "Quy định vị trí chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Xây dựng",
            "Quy định vị trí, chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Xây dựng",
            "Quy định vị trí, chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Xây dựng",
            id="comma",
        ),
        pytest.param(  # a word read twice, out of place
            "Sửa đổi, bổ sung một số điều của Quy chế quản lý hoạt động chế Cảng quốc tế Cam Ranh",
            "sửa đổi, bổ sung một số điều của Quy chế quản lý hoạt động Cảng quốc tế Cam Ranh",
            "Sửa đổi, bổ sung một số điều của Quy chế quản lý hoạt động Cảng quốc tế Cam Ranh",
            id="read-twice",
        ),
    ],
)
def test_the_heading_is_set_right_by_the_sentence(heading: str, said: str, want: str) -> None:
    assert merged_subject(heading, said) == want


def test_the_sentences_own_wording_and_its_end_are_not_taken() -> None:
    heading = "Quy định về việc thành lập, tổ chức, hoạt động của trung tâm giáo dục quốc phòng và an ninh"
    said = "quy định thành lập, tổ chức, hoạt động của trung tâm giáo dục quốc phòng và ban"
    assert merged_subject(heading, said) == heading  # cut short where the sentence runs on
    assert (
        merged_subject("Phê duyệt Đề án xây dựng cửa khẩu", "Quy chế phối hợp hoạt động")
        == "Phê duyệt Đề án xây dựng cửa khẩu"
    )


def test_a_bracket_the_heading_left_open_is_closed_from_the_sentence() -> None:
    """Real scan qd_0124: the heading's last line lost its last word under the stamp; the sentence has
    it, after a speck read as a full stop (``trên. địa bàn``: no sentence end before lower case). The
    heading keeps its own opener (*Ban hành Định mức*), which the sentence words as *quy định mức*."""
    heading = (
        "Ban hành Định mức kinh tế - kỹ thuật lĩnh vực xây dựng cơ sở dữ liệu đất đai trên địa bàn tỉnh "
        "Bến Tre (Cơ sở dữ liệu địa chính; Cơ sở dữ liệu thống kê, kiểm kê đất"
    )
    body = split_lines(
        "\n".join(
            [
                *GROUNDS,
                "Ủy ban nhân dân tỉnh ban hành Quyết định Quy định mức kinh tế - kỹ thuật lĩnh vực xây dựng",
                "cơ sở dữ liệu đất đai trên. địa bàn tỉnh Bến Tre (Cơ sở dữ liệu địa chính; Cơ sở dữ liệu",
                "thống kê, kiểm kê đất đai).",
            ]
        )
    )
    said = restated_subject(body)
    assert said is not None and said.value.endswith("kiểm kê đất đai)")
    assert merged_subject(heading, said.value) == heading + " đai)"
    closed = heading.replace("(Cơ sở", "Cơ sở")  # no bracket open: nothing taken from the sentence's end
    assert merged_subject(closed, said.value.replace("(Cơ sở", "Cơ sở")) == closed


def _row(words: list[str], gaps: dict[int, float], line: int = 0, top: float = 0.2) -> list[WordBox]:
    """Boxes of one printed row: 0.01 of the page width a character, a word space 0.005, a wider gap
    before the words in ``gaps`` (index → extra width)."""
    out, x = [], 0.2
    for k, w in enumerate(words):
        x += gaps.get(k, 0.0)
        out.append(WordBox(w, x, top, x + 0.01 * len(w), top + 0.015, line=line, conf=90))
        x += 0.01 * len(w) + 0.005
    return out


def test_a_word_goes_in_only_where_the_heading_left_room() -> None:
    heading = "Quy hoạch và nông thôn được Thủ tướng Chính phủ phê duyệt"
    said = "quy hoạch đô thị và nông thôn đã được Thủ tướng Chính phủ phê duyệt"
    boxes = _row(heading.split(), {2: 0.07})  # "đô thị" dropped between "hoạch" and "và"
    want = "Quy hoạch đô thị và nông thôn được Thủ tướng Chính phủ phê duyệt"
    assert merged_subject(heading, said, boxes) == want  # no room for the drafter's "đã"


def _centred(rows: list[str], shift: dict[int, float] | None = None) -> list[WordBox]:
    """Boxes of a heading's rows centred on the page (``shift``: row index → how far a row reads off)."""
    out = []
    for i, row in enumerate(rows):
        words = row.split()
        width = 0.01 * sum(map(len, words)) + 0.005 * (len(words) - 1)
        out += _row(words, {0: 0.3 - width / 2 + (shift or {}).get(i, 0.0)}, line=i, top=0.2 + 0.02 * i)
    return out


def test_a_word_goes_in_at_a_row_break_only_where_a_row_reads_off_centre() -> None:
    """Real qd_0081 read whole: its article 1 says *hoạt động của Cảng*, the heading prints *hoạt động
    Cảng* across a row break; its centred rows read centred, so no word was lost there."""
    rows = [
        "Sửa đổi một số điều của Quy chế quản lý hoạt động",
        "Cảng quốc tế Cam Ranh - Bộ Quốc phòng",
        "ban hành",
    ]
    heading = " ".join(rows)
    said = heading.replace("hoạt động Cảng", "hoạt động của Cảng")
    assert merged_subject(heading, said, _centred(rows)) == heading
    # the row's first word lost under a stamp: the row reads right of the centre by half the word's width
    assert merged_subject(heading, said, _centred(rows, {1: 0.02})) == said


def test_extract_fields_merges_only_on_a_page_the_engine_read() -> None:
    lines = [
        "QUYẾT ĐỊNH",
        "Quy định chức năng, nhiệm vụ, quyền hạn và ˆ ơ cấu tổ chức của Sở Nội vụ",
        *GROUNDS,
        "Ủy ban nhân dân tỉnh ban hành Quyết định Quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Nội vụ.",
        "Điều 1. Vị trí",
    ]
    text = "\n".join(lines)
    words = tuple(w for k, ln in enumerate(lines) for w in _row(ln.split(), {}, line=k, top=0.1 + 0.03 * k))
    scanned = extract_fields(text, [PageText(1, text, "ocr", words=words)]).subject
    assert scanned.value == "Quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Nội vụ"
    assert extract_fields(text, [PageText(1, text, "text_layer")]).subject.value == lines[1]


@pytest.mark.parametrize(
    ("heading", "article", "want"),
    [
        pytest.param(  # qd_0093: "Ban hành" read as one lower-case word
            "trần Quy chế phối hợp hoạt động của các cơ quan tham gia hợp tác ASEAN",
            "Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp hoạt động của các cơ quan tham gia.",
            "Ban hành Quy chế phối hợp hoạt động của các cơ quan tham gia hợp tác ASEAN",
            id="ban-hanh",
        ),
        pytest.param(  # qd_0103: "Bãi bỏ" read as two lower-case words
            "tại hì Quyết định số 12/2016/QĐ-UBND ngày 15 tháng 4 năm 2016 của Ủy ban nhân dân tỉnh",
            "Điều 1. Bãi bỏ toàn bộ Quyết định số 12/2016/QĐ-UBND ngày 15 tháng 4 năm 2016 của Ủy ban",
            "Bãi bỏ Quyết định số 12/2016/QĐ-UBND ngày 15 tháng 4 năm 2016 của Ủy ban nhân dân tỉnh",
            id="bai-bo",
        ),
    ],
)
def test_a_garbled_opener_is_given_back_from_article_one(heading: str, article: str, want: str) -> None:
    lines = split_lines("\n".join([*GROUNDS, article, "Điều 2. Quyết định này có hiệu lực."]))
    assert opener_from_article(heading, lines) == want


def test_article_one_gives_no_opener_where_the_heading_is_sound_or_another_act() -> None:
    article = split_lines(
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp hoạt động của các cơ quan."
    )
    assert opener_from_article("Ban hành Quy chế phối hợp hoạt động", article) is None  # opens with a capital
    assert (
        opener_from_article("kết luận của Thủ tướng Chính phủ về", article) is None
    )  # a whole opener: the page's
    assert opener_from_article("trần Quy định mức thu phí", article) is None  # article 1 is about other words
    assert opener_from_article("trần Quy chế phối hợp hoạt động", split_lines("Điều 1. Phạm vi")) is None
    assert opener_from_article("trần Quy chế phối hợp hoạt động", split_lines("\n".join(GROUNDS))) is None
    party = split_lines("Điều 1. Phê duyệt Kế hoạch chuyển đổi số năm 2024 trên địa bàn tỉnh.")
    assert opener_from_article("thực hiện chuyển đổi số năm 2024", party) is None  # a Party's own style
