"""Building blocks of :mod:`ocr_ingest.fields`: the Field type, lines with offsets, label folding, and
parsers for số ký hiệu, ngày ban hành, type names and signer names.

Kept apart so notice.py / bottom.py are only about the layout of a notice. Pure functions.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ..lm import SURNAMES, key, load


@dataclass(frozen=True)
class Field:
    """One extracted value; see :mod:`ocr_ingest.fields` for span and confidence."""

    value: str
    span: tuple[int, int]
    confidence: float
    partial: bool = False


@dataclass(frozen=True)
class Line:
    """A non-blank line of the input, stripped: ``text == input[start:end]``; ``folded`` = fold(text)."""

    start: int
    end: int
    text: str
    folded: str


def page_of(text: str) -> Callable[[int], int]:
    """Which page (0 first) of ``text``, pages joined by form feeds as ``DocumentText.text`` joins
    them, a position is on."""
    breaks = [m.start() for m in re.finditer("\f", text)]
    return lambda pos: bisect(breaks, pos)


def split_lines(text: str) -> list[Line]:
    out = []
    for m in re.finditer(r"[^\n\f\r]+", text):
        s = m.group()
        if s.strip():
            start = m.start() + len(s) - len(s.lstrip())
            end = m.end() - (len(s) - len(s.rstrip()))
            out.append(Line(start, end, text[start:end], fold(text[start:end])))
    return out


def make_field(text: str, start: int, end: int, conf: float, trim: bool = True) -> Field | None:
    """Field over text[start:end] stripped of spaces (and, ``trim``, edge marks); None if nothing is left."""
    lead, tail = ("-–•+*_~'\".,;:", "-–•*_~'\",;:") if trim else ("", "")
    while start < end and (text[start].isspace() or text[start] in lead):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in tail):
        end -= 1
    if start >= end:
        return None
    return Field(" ".join(text[start:end].split()), (start, end), round(conf, 2))


def join_fields(parts: list[Field], conf: float) -> Field | None:
    """One field from pieces on several lines, values joined by a space."""
    if not parts:
        return None
    value = " ".join(p.value for p in parts)
    return Field(
        value, (parts[0].span[0], parts[-1].span[1]), round(min(conf, *(p.confidence for p in parts)), 2)
    )


@functools.lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in "đĐÐð":
        return "d"
    base = unicodedata.normalize("NFD", c)[0]
    low = base.lower()
    return low if len(low) == 1 else base


def fold(text: str) -> str:
    """Lower-case, diacritic-free copy of ``text`` of the same length (one char per char).

    OCR often drops or swaps diacritics on labels (``So``, ``Noi nhan``, ``ngay``); matching labels on
    the folded text and slicing the original at the same offsets returns values as written.
    """
    return "".join(_fold_char(c) for c in text)


def upper_ratio(text: str) -> float:
    """Share of upper-case letters; 0.0 when there are no letters."""
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


# --- tên loại văn bản, chức vụ ------------------------------------------------------------------

TYPE_NAMES = (
    # Nghị định 30/2020, Điều 7: the administrative types
    "NGHỊ QUYẾT", "QUYẾT ĐỊNH", "CHỈ THỊ", "QUY CHẾ", "QUY ĐỊNH", "THÔNG CÁO", "THÔNG BÁO", "HƯỚNG DẪN",
    "CHƯƠNG TRÌNH", "KẾ HOẠCH", "PHƯƠNG ÁN", "ĐỀ ÁN", "DỰ ÁN", "BÁO CÁO", "BIÊN BẢN", "TỜ TRÌNH",
    "HỢP ĐỒNG", "CÔNG VĂN", "CÔNG ĐIỆN", "BẢN GHI NHỚ", "BẢN THỎA THUẬN", "GIẤY ỦY QUYỀN", "GIẤY MỜI",
    "GIẤY GIỚI THIỆU", "GIẤY NGHỈ PHÉP", "PHIẾU GỬI", "PHIẾU CHUYỂN", "PHIẾU BÁO", "THƯ CÔNG", "KẾT LUẬN",
    # legal normative documents (Luật Ban hành văn bản quy phạm pháp luật) and joint forms
    "HIẾN PHÁP", "BỘ LUẬT", "LUẬT", "PHÁP LỆNH", "LỆNH", "NGHỊ ĐỊNH", "THÔNG TƯ", "THÔNG TƯ LIÊN TỊCH",
    "NGHỊ QUYẾT LIÊN TỊCH",
)  # fmt: skip
TYPE_KEYS = {re.sub(r"[^a-z]", "", fold(t)): t for t in TYPE_NAMES}
#: The type a number's symbol names by its first code (Nghị định 30, Phụ lục III: ``QĐ`` for QUYẾT ĐỊNH).
CODE_TYPES = {
    "NQ": "NGHỊ QUYẾT", "QĐ": "QUYẾT ĐỊNH", "CT": "CHỈ THỊ", "QC": "QUY CHẾ", "QyĐ": "QUY ĐỊNH",
    "TB": "THÔNG BÁO", "HD": "HƯỚNG DẪN", "CTr": "CHƯƠNG TRÌNH", "KH": "KẾ HOẠCH", "PA": "PHƯƠNG ÁN",
    "ĐA": "ĐỀ ÁN", "DA": "DỰ ÁN", "BC": "BÁO CÁO", "BB": "BIÊN BẢN", "TTr": "TỜ TRÌNH", "HĐ": "HỢP ĐỒNG",
    "CĐ": "CÔNG ĐIỆN", "BGN": "BẢN GHI NHỚ", "BTT": "BẢN THỎA THUẬN", "GUQ": "GIẤY ỦY QUYỀN",
    "GM": "GIẤY MỜI", "GGT": "GIẤY GIỚI THIỆU", "GNP": "GIẤY NGHỈ PHÉP", "PG": "PHIẾU GỬI",
    "PC": "PHIẾU CHUYỂN", "PB": "PHIẾU BÁO", "KL": "KẾT LUẬN", "NĐ": "NGHỊ ĐỊNH", "TT": "THÔNG TƯ",
    "TTLT": "THÔNG TƯ LIÊN TỊCH",
}  # fmt: skip


def edit1(a: str, b: str) -> bool:
    """At most one substitution, insertion or deletion apart."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] or a[i + 1 :] == b[i:] or a[i:] == b[i + 1 :]


