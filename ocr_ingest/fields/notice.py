"""Fields of a Vietnamese administrative notice (thể thức, Nghị định 30/2020/NĐ-CP), from its clean text.

``extract_fields(text)`` takes the pipeline's document text (NFC, pages joined by form feeds, one
paragraph / list item per line) and finds each component by its layout role. Either reading order of
the two-column header and bottom blocks is accepted: column after column, or rows interleaved (``UBND
HUYỆN X CỘNG HÒA XÃ HỘI…``, ``Nơi nhận: TL. CHỦ TỊCH``). Labels are matched diacritic-blind (OCR drops
marks); values are returned as written (the type name in its canonical spelling). Each :class:`Field` carries ``span`` (offsets into the input:
``text[span[0]:span[1]]`` is the source; a value from several lines has them joined by one space, a
signer name has seal marks dropped) and a heuristic ``confidence`` (0.95 clean; lower when found via a
folded label, fuzzily, between interleaved columns or after repair). ``partial`` marks a draft's blank
number or date: blanks are never guessed.

``NoticeFields.to_dict()`` keys (stable, in this order; a missing field is ``null``):
``parent_body``, ``issuing_body``, ``number``, ``place``, ``date``, ``doc_type``, ``subject``, ``body``,
``recipients`` (list), ``authority``, ``signer_title``, ``signer_name``. Each field is an object
``{value, span: [start, end], confidence, partial}``; ``number`` adds ``numeral``, ``year``, ``symbol``,
``type_code``, ``issuer_code``; ``date`` adds ``year``, ``month``, ``day``; both add ``unsure_figures``
and ``unsure_confidence`` (figures written into a blank left partial, read but not surely: a hint for
the clerk, never the value; null otherwise); ``date.value`` is ISO
``YYYY-MM-DD`` or, partial, ``YYYY-MM`` / ``YYYY``. Recipients are the ``- …`` items without the dash
and without the trailing ``;``/``,``/``.`` separator (``TT.UBND huyện``, ``Lưu: VT``). ``body`` is the
body paragraphs joined by newlines, without trailing footnotes. The visible e-signature stamp
(``Người ký:``, ``Email:``…) ends the notice and is not a field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields, replace

from rapidfuzz.distance import Levenshtein

from .bottom import NOI_NHAN, block_by_issuer, bottom_block, deputy_title_of, is_authority
from .crosscheck import (
    ATTACHED_TO,
    Restated,
    attached_to,
    code_as_issuer_writes,
    date_from_signature,
    place_as_issuer_spells,
    year_from_number,
)
from .known import LISTED_CONF, listed_signer
from .layout import Layout, Page, column_text, right_column
from .marks import (
    SIGN_LABEL,
    before_label,
    is_page_mark,
    is_received_field,
    is_received_word,
    name_beside_stamp,
)
from .parse import (
    CODE_TYPES,
    DATE,
    NUMBER_LABEL,
    TYPE_KEYS,
    Field,
    Line,
    ParsedNumber,
    canonical_role,
    clean_name,
    edit1,
    fold,
    join_fields,
    make_field,
    page_of,
    parse_date,
    parse_number,
    split_lines,
    upper_ratio,
)
from .restated import merged_subject, opener_from_article, restated_subject
from .vocab import (
    SUBJECT_OPENERS,
    banner_spans,
    issuer_head,
    issuer_start,
    lost_level,
    restore_opener,
    snap_forms,
)


@dataclass(frozen=True)
class NumberField(Field):
    numeral: str | None = None  # "153"; None when left blank in a draft
    year: str | None = None  # "2024" in "01/2024/NQ-HĐND"
    symbol: str = ""  # ký hiệu: "TB-VP", "TB/HU"
    type_code: str | None = None  # "TB"
    issuer_code: str | None = None  # "VP"
    unsure_figures: str | None = None  # a numeral written in by hand, read but not surely: left out
    unsure_confidence: float | None = None  # and how sure (0–100)


@dataclass(frozen=True)
class DateField(Field):
    year: int | None = None
    month: int | None = None
    day: int | None = None
    unsure_figures: str | None = None  # a day written in by hand, read but not surely: left out
    unsure_confidence: float | None = None  # and how sure (0–100)
    signed_on: str | None = None  # the day the issuer signed the file, which gave the day not read


@dataclass(frozen=True)
class NameField(Field):
    read_as: str | None = None  # what the page gave, where the list of signers gave the name (``known``)


@dataclass(frozen=True)
class NoticeFields:
    parent_body: Field | None = None
    issuing_body: Field | None = None
    number: NumberField | None = None
    place: Field | None = None
    date: DateField | None = None
    doc_type: Field | None = None
    subject: Field | None = None
    body: Field | None = None
    recipients: tuple[Field, ...] = ()
    authority: Field | None = None
    signer_title: Field | None = None
    signer_name: Field | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict with the keys listed in the module docstring."""
        out: dict[str, object] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "recipients":
                out[f.name] = [_field_dict(r) for r in v]
            else:
                out[f.name] = None if v is None else _field_dict(v)
        return out


def _field_dict(f: Field) -> dict[str, object]:
    d = asdict(f)
    d["span"] = list(f.span)
    return d


def _exact(found: str, written: str) -> bool:
    return " ".join(found.split()) == written


# --- header: issuer, number, motto, place and date, type ---------------------------------------------

