"""The visible signature stamp: parse it from text, tolerant of OCR noise in the labels.

Formats seen on Vietnamese notices: VGCA's ``Người ký / Email / Cơ quan / Thời gian ký``; the shorter
``Ký bởi / Giờ ký`` or ``Ký bởi / Ngày ký`` (an organisation's certificate signs: the value is a body's
name); and a certified copy, ``SAO Y; <body>; Thời gian ký: <ISO time>`` (the body that made the copy
signs it). Labels are matched on a diacritic-free, lower-cased copy of the text that keeps character
positions (one base letter per character), so ``Ngưòi ký``, ``Thòi gian ky``, ``Co quan`` and a printed
stamp scanned back (``NÑN gười ký``, ``Em ail``, ``Thời gian k ý``) are found while the values are cut
from the original text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# Label patterns on the folded text (no diacritics, lower case, đ -> d): (field, stamp format or "",
# pattern). OCR's 0/1/l confusions and a space inside a word (``Em ail``, ``k ý``) are allowed; a scan may
# also put up to three stray letters before ``Người ký`` (``NÑN gười ký``).
_LABELS: tuple[tuple[str, str, str], ...] = (
    ("signer", "vgca", r"[a-z]{0,3}n\s?g\s?[uo0]{1,2}\s?[i1l]\s*k\s?[yi]"),
    ("signer", "ky_boi", r"k\s?[yi]\s*b\s?[o0]\s?[i1l]"),
    ("signer", "sao_y", r"sa[o0]\s?y(?:\s*ban\s*ch[i1l]nh)?(?![a-z0-9])"),
    ("email", "", r"e\s?-?\s?m\s?a\s?[i1l]\s?[l1]"),
    ("organisation", "", r"c\s?[o0]\s*q\s?u\s?[a@]\s?n"),
    ("time", "", r"th\s?[o0]\s?[i1l]\s*g\s?[i1l]\s?[a@]\s?n\s*k\s?[yi]"),
    ("time", "", r"g\s?[i1l]\s?[o0]\s*k\s?[yi]"),
    ("time", "", r"ng\s?[a@]\s?y\s*k\s?[yi]\s*[:;]"),  # "ngày ký" only as a label, never in a sentence
)
_LABEL_RE = re.compile(
    "|".join(f"(?P<l{i}>(?<![a-z0-9]){pat})" for i, (_, _, pat) in enumerate(_LABELS)) + r"\s*[:;.]?"
)
_ISO_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(?:([+-])(\d{2}):?(\d{2})|(Z))?"
)
_TIME_RE = re.compile(
    r"(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})\D{1,3}?(\d{1,2})\s*[:.h]\s*(\d{2})(?:\s*[:.]\s*(\d{2}))?"
    r"(?!\s*[:.]\s*\d)"  # seconds cut at the margin ("09:12:0"): no time rather than a wrong one
    r"\s*(?:(?:UTC|GMT)?\s*([+-])\s*(\d{1,2}):?(\d{2})|(Z|UTC|GMT))?"
)


@dataclass(frozen=True)
class Stamp:
    """What the stamp says; ``time`` carries the printed offset (Vietnam time when none is printed)."""

    signer: str | None
    email: str | None
    organisation: str | None
    time_text: str | None
    time: dt.datetime | None
    format: str  # "vgca" (Người ký / Thời gian ký), "ky_boi" (Ký bởi / Giờ ký) or "sao_y" (a copy)
    zone_printed: bool = False
    in_widget: bool = False  # read from a signature's appearance (all its text is the stamp)
    #: (field, value with its wrapped lines joined): in a widget, lines up to the next label that the
    #: signing tool wrapped at the widget's edge (``Ký bởi: ỦY BAN NHÂN`` / ``DÂN TỈNH LÂM ĐỒNG``)
    continued: tuple[tuple[str, str], ...] = ()

    def continued_value(self, field: str) -> str | None:
        return dict(self.continued).get(field)

    @property
    def copy(self) -> bool:
        """A certified copy (*sao y*): ``signer`` is the body that made the copy, not the author."""
        return self.format == "sao_y"

    def to_json(self) -> dict[str, object]:
        return {
            "signer": self.signer,
            "email": self.email,
            "organisation": self.organisation,
            "time": self.time.isoformat() if self.time else self.time_text,
            "format": self.format,
            "copy": self.copy,
        }


def fold(text: str) -> str:
    """Lower-case, diacritic-free copy of ``text`` with the same length (one character per character)."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0] if ch.isalpha() else ch
        low = base.lower()
        out.append(low if len(low) == 1 else base)
    return "".join(out)