TITLE_NAMES = (
    "PHÓ CHỦ TỊCH", "CHỦ TỊCH", "PHÓ CHÁNH VĂN PHÒNG", "CHÁNH VĂN PHÒNG", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
    "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "BÍ THƯ", "PHÓ BÍ THƯ", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN",
    "CHÁNH THANH TRA", "PHÓ CHÁNH THANH TRA", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "VỤ TRƯỞNG", "PHÓ VỤ TRƯỞNG",
    "BỘ TRƯỞNG", "THỨ TRƯỞNG", "TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC", "HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG",
    "CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "THỦ TRƯỞNG", "KẾ TOÁN TRƯỞNG", "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG",
    "TỔNG CỤC TRƯỞNG", "PHÓ TỔNG CỤC TRƯỞNG", "CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG", "CHÁNH ÁN",
    "VIỆN TRƯỞNG", "TRƯỞNG ĐOÀN", "NGƯỜI LẬP BIỂU",
)  # fmt: skip
# Bodies that sign as a collective ("TM. ỦY BAN NHÂN DÂN", "T/M BAN THƯỜNG VỤ").
BODY_NAMES = (
    "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN", "CHÍNH PHỦ", "BAN THƯỜNG VỤ",
    "BAN CHẤP HÀNH", "BAN THƯỜNG TRỰC", "BAN CHỈ ĐẠO", "ỦY BAN THƯỜNG VỤ QUỐC HỘI", "ĐOÀN ĐẠI BIỂU QUỐC HỘI",
    "HỘI ĐỒNG", "TỈNH ỦY", "HUYỆN ỦY", "THÀNH ỦY", "ĐẢNG ỦY",
)  # fmt: skip


def letters_key(text: str) -> str:
    """``text``'s letters alone, marks and case aside (``'HỦ TƯỚNG`` → ``hutuong``)."""
    return re.sub(r"[^a-z]", "", fold(text))