# The motto, also with a word OCR lost or garbled ("CỘNG HÒA XÃ HỘI NGHĨA VIỆT NAM", "… €1 NGHĨA …",
# "… CHỦ NGHĨA VIỆT"): its first four words are enough to know it.
_MOTTO = re.compile(
    r"cong\s*h[o0]a\s*xa\s*h[o0][a-z]{0,3}(?:\s*[^\s]{1,4}(?=\s*(?:nghia|viet)))?(?:\s*nghia)?(?:\s*viet(?:\s*nam)?)?"
    r"|doc\s*lap\s*[-–—.]*\s*tu\s*do\s*[-–—.]*\s*hanh\s*phuc"
    r"|dang\s*cong\s*san\s*viet\s*nam"
)


def _doc_type(line: Line) -> Field | None:
    """The type name line (upper case, alone on its line), as its canonical spelling.

    Type names are a closed list (:data:`TYPE_NAMES`), so an OCR slip in bold capitals (``QUYÉT ĐỊNH``,
    ``THONG BAO``, one letter lost) still names one of them; the value is that name as the decree spells
    it, the span the line as read.
    """
    if len(line.text) > 40 or upper_ratio(line.text) < 0.8:
        return None
    key = re.sub(r"[^a-z]", "", line.folded.replace("0", "o"))
    if key in TYPE_KEYS:
        name = TYPE_KEYS[key]
        conf = 0.95 if _exact(line.text.rstrip(":"), name) else 0.8
    else:
        near = [k for k in TYPE_KEYS if len(key) >= 6 and edit1(key, k)]
        if not near:  # its second word under a seal or a stamp ("QUYÉT"): the one name it opens
            near = [k for k in TYPE_KEYS if len(key) >= 5 and k.startswith(key)]
        if len(near) != 1:
            return None
        name, conf = TYPE_KEYS[near[0]], 0.6
    return Field(name, (line.start, line.end), conf)


TYPE_SLIPS = 2  # letters a type line may be off from the name its number's code gives


def _type_by_code(lines: list[Line]) -> tuple[int | None, str] | None:
    """The type a header's number names by its code (``Số: 54/NQ-CP``: NGHỊ QUYẾT) when no line reads
    as a type name: with the line that is that name read with up to ``TYPE_SLIPS`` slips (``NÓH
    QUYÉT``), or None for the line when it was lost (under a received stamp: four of the real
    set's decisions). Two signals agree where one alone is too weak (``NÓH QUYÉT`` is two letters off
    any name). None when the number has no type code (a công văn's ``/UBND-VP``)."""
    at = next(((j, n) for j, ln in enumerate(lines[:15]) if (n := _number_at(ln))), None)
    name = CODE_TYPES.get(at[1][1].type_code or "") if at else None
    if at is None or name is None:
        return None
    key = re.sub(r"[^a-z]", "", fold(name))
    for j in range(at[0] + 1, min(len(lines), at[0] + 8)):
        ln = lines[j]
        got = re.sub(r"[^a-z]", "", ln.folded.replace("0", "o"))
        if (
            len(ln.text) <= 40
            and upper_ratio(ln.text) >= 0.8
            and Levenshtein.distance(got, key) <= TYPE_SLIPS
        ):
            return j, name
    return None, name


def _number_at(ln: Line) -> tuple[int, ParsedNumber] | None:
    """The number on a ``Số: …`` line, with where its label starts; or a line that is only ``/SYT-TTr``
    (the label and a penned numeral lost in OCR), a symbol no other line of a header can be. A label
    later on the line (``Độc lập - Tự do - Hạnh phúc Số: 16/2025/QĐ-TTg``: the two columns' rows read
    as one) counts when it has its colon and a whole number follows."""
    lab = NUMBER_LABEL.match(ln.folded)
    if lab:
        num = parse_number(ln.text, lab.end())
        return (0, num) if num else None
    if _BARE_SYMBOL.fullmatch(ln.text):
        num = parse_number(ln.text, 0)
        return (0, num) if num else None
    for m in _INNER_LABEL.finditer(ln.folded):
        num = parse_number(ln.text, m.end())
        if num and num.numeral and not num.penned:
            return m.start(), num
    m = _WHOLE_NUMBER.match(ln.text)  # the label read as a scrap (``ố:.50/2025/QĐ-TTg``)
    if m:
        num = parse_number(ln.text, m.start("numeral"))
        return (0, num) if num and num.numeral else None
    m = _SCRAP_NUMBER.match(ln.text)  # label and numeral read as scraps (``TT Ì5/QĐ-TTg``): the symbol's
    if m:
        num = parse_number(ln.text, m.start("symbol"))
        return (0, num) if num else None
    return None


#: A number's symbol with both codes, ending a line of two or three scraps before it (``TT Ì5/QĐ-TTg``):
#: the numeral is not read (left partial), the symbol is the number's.
_SCRAP_NUMBER = re.compile(
    r"^(?:\S{1,3}\s){0,2}\S{0,3}(?P<symbol>/(?:(?:19|20)\d\d/)?[A-ZĐ][A-Za-zĐđ]{0,4}-[A-ZĐ][A-Za-zĐđ]{1,9})\s*$"
)
#: A whole number with its year and both codes after a scrap no longer than a label (``ố:.``): a form
#: no other line of a header takes.
_WHOLE_NUMBER = re.compile(
    r"^\S{0,4}?(?P<numeral>\d{1,5})\s?/\s?(?:19|20)\d\d\s?/\s?[A-ZĐ][A-Za-zĐđ]{0,4}-[A-ZĐ][A-Za-zĐđ]{1,9}\b"
)


