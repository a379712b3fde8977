"""Clean text: NFC, lines reflowed into paragraphs, list items kept as lines, noise dropped.

Why NFC and nothing stronger: Vietnamese tone marks arrive both precomposed and decomposed, and only
NFC makes them compare equal. NFC does not unify old and new tone placement (``Hòa`` / ``Hoà``): that
is the author's spelling, and we keep what the page says.
Why hyphens stay: Vietnamese typesetting never splits a syllable, so a hyphen at a line end is a real
one (``kinh tế-`` / ``xã hội``); we join the lines without a space and keep it.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import replace

from .. import lm
from ..lm.vietnamese import is_syllable, marks_in_order
from .layout import Line
from .tesseract import Word

_LIST_ITEM = re.compile(r"^(?:[-–•+*]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-zđ]\)\s|[IVXH]{1,4}\.\s)")
_PAGE_NUMBER = re.compile(r"^[-–\s]*(?:trang\s*)?\d{1,3}[-–\s]*$", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_ALNUM = re.compile(r"\w", re.UNICODE)


_SCAN_JUNK = re.compile(r"^[_~=|.:;,'`\"^*°•·]+$")
_REPORT_SLIP = re.compile(r"^\(b/[€C]?\)([;.,]?)$")
_REPORT_NOTE = re.compile(r"^\(b/c\)[;.,]?$")
_ABBREVIATION = re.compile(r"^[A-ZĐ]{2,6}[;.,]?$")
_DOT_RUN = re.compile(r"\.{4,}|_{2,}|(?<=\d)_+$")  # dot leaders, blanks, the blank under a figure
_LABEL = re.compile(r"^(?:Người ký|Ký bởi|Email|Cơ quan|Thời gian ký|Giờ ký|Nơi nhận)\s*:", re.IGNORECASE)
MIN_WORD_CONF = 35.0
SPECK = 0.35  # a "word" smaller than this share of the median word height both ways is a speck
#: a section heading's numeral as the engine reads it: Roman letters and ``H`` (two serif ``I`` joined)
_NUMERAL = r"[IVXH]{1,5}"
_SECTION_NUMERAL = re.compile(rf"^{_NUMERAL}\.?$")


def drop_scan_junk(words: list[Word]) -> list[Word]:
    """Runs of dots, underscores, bars from specks: removed before layout, because they would bridge
    the gutter between two columns and glue the columns' lines together. Except a list item's dash
    that a noisy 200 dpi scan gave as ``~`` or ``_``: kept as ``-``; and a recipient's ``(b/c)``
    (*báo cáo*, to report to: the commonest note in a Nơi nhận list) read as ``(b/€)``, ``(b/C)``,
    ``(b/)``: restored. A speck read as a letter is dropped, believed or not: at the page's edge it
    opened a two-column band whose gutter swallowed the header's real one; beside a line it cut the
    line in two (``Chính`` / ``- phủ;``). A table's ruling read as ``|`` is
    dropped too, also where it sticks to a cell's word (``|Thu``): Vietnamese text has no ``|``. A
    figure written on a blank keeps the blank's line as ``_`` (``25_``): dropped."""
    out = []
    specks = {id(w) for w in _specks(words, believed=False)}
    for i, w in enumerate(words):
        if id(w) in specks:
            continue
        if _is_list_dash(words, i):
            out.append(replace(w, text="-"))
            continue
        if m := _REPORT_SLIP.match(w.text):
            w = replace(w, text="(b/c)" + m.group(1))
        if _SCAN_JUNK.match(w.text) and (w.conf < 95 or "|" in w.text):
            continue
        bare = w.text.lstrip("|")
        if len(bare) < len(w.text):  # a ruling stuck to the front: the word starts further right
            w = replace(w, text=bare, left=w.right - round((w.right - w.left) * len(bare) / len(w.text)))
        text = _DOT_RUN.sub("", w.text).rstrip("|")
        if text != w.text:
            if not text:
                continue
            w = replace(w, text=text, right=w.left + round((w.right - w.left) * len(text) / len(w.text)))
        out.append(w)
    return out