def _marked_key(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFC", text).upper() if c.isalpha())


_ROLES_BY_KEY: dict[str, list[str]] = {}
for _name in (*TITLE_NAMES, *BODY_NAMES):
    _ROLES_BY_KEY.setdefault(letters_key(_name), []).append(_name)
_MARKER = re.compile(
    r"^\s*(?P<m>(?:t\s*/\s*[ml]|k\s*/\s*t|t\s*\.?\s*u\s*\.?\s*q|t\s*\.?\s*[ml]|k\s*\.?\s*t|q)\s*[.,:]?)\s*"
)


#: A role's last words (``NHÂN DÂN`` of ``ỦY BAN NHÂN DÂN``): read so, the seal's rim took the line's
#: start, and no role two letters off is meant (``NHÂN DÂN`` is not ``CHÁNH ÁN``, real qd_0101).
_ROLE_TAILS = frozenset(
    letters_key(" ".join(n.split()[i:]))
    for n in (*TITLE_NAMES, *BODY_NAMES)
    for i in range(1, len(n.split()))
)
ROLE_TWO_SLIPS = 7  # letters: a role read this long may be two letters off, when only one role is that near


def canonical_role(text: str) -> str | None:
    """A title or signing line in the spelling of the decree, or None when it names no known role.

    Titles and the bodies that sign collectively are a closed set, so OCR slips in bold capitals
    (``PHO CHU TỊCH``, ``THỦ TƯỜNG``, ``KT, CHỦ TỊCH``, ``KT.CHU TỊCH``) give back the one role they
    can be; the marker keeps its written style (``T/M`` stays ``T/M``, ``KT`` becomes ``KT.``).
    """
    m = _MARKER.match(fold(text))
    if m and m.end() < len(text):
        name = _known_role(text[m.end() :])
        if name:
            letters = re.sub(r"[^a-z/]", "", m["m"]).upper()
            return f"{letters if '/' in letters else letters + '.'} {name}"
    return _known_role(text)


def _known_role(text: str) -> str | None:
    """The role ``text`` names: same letters without marks, or one letter off. Where two roles differ
    only by marks (THỨ TRƯỞNG, deputy minister / THỦ TRƯỞNG, head of a unit), the one whose marks are
    nearest to those read; a tie is no answer (the line stays as written)."""
    if "," in text:  # a compound title: "BỘ TRƯỞNG, CHỦ NHIỆM", each office a known one
        parts = [_known_role(p) for p in text.split(",")]
        return ", ".join(parts) if all(parts) else None  # type: ignore[arg-type]
    words = text.split()
    if len(words) > 2 and letters_key(" ".join(words[-2:])) == "thuongtruc":  # the standing deputy:
        head = _known_role(" ".join(words[:-2]))  # THỨ TRƯỞNG THƯỜNG TRỰC, PHÓ CHỦ TỊCH THƯỜNG TRỰC
        return f"{head} THƯỜNG TRỰC" if head in TITLE_NAMES else None
    key = letters_key(text)
    names = _ROLES_BY_KEY.get(key)
    if names is None:
        near = [k for k in _ROLES_BY_KEY if len(key) >= 8 and edit1(key, k)]
        if not near and len(key) >= ROLE_TWO_SLIPS and key not in _ROLE_TAILS:  # rim over capitals: 'HỦ FƯỚNG
            # the one role nearest, by letters, then marks (HỦ IƯỚNG: THỦ TƯỚNG two letters and two
            # marked letters off, HỘI ĐỒNG two and three, THỦ TRƯỞNG three)
            read = _marked_key(text)
            ranked = sorted(
                (Levenshtein.distance(key, k), min(Levenshtein.distance(read, _marked_key(n)) for n in ns), k)
                for k, ns in _ROLES_BY_KEY.items()
            )
            near = [ranked[0][2]] if ranked[0][0] <= 2 and ranked[0][:2] < ranked[1][:2] else []
        names = _ROLES_BY_KEY[near[0]] if len(near) == 1 else []
    if len(names) <= 1:
        return names[0] if names else None
    read = _marked_key(text)
    ranked = sorted((Levenshtein.distance(read, _marked_key(n)), n) for n in names)
    return ranked[0][1] if ranked[0][0] < ranked[1][0] else None


# --- số ký hiệu -------------------------------------------------------------------------------------

# Label "Số" / "Số:" / OCR "So", "S6", "S0", "SÁ" at the start of a line (after a little junk); its colon
# read as a dash before the numeral ("SÁ- 41 /2025/…"; a dash before letters is a symbol's: "Số -TB/HU").
NUMBER_LABEL = re.compile(r"^[^a-z0-9]{0,3}s[o06a]\s*(?:[:.;]|-(?=\s*\d))?(?![a-z])")
_BLANK = r"[ \t._…]*"
_SEGMENT = r"[A-ZĐ][A-Za-zĐđ0-9]*"
_NUMBER = re.compile(
    rf"{_BLANK}(?P<numeral>\d+)?(?:\s*/\s*(?P<year>(?:19|20)\d\d))?{_BLANK}(?P<sep>[-/])?\s*"
    rf"(?P<symbol>{_SEGMENT}(?:\s?[-/]\s?{_SEGMENT})*)"
)
# Codes of văn bản types as they open the symbol (Phụ lục III, NĐ 30/2020); others = issuer only.
_TYPE_CODES = frozenset(
    [
        "NQ",
        "QĐ",
        "CT",
        "QC",
        "QyĐ",
        "TB",
        "HD",
        "CTr",
        "KH",
        "PA",
        "ĐA",
        "DA",
        "BC",
        "BB",
        "TTr",
        "HĐ",
        "CĐ",
        "BGN",
        "BTT",
        "GUQ",
        "GM",
        "GGT",
        "GNP",
        "PG",
        "PC",
        "PB",
        "TH",
        "KL",
        "NĐ",
        "TT",
        "TTLT",
    ]
)


# A numeral written in by hand (or typed in later) leaves a gap before the symbol, and OCR reads the pen
# as anything: "4ZØ /BC-UBND", "J3 /2025/QĐ-UBND", "22/6 /SYT-TTr". The symbol after the gap is still
# the number's; the numeral is kept only when it reads as digits.
_PENNED = re.compile(
    rf"[ \t]*(?P<numeral>[^\s/][^\s]{{0,5}})[ \t]+(?P<sep>/)\s*(?:(?P<year>(?:19|20)\d\d)\s*/\s*)?"
    rf"(?P<symbol>{_SEGMENT}(?:\s?[-/]\s?{_SEGMENT})*)"
)


@dataclass(frozen=True)
class ParsedNumber:
    value: str  # as written, inner spaces removed: "153/TB-VP", "-TB/HU", "/TB-UBND"
    start: int
    end: int
    numeral: str | None
    year: str | None
    symbol: str
    type_code: str | None
    issuer_code: str | None
    spaced: bool  # OCR put spaces inside the number
    penned: bool = False  # the numeral was written in by hand or later, with a gap; read with doubt


def parse_number(text: str, pos: int) -> ParsedNumber | None:
    """The số ký hiệu right after a "Số" label ending at ``pos``; None when nothing number-like follows.

    A draft leaves the numeral blank (``Số:   /TB-UBND``, Party ``Số -TB/HU``): numeral is None. OCR
    reads the stroked D as the Icelandic eth (``Ð``), alone or doubled (``QĐÐ``): it is ``Đ`` in a symbol.
    """
    # same length: offsets hold. Q of QĐ read as a zero or an O after the year's slash: ``/2025/0Đ-TTg``
    text = re.sub(r"(?<=/)[0O](?=Đ)", "Q", text.replace("Ð", "Đ"))
    m = _NUMBER.match(text, pos)
    penned = False
    # a number always has "/" or "-" before its symbol ("Số: 1532 Ngày" is a received stamp), but OCR
    # may lose the slash after the year: ``17 /2025QĐ-TTg``, the year still says where the symbol starts
    slash_lost = bool(
        m and not m["sep"] and m["numeral"] and m["year"] and m.start("symbol") == m.end("year")
    )
    if m and not slash_lost and not (m["sep"] and (m["numeral"] or re.search(r"[-/]", m["symbol"]))):
        m = None
    if m is None:
        m, penned = _PENNED.match(text, pos), True
        if m is None:
            return None
    numeral, symbol = m["numeral"], m["symbol"]
    if penned and not (numeral or "").isdigit():
        numeral = None  # what OCR made of the pen is not a numeral; the symbol still is the number's
    first = m.start("numeral") if numeral else m.start("sep")
    if not numeral and m["year"]:  # a blank numeral before the year: ``/2025/QĐ-UBND``, the year kept
        first = min(first, text.rfind("/", pos, m.start("year")))
    raw = text[first : m.end()]
    symbol = re.sub(r"Đ{2,}", "Đ", re.sub(r"\s+", "", symbol))
    parts = re.split(r"[-/]", symbol, maxsplit=1)
    if parts[0] in _TYPE_CODES:
        type_code, issuer_code = parts[0], (parts[1] if len(parts) > 1 else None)
    else:
        type_code, issuer_code = None, symbol
    value = re.sub(r"Đ{2,}", "Đ", re.sub(r"\s+", "", raw))
    if slash_lost:
        value = f"{numeral}/{m['year']}/{symbol}"
    return ParsedNumber(
        value=value,
        start=first,
        end=m.end(),
        numeral=numeral,
        year=m["year"],
        symbol=symbol,
        type_code=type_code,
        issuer_code=issuer_code,
        spaced=bool(re.search(r"\s", raw)) or slash_lost,
        penned=penned,
    )


# --- địa danh, ngày ban hành ------------------------------------------------------------------------

_NUM = r"[0-9ol]"  # OCR reads 0 as o and 1 as l
# A day or month written in by hand reads as anything ("ngày 1Z_ tháng 6"): ``pen`` catches it so the
# rest of the date and the place are still read; that part is then left blank, not guessed.
# The pen's mark may touch the next word ("ngày IOtháng 6"); the "ngày" a day written over it hid is
# missed after the place's comma ("Lâm Đồng, tháng 8 năm 2025"). A speck read as a comma stuck to "ngày"
# before a two-figure day ("ngày,27 tháng 6") is passed over; apart, it may be a figure (",2" for 12).
# The blank's dots before the day are passed over too ("ngày.9Stháng 4", "ngày ....15 tháng").
DATE = re.compile(
    rf"(?:(?<![a-z])ngay(?:[,;:'`](?=\d\d))?[\s._…]*(?P<d>{_NUM}{{1,2}})?(?P<dpen>[^\s._…]{{1,3}}?(?=[\s._…]|thang))?|(?<=,\s)(?=thang))"
    rf"[\s._…]*thang\s*(?P<m>{_NUM}{{1,2}})?(?P<mpen>[^\s._…]{{1,3}}?(?=[\s._…]|nam))?[\s._…]*"
    rf"nam\s*(?P<y>{_NUM}{{4}})?"
)


@dataclass(frozen=True)
class ParsedDate:
    iso: str | None  # "2021-06-09", partial "2023-09" / "2023", None without a year
    year: int | None
    month: int | None
    day: int | None
    partial: bool
    repaired: bool  # a digit was read as a letter, or a value was out of range and dropped


def _digits(s: str | None) -> tuple[int | None, bool]:
    if not s or not re.search(r"\d", s):
        return None, bool(s)
    fixed = s.replace("o", "0").replace("l", "1")
    return int(fixed), fixed != s


def parse_date(m: re.Match[str]) -> ParsedDate:
    """Turn a :data:`DATE` match into ISO; blanks stay blank (a draft's day is not guessed)."""
    (d, rd), (mo, rm), (y, ry) = _digits(m["d"]), _digits(m["m"]), _digits(m["y"])
    repaired = rd or rm or ry or bool(m["dpen"] or m["mpen"])
    if m["dpen"]:
        d = None
    if m["mpen"]:
        mo, d = None, None
    if y is not None and not 1900 <= y <= 2100:
        y, repaired = None, True
    if mo is not None and not 1 <= mo <= 12:
        mo, d, repaired = None, None, True
    if d is not None and mo is not None and y is not None:
        try:
            datetime.date(y, mo, d)
        except ValueError:
            d, repaired = None, True
    if y is None:
        return ParsedDate(None, None, mo, d, True, repaired)
    if mo is None:
        return ParsedDate(f"{y:04d}", y, None, None, True, repaired)
    if d is None:
        return ParsedDate(f"{y:04d}-{mo:02d}", y, mo, None, True, repaired)
    return ParsedDate(f"{y:04d}-{mo:02d}-{d:02d}", y, mo, d, False, repaired)


# --- họ tên người ký --------------------------------------------------------------------------------


def _name_word(letters: str) -> bool:
    """A Vietnamese name syllable: capital first letter, the rest lower case (one OCR slip allowed)."""
    if not letters or not letters[0].isupper():
        return False
    rest = letters[1:]
    return sum(c.isupper() for c in rest) <= (1 if len(rest) >= 3 else 0)


def clean_name(text: str) -> tuple[str, int, int, bool] | None:
    """Longest run of name-shaped words in ``text`` as (name, start, end, repaired), or None.

    Seal ink over a signature leaves stray marks inside and around the name (``Tr*ần Văn T~rung``):
    non-letters are dropped from words, marks-only tokens are skipped, and ``repaired`` says so.
    """
    best: list[tuple[int, int, str, bool]] = []
    run: list[tuple[int, int, str, bool]] = []
    skipped = False
    for m in re.finditer(r"\S+", text):
        letters = "".join(c for c in m.group() if c.isalpha())
        if not letters:
            skipped = True
            continue
        if _name_word(letters):
            word = letters[0] + letters[1:].lower()
            run.append((m.start(), m.end(), word, word != m.group() or skipped))
        else:
            run = []
        if len(run) > len(best):
            best = list(run)
        skipped = False
    if not 2 <= len(best) <= 6:
        return None
    start, end, first, repaired = best[0]
    surname = family_name(first)
    best[0] = (start, end, surname, repaired or surname != first)
    lost = _surname_lost_capital(text[:start]) if surname not in SURNAMES and len(best) < 4 else None
    if lost:  # "ùi Thanh Sơn": the seal or the pen took the capital; the family name it was is sure
        best.insert(0, (*lost, True))
    name = " ".join(w for _, _, w, _ in best)
    return name, best[0][0], best[-1][1], any(r for *_, r in best)


def _surname_lost_capital(before: str) -> tuple[int, int, str] | None:
    """The family name whose capital OCR lost, when ``before`` ends with its other letters as one
    lower-case word (``ùi`` → Bùi, ``ê`` → Lê), marks and all, and only one family name ends with
    those letters, marks aside;
    (start, end, name) or None."""
    m = re.search(r"(?:^|\s)([^\W\d_]+)\s$", before)
    if not m or not m.group(1).islower():
        return None
    # unique also without marks: "ô" could be Tô, or Hồ with its tone misread
    found = [s for s in SURNAMES if fold(s[1:]) == fold(m.group(1))]
    return (m.start(1), m.end(1), found[0]) if len(found) == 1 and found[0][1:] == m.group(1) else None


@functools.cache
def _surnames_by_letters() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for name in SURNAMES:
        out[fold(name)] = (*out.get(fold(name), ()), name)
    return out


def family_name(word: str) -> str:
    """The family name ``word`` is, its marks restored: a Vietnamese name opens with one of a closed
    list (:data:`ocr_ingest.lm.SURNAMES`), and OCR slips the marks of the commonest (``Định``, ``Đỉnh``
    for *Đinh*), or lose a thin letter (:func:`_letter_lost`). A word that is a family name already,
    that has no mark at all (a text read without marks keeps them out), or whose letters fit none or
    more than one, is returned as it is."""
    if word in SURNAMES:
        return word
    found = _surnames_by_letters().get(fold(word), ()) if fold(word) != word.lower() else ()
    if len(found) == 1:
        return found[0]
    return _letter_lost(word) or word


#: A syllable the real legal text uses this often is a word, not what OCR made of a family name.
SEEN_WORD = 50


def _letter_lost(word: str) -> str | None:
    """The one family name that is ``word`` with a letter more, marks as written (``Pạm`` → *Phạm*,
    ``Ngyễn`` → *Nguyễn*): a thin letter (h, u, r) lost under the seal's rim or the pen. Never a name
    that is a family name already (*Ma* is not *Mai*), nor one letter changed or added (``Zhà`` may be
    *Hà* or a stamp's junk before *Hồ*), nor a word the real legal text uses (*Tần*, *Hàng*: a rare
    family name, or a word, read right)."""
    lower = word.lower()
    found = [
        s
        for s in SURNAMES
        if len(s) == len(word) + 1 and any(s.lower()[:i] + s.lower()[i + 1 :] == lower for i in range(len(s)))
    ]
    if len(found) != 1:
        return None
    # the language model (loaded once, ~0.5 s) only for a word that fits: most names need none of it
    return found[0] if load().unigrams.get(key(word) or "", 0) < SEEN_WORD else None