_INNER_LABEL = re.compile(r"(?<![a-z0-9])s[o06]\s*[:;]")


_BARE_SYMBOL = re.compile(r"\s*[-/]\s*[A-ZĐ][A-Za-zĐđ]*(?:\s?[-/]\s?[A-ZĐ][A-Za-zĐđ0-9]*)+\s*")


def place_start(line: str, left: int, date_start: int) -> int:
    """Where the place name before ", ngày …" starts: its capitalised words ("Hà Nội", "Đắk Lắk",
    "TP. Hồ Chí Minh"), so text of the other column that OCR put before it on the same line
    ("V/v hướng dẫn … Hà Nội, ngày …") is not part of it."""
    start = left
    for m in re.finditer(r"\S+", line[left:date_start]):
        word = m.group()
        if word[:1].islower() and word not in ("phố", "xã", "thị"):
            start = left + m.end()
    return start


def _header(text: str, lines: list[Line], end: int) -> dict[str, Field | None]:
    out: dict[str, Field | None] = {}
    number_i = date_i = None
    cut: dict[int, list[tuple[int, int]]] = {}  # per line: spans that are not issuer text
    for i, ln in enumerate(lines[:end]):
        spans = cut.setdefault(i, [])
        for m in _MOTTO.finditer(ln.folded):
            spans.append((m.start(), m.end()))
        for b in banner_spans(ln.text):
            spans.append(b)
        at = _number_at(ln) if number_i is None else None
        if at:
            label, num = at
            number_i = i
            spans.append((label, num.end))
            conf = 0.95 if ln.text[label:].startswith("Số") else 0.8
            out["number"] = NumberField(
                num.value, (ln.start + num.start, ln.start + num.end), conf - 0.1 * num.spaced - 0.3 * num.penned,
                partial=num.numeral is None, numeral=num.numeral, year=num.year, symbol=num.symbol,
                type_code=num.type_code, issuer_code=num.issuer_code,
            )  # fmt: skip
        dm = DATE.search(ln.folded) if date_i is None else None
        if dm:
            date_i = i
            pd = parse_date(dm)
            conf = (0.95 if "ngày" in ln.text[dm.start() : dm.end()] else 0.85) - 0.25 * pd.repaired
            if pd.iso or pd.month:  # a date without its year is completed from the number's below
                out["date"] = DateField(
                    pd.iso or "", (ln.start + dm.start(), ln.start + dm.end()), round(conf, 2), pd.partial,
                    year=pd.year, month=pd.month, day=pd.day,
                )  # fmt: skip
            left = place_start(ln.text, max([0, *(e for s, e in spans if e <= dm.start())]), dm.start())
            out["place"] = make_field(text, ln.start + left, ln.start + dm.start(), conf - 0.1 * (left > 0))
            spans.append((left, len(ln.text)))
    # Issuer: the upper-case lines right above the number (or date), once motto and number are cut out,
    # read upwards. Stamped and handwritten lines among them are passed over. A received stamp prints
    # the receiving office's name above its ĐẾN (Thông tư 07/2012, mẫu dấu đến): met below the issuer
    # (the number line lost), that name is skipped; met above it, the stamp ends the issuer.
    stop = number_i if number_i is not None else date_i if date_i is not None else end
    parts: list[Field] = []
    stamp_office = False  # the next upper-case line up is a received stamp's office name
    for i in reversed(range(stop)):
        ln, spans = lines[i], sorted(cut[i])
        received = is_received_word(ln)
        if received or is_page_mark(ln):
            if parts and received:
                break
            # a stamp's own lines tell its office name is above; a bare "Số: 4513" may be the notice's
            # number whose symbol OCR lost, under the issuer's last line
            stamp_office = stamp_office or (
                not parts and (received or (is_received_field(ln) and not NUMBER_LABEL.match(ln.folded)))
            )
            continue
        if stamp_office and banner_spans(ln.text):
            stamp_office = False  # the portal's heading is the stamp's office name: already cut out
        pieces, pos = [], 0
        for s, e in [*spans, (len(ln.text), len(ln.text))]:
            pieces.append((pos, s))
            pos = max(pos, e)
        s, e = max(pieces, key=lambda p: p[1] - p[0])
        upper = upper_ratio(ln.text[s:e])
        if re.search(r"^\s*-|/", ln.text[s:e]):
            # a number's symbol whose numeral and label OCR lost ("-VPCP", "/2025/QĐÐ-UBND"): a stamp
            # met below it lies under the header, its office name is not above the number
            stamp_office = False
            continue
        s += issuer_start(ln.text[s:e])
        piece = ln.text[s:e].strip()
        if sum(c.isalpha() for c in piece) < ISSUER_LETTERS * sum(not c.isspace() for c in piece):
            continue  # a stamp's filled-in date or number ("AJ.15..L2025"), not a name
        f = make_field(text, ln.start + s, ln.start + e, (0.9 if not spans else 0.8) - 0.3 * (upper < 0.8))
        if not f or sum(c.isalpha() for c in f.value) < 3:
            continue
        if upper < 0.6:  # a body is typed in capitals; this is a note or stamp text
            if parts:
                break
            continue
        if stamp_office:
            stamp_office = False
            continue
        parts.append(f)
    parts.reverse()
    groups: list[list[Field]] = []
    for f in parts:  # "ỦY BAN NHÂN DÂN" / "TỈNH KIÊN GIANG" is one body printed on two lines
        level = lost_level(groups[-1][-1].value, f.value) if groups else None
        if groups and (_PLACE_LINE.match(fold(f.value)) or groups[-1][-1].value.endswith((" VÀ", "-"))):
            groups[-1].append(f)
        elif level is not None:  # "LẠNG SƠN": its "TỈNH" lost under a stamp or the seal
            groups[-1].append(Field(level, f.span, round(f.confidence - 0.2, 2)))
        else:
            groups.append([f])
    if len(groups) > 1 and len(groups[0]) == 1 and _clerks_mark(groups[0][0].value):
        # a clerk's mark above the issuer ("TTĐT" read "TIT", "TTĐT 6"), not a parent body
        groups = groups[1:]
    out["parent_body"] = join_fields(groups[0], 0.9) if len(groups) > 1 else None
    out["issuing_body"] = join_fields([f for g in groups[1:] or groups for f in g], 0.9)
    for key in ("parent_body", "issuing_body"):
        f = out[key]
        if f is not None and snap_forms(f.value) != f.value:
            out[key] = Field(snap_forms(f.value), f.span, round(f.confidence - 0.1, 2))
    out["place"] = place_as_issuer_spells(out.get("place"), out["issuing_body"], out["parent_body"])
    out["date"] = year_from_number(out.get("date"), out.get("number"))  # type: ignore[arg-type]
    out["number"] = code_as_issuer_writes(out.get("number"), out["issuing_body"])  # type: ignore[arg-type]
    return out


