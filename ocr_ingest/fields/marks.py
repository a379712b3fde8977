"""What was stamped or written on a page after it was typed: kept out of the fields.

Real first pages carry an e-signature banner (``Ký bởi: … / Ngày ký: …``, ``Người ký / Email / Cơ quan /
Thời gian ký``), the receiving office's stamp (``ĐẾN``, ``Số: 1532``, ``Ngày: 12/3/2025``, ``Chuyển:``)
and handwritten notes. They sit around the header, and OCR puts their lines among the issuer's, so the
header reads its lines through these tests. Tested on folded text (see :func:`.parse.fold`): OCR drops
and swaps marks on stamps even more than on type.
"""

from __future__ import annotations

import re

from .parse import Field, Line, clean_name, upper_ratio

#: A label of a visible e-signature stamp or banner, as the signing tools in use print them.
SIGN_LABEL = re.compile(
    r"^[^a-z0-9]{0,2}(?:n\w{0,2}\s*g\s*u\s*o\s*i\s*k\s*y|ky\s*boi|e\s*-?\s*m\s*a\s*i\s*l|co\s*quan"
    r"|thoi\s*gian\s*k\s*y|ngay\s*ky|gio\s*ky|sao\s*y\b)\s*[:;.]"
)
# The stamp's big word: "ĐẾN", "CÔNG VĂN ĐẾN", read with OCR's slips ("ĐEN...", "DEN:").
_RECEIVED_WORD = re.compile(r"^(?:congvan|vanban)?den")
# The stamp's filled-in lines: "Số: 1532" (no symbol), "Ngày: 12/3/2025", "Chuyển: …", "Lưu hồ sơ số".
_RECEIVED_FIELD = re.compile(
    r"^(?:so\s*(?:den)?\s*[:.]?\s*[\d.…_ ]*$|ngay\s*[:.]\s*[\d.…_/ ]|chuyen\b|luu\s*ho\s*so)"
)


def is_received_word(line: Line) -> bool:
    """The line holding a received stamp's ``ĐẾN`` (alone, or with the stamp's own number or day after
    it); OCR splits the big letters (``ĐE N Ngày:``), so it is judged on the letters alone."""
    letters = re.sub(r"[^a-z]", "", line.folded)
    m = _RECEIVED_WORD.match(letters)
    return bool(m) and letters[m.end() :] in ("", "so", "ngay", "soden")


def is_received_field(line: Line) -> bool:
    """A received stamp's filled-in line (``Số: 1532``, ``Ngày: …``, ``Chuyển: …``, ``Lưu hồ sơ số``)."""
    return bool(_RECEIVED_FIELD.match(line.folded))


def is_page_mark(line: Line) -> bool:
    """A line of a signature banner or of a received stamp (not its ``ĐẾN`` word: see above)."""
    return bool(SIGN_LABEL.match(line.folded)) or is_received_field(line)


# A label of the visible e-signature stamp later on a line: the text layer puts the stamp's lines beside
# the signer's name ("Trần Duy Đông Cơ quan: Tỉnh Phú Thọ", "Nguyễn Mạnh Sơn Ký bởi: …").
INNER_SIGN = re.compile(r"\s(?:ky\s*boi|co\s*quan|ngay\s*ky|thoi\s*gian\s*ky|nguoi\s*ky|e-?mail)\s*:")


def before_label(ln: Line) -> Line:
    """The line without a stamp's label and what follows it, when what precedes is a name or a role."""
    m = INNER_SIGN.search(ln.folded)
    if not m:
        return ln
    head = ln.text[: m.start()].rstrip()
    got = clean_name(head)
    if (got and got[0] == head.strip()) or upper_ratio(head) >= 0.8:
        return Line(ln.start, ln.start + len(head), head, ln.folded[: len(head)])
    return ln


def name_beside_stamp(lines: list[Line]) -> Field | None:
    """The signer's name printed among the e-signature stamp's lines (after its ``Ký bởi:``): the first
    line that is a name and nothing else once the stamp's label is cut off."""
    for ln in lines:
        if SIGN_LABEL.match(ln.folded):
            continue
        head = before_label(ln)
        got = clean_name(head.text)
        if got and got[0] == head.text.strip() and upper_ratio(got[0]) < 0.8:
            return Field(got[0], (head.start + got[1], head.start + got[2]), 0.6)
    return None