#: A whole number's codes after its figures: the slash, the year (or none), the type's code, a dash, the
#: issuer's code.
_NUMBER_CODES = r"/(?:\d{4}/)?[A-ZĐ][A-Za-zĐđ]{0,4}-[A-ZĐ][A-Za-zĐđ0-9]{1,9}[.,;]?"
#: A whole number: figures and its codes.
NUMBER_FORM = rf"\d{{1,5}}{_NUMBER_CODES}"
#: ``Số:`` and a whole number behind the strokes of a rule that runs into the line (``s<<„————-Số:.43/
#: 2025/QĐ-UBND``, ``-:>———Số;-22/2026/NĐ-CP``: a received stamp's frame pressed across the number).
RULED_NUMBER = re.compile(rf"^\S*?[^\w\s](?:S|8)[ốóôòồổo0][:;.][:;.-]*({NUMBER_FORM})$")


def cut_rules_off_numbers(words: list[Word]) -> list[Word]:
    """``Số:`` and its number cut out of a word that a rule's strokes joined in front of them (the
    strokes dropped), so that the number is kept: the label is believed (its letters before the
    number's grammar are a form no stroke takes); figures the engine barely believes become a word
    of their own, which the figures pass reads again as a blank's, and which is dropped as unsure when
    nothing reads them (the number left partial, not guessed). ``figures_pass`` first reads such a
    line again without the rule (``_reread_struck_numbers``)."""
    out = []
    for w in words:
        m = RULED_NUMBER.match(w.text)
        if not m:
            out.append(w)
            continue
        width, n = w.right - w.left, len(w.text)
        start = w.left + round(width * m.start(1) / n)
        label_left = max(w.left, start - round(width * 4 / n))
        out.append(replace(w, text="Số:", left=label_left, right=start - 1, conf=max(w.conf, MIN_WORD_CONF)))
        number = m.group(1)
        slash = number.index("/")
        if w.conf >= MIN_WORD_CONF:
            out.append(replace(w, text=number, left=start))
            continue
        # figures the engine barely believes, read through the rule: their own word, to be read again
        at = start + round((w.right - start) * slash / len(number))
        out.append(replace(w, text=number[:slash], left=start, right=at - 1))
        out.append(replace(w, text=number[slash:], left=at, conf=MIN_WORD_CONF))
    return out


def _has_letter(w: Word) -> bool:
    return any(c.isalpha() for c in w.text)


def drop_specks(words: list[Word]) -> list[Word]:
    """The words without the believed dots of dust read as letters (see ``drop_scan_junk``); for the
    column pass, whose bands a speck's fake gutter would hide. An unsure speck stays there: beside a
    line the engine garbled, it is part of what tells the pass to read the band again (measured:
    without it a recipients' band was not read again on both scans of one document)."""
    specks = {id(w) for w in _specks(words, believed=True)}
    return [w for w in words if id(w) not in specks]


def _specks(words: list[Word], *, believed: bool) -> list[Word]:
    """Letters smaller than ``SPECK`` of the median word height both ways (``ị``, 1 × 5 px; ``Ộ``,
    6 × 6 px at a confidence of 0): far out on the page, one fakes a column; beside a line, it cuts
    the line in two (``Chính`` / ``- phủ;``). ``believed``: only those the engine believes."""
    heights = [w.bottom - w.top for w in words if w.bottom > w.top]
    speck = SPECK * statistics.median(heights) if heights else 0.0
    return [
        w
        for w in words
        if w.right - w.left < speck
        and w.bottom - w.top < speck
        and (w.conf >= MIN_WORD_CONF or not believed)
        and _has_letter(w)
    ]


def _is_list_dash(words: list[Word], i: int) -> bool:
    """``words[i]`` is a lone ``~``/``_``/``—`` opening its line, as wide as a dash, at the height of
    the capitalised word that follows close by on the same line: how ``- Các cơ quan`` comes back from
    a noisy scan. A signature's last stroke above the signer's name is not one."""
    w = words[i]
    if w.text not in ("~", "_", "—", "−", "¬") or i + 1 >= len(words):
        return False
    key = (w.block, w.par, w.line)
    nxt = words[i + 1]
    if i and (words[i - 1].block, words[i - 1].par, words[i - 1].line) == key:
        return False
    height = nxt.bottom - nxt.top
    return (
        (nxt.block, nxt.par, nxt.line) == key
        and nxt.text[:1].isupper()
        and nxt.top < (w.top + w.bottom) / 2 < nxt.bottom
        and 0 < nxt.left - w.left <= 1.5 * height
        and w.right - w.left <= height
    )