def _clerks_mark(text: str) -> bool:
    """A short handwritten mark (``TIT``, ``TTĐT 6``, ``TTPTC x)``): no kind of body opens it, and it is at
    most two words of at most ``MARK_LETTERS`` letters each (a parent body's name is words of a body)."""
    words = text.split()
    return (
        not issuer_head(text)
        and len(words) <= 2
        and all(sum(c.isalpha() for c in w) <= MARK_LETTERS for w in words)
    )


MARK_LETTERS = 5
ISSUER_LETTERS = 0.7  # share of an issuer line's characters that are letters, at least

# An issuer line naming only the unit ("TỈNH X", "HUYỆN Y") continues the line above; "HUYỆN ỦY" does not.
_PLACE_LINE = re.compile(r"^(?:tinh|huyen|xa|thanh\s*pho|thi\s*xa|quan|phuong|thi\s*tran)\b(?!\s*uy\b)")


# --- subject and body --------------------------------------------------------------------------------

_BODY_CUE = re.compile(
    r"^(?:can\s*cu|ngay\s*\d|thuc\s*hien|kinh\s*gui|xet\s*de\s*nghi|theo\s*de\s*nghi|dieu\s*\d|"
    r"(?:phan|chuong|muc)\s+[ivx\d]|[ivx]+\.|\d+\.)"
)
_JUNK = re.compile(r"^[\W_]*$")
# A paragraph's "Căn cứ" whose "Căn" was lost (under a received stamp): "cứ" and what a basis names.
_LOST_CAN = re.compile(
    r"^cu\s+(?:luat|bo\s*luat|nghi\s*dinh|nghi\s*quyet|quyet\s*dinh|thong\s*tu|hien\s*phap|phap\s*lenh|chi\s*thi|van\s*ban|ket\s*luan)\b"
)
SCRAP_LETTERS = 5  # a line of one word in capitals this short, amid a subject, is a stamp's scrap
SCRAP_WORDS = 2  # or of two words, each as short on average (``THÔNG TƯ`` of CỔNG THÔNG TIN)
SCRAP_LINES = 2  # scraps in a row between two of the subject's lines (the heading's piece, ĐẾN)


def _goes_on(line: Line) -> bool:
    """A line that carries a subject on: lower case first, a few words (not another scrap: ``huy``)."""
    return line.text[:1].islower() and len(line.text.split()) >= 3


def _scrap(line: Line) -> bool:
    words = line.text.split()
    letters = [c for c in line.text if c.isalpha()]
    return (
        len(words) <= SCRAP_WORDS
        and 0 < len(letters) <= SCRAP_LETTERS * len(words)
        and all(c.isupper() for c in letters)
    )


def _scraps(lines: list[Line], i: int) -> int:
    """How many lines from ``i`` on are a stamp's scraps (at most :data:`SCRAP_LINES`): the received
    stamp's heading and its ĐẾN read as lines of their own amid the subject (``THÔNG TƯ``, ``BẾN``)."""
    n = 0
    while n < SCRAP_LINES and i + n < len(lines) and _scrap(lines[i + n]):
        n += 1
    return n


SUBJECT_LINE = 200  # characters: a line this long that opens in capitals is a paragraph, not a subject's
PARAGRAPH = 300  # characters: a line this long is a paragraph, unless it opens the subject as one does


def _opens_subject(line: Line, parts: list[Field]) -> bool:
    """The subject's first line opens with one of a subject's openers (*Về việc đính chính …*): a long
    subject (one that corrects or repeals several acts) the engine read as one line is no paragraph."""
    return not parts and any(re.match(rf"{re.escape(o)}\b", line.text) for o in SUBJECT_OPENERS)


