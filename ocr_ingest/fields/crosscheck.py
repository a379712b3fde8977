"""Facts a notice prints twice, each reading set right by the other (pure functions).

The header names the issuer's locality in the issuer (``ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG``) and again as
the place before the date; the number carries the year of issue (``4/2025/QĐ-UBND``) and so does the
date. OCR slips on one of the two more often than on both. A file the issuing body signed itself
carries the day it signed (``date_from_signature``). An attachment's heading restates the number and
date of the document it is attached to (``attached_to``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .parse import DATE, Field, Line, ParsedDate, ParsedNumber, edit1, fold, parse_date, parse_number

if TYPE_CHECKING:
    from .notice import DateField, NumberField


def place_as_issuer_spells(place: Field | None, *bodies: Field | None) -> Field | None:
    """The place with the marks the issuer's name gives it (``Lâm Đông`` under ``ỦY BAN NHÂN DÂN TỈNH
    LÂM ĐỒNG``): the header names the issuer's locality twice, and the bold capitals keep their marks
    where the place's italic loses one. Only when both have the same letters."""
    if place is None:
        return None
    n = len(place.value.split())
    for body in bodies:
        if body is None:
            continue
        tail = " ".join(body.value.split()[-n:])
        if tail != place.value.upper() and fold(tail) == fold(place.value) and tail.isupper():
            return Field(tail.title(), place.span, round(place.confidence - 0.1, 2))
    return place


def year_from_number(date: DateField | None, number: NumberField | None) -> DateField | None:
    """A date whose year OCR lost (``ngày 01 tháng 7 năm``) takes the number's (``4/2025/QĐ-UBND``):
    a number is counted within the year it is issued in (Nghị định 30, Điều 15). So does a year read
    one figure off the number's (``năm 2023`` beside ``/2025/``): the date is italic, the number
    upright, and OCR slips on italic figures more."""
    if date is None or number is None or not number.year:
        return date if date is None or date.year is not None else None
    if date.year is not None:
        read, said = str(date.year), number.year
        if len(read) != len(said) or sum(a != b for a, b in zip(read, said, strict=True)) != 1:
            return date
    if date.month is None:
        return None
    y = int(number.year)
    iso = f"{y:04d}-{date.month:02d}" + (f"-{date.day:02d}" if date.day else "")
    return replace(
        date, value=iso, year=y, partial=date.day is None, confidence=round(date.confidence - 0.2, 2)
    )


#: The code each issuing body writes in its numbers' symbols (Nghị định 30, Phụ lục III; by the start of
#: the issuer's name, folded), for the bodies whose code is long enough to be told from a slip.
ISSUER_CODES = (
    ("thu tuong chinh phu", "TTg"),
    ("van phong chinh phu", "VPCP"),
    ("uy ban nhan dan", "UBND"),
    ("hoi dong nhan dan", "HĐND"),
)


def code_as_issuer_writes(number: NumberField | None, issuer: Field | None) -> NumberField | None:
    """The number with its issuer code as the issuing body writes it, where OCR read it one letter off
    (``QĐ-TIg`` under ``THỦ TƯỚNG CHÍNH PHỦ``): the header names the issuer, and the symbol again."""
    if number is None or issuer is None or not number.issuer_code:
        return number
    code = next((c for name, c in ISSUER_CODES if fold(issuer.value).startswith(name)), None)
    first, sep, rest = _head(number.issuer_code)
    if code is None or first == code or not edit1(first, code):
        return number
    issuer_code = code + sep + rest
    if not number.value.endswith(number.issuer_code):
        return number
    cut = len(number.value) - len(number.issuer_code)
    return replace(
        number,
        value=number.value[:cut] + issuer_code,
        symbol=number.symbol[: len(number.symbol) - len(number.issuer_code)] + issuer_code,
        issuer_code=issuer_code,
        confidence=round(number.confidence - 0.1, 2),
    )


