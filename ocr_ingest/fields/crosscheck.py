"""Facts a notice prints twice, each reading set right by the other (pure functions).

The header names the issuer's locality in the issuer (``ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG``) and again as
the place before the date; the number carries the year of issue (``4/2025/QĐ-UBND``) and so does the
date. OCR slips on one of the two more often than on both.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .parse import Field, fold

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
    a number is counted within the year it is issued in (Nghị định 30, Điều 15)."""
    if date is None or date.year is not None:
        return date
    if number is None or not number.year or date.month is None:
        return None
    y = int(number.year)
    iso = f"{y:04d}-{date.month:02d}" + (f"-{date.day:02d}" if date.day else "")
    return replace(
        date, value=iso, year=y, partial=date.day is None, confidence=round(date.confidence - 0.2, 2)
    )