def _subject(
    text: str, lines: list[Line], i: int, aside: Callable[[Line], bool] | None = None
) -> tuple[Field | None, int]:
    """Trích yếu: the line(s) under the type, up to the first body paragraph; returns (field, next i).
    ``aside``: a line printed off the subject's column (by its word boxes), passed over before it."""
    parts: list[Field] = []
    while i < len(lines) and len(parts) < 4:
        ln = lines[i]
        if not parts and aside is not None and aside(ln):
            i += 1  # a stamp's line between the type and the subject ("CHÍNH PHỦ" at the left margin)
            continue
        if _JUNK.match(ln.text):
            i += 1
            if parts:
                break
            continue
        banners = banner_spans(ln.text)
        if is_received_word(ln) or (banners and _covers(banners, ln.text)):
            i += 1  # a received stamp beside the subject: its heading and ĐẾN are read among its lines
            continue
        cue = _BODY_CUE.match(ln.folded) and not ln.text[:1].islower()  # a paragraph opens in capitals
        cue = cue or _LOST_CAN.match(ln.folded)  # "cứ Luật …": the first paragraph, its "Căn" under a stamp
        run = _scraps(lines, i) if parts and not cue else 0
        if run and i + run < len(lines) and _goes_on(lines[i + run]):
            i += run  # a stamp's or seal's scraps between two of the subject's lines ("PHÍ", "THÔNG TƯ")
            continue
        if cue or upper_ratio(ln.text) > 0.8 or (len(ln.text) > PARAGRAPH and not _opens_subject(ln, parts)):
            break
        if parts:
            prev = parts[-1].value
            lower = ln.text[:1].islower()
            opened = prev.endswith((",", "-", "–", "và")) or (
                not prev.endswith((".", ":", ";"))
                and len(ln.text) < SUBJECT_LINE
                and not ln.text.endswith((".", ":", ";"))
            )
            if not (lower or opened):
                break
        end = ln.end
        dm = DATE.search(ln.folded)  # "… Hà Nội, ngày …": the other column's place and date, same line
        if dm and ln.text[: dm.start()].rstrip().endswith(","):
            cut = place_start(ln.text, 0, dm.start())
            end = ln.start + cut if ln.text[cut : dm.start()].strip(" ,") else end
        pos = ln.start
        for bs, be in [*banners, (end - ln.start, end - ln.start)]:
            f = make_field(text, pos, min(end, ln.start + bs), 0.9 if not parts else 0.85, trim=bool(banners))
            if f:
                parts.append(f)
            pos = ln.start + be
        i += 1
    return join_fields(parts, 0.9), i


#: Types whose name (tên gọi) is printed in capitals under the type: laws, decrees, circulars.
TITLED_IN_CAPITALS = frozenset(
    ["HIẾN PHÁP", "BỘ LUẬT", "LUẬT", "PHÁP LỆNH", "NGHỊ ĐỊNH", "THÔNG TƯ", "THÔNG TƯ LIÊN TỊCH"]
)


def _title_in_capitals(text: str, lines: list[Line], i: int) -> tuple[Field | None, int]:
    """A law's or decree's name: the lines in capitals under its type, up to the first that is not (or
    that names the enacting body: ``CHÍNH PHỦ``, ``BỘ TRƯỞNG BỘ …``)."""
    parts: list[Field] = []
    while i < len(lines) and len(parts) < 4:
        ln = lines[i]
        if upper_ratio(ln.text) < 0.9 or issuer_head(ln.text) or canonical_role(ln.text):
            break
        f = make_field(text, ln.start, ln.end, 0.85)
        if f:
            parts.append(f)
        i += 1
    return join_fields(parts, 0.85), i


def _lost_type_subject(line: Line) -> bool:
    """Right under the date, where the type line was lost, a line in sentence case that opens no body
    paragraph ("Căn cứ …", "Kính gửi: …") is the subject."""
    return (
        line.text[:1].isupper()
        and upper_ratio(line.text) < 0.5
        and not _BODY_CUE.match(line.folded)
        and not re.match(r"^kinh\s*gui", line.folded)
    )


def _covers(spans: list[tuple[int, int]], text: str) -> bool:
    """The spans hold all of ``text``'s letters."""
    rest = list(text)
    for s, e in spans:
        rest[s:e] = [" "] * (e - s)
    return not any(c.isalpha() for c in rest)


_FOOTNOTE = re.compile(
    r"^(?:[⁽¹²³⁴⁵⁶⁷⁸⁹⁰]|\(\d{1,2}\)\s)"
)  # "⁽¹⁾ …" or "(1) …" where the font lacks superscripts
_PAGE_NO = re.compile(r"^[-–\s]*\d{1,3}[-–\s]*$")


def _body(text: str, lines: list[Line]) -> Field | None:
    keep = [ln for ln in lines if not _PAGE_NO.match(ln.text) and not _JUNK.match(ln.text)]
    while keep and _FOOTNOTE.match(keep[-1].text):
        keep.pop()
    if not keep:
        return None
    return Field("\n".join(ln.text for ln in keep), (keep[0].start, keep[-1].end), 0.9)