def parse_time(text: str, zone_hours: int = 7) -> tuple[dt.datetime | None, bool]:
    """``dd.mm.yyyy HH:MM:SS +07:00``, ``dd/mm/yyyy HH:MM:SS``, ``dd-mm-yyyy …`` or ISO 8601
    (``2025-05-30T10:26:30+07:00``) -> aware datetime, and whether a zone was printed."""
    text = text.replace("O", "0").replace("o", "0")
    if iso := _ISO_RE.search(text):
        y, mo, d, h, mi, s, sign, oh, om, utc = iso.groups()
    elif m := _TIME_RE.search(text):
        d, mo, y, h, mi, s, sign, oh, om, utc = m.groups()
    else:
        return None, False
    if utc:
        tz, printed = dt.UTC, True
    elif sign:
        off = dt.timedelta(hours=int(oh), minutes=int(om))
        tz, printed = dt.timezone(off if sign == "+" else -off), True
    else:
        tz, printed = dt.timezone(dt.timedelta(hours=zone_hours)), False
    try:
        return dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), tzinfo=tz), printed
    except ValueError:
        return None, False


def _lines(raw: str) -> list[str]:
    lines = [ln.strip(" \t:;|") for ln in raw.replace("\r", "\n").split("\n")]
    return [ln for ln in lines if ln]


def _continued(raw: str, field: str) -> str | None:
    """The value after a label with every line up to the next label joined (None when it has one line):
    how a value wrapped at a widget's edge reads. An e-mail address is joined without a space."""
    lines = _lines(raw)
    if len(lines) < 2:
        return None
    return "".join(lines) if field == "email" else " ".join(" ".join(lines).split())


def _value(raw: str, field: str) -> str | None:
    """The value after a label: its first non-empty line, plus the next one when the first ends in ',' or '-'."""
    lines = _lines(raw)
    if not lines:
        return None
    value = lines[0]
    if field in ("signer", "organisation") and value.endswith((",", "-")) and len(lines) > 1:
        value = f"{value} {lines[1]}"
    value = re.sub(r"\s+", " ", value).strip()
    if field == "email":
        m = re.search(r"[\w.+-]+\s?@\s?[\w-]+(?:\s?\.\s?[\w-]+)+", value)
        value = re.sub(r"\s", "", m.group(0)).lower() if m else value
    return value or None


def parse_stamps(text: str, zone_hours: int = 7, *, widget: bool = False) -> list[Stamp]:
    """Every stamp in ``text`` (a page or appearance may hold several), in reading order.

    ``widget``: ``text`` is one signature appearance, where every line belongs to the stamp, so a value's
    unlabelled next lines are its continuation (kept in :attr:`Stamp.continued`; a time cut over two lines
    is read from them). In page or OCR text the next line may be the document's, and is left alone.
    """
    text = unicodedata.normalize("NFC", text or "")
    folded = fold(text)
    hits = [(m, _LABELS[int(m.lastgroup[1:])]) for m in _LABEL_RE.finditer(folded) if m.lastgroup]
    stamps: list[Stamp] = []
    fields: dict[str, str | None] = {}
    continued: dict[str, str] = {}
    fmt = "vgca"

    def flush() -> None:
        if fields.get("signer") and len([v for v in fields.values() if v]) >= 2:
            time_text = fields.get("time")
            when, printed = parse_time(time_text or "", zone_hours)
            if when is None and "time" in continued:
                when, printed = parse_time(continued["time"], zone_hours)
                time_text = continued["time"] if when else time_text
            stamps.append(
                Stamp(
                    fields.get("signer"),
                    fields.get("email"),
                    fields.get("organisation"),
                    time_text,
                    when,
                    fmt,
                    printed,
                    widget,
                    tuple(continued.items()),
                )
            )
        fields.clear()
        continued.clear()

    for i, (m, (field, label_format, _)) in enumerate(hits):
        end = hits[i + 1][0].start() if i + 1 < len(hits) else len(text)
        if field in fields or (field == "signer" and fields):
            flush()
        if field == "signer":
            fmt = label_format
        fields[field] = _value(text[m.end() : end], field)
        joined = _continued(text[m.end() : end], field) if widget else None
        if joined:
            continued[field] = joined
    flush()
    return stamps


def parse_stamp(text: str, zone_hours: int = 7) -> Stamp | None:
    """The first stamp in ``text``, or None when there is none (a signer label and one more field needed)."""
    found = parse_stamps(text, zone_hours)
    return found[0] if found else None