def drop_unsure_words(lines: list[Line]) -> list[Line]:
    """Words the engine barely believes (seal and signature strokes read as letters). Removed after
    layout, so that the gap a dropped word leaves does not look like a column gutter. Kept: a section
    numeral opening a heading the engine believes (bold ``III`` reads as ``II`` at a confidence of
    20–30; ``number_sections`` sets its count right), a word the language model has seen beside a
    believed neighbour of its size, as read or with other marks (bold ``ĐẢNG`` before ``CỘNG`` at a
    confidence of 7, ``sản phãm`` for *sản phẩm* at 20, which the model then sets right; measured on
    the corpus scans: 20 words kept, all in the truth, none of them seal strokes), and the closed forms of the
    recipients' list, which the engine doubts for their brackets and capitals: a report note
    ``(b/c)`` and an abbreviation in the archive line ``Lưu: VT, NN``."""
    out = []
    for line in lines:
        words = line.words
        kept = tuple(
            w
            for i, w in enumerate(words)
            if w.conf >= MIN_WORD_CONF
            or (i == 0 and _heads_section(line))
            or _backed(words, i)
            or _REPORT_NOTE.match(w.text)
            or (_ABBREVIATION.match(w.text) and "Lưu:" in (x.text for x in words[: min(i, 2)]))
            or _numbers_symbol(words, i)
        )
        if kept:
            out.append(Line(kept, line.column))
    return out


BACKING_CONF = 80.0  # a neighbour the engine believes this much vouches for an unsure word beside it

# A document number's symbol, with or without its year (``/2025/QĐ-UBND``, ``-TB/HU``, ``/UBND-VP``).
#: The codes after a number's first one (``-UBND``, ``/HU``, ``-BCA-C04``), and its closing mark.
_MORE_CODES = r"(?:[-/][A-ZĐ][A-Za-zĐđ0-9]{0,9})*[.,;]?"
_SYMBOL = re.compile(rf"^(?:/\d{{4}})?[/-][A-ZĐ][A-Za-zĐđ]{{0,7}}{_MORE_CODES}$")


#: A whole number with its type and issuer codes (``Ì5/QĐ-TTg``, ``/2025/QĐ-UBND``): the slash, then a
#: code, a dash and a code, a form no seal stroke or signature takes.
_WHOLE_NUMBER = re.compile(rf"^[^\s/]{{0,5}}{_NUMBER_CODES}$")


def _numbers_symbol(words: tuple[Word, ...], i: int) -> bool:
    """The symbol of a number after a believed ``Số:`` (the numeral typed into its gap between them
    or not): a closed form no seal stroke takes, which the engine doubts when it read the blank's gap
    into one word with it (``42 /2025/QĐ-UBND`` at a confidence of 2, the whole number lost); or a
    whole number with both its codes anywhere (``Ì5/QĐ-TTg`` at 31, its label lost under a stamp); or
    a number cited in the text right after a believed ``số``, numeral, year and code (``Luật … số
    64/2025/QH15``: read ``64/2025/QH`` at 27 with a speck above it, the citation lost)."""
    text = words[i].text
    if _WHOLE_NUMBER.match(text):
        return True
    if _CITED.match(text):
        return _believed_label(words, i - 1, ("Số:", "Số", "số"))
    return bool(_SYMBOL.match(text)) and any(_believed_label(words, j, ("Số:", "Số")) for j in (i - 1, i - 2))


def _believed_label(words: tuple[Word, ...], j: int, labels: tuple[str, ...]) -> bool:
    return j >= 0 and words[j].text in labels and words[j].conf >= BACKING_CONF


#: A number as the text cites it: numeral, year and the codes (``64/2025/QH``, ``81/2019/NĐ-CP;``).
_CITED = re.compile(rf"^\d{{1,5}}/\d{{4}}/[A-ZĐ][A-Za-zĐđ0-9]{{0,9}}{_MORE_CODES}$")