# What follows the document's own signature block is another document: an attached regulation or
# annex ("QUY ĐỊNH", "PHỤ LỤC", "(Ban hành kèm theo Quyết định số …)"), or a new header. Its closing
# block or table must not be read as the signer's.
_ATTACHMENT = re.compile(r"^[(\[]?\s*(?:phu\s*luc\b|(?:ban\s*hanh\s*)?kem\s*theo\b|danh\s*muc\b)")


def _attachment_starts(line: Line, opens_page: bool) -> bool:
    """Whether an attachment (annex, form, attached regulation) starts at ``line``: the motto or a type
    name of its own, or its heading (``PHỤ LỤC``, ``(Kèm theo …)``; in any case at a page's top)."""
    if _MOTTO.search(line.folded) or _doc_type(line):
        return True
    return bool(_ATTACHMENT.match(line.folded)) and (
        upper_ratio(line.text) >= 0.8
        or line.text.lstrip().startswith(("(", "["))
        or opens_page
        or bool(ATTACHED_TO.search(line.folded))
    )


def _block_end(lines: list[Line], text: str, bottom_i: int) -> int:
    """Where the signing block that starts at ``lines[bottom_i]`` ends: where an attachment starts, or
    the top of its page when that is a later page (the attachment's own header, a form's ``Mẫu số``,
    printed above its motto, is not the block's)."""
    page = page_of(text)
    end = next(
        (
            j
            for j in range(bottom_i + 1, len(lines))
            if _attachment_starts(lines[j], page(lines[j].start) != page(lines[j - 1].start))
        ),
        len(lines),
    )
    if end < len(lines) and page(lines[end].start) > page(lines[bottom_i].start):
        while page(lines[end - 1].start) == page(lines[end].start):
            end -= 1
    return end


def _unlabelled_recipients(lines: list[Line], first: int, bottom_i: int) -> int:
    """Where the bottom block starts when OCR lost its "Nơi nhận:" label: the run of "- …" items right
    above the signing lines, if it ends with the archive's item ("Lưu: VT, …", which every list has)."""
    if bottom_i >= len(lines) or NOI_NHAN.match(lines[bottom_i].folded):
        return bottom_i
    j = bottom_i
    archive = re.compile(r"^[-–•+]\s*luu\b")
    # items are not in capitals (that would be a signing line); the archive's item may be ("Lưu: VT, TNMT")
    while (
        j > first
        and lines[j - 1].text[:1] in "-–•+"
        and (upper_ratio(lines[j - 1].text) < 0.8 or (j == bottom_i and archive.match(lines[j - 1].folded)))
    ):
        j -= 1
    if j < bottom_i and archive.match(lines[bottom_i - 1].folded):
        return j
    return bottom_i


def _off_column(text: str, layout: Layout, type_line: Line) -> Callable[[Line], bool] | None:
    """Whether a line's words all lie clear of the centre of the type name's line (a subject is centred
    under it, a stamp's lines beside it are not); None without word boxes."""
    centre = layout.centre(text, type_line.start, type_line.end)
    if centre is None:
        return None

    def off(line: Line) -> bool:
        ws = layout.words(text, line.start, line.end)
        return bool(ws) and (
            max(w.right for w in ws) < centre - OFF_CENTRE or min(w.left for w in ws) > centre + OFF_CENTRE
        )

    return off


#: How far (fraction of the page width) a line's words must stay from the type's centre to be off its column.
OFF_CENTRE = 0.1


def _subject_as_printed(text: str, layout: Layout, type_line: Line, subject: Field | None) -> Field | None:
    """The subject read again from its words' boxes (:func:`.layout.column_text`): the block centred under
    the type name, so words the engine put out of order, read twice or took from a stamp beside it are
    set right. The text's reading is kept when the boxes are missing or tell a very different length."""
    if subject is None:
        return None
    centre = layout.centre(text, type_line.start, type_line.end)
    words = layout.words(text, subject.span[0], subject.span[1])
    got = column_text(words, centre) if centre is not None and words else None
    if got is not None and (banners := banner_spans(got)):  # a portal's heading printed over the block
        for s, e in reversed(banners):
            got = got[:s] + got[e:]
        got = " ".join(got.split()) or None
    if got is None or got == subject.value or not 0.6 <= len(got) / len(subject.value) <= 1.2:
        return subject
    return Field(got, subject.span, round(subject.confidence - 0.05, 2))


def _subject_restated(text: str, layout: Layout, body: list[Line], subject: Field | None) -> Field | None:
    """The subject set right by the enacting sentence that says it again (:mod:`.restated`), on a page the
    engine read (the word boxes tell it); a subject the heading lost is the sentence's."""
    said = restated_subject(body)
    if said is None or not layout.words(text, *said.span):
        return subject
    if subject is None:
        return Field(said.value[:1].upper() + said.value[1:], said.span, said.confidence)
    value = merged_subject(subject.value, said.value, layout.words(text, *subject.span))
    return (
        subject if value == subject.value else Field(value, subject.span, round(subject.confidence - 0.05, 2))
    )


#: A công văn's "V/v" (về việc) before its subject, on folded text, as OCR reads it: ``V/v``, ``V/V``,
#: ``Vv``, ``VW`` (the slash and the second v run together).
_VV = re.compile(r"^v\s*(?:/\s*v|/?\s*w|v)\b")


