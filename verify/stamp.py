"""The visible signature stamp: parse it from text, tolerant of OCR noise in the labels.

Two formats occur on Vietnamese notices: VGCA's ``Người ký / Email / Cơ quan / Thời gian ký`` and the
shorter ``Ký bởi / Giờ ký``. Labels are matched on a diacritic-free, lower-cased copy of the text that
keeps character positions (one base letter per character), so ``Ngưòi ký``, ``Thòi gian ky`` or
``Co quan`` are found while the values are cut from the original text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# Label patterns on the folded text (no diacritics, lower case, đ -> d, OCR's 0/1/l confusions allowed).
_LABELS: tuple[tuple[str, str], ...] = (
    ("signer", r"ng[uo0]{1,2}[i1l]\s*k[yi]"),
    ("signer", r"k[yi]\s*b[o0][i1l]"),
    ("email", r"e\s?-?\s?ma[i1l][l1]"),
    ("organisation", r"c[o0]\s*qu[a@]n"),
    ("time", r"th[o0][i1l]\s*g[i1l][a@]n\s*k[yi]"),
    ("time", r"g[i1l][o0]\s*k[yi]"),
)
_LABEL_RE = re.compile(
    "|".join(f"(?P<{name}{i}>(?<![a-z0-9]){pat})" for i, (name, pat) in enumerate(_LABELS)) + r"\s*[:;.]?"
)
_TIME_RE = re.compile(
    r"(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})\D{1,3}?(\d{1,2})\s*[:.h]\s*(\d{2})(?:\s*[:.]\s*(\d{2}))?"
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
    format: str  # "vgca" (Người ký / Thời gian ký) or "ky_boi" (Ký bởi / Giờ ký)
    zone_printed: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "signer": self.signer,
            "email": self.email,
            "organisation": self.organisation,
            "time": self.time.isoformat() if self.time else self.time_text,
            "format": self.format,
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
    """``dd.mm.yyyy HH:MM:SS +07:00`` or ``dd/mm/yyyy HH:MM:SS`` -> aware datetime, and whether a zone was printed."""
    m = _TIME_RE.search(text.replace("O", "0").replace("o", "0"))
    if not m:
        return None, False
    d, mo, y, h, mi, s, sign, oh, om, utc = m.groups()
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


def _value(raw: str, field: str) -> str | None:
    """The value after a label: its first non-empty line, plus the next one when the first ends in ',' or '-'."""
    lines = [ln.strip(" \t:;|") for ln in raw.replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
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


def parse_stamps(text: str, zone_hours: int = 7) -> list[Stamp]:
    """Every stamp in ``text`` (a page or appearance may hold several), in reading order."""
    text = unicodedata.normalize("NFC", text or "")
    folded = fold(text)
    hits = [(m, next(k for k, v in m.groupdict().items() if v)) for m in _LABEL_RE.finditer(folded)]
    stamps: list[Stamp] = []
    fields: dict[str, str | None] = {}
    fmt = "vgca"

    def flush() -> None:
        if fields.get("signer") and len([v for v in fields.values() if v]) >= 2:
            when, printed = parse_time(fields.get("time") or "", zone_hours)
            stamps.append(
                Stamp(
                    fields.get("signer"),
                    fields.get("email"),
                    fields.get("organisation"),
                    fields.get("time"),
                    when,
                    fmt,
                    printed,
                )
            )
        fields.clear()

    for i, (m, group) in enumerate(hits):
        field = group.rstrip("0123456789")
        end = hits[i + 1][0].start() if i + 1 < len(hits) else len(text)
        if field in fields or (field == "signer" and fields):
            flush()
        if field == "signer":
            fmt = "ky_boi" if folded[m.start()] == "k" else "vgca"
        fields[field] = _value(text[m.end() : end], field)
    flush()
    return stamps


def parse_stamp(text: str, zone_hours: int = 7) -> Stamp | None:
    """The first stamp in ``text``, or None when there is none (a signer label and one more field needed)."""
    found = parse_stamps(text, zone_hours)
    return found[0] if found else None