def _backed(words: tuple[Word, ...], i: int) -> bool:
    """An unsure syllable beside a believed word of its height, the two a pair the model has seen."""
    w = words[i]
    if not is_syllable(w.text):
        return False
    height = w.bottom - w.top
    for j in (i - 1, i + 1):
        if 0 <= j < len(words) and words[j].conf >= BACKING_CONF:
            n = words[j]
            near = 0.7 * (n.bottom - n.top) <= height <= 1.4 * (n.bottom - n.top)
            pair = (n.text.strip(",.;:()"), w.text) if j < i else (w.text, n.text.strip(",.;:()"))
            if near and lm.seen_together(*pair):
                return True
    return False


def _heads_section(line: Line) -> bool:
    first, rest = line.words[0], line.words[1:]
    return (
        bool(_SECTION_NUMERAL.match(first.text))
        and bool(rest)
        and rest[0].text[:1].isupper()
        and min(w.conf for w in rest) >= 80
    )


def normalise(text: str) -> str:
    """NFC, one kind of space, no soft hyphens or zero-width characters, trimmed line ends."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").replace("\ufeff", "")
    return "\n".join(_SPACES.sub(" ", ln).strip() for ln in text.split("\n"))


def is_noise(line: Line, page_height: float) -> bool:
    """Page numbers, scanner specks read as text, seal fragments: lines a reader would not copy."""
    text = line.text.strip()
    near_edge = line.top < 0.08 * page_height or line.bottom > 0.92 * page_height
    if _PAGE_NUMBER.match(text) and near_edge:
        return True
    alnum = len(_ALNUM.findall(text))
    if alnum < 2 and not _LIST_ITEM.match(text + " "):
        return True
    if alnum <= 2 and len(line.words) == 1 and line.conf < 80:  # a lone speck read as "lạ", "Ly"
        return True
    words = re.findall(r"[^\W\d_]+", text)
    if line.conf < 45 and words and sum(is_syllable(w) for w in words) / len(words) < 0.5:
        return not any(_WHOLE_NUMBER.match(w.text) for w in line.words)  # a number's codes are no syllables
    tokens = text.split()
    if len(tokens) >= 2 and all(len(t) <= 2 for t in tokens) and line.conf < 75:  # pen strokes: "Ỳ À h Vị /"
        return True
    return alnum < 0.4 * len(text.replace(" ", ""))


def _column(lines: list[Line]) -> tuple[float, float]:
    """Left and right edge of the main text column (from the wide lines)."""
    wide = [
        ln
        for ln in lines
        if ln.right - ln.left > 0.5 * (max(x.right for x in lines) - min(x.left for x in lines))
    ]
    pool = wide or lines
    return statistics.median(ln.left for ln in pool), statistics.median(ln.right for ln in pool)


def _starts_paragraph(prev: Line, line: Line, left: float, right: float, line_h: float) -> bool:
    width = right - left
    if line.column or prev.column:  # header and signature blocks: every line is an item of its own
        return True
    if line.top < prev.top - 0.5 * line_h or line.left > prev.right:  # column switch
        return True
    if line.top - prev.bottom > 1.1 * line_h:  # blank line
        return True
    if _LIST_ITEM.match(line.text) or _LABEL.match(line.text):
        return True
    if prev.right < right - 0.1 * width:  # previous line stopped short
        return True
    return line.left > left + 0.03 * width and prev.left <= left + 0.03 * width  # first-line indent


def _join(a: str, b: str) -> str:
    if a.endswith("-") and b[:1].islower():
        return a + b
    return a + " " + b


def page_text(lines: list[Line], page_height: float) -> str:
    """The clean text of one page from its lines in reading order: one paragraph or item per line."""
    kept = [ln for ln in lines if not is_noise(ln, page_height)]
    if not kept:
        return ""
    left, right = _column(kept)
    line_h = statistics.median(ln.height for ln in kept)
    paragraphs = [kept[0].text]
    for prev, line in zip(kept, kept[1:], strict=False):
        if _starts_paragraph(prev, line, left, right, line_h):
            paragraphs.append(line.text)
        else:
            paragraphs[-1] = _join(paragraphs[-1], line.text)
    return normalise("\n".join(paragraphs))


_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
#: a section heading: its numeral, the full stop (which the engine may lose), then a capital
_SECTION_HEAD = re.compile(rf"^({_NUMERAL})\.?(?=[ \t]+[A-ZÀ-ỸĐ])", re.MULTILINE)


def number_sections(texts: list[str]) -> list[str]:
    """Section headings numbered I., II., III. … set right where the engine broke the count.

    Why: Tesseract joins the serifs of bold ``III`` and reads ``II``, ``HI`` or ``IH`` (``II`` as
    ``H``), on every scan condition; the heading then reads as a second section II. The count is the
    context: a numeral that is the expected one once each ``H`` is taken as ``II``, or the expected one
    short of one of two joined ``I`` (``II`` for ``III``, ``VII`` for ``VIII``), is the expected one,
    its full stop restored if the engine lost it. Any other Roman numeral with its full stop restarts
    the count (an annex numbers its sections afresh); anything else is left as read. ``texts``: a
    document's pages in order (the count runs across them)."""
    expected = 0  # index in _ROMAN of the next heading's numeral
    out = []
    for text in texts:

        def fix(m: re.Match) -> str:
            nonlocal expected
            read = m.group(1)
            want = _ROMAN[expected] if expected < len(_ROMAN) else None
            seen = read.replace("H", "II")
            if want and (seen == want or ("II" in seen and want == seen + "I")):
                expected += 1
                return want + "."
            if read in _ROMAN and m.group(0).endswith("."):
                expected = _ROMAN.index(read) + 1
            return m.group(0)

        out.append(_SECTION_HEAD.sub(fix, text))
    return out