def _lost_marker_by_position(
    text: str, layout: Layout, lines: list[Line], bottom: dict[str, object]
) -> dict[str, object]:
    """A signing block whose ``KT.`` OCR lost under the seal (``THỦ TƯỚNG`` over a garbled line): by
    position, the first line of the signing column with a line right under it is the authority line,
    so a head's bare title there is ``KT. <title>``, signed by the deputy (Nghị định 30, Điều 12)."""
    if bottom["authority"] is not None:
        return bottom
    col = right_column(layout, text, [(ln.start, ln.end) for ln in lines])
    if len(col) < 2:
        return bottom
    (first, top, low), (second, top2, _) = col[0], col[1]
    if top2 - low > low - top:  # the next line is further than a line's height: the signature's space
        return bottom
    head = canonical_role(lines[first].text)
    under = lines[second].text
    deputy = deputy_title_of(head)
    if deputy is None or upper_ratio(under) < 0.6 or canonical_role(under) == head:
        return bottom
    span = (lines[first].start, lines[first].end)
    title = bottom["signer_title"]
    known = isinstance(title, Field) and canonical_role(title.value) not in (None, head)
    return {
        **bottom,
        "authority": Field(f"KT. {head}", span, 0.5),
        "signer_title": title if known else Field(deputy, (lines[second].start, lines[second].end), 0.5),
    }


def _listed_name(text: str, lines: list[Line], bottom: dict[str, Field | None]) -> dict[str, Field | None]:
    """The signer's name from the list of signers (:func:`.known.listed_signer`) where a row under the
    title, on the title's page and not a recipient, is a part of a listed name or a letter off it: the
    seal took the rest. The row as read is kept (``read_as``), the confidence is ``LISTED_CONF``."""
    title = bottom["signer_title"]
    if title is None:
        return bottom
    page = page_of(text)
    under = [ln for ln in lines if ln.start >= title.span[1] and page(ln.start) == page(title.span[0])]
    rows = [ln for ln in under if not re.match(r"^\s*[-–+•]", ln.text)]
    found = listed_signer([ln.text for ln in rows], title.value)
    if found is None:
        return bottom
    row, name = rows[found[0]], found[1]
    return {**bottom, "signer_name": NameField(name, (row.start, row.end), LISTED_CONF, read_as=row.text)}


def _with_unsure_figures(head: dict[str, Field | None], pages: Sequence[Page]) -> dict[str, Field | None]:
    """A number whose numeral, or a date whose day, was left blank carries what the handwritten-figures
    model read in that blank of the first page and how sure it was (``PageText.unsure_figures``): a
    suggestion for the clerk who reviews it, never the value."""
    unsure = {u.label.lower(): u for u in getattr(pages[0], "unsure_figures", ())} if pages else {}
    number, date = head.get("number"), head.get("date")
    if isinstance(number, NumberField) and number.numeral is None and (u := unsure.get("số")):
        head["number"] = replace(number, unsure_figures=u.text, unsure_confidence=u.confidence)
    if isinstance(date, DateField) and date.day is None and (u := unsure.get("ngày")):
        head["date"] = replace(date, unsure_figures=u.text, unsure_confidence=u.confidence)
    return head


def _by_attachment(head: dict[str, Field | None], restated: Sequence[Restated]) -> dict[str, Field | None]:
    """The number whose numeral was not read (or the number lost), or the date whose day or month was
    not, given by an attachment's heading that restates them (:func:`.crosscheck.attached_to`): the
    number where the heading restates the date read whole, the date where it restates the number read
    whole. Fairly sure: the attachment's figures may be written in by hand too."""
    number, date = head.get("number"), head.get("date")
    whole_date = isinstance(date, DateField) and date.day is not None and date.month is not None
    for r in restated:
        n, d = r.number, r.date
        if d is None or d.iso is None or d.partial or r.date_span is None:
            continue
        if (
            whole_date
            and d.iso == date.value  # type: ignore[union-attr]
            and (
                number is None
                or isinstance(number, NumberField)
                and number.numeral is None
                and (number.symbol, number.year) == (n.symbol, n.year)
            )
        ):
            head["number"] = NumberField(
                n.value, (n.start, n.end), ATTACHMENT_CONF, numeral=n.numeral, year=n.year, symbol=n.symbol,
                type_code=n.type_code, issuer_code=n.issuer_code,
            )  # fmt: skip
            return head
        if (
            isinstance(number, NumberField)
            and number.numeral is not None
            and isinstance(date, DateField)
            and not whole_date
            and (number.numeral, number.year, number.symbol) == (n.numeral, n.year, n.symbol)
            and date.year == d.year
            and date.month in (None, d.month)
        ):
            head["date"] = DateField(
                d.iso, r.date_span, ATTACHMENT_CONF, year=d.year, month=d.month, day=d.day
            )
            return head
    return head


#: How sure a number or date an attachment's heading gave is.
ATTACHMENT_CONF = 0.6


def with_signing_day(found: NoticeFields, signed: Sequence[tuple[str, str]]) -> NoticeFields:
    """``found`` once the signature report is known (``signed``: ``verify.FileReport.signed_by()``):
    a date whose handwritten day was not read takes the day the issuing body signed the file
    (``crosscheck.date_from_signature``). The record's step: fields, then the signature, then this."""
    date = date_from_signature(found.date, found.issuing_body, signed)
    return found if date is found.date else replace(found, date=date)