def _head(code: str) -> tuple[str, str, str]:
    m = re.match(r"([^-/]*)([-/]?)(.*)", code)
    return m[1], m[2], m[3]  # type: ignore[index]


#: Vietnam's time: a signing time's day is the day there (a decision signed at 01:00 UTC+7 is that day's)
VIETNAM = dt.timezone(dt.timedelta(hours=7))
#: the confidence of a day taken from the signature: the page's own day was not read, and an office
#: signs on the day of issue most often, not always (3 of the real set's 13 were signed two days later)
SIGNED_DAY_CONF = 0.5


def date_from_signature(
    date: DateField | None, issuer: Field | None, signed: Sequence[tuple[str, str]]
) -> DateField | None:
    """A date whose day (or day and month) was written in by hand and not read, completed from the day
    the issuing body itself signed the file (``signed``: ``FileReport.signed_by()``, valid signatures
    only), when the signer is the issuer by name and the year (and the month, if read) agree. The
    date then says where its day came from (``signed_on``) and is only fairly sure: on the real set
    the issuer's signing day was the date of issue for 10 of 13 files, and two days later (a Monday
    after a Saturday's decision) for 3. A portal's signature (*Cổng TTĐT Chính phủ*, days later) is
    no issuer's and says nothing."""
    if date is None or date.day is not None or date.year is None or issuer is None or not signed:
        return date
    from verify.names import how_names_match  # here: importing verify loads pyHanko, ~0.5 s a process

    days = set()
    for signer, when in signed:
        if how_names_match(issuer.value, signer) == "no":
            continue
        try:
            day = dt.datetime.fromisoformat(when).astimezone(VIETNAM).date()
        except ValueError:
            continue
        if day.year == date.year and date.month in (None, day.month):
            days.add(day)
    if len(days) != 1:
        return date
    day = days.pop()
    return replace(
        date,
        value=day.isoformat(),
        month=day.month,
        day=day.day,
        partial=False,
        confidence=min(date.confidence, SIGNED_DAY_CONF),
        signed_on=day.isoformat(),
    )


#: An attachment's heading, on folded text: ``(Kèm theo Quyết định số 47/2025/QĐ-TTg ngày 11 tháng 12
#: năm 2025 của Thủ tướng Chính phủ)``, ``(Ban hành kèm theo …)``; the type's name between (OCR may
#: garble it), then ``số``.
ATTACHED_TO = re.compile(r"kem\s*theo\b[^()]{0,30}?\bs[o0]\s*[:.]?\s*(?=[\d/._…])")


@dataclass(frozen=True)
class Restated:
    """A number and date an attachment's heading restates: ``number``'s offsets and ``date_span`` are in
    the text given to :func:`attached_to`."""

    number: ParsedNumber
    date: ParsedDate | None
    date_span: tuple[int, int] | None


def attached_to(text: str, lines: Sequence[Line]) -> list[Restated]:
    """The number (and date, on its line or the next) of the document ``lines`` say they are attached to
    (Nghị định 30: an annex or attached regulation names the document it goes with). ``lines``: those
    after the signing block, where the attachments are."""
    out = []
    for i, ln in enumerate(lines):
        m = ATTACHED_TO.search(ln.folded)
        if not m:
            continue
        num = parse_number(ln.text, m.end())
        if num is None or num.numeral is None:
            continue
        end = lines[i + 1].end if i + 1 < len(lines) else ln.end
        rest = fold(text[ln.start + num.end : end])
        dm = DATE.search(rest)
        date = parse_date(dm) if dm and dm.start() <= DATE_GAP else None
        span = (ln.start + num.end + dm.start(), ln.start + num.end + dm.end()) if date and dm else None
        moved = replace(num, start=ln.start + num.start, end=ln.start + num.end)
        out.append(Restated(moved, date, span))
    return out


#: Characters at most between a restated number and its date (``ngày`` may have been read as a scrap).
DATE_GAP = 12