# A document number's pieces as OCR splits them: the numeral before the blank's padding and its symbol
# (``115 /NQ-CP``), a symbol cut after its hyphen (``18/2025/TT- -BCT``, ``109/2025/NĐ- CP``).
_FIGURES = re.compile(r"^\d{1,5}$")
_SYMBOL_AFTER = re.compile(r"^[-/](?:\d{4}/)?[A-ZĐ][A-Za-zĐđ0-9]*(?:[-/][A-ZĐ][A-Za-zĐđ0-9]*)*[;,.:)]*$")
_CUT_SYMBOL = re.compile(r"^(?:\S*\d)?/(?:\d{4}/)?[A-ZĐ][A-Za-zĐđ]{0,4}-$|^\d{1,5}-$")
_SYMBOL_REST = re.compile(r"^-?[A-ZĐ][A-Za-zĐđ0-9]*(?:[-/][A-ZĐ][A-Za-zĐđ0-9]*)*[;,.:)]*$")


def _joins(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are two pieces of one document number."""
    if _FIGURES.match(a) and _SYMBOL_AFTER.match(b):
        return True
    if not (_CUT_SYMBOL.match(a) and _SYMBOL_REST.match(b)):
        return False
    return "/" in a or "/" in b  # ``80- NQ/TW``; a figure and a dash before a capital alone is no number


def join_number_pieces(lines: list[Line]) -> list[Line]:
    """A document number that OCR split at a space is one word again: ``115 /NQ-CP`` → ``115/NQ-CP``,
    ``433 -TB/HU`` → ``433-TB/HU``
    (the blank left for the numeral, filled in), ``TT- -BCT``, ``NĐ- CP`` and ``80- NQ/TW`` →
    ``TT-BCT``, ``NĐ-CP``, ``80-NQ/TW`` (a hyphen at a line's or a stroke's edge read twice or spaced).
    A number the page breaks at the end of a line after its hyphen (``18/2025/TT-`` / ``BCT ngày …``)
    is put together on the first line. A number is written without spaces (Nghị định 30, Phụ lục I);
    split, it is not found by a search for it, and the text differs from the page's own (measured on
    nomvn: 8 of its 9 pages have one)."""
    lines = _joined_across_lines(lines)
    out = []
    for line in lines:
        words = list(line.words)
        i = 0
        while i + 1 < len(words):
            a, b = words[i], words[i + 1]
            if _joins(a.text, b.text):
                text = a.text + (b.text[1:] if a.text.endswith("-") and b.text.startswith("-") else b.text)
                words[i : i + 2] = [
                    replace(
                        a,
                        text=text,
                        right=max(a.right, b.right),
                        top=min(a.top, b.top),
                        bottom=max(a.bottom, b.bottom),
                        conf=min(a.conf, b.conf),
                    )  # fmt: skip
                ]
                continue
            i += 1
        out.append(Line(tuple(words), line.column) if len(words) != len(line.words) else line)
    return out


def _joined_across_lines(lines: list[Line]) -> list[Line]:
    """A number cut after a hyphen at a line's end (``18/2025/TT-``) joined with its rest, the next line's
    first word (``BCT``); the joined word keeps the first piece's box."""
    out = list(lines)
    for k in range(len(out) - 1):
        first, second = out[k], out[k + 1]
        if not first.words or not second.words or first.column != second.column:
            continue
        a, b = first.words[-1], second.words[0]
        if "/" in a.text and _CUT_SYMBOL.match(a.text) and _SYMBOL_REST.match(b.text):  # ends in "-"
            out[k] = Line((*first.words[:-1], replace(a, text=a.text + b.text.lstrip("-"))), first.column)
            out[k + 1] = Line(second.words[1:], second.column)
    return [line for line in out if line.words]