def extract_fields(text: str, pages: Sequence[Page] | None = None) -> NoticeFields:
    """All notice fields found in ``text``; a field the text does not show is None (or ``()``).

    ``pages``: the pages ``text`` was joined from (``DocumentText.pages``), whose word boxes
    (``PageText.words``) let a field be read where the page prints it (:mod:`.layout`); without them,
    or when they do not match ``text``, the fields are the text's alone."""
    layout = Layout(text, pages or ())
    lines = split_lines(text)
    type_i = next((i for i, ln in enumerate(lines[:60]) if _doc_type(ln)), None)
    coded = _type_by_code(lines) if type_i is None else None
    if coded is not None and coded[0] is not None:
        type_i = coded[0]
    head_end = type_i
    if head_end is None:  # no type line: the header ends with the date (or number) line
        date_j = next((j for j, ln in enumerate(lines[:15]) if DATE.search(ln.folded)), -1)
        num_j = next((j for j, ln in enumerate(lines[:15]) if _number_at(ln)), -1)
        head_end = max(date_j, num_j) + 1
    head = _header(text, lines, head_end)
    head = _with_unsure_figures(head, pages or ())
    doc_type = _doc_type(lines[type_i]) if type_i is not None else None
    if coded is not None:  # the type line garbled or lost; the number's code names it
        j, name = coded
        span = (
            (lines[j].start, lines[j].end)
            if j is not None
            else head["number"].span
            if head.get("number")
            else (0, 0)
        )
        doc_type = Field(name, span, 0.6 if j is not None else 0.5)
    if type_i is not None and doc_type is not None and doc_type.value in TITLED_IN_CAPITALS:
        subject, i = _title_in_capitals(text, lines, type_i + 1)
        if subject is None:
            subject, i = _subject(text, lines, type_i + 1)
    elif type_i is not None:
        subject, i = _subject(text, lines, type_i + 1, _off_column(text, layout, lines[type_i]))
    else:  # công văn: no type line, trích yếu "V/v …" under the number
        vv = next((j for j, ln in enumerate(lines[: head_end + 2]) if _VV.match(ln.folded)), None)
        subject, i = _subject(text, lines, vv) if vv is not None else (None, head_end)
        if subject is not None and (label := _VV.match(fold(subject.value))) and label.group() != "v/v":
            value = "V/v" + subject.value[label.end() :]  # ``VW Dự án``: the label as Nghị định 30 writes it
            subject = Field(value, subject.span, round(subject.confidence - 0.1, 2))
        if vv is None and head.get("date") and head_end < len(lines) and _lost_type_subject(lines[head_end]):
            subject, i = _subject(text, lines, head_end)  # the type line lost under a stamp or seal
        i = max(i, head_end)
        if vv is not None:
            doc_type = Field("CÔNG VĂN", (lines[vv].start, lines[vv].start + 3), 0.5)
    if type_i is not None:
        subject = _subject_as_printed(text, layout, lines[type_i], subject)
    if subject is not None and (opened := restore_opener(subject.value)):
        subject = Field(opened, subject.span, round(subject.confidence - 0.1, 2))
    bottom_i = next(
        (j for j in range(i, len(lines)) if NOI_NHAN.match(lines[j].folded) or is_authority(lines[j].folded, lines[j].text)),
        len(lines),
    )  # fmt: skip
    bottom_i = _unlabelled_recipients(lines, i, bottom_i)
    subject = _subject_restated(text, layout, lines[i:bottom_i], subject)
    if subject is not None and (opened := opener_from_article(subject.value, lines[i:bottom_i])):
        subject = Field(opened, subject.span, round(subject.confidence - 0.1, 2))
    end_i = _block_end(lines, text, bottom_i)
    head = _by_attachment(head, attached_to(text, lines[end_i:]))
    stamp_i = next((j for j in range(bottom_i, end_i) if SIGN_LABEL.match(lines[j].folded)), end_i)
    bottom = bottom_block(text, [before_label(ln) for ln in lines[bottom_i:stamp_i]])
    bottom = _lost_marker_by_position(text, layout, lines[bottom_i:stamp_i], bottom)
    issuer = head.get("issuing_body")
    bottom = block_by_issuer(issuer.value if issuer else None, bottom)  # type: ignore[arg-type]
    if bottom["signer_name"] is None and stamp_i < end_i:
        m = re.match(r"^nguoi\s*ky\s*:\s*", lines[stamp_i].folded)
        got = clean_name(lines[stamp_i].text[m.end() :]) if m else None
        if got and got[0] == lines[stamp_i].text[m.end() :].strip():
            s = lines[stamp_i].start + m.end() + got[1]
            bottom["signer_name"] = Field(got[0], (s, s + got[2] - got[1]), 0.5)
    if bottom["signer_name"] is None and (bottom["signer_title"] or bottom["authority"]):
        bottom["signer_name"] = name_beside_stamp(lines[stamp_i:end_i])
    bottom = _listed_name(text, lines[bottom_i:end_i], bottom)
    return NoticeFields(
        parent_body=head.get("parent_body"),
        issuing_body=head.get("issuing_body"),
        number=head.get("number"),  # type: ignore[arg-type]
        place=head.get("place"),
        date=head.get("date"),  # type: ignore[arg-type]
        doc_type=doc_type,
        subject=subject,
        body=_body(text, lines[i:bottom_i]),
        **bottom,  # type: ignore[arg-type]
    )
