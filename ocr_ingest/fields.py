"""Fields of a Vietnamese administrative notice (thể thức, Nghị định 30/2020/NĐ-CP), from its clean text.

``extract_fields(text)`` takes the pipeline's document text (NFC, pages joined by form feeds, one
paragraph / list item per line) and finds each component by its layout role. Either reading order of
the two-column header and bottom blocks is accepted: column after column, or rows interleaved (``UBND
HUYỆN X CỘNG HÒA XÃ HỘI…``, ``Nơi nhận: TL. CHỦ TỊCH``). Labels are matched diacritic-blind (OCR drops
marks); values are returned as written. Each :class:`Field` carries ``span`` (offsets into the input:
``text[span[0]:span[1]]`` is the source; a value from several lines has them joined by one space, a
signer name has seal marks dropped) and a heuristic ``confidence`` (0.95 clean; lower when found via a
folded label, fuzzily, between interleaved columns or after repair). ``partial`` marks a draft's blank
number or date: blanks are never guessed.

``NoticeFields.to_dict()`` keys (stable, in this order; a missing field is ``null``):
``parent_body``, ``issuing_body``, ``number``, ``place``, ``date``, ``doc_type``, ``subject``, ``body``,
``recipients`` (list), ``authority``, ``signer_title``, ``signer_name``. Each field is an object
``{value, span: [start, end], confidence, partial}``; ``number`` adds ``numeral``, ``year``, ``symbol``,
``type_code``, ``issuer_code``; ``date`` adds ``year``, ``month``, ``day``; ``date.value`` is ISO
``YYYY-MM-DD`` or, partial, ``YYYY-MM`` / ``YYYY``. Recipients are the ``- …`` items without the dash
and without the trailing ``;``/``,``/``.`` separator (``TT.UBND huyện``, ``Lưu: VT``). ``body`` is the
body paragraphs joined by newlines, without trailing footnotes. The visible e-signature stamp
(``Người ký:``, ``Email:``…) ends the notice and is not a field.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields

from ocr_ingest.fields_parse import (
    DATE,
    NUMBER_LABEL,
    TITLES,
    TYPE_KEYS,
    ParsedNumber,
    clean_name,
    edit1,
    fold,
    parse_date,
    parse_number,
    upper_ratio,
)


@dataclass(frozen=True)
class Field:
    value: str
    span: tuple[int, int]
    confidence: float
    partial: bool = False


@dataclass(frozen=True)
class NumberField(Field):
    numeral: str | None = None  # "153"; None when left blank in a draft
    year: str | None = None  # "2024" in "01/2024/NQ-HĐND"
    symbol: str = ""  # ký hiệu: "TB-VP", "TB/HU"
    type_code: str | None = None  # "TB"
    issuer_code: str | None = None  # "VP"


@dataclass(frozen=True)
class DateField(Field):
    year: int | None = None
    month: int | None = None
    day: int | None = None


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


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str
    folded: str


def _lines(text: str) -> list[_Line]:
    out = []
    for m in re.finditer(r"[^\n\f\r]+", text):
        s = m.group()
        if s.strip():
            start = m.start() + len(s) - len(s.lstrip())
            end = m.end() - (len(s) - len(s.rstrip()))
            out.append(_Line(start, end, text[start:end], fold(text[start:end])))
    return out


def _field(text: str, start: int, end: int, conf: float, trim: bool = True) -> Field | None:
    """Field over text[start:end] stripped of spaces (and, ``trim``, edge marks); None if nothing is left."""
    lead, tail = ("-–•+*_~'\".,;:", "-–•*_~'\",;:") if trim else ("", "")
    while start < end and (text[start].isspace() or text[start] in lead):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in tail):
        end -= 1
    if start >= end:
        return None
    return Field(" ".join(text[start:end].split()), (start, end), round(conf, 2))


def _join(parts: list[Field], conf: float) -> Field | None:
    """One field from pieces on several lines, values joined by a space."""
    if not parts:
        return None
    value = " ".join(p.value for p in parts)
    return Field(
        value, (parts[0].span[0], parts[-1].span[1]), round(min(conf, *(p.confidence for p in parts)), 2)
    )


def _exact(found: str, written: str) -> bool:
    return " ".join(found.split()) == written


# --- header: issuer, number, motto, place and date, type ---------------------------------------------

_MOTTO = re.compile(
    r"cong\s*hoa\s*xa\s*hoi\s*chu\s*nghia\s*viet\s*nam|doc\s*lap\s*[-–—]*\s*tu\s*do\s*[-–—]*\s*hanh\s*phuc"
    r"|dang\s*cong\s*san\s*viet\s*nam"
)


def _doc_type(line: _Line) -> Field | None:
    """The type name line (upper case, alone on its line), OCR slips tolerated (``THONG BAO``)."""
    if len(line.text) > 40 or upper_ratio(line.text) < 0.8:
        return None
    key = re.sub(r"[^a-z]", "", line.folded.replace("0", "o"))
    if key in TYPE_KEYS:
        conf = 0.95 if _exact(line.text, TYPE_KEYS[key]) else 0.8
    elif len(key) >= 6 and any(edit1(key, k) for k in TYPE_KEYS):
        conf = 0.6
    else:
        return None
    return Field(line.text, (line.start, line.end), conf)


def _number_at(ln: _Line) -> ParsedNumber | None:
    lab = NUMBER_LABEL.match(ln.folded)
    return parse_number(ln.text, lab.end()) if lab else None


def _header(text: str, lines: list[_Line], end: int) -> dict[str, Field | None]:
    out: dict[str, Field | None] = {}
    number_i = date_i = None
    cut: dict[int, list[tuple[int, int]]] = {}  # per line: spans that are not issuer text
    for i, ln in enumerate(lines[:end]):
        spans = cut.setdefault(i, [])
        for m in _MOTTO.finditer(ln.folded):
            spans.append((m.start(), m.end()))
        num = _number_at(ln) if number_i is None else None
        if num:
            number_i = i
            spans.append((0, num.end))
            conf = 0.95 if ln.text.startswith("Số") else 0.8
            out["number"] = NumberField(
                num.value, (ln.start + num.start, ln.start + num.end), conf - 0.1 * num.spaced,
                partial=num.numeral is None, numeral=num.numeral, year=num.year, symbol=num.symbol,
                type_code=num.type_code, issuer_code=num.issuer_code,
            )  # fmt: skip
        dm = DATE.search(ln.folded) if date_i is None else None
        if dm:
            date_i = i
            pd = parse_date(dm)
            conf = (0.95 if "ngày" in ln.text[dm.start() : dm.end()] else 0.85) - 0.25 * pd.repaired
            if pd.iso:
                out["date"] = DateField(
                    pd.iso, (ln.start + dm.start(), ln.start + dm.end()), round(conf, 2), pd.partial,
                    year=pd.year, month=pd.month, day=pd.day,
                )  # fmt: skip
            left = max([0, *(e for s, e in spans if e <= dm.start())])
            out["place"] = _field(text, ln.start + left, ln.start + dm.start(), conf - 0.1 * (left > 0))
            spans.append((left, len(ln.text)))
    # Issuer: what is left of the lines above the number (or date) once motto and number are cut out.
    stop = number_i if number_i is not None else date_i if date_i is not None else end
    parts = []
    for i in range(stop):
        ln, spans = lines[i], sorted(cut[i])
        pieces, pos = [], 0
        for s, e in [*spans, (len(ln.text), len(ln.text))]:
            pieces.append((pos, s))
            pos = max(pos, e)
        s, e = max(pieces, key=lambda p: p[1] - p[0])
        conf = (0.9 if not spans else 0.8) - 0.3 * (upper_ratio(ln.text[s:e]) < 0.8)
        f = _field(text, ln.start + s, ln.start + e, conf)
        if f and sum(c.isalpha() for c in f.value) >= 3:
            parts.append(f)
    groups: list[list[Field]] = []
    for f in parts:  # "ỦY BAN NHÂN DÂN" / "TỈNH KIÊN GIANG" is one body printed on two lines
        if groups and (_PLACE_LINE.match(fold(f.value)) or groups[-1][-1].value.endswith((" VÀ", "-"))):
            groups[-1].append(f)
        else:
            groups.append([f])
    out["parent_body"] = _join(groups[0], 0.9) if len(groups) > 1 else None
    out["issuing_body"] = _join([f for g in groups[1:] or groups for f in g], 0.9)
    return out


# An issuer line naming only the unit ("TỈNH X", "HUYỆN Y") continues the line above; "HUYỆN ỦY" does not.
_PLACE_LINE = re.compile(r"^(?:tinh|huyen|xa|thanh\s*pho|thi\s*xa|quan|phuong|thi\s*tran)\b(?!\s*uy\b)")


# --- subject and body --------------------------------------------------------------------------------

_BODY_CUE = re.compile(
    r"^(?:can\s*cu|ngay\s*\d|thuc\s*hien|kinh\s*gui|xet\s*de\s*nghi|theo\s*de\s*nghi|dieu\s*\d|"
    r"(?:phan|chuong|muc)\s+[ivx\d]|[ivx]+\.|\d+\.)"
)
_JUNK = re.compile(r"^[\W_]*$")


def _subject(text: str, lines: list[_Line], i: int) -> tuple[Field | None, int]:
    """Trích yếu: the line(s) under the type, up to the first body paragraph; returns (field, next i)."""
    parts: list[Field] = []
    while i < len(lines) and len(parts) < 4:
        ln = lines[i]
        if _JUNK.match(ln.text):
            i += 1
            if parts:
                break
            continue
        if _BODY_CUE.match(ln.folded) or upper_ratio(ln.text) > 0.8 or len(ln.text) > 300:
            break
        if parts:
            prev = parts[-1].value
            lower = ln.text[:1].islower()
            opened = prev.endswith((",", "-", "–", "và")) or (
                not prev.endswith((".", ":", ";"))
                and len(ln.text) < 100
                and not ln.text.endswith((".", ":", ";"))
            )
            if not (lower or opened):
                break
        f = _field(text, ln.start, ln.end, 0.9 if not parts else 0.85, trim=False)
        if f:
            parts.append(f)
        i += 1
    return _join(parts, 0.9), i


_NOI_NHAN = re.compile(r"^[^a-z]{0,2}n[o0]i\s*nh[a-z]{1,2}n\s*[:;.]?")
_AUTHORITY = re.compile(r"^(?:t\s*/\s*[ml]|k\s*/\s*t|t\.?\s?[ml]|k\.?\s?t|t\.?u\.?q|q\.)\s*\.?\s+(?=\S)")
_STAMP = re.compile(r"^(?:nguoi\s*ky|ky\s*boi|email|co\s*quan|thoi\s*gian\s*ky)\s*:")
_FOOTNOTE = re.compile(r"^[⁽¹²³⁴⁵⁶⁷⁸⁹⁰]")
_PAGE_NO = re.compile(r"^[-–\s]*\d{1,3}[-–\s]*$")


def _is_authority(folded: str, written: str) -> bool:
    return bool(_AUTHORITY.match(folded)) and upper_ratio(written) >= 0.8


def _body(text: str, lines: list[_Line]) -> Field | None:
    keep = [ln for ln in lines if not _PAGE_NO.match(ln.text) and not _JUNK.match(ln.text)]
    while keep and _FOOTNOTE.match(keep[-1].text):
        keep.pop()
    if not keep:
        return None
    return Field("\n".join(ln.text for ln in keep), (keep[0].start, keep[-1].end), 0.9)


# --- bottom block: recipients, signing authority, title, name -----------------------------------------


def _split_tail(text: str, start: int, end: int) -> tuple[int, tuple[int, int] | None]:
    """In an interleaved row (``- TT.UBND huyện; CHÁNH VĂN PHÒNG``) find where the right column starts.

    Returns (end of left part, right span or None). Split only after ``;``/``,``/``.`` and only if the
    rest is an authority line, an upper-case line without separators, or (after ``;``/``.``) a name.
    """
    seg = text[start:end]
    cands = [m for m in re.finditer(r"[;,.]\s+", seg)]
    best = None
    for m in cands:
        rest = seg[m.end() :]
        frest = fold(rest)
        if _is_authority(frest, rest):
            return start + m.start() + 1, (start + m.end(), end)
        shaped = upper_ratio(rest) == 1.0 and sum(c.isalpha() for c in rest) >= 2
        named = m.group()[0] in ";." and clean_name(rest) is not None and clean_name(rest)[0] == rest.strip()
        if best is None and (shaped or named) and not rest.rstrip().endswith((";", ",", ".")):
            best = (start + m.start() + 1, (start + m.end(), end))
    return best if best else (end, None)


def _bottom(text: str, lines: list[_Line]) -> dict[str, object]:
    recips: list[list[Field]] = []
    right: list[_Line] = []
    interleaved = closed = False

    def add_right(s: int, e: int) -> None:
        right.append(_Line(s, e, text[s:e], fold(text[s:e])))

    for ln in lines:
        s, e = ln.start, ln.end
        lab = _NOI_NHAN.match(ln.folded)
        if lab:
            s += lab.end()
            while s < e and text[s].isspace():
                s += 1
            if s >= e:
                continue
        seg = text[s:e]
        bullet = seg[:1] in "-–•+"
        ends = seg.rstrip().endswith((";", ",", "."))
        cont = not bullet and recips and upper_ratio(seg) < 0.8 and not closed and (seg[:1].islower() or ends)
        if bullet or cont or (lab and upper_ratio(seg) < 0.8):
            left_end, tail = _split_tail(text, s, e)
            f = _field(text, s, left_end, 0.9)
            if f and cont:
                recips[-1].append(f)
            elif f:
                recips.append([f])
            closed = text[s:left_end].rstrip().endswith((";", ",", "."))
            if tail:
                interleaved = True
                add_right(*tail)
        else:
            interleaved = interleaved or bool(lab)
            add_right(s, e)
    recipients = []
    for parts in recips:
        f = _join(parts, 0.8 if interleaved else 0.9)
        if f:
            end = f.span[1]
            while end > f.span[0] and text[end - 1] in ";,. ":
                end -= 1
            recipients.append(Field(f.value.rstrip(";,. "), (f.span[0], end), f.confidence))
    return {"recipients": tuple(recipients), **_signature(text, right, 0.85 if interleaved else 0.95)}


def _signature(text: str, right: list[_Line], conf: float) -> dict[str, Field | None]:
    """Right column lines → authority (TM./KT./TL.… lines), title (next upper line), name (after it)."""
    upper = [
        i
        for i, ln in enumerate(right)
        if upper_ratio(ln.text) >= 0.8 and sum(c.isalpha() for c in ln.text) >= 2
    ]
    markers = [i for i in upper if _is_authority(right[i].folded, right[i].text)]
    after = [i for i in upper if i > (markers[-1] if markers else -1)]
    known = [i for i in after if re.sub(r"\W+", " ", right[i].folded).strip() in TITLES]
    title_i = known[0] if known else after[0] if after else None
    stop = title_i if title_i is not None else (markers[-1] + 1 if markers else 0)
    auth = [
        _field(text, right[i].start, right[i].end, conf) for i in upper if markers and markers[0] <= i < stop
    ]
    out: dict[str, Field | None] = {"authority": _join([a for a in auth if a], conf), "signer_title": None}
    if title_i is not None:
        out["signer_title"] = _field(text, right[title_i].start, right[title_i].end, conf - 0.1 * (not known))
    name = None
    noise = False
    for ln in right[stop + (title_i is not None) :]:
        got = clean_name(ln.text)
        if got and upper_ratio(got[0]) < 0.8:
            value, s, e, repaired = got
            c = conf - 0.1 * noise - 0.25 * repaired - 0.15 * (len(value) < len(ln.text.strip()))
            name = Field(value, (ln.start + s, ln.start + e), round(c, 2))
        else:
            noise = True
    out["signer_name"] = name
    return out


def extract_fields(text: str) -> NoticeFields:
    """All notice fields found in ``text``; a field the text does not show is None (or ``()``)."""
    lines = _lines(text)
    type_i = next((i for i, ln in enumerate(lines[:60]) if _doc_type(ln)), None)
    head_end = type_i
    if head_end is None:  # no type line: the header ends with the date (or number) line
        date_j = next((j for j, ln in enumerate(lines[:15]) if DATE.search(ln.folded)), -1)
        num_j = next((j for j, ln in enumerate(lines[:15]) if _number_at(ln)), -1)
        head_end = max(date_j, num_j) + 1
    head = _header(text, lines, head_end)
    doc_type = _doc_type(lines[type_i]) if type_i is not None else None
    if type_i is not None:
        subject, i = _subject(text, lines, type_i + 1)
    else:  # công văn: no type line, trích yếu "V/v …" under the number
        vv = next(
            (j for j, ln in enumerate(lines[: head_end + 2]) if re.match(r"^v\s*/\s*v\b", ln.folded)), None
        )
        subject, i = _subject(text, lines, vv) if vv is not None else (None, head_end)
        i = max(i, head_end)
        if vv is not None:
            doc_type = Field("CÔNG VĂN", (lines[vv].start, lines[vv].start + 3), 0.5)
    bottom_i = next(
        (j for j in range(i, len(lines)) if _NOI_NHAN.match(lines[j].folded) or _is_authority(lines[j].folded, lines[j].text)),
        len(lines),
    )  # fmt: skip
    stamp_i = next((j for j in range(bottom_i, len(lines)) if _STAMP.match(lines[j].folded)), len(lines))
    bottom = _bottom(text, lines[bottom_i:stamp_i])
    if bottom["signer_name"] is None and stamp_i < len(lines):
        m = re.match(r"^nguoi\s*ky\s*:\s*", lines[stamp_i].folded)
        got = clean_name(lines[stamp_i].text[m.end() :]) if m else None
        if got and got[0] == lines[stamp_i].text[m.end() :].strip():
            s = lines[stamp_i].start + m.end() + got[1]
            bottom["signer_name"] = Field(got[0], (s, s + got[2] - got[1]), 0.5)
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