#: The stroked D read as the Icelandic eth (``QÐ``), or twice (``QĐÐ``, ``TGĐÐ``): Vietnamese has no eth.
_ETH = re.compile(r"Đ?Ð+Đ?")


def mended_letters(lines: list[Line]) -> list[Line]:
    """Letters the engine spells in ways no Vietnamese text has, as the page prints them: each ``Ð``
    (and a ``Đ`` read twice beside it) as the one ``Đ`` (``/QÐ-TTg``, ``/2025/QĐÐ-UBND``, ``TGĐÐ``: 20
    of the real set's OCR'd files have one), and a letter's marks in order
    (:func:`ocr_ingest.lm.vietnamese.marks_in_order`: 18 words on the real set), and a dash between
    two figures as the en dash a range is printed with (``giai đoạn 2025 — 2030``: the engine reads
    the en dash of bold type as an em dash, which no range takes)."""
    out = []
    for line in lines:
        words = tuple(
            replace(w, text=_range_dash(line.words, i) or marks_in_order(_ETH.sub("Đ", w.text)))
            for i, w in enumerate(line.words)
        )
        same = all(a.text == b.text for a, b in zip(words, line.words, strict=True))
        out.append(line if same else Line(words, line.column))
    return out


def _range_dash(words: tuple[Word, ...], i: int) -> str | None:
    """``–`` where ``words[i]`` is an em dash alone between a word ending in a figure and one opening
    with a figure (a range: ``2025 — 2030``, ``Điều 5 — 7``); None otherwise."""
    if words[i].text != "—" or not 0 < i < len(words) - 1:
        return None
    return "–" if words[i - 1].text[-1:].isdigit() and words[i + 1].text[:1].isdigit() else None


def split_glued_words(lines: list[Line]) -> list[Line]:
    """Words that OCR ran together where the page has a space, split at the capital that opens the
    second: a Vietnamese syllable never has a capital inside it, so ``củaBan`` is *của Ban*. Both
    halves must be syllables (``TTg``, ``eKYC`` and ``iPhone`` are left alone) that the language
    model has seen side by side (a stamp's scrap glued to a subject, ``xìQuy``, is not split off as
    a word: ``fields.vocab.restore_opener`` cuts it). The box is shared by the letters' count. Why: a subject read ``củaBan Quản lý`` is a miss, and a search for *Ban*
    does not find the word."""
    out = []
    for line in lines:
        words: list[Word] = []
        for w in line.words:
            cut = _glued_at(w.text)
            if cut is None:
                words.append(w)
                continue
            x = w.left + round((w.right - w.left) * cut / len(w.text))
            words += [replace(w, text=w.text[:cut], right=x), replace(w, text=w.text[cut:], left=x)]
        out.append(Line(tuple(words), line.column) if len(words) != len(line.words) else line)
    return out


def _glued_at(text: str) -> int | None:
    """Where ``text`` is two syllables run together at a capital (``củaBan`` → 3), or None."""
    core = text.strip(_EDGE_SIGNS)
    start = text.find(core) if core else -1
    for i in range(1, len(core)):
        if core[i - 1].islower() and core[i].isupper():
            left, right = core[:i], core[i:]
            if (
                is_syllable(left)
                and is_syllable(right)
                and right[1:].islower()
                and lm.seen_together(left, right)
            ):
                return start + i
            return None
    return None


_EDGE_SIGNS = "()[]{}\"'“”‘’,.;:!?…-–"
