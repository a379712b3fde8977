"""Bottom block of a notice: nơi nhận (left column), thẩm quyền ký, chức vụ, họ tên (right column).

Split from :mod:`ocr_ingest.fields.notice`. Either reading order: column after column, or rows interleaved
(``Nơi nhận: TL. CHỦ TỊCH``, ``- TT.UBND huyện; CHÁNH VĂN PHÒNG``). Pure functions.
"""

from __future__ import annotations

import re

from .parse import (
    BODY_NAMES,
    TITLE_NAMES,
    Field,
    Line,
    canonical_role,
    clean_name,
    fold,
    join_fields,
    letters_key,
    make_field,
    page_of,
    upper_ratio,
)
from .vocab import tone_placement_only

# "Nơi nhận:"; its "Nơi" may be lost under a seal or a stamp's edge, then the colon tells the label;
# or its "nhận:" (real qd_0062: ``Nơi`` alone over the list), then "Nơi" alone on its line does.
NOI_NHAN = re.compile(
    r"^[^a-z]{0,2}(?:n[o0]i\s*nh[a-z]{1,2}n\s*[:;.]?|nh[a-z]{1,2}n\s*[:;]|n[o0]i\s*[:;.]?\s*$)"
)
# Thẩm quyền ký: TM. (on behalf of a body), KT. (deputy signing for), TL. / TUQ. (by order, delegated).
# "Q. GIÁM ĐỐC" (acting director) is not one: "Q." belongs to the signer's title (chức vụ).
_AUTHORITY = re.compile(
    r"^[_~'\"„.]{0,2}(?:t\s*/\s*[ml]|k\s*/\s*t|t\.?\s?[ml]|k\.?\s?t|t\.?u\.?q)(?:\s*[.,:]\s*|\s+)(?=\S)"
)


def is_authority(folded: str, written: str) -> bool:
    return bool(_AUTHORITY.match(folded)) and upper_ratio(written) >= 0.8


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
        if is_authority(frest, rest) and not rest.rstrip().endswith((";", ",")):
            # ("- Phòng: TH, KT, TCĐT;": the rest of a list of units, one of them the KT office)
            return start + m.start() + 1, (start + m.end(), end)
        shaped = upper_ratio(rest) == 1.0 and sum(c.isalpha() for c in rest) >= 2
        named = m.group()[0] in ";." and clean_name(rest) is not None and clean_name(rest)[0] == rest.strip()
        if best is None and (shaped or named) and not rest.rstrip().endswith((";", ",", ".")):
            best = (start + m.start() + 1, (start + m.end(), end))
    return best if best else (end, None)


def bottom_block(text: str, lines: list[Line]) -> dict[str, object]:
    recips: list[list[Field]] = []
    right: list[Line] = []
    interleaved = closed = False

    def add_right(s: int, e: int) -> None:
        right.append(Line(s, e, text[s:e], fold(text[s:e])))

    for ln in lines:
        s, e = ln.start, ln.end
        lab = NOI_NHAN.match(ln.folded)
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
        # An item whose dash OCR lost still ends in ";" (or is the archive's "Lưu: VT.")
        dashless = (
            not (bullet or cont)
            and (closed or not recips)
            and upper_ratio(seg) < 0.8
            and (seg.rstrip().endswith(";") or (ends and fold(seg).startswith("luu")))
        )
        if bullet or cont or dashless or (lab and upper_ratio(seg) < 0.8):
            left_end, tail = _split_tail(text, s, e)
            f = make_field(text, s, left_end, 0.9)
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
        f = join_fields(parts, 0.8 if interleaved else 0.9)
        if f:
            end = f.span[1]
            while end > f.span[0] and text[end - 1] in ";,. ":
                end -= 1
            recipients.append(Field(f.value.rstrip(";,. "), (f.span[0], end), f.confidence))
    return {"recipients": tuple(recipients), **_signature(text, right, 0.85 if interleaved else 0.95)}


def _role(text: str, line: Line, conf: float) -> Field | None:
    """A signing line or title: the decree's spelling when it names a known role (the span is the line
    as read), else the line as written."""
    f = make_field(text, line.start, line.end, conf)
    if f is None:
        return None
    name = canonical_role(f.value)
    if name is None:  # "TM. HỘI ĐỒNG NHÂN DÂN Nhập:": the other column's words read on the same line
        words = list(re.finditer(r"\S+", f.value))
        while words and upper_ratio(words[-1].group()) < 0.8:
            words.pop()
        head = f.value[: words[-1].end()] if words else ""
        if head != f.value and canonical_role(head):
            f = Field(head, (f.span[0], f.span[0] + len(head)), f.confidence)
            name = canonical_role(head)
    if name is None or name == f.value or tone_placement_only(name, f.value):
        return f  # "UỶ BAN" is as right as "ỦY BAN": the page's spelling is kept
    return Field(name, f.span, round(conf - 0.1, 2))


def _deputy_of(deputy: Line, head: Line) -> bool:
    """A deputy (PHÓ …) signs for the head as "KT. <head's title>" (Nghị định 30, Điều 12)."""
    d, h = canonical_role(deputy.text), canonical_role(head.text)
    return bool(d and h) and d == f"PHÓ {h}"


def _split_role_lines(text: str, right: list[Line]) -> list[Line]:
    """An authority line with the title joined to it (``TM. ỦY BAN NHÂN DÂN CHỦ TỊCH``: a text layer
    that put both on one line) as its two lines, where both halves name known roles."""
    out: list[Line] = []
    for ln in right:
        words = list(re.finditer(r"\S+", ln.text))
        split = None
        if is_authority(ln.folded, ln.text) and canonical_role(ln.text) is None:
            for w in words[2:]:
                head, tail = ln.text[: w.start()].rstrip(), ln.text[w.start() :]
                if canonical_role(head) and canonical_role(tail) and not is_authority(fold(tail), tail):
                    split = w.start()
                    break
        if split is None:
            out.append(ln)
            continue
        head_end = len(ln.text[:split].rstrip())
        out.append(Line(ln.start, ln.start + head_end, ln.text[:head_end], ln.folded[:head_end]))
        out.append(Line(ln.start + split, ln.end, ln.text[split:], ln.folded[split:]))
    return out


def _signature(text: str, right: list[Line], conf: float) -> dict[str, Field | None]:
    """Right column lines → authority (TM./KT./TL.… lines), title (next upper line), name (after it)."""
    right = _split_role_lines(text, right)
    upper = [
        i
        for i, ln in enumerate(right)
        if upper_ratio(ln.text) >= 0.8
        and sum(c.isalpha() for c in ln.text) >= 2
        and not _FILING.search(ln.text)
    ]
    markers = [i for i in upper if is_authority(right[i].folded, right[i].text)]
    cut_kt, cut_head = (None if markers else _cut_kt(right, upper)) or (None, None)
    if cut_kt is not None:
        markers = [cut_kt]
    after = [i for i in upper if i > (markers[-1] if markers else -1)]
    known = [i for i in after if canonical_role(right[i].text)]
    title_i = known[0] if known else after[0] if after else None
    lost_kt = bool(markers) and len(known) >= 2 and known[1] == known[0] + 1
    lost_kt = lost_kt and _deputy_of(right[known[1]], right[known[0]])
    if lost_kt:  # "CHỦ TỊCH" over "PHÓ CHỦ TỊCH": OCR lost the first line's "KT.", which the rule gives
        title_i = known[1]
    stop = title_i if title_i is not None else (markers[-1] + 1 if markers else 0)
    auth = [_role(text, right[i], conf) for i in upper if markers and markers[0] <= i < stop]
    if lost_kt and auth and auth[-1] is not None:
        auth[-1] = Field(f"KT. {auth[-1].value}", auth[-1].span, round(conf - 0.2, 2))
    if cut_kt is not None:
        auth = [Field(f"KT. {cut_head}", (right[cut_kt].start, right[cut_kt].end), round(conf - 0.2, 2))]
    out: dict[str, Field | None] = {
        "authority": join_fields([a for a in auth if a], conf),
        "signer_title": None,
    }
    if title_i is not None:
        out["signer_title"] = _role(text, right[title_i], conf - 0.1 * (not known))
    name = None
    noise = False
    anchor = title_i if title_i is not None else markers[-1] if markers else None
    page = page_of(text) if anchor is not None else None
    for ln in right[stop + (title_i is not None) :]:
        if page is not None and page(ln.start) != page(right[anchor].start):
            break  # the name is printed on the title's page: what follows is an annex's or a table's
        if _running_text(ln.text):
            if name is not None:
                break  # a footnote or the text after the block (a consolidated text's notes): it ended
            noise = True
            continue
        got = clean_name(ln.text)
        if got and upper_ratio(got[0]) < 0.8:
            value, s, e, repaired = got
            c = conf - 0.1 * noise - 0.25 * repaired - 0.15 * (len(value) < len(ln.text.strip()))
            name = Field(value, (ln.start + s, ln.start + e), round(c, 2))
        else:
            noise = True
    out["signer_name"] = name
    title = out["signer_title"]
    if (
        out["authority"]
        and title
        and _deputy_title(out["authority"])
        and _kt_head(out["authority"]) == title.value
    ):
        title = None  # "KT. THỦ TƯỚNG" over "THỦ TƯỚNG": the deputy's PHÓ was lost, not the rule broken
    if out["authority"] and title is not None and canonical_role(title.value) is None:
        rule = _deputy_title(out["authority"]) or _head_title(out["authority"])
        last = letters_key(title.value.split()[-1]) if title.value.split() else ""
        if rule and (rule.value.endswith(" " + title.value.strip()) or (
            len(last) >= 3 and last == letters_key(rule.value.split()[-1]) and not _role_letters(title.value)
        )):  # fmt: skip
            title = None  # "TỊCH" or "o46ÑWU TỊCH" under "TM. ỦY BAN NHÂN DÂN": its first word lost under the seal
    if out["authority"] and (title is None or not _role_letters(title.value)):
        out["signer_title"] = _deputy_title(out["authority"]) or out["signer_title"]
    if out["authority"] and (out["signer_title"] is None or title is None) and name is not None:
        out["signer_title"] = _head_title(out["authority"]) or out["signer_title"]
    return out


#: Figures in brackets (``KTTH (2).``, ``NC (2b)``): the archive item's tail, the copies filed, which a
#: signing line never carries.
_FILING = re.compile(r"\(\s*\d")


def _running_text(line: str) -> bool:
    """A line of running text (a sentence: :data:`RUNNING_WORDS` words in lower case at least), which a
    signing block's name line never is, seal junk and all (``Bộ Y`` of *… của Bộ trưởng Bộ Y tế sửa đổi
    Thông tư …*)."""
    return sum(w.isalpha() and w.islower() and len(w) >= 2 for w in line.split()) >= RUNNING_WORDS


#: Words in lower case that make a line running text.
RUNNING_WORDS = 4

_CUT_MARKER = re.compile(r"^\W{0,2}[KkTt]\W{1,2}\s*")


def _cut_kt(right: list[Line], upper: list[int]) -> tuple[int, str] | None:
    """A ``KT.`` read with a letter lost (``T. THỦ TƯỚNG``, ``{T. THỦ TƯỚNG``) or wholly (the seal's
    rim over it): a head's title with the deputy's title on the next line, or the head's again, or
    its last words (``TƯỚNG``: ``PHÓ THỦ`` lost under the seal). ``T.`` alone could be TM. or TL.
    too, but only a deputy signs under ``KT.`` (Nghị định 30, Điều 12), and a head's title is
    written once when the head signs: the next line tells. The rim may take the start of both lines
    (``TƯỢNG`` over ``1Ù TƯỢNG``): the one head whose title ends as the first and whose deputy's
    ends as the second (:func:`_head_by_tails`). The line's index and the head's title, or None."""
    for a, b in zip(upper, upper[1:], strict=False):
        m = _CUT_MARKER.match(right[a].text)
        head = canonical_role(right[a].text[m.end() if m else 0 :])
        if (
            head is None
            and m is None
            and b == a + 1
            and (by_tails := _head_by_tails(right[a].text, right[b].text))
        ):
            return a, by_tails
        if head is None or head not in TITLE_NAMES or b != a + 1:
            continue
        under = canonical_role(right[b].text)
        if under is not None and under in (head, deputy_title_of(head)):
            return a, head
        piece = letters_key(right[b].text)
        tails = [letters_key(t) for t in (head, deputy_title_of(head)) if t and " " in t]
        if m is None and len(piece) >= KT_PIECE and any(t.endswith(piece) for t in tails):
            return a, head
    return None


def _head_by_tails(top: str, under: str) -> str | None:
    """The one head's title whose letters end as ``top``'s and whose deputy's end as ``under``'s, or
    whose last word ``under`` ends with (junk read into it: ``4°SPHÓ:Ir TƯỚNG``), ``KT_PIECE`` letters
    at least (``TƯỢNG`` over ``1Ù TƯỢNG``: *THỦ TƯỚNG*; ``TRƯỞNG`` twice could be a minister's, a
    director's, a head teacher's: no answer)."""
    a, b = letters_key(top), letters_key(under)
    last = letters_key(under.split()[-1]) if under.split() else ""
    if len(a) < KT_PIECE or len(b) < KT_PIECE:
        return None
    heads = [
        h
        for h in TITLE_NAMES
        if (d := deputy_title_of(h))
        and letters_key(h).endswith(a)
        and (letters_key(d).endswith(b) or (len(last) >= KT_PIECE and last == letters_key(d.split()[-1])))
    ]
    return heads[0] if len(heads) == 1 else None


KT_PIECE = 4  # letters of a title's last words under it that tell a deputy's block (``TƯỚNG``, ``TỊCH``; not a speck)


#: Who signs for a state body as a whole (TM.) when no deputy does (no KT.): its head.
HEAD_OF = {"ỦY BAN NHÂN DÂN": "CHỦ TỊCH", "HỘI ĐỒNG NHÂN DÂN": "CHỦ TỊCH", "CHÍNH PHỦ": "THỦ TƯỚNG"}


def _head_title(authority: Field) -> Field | None:
    """The title under a lone ``TM. ỦY BAN NHÂN DÂN`` when OCR lost its line (a seal lies over it and
    the name below was read): the body's head signs for it (Nghị định 30, Điều 12)."""
    m = re.fullmatch(r"T/?M[.:]?\s*(.+)", authority.value)
    head = HEAD_OF.get(canonical_role(m.group(1)) or "") if m else None
    return Field(head, authority.span, round(authority.confidence - 0.3, 2)) if head else None


_TITLE_LETTERS = frozenset(letters_key(t) for t in TITLE_NAMES)


def _role_letters(text: str) -> bool:
    """``text`` names a known title or role, marks aside (``THU TRUONG``: THỨ or THỦ, left as read)."""
    return canonical_role(text) is not None or letters_key(text) in _TITLE_LETTERS


def _kt_head(authority: Field) -> str | None:
    """The head's title a "KT." authority names (of a compound one, its last office), or None."""
    m = re.search(r"\bKT\.\s*(.+)$", authority.value)
    return m.group(1).split(",")[-1].strip() if m else None


def _deputy_title(authority: Field) -> Field | None:
    """The title a "KT." block's signer has when OCR lost or garbled its line: a deputy signs for the
    head (Nghị định 30, Điều 12), as PHÓ <head's title>, a minister's deputy as THỨ TRƯỞNG; of a
    compound title (``BỘ TRƯỞNG, CHỦ NHIỆM``) the deputy of its last office."""
    deputy = deputy_title_of(_kt_head(authority))
    return Field(deputy, authority.span, round(authority.confidence - 0.3, 2)) if deputy else None


def deputy_title_of(head: str | None) -> str | None:
    """The title of the deputy who signs ``KT. <head>`` (Nghị định 30, Điều 12): PHÓ <head>, a
    minister's deputy THỨ TRƯỞNG; None when the head or that title is not a known one."""
    if head is None or head not in TITLE_NAMES:
        return None
    deputy = "THỨ TRƯỞNG" if head == "BỘ TRƯỞNG" else f"PHÓ {head}"
    return deputy if deputy in TITLE_NAMES else None


_KT_TOKEN = re.compile(r"(?:^|[^a-z])kt(?:[^a-z]|$)")


def block_by_issuer(issuer: str | None, bottom: dict[str, Field | None]) -> dict[str, Field | None]:
    """A signing block whose one line was read past the closed list's reach (``⁄⁄%9 TƯƠNG``, ``DẪN``,
    ``⁄& - KT Ỷ TƯ HU TƯỜNG``: the seal over it), told by the issuer: the block names the issuing body
    or its head (Nghị định 30, Điều 12). The line's last word is the last word of one of them:
    ``DÂN`` of ``TM. ỦY BAN NHÂN DÂN`` (the body's head signs: its title under it lost too), ``TƯỚNG``
    of ``THỦ TƯỚNG``, which a ``KT`` read in the line makes the deputy's block (``KT. THỦ TƯỚNG``,
    ``PHÓ THỦ TƯỚNG``). A deputy's title read whole (``PHÓ THỦ TƯỚNG``) is signed ``KT.`` for the
    issuer's head; the issuing body's name read as the title is its ``TM.`` line. Only where no
    authority line was read; otherwise ``bottom`` as it is."""
    title = bottom["signer_title"]
    if not issuer or title is None or bottom["authority"] is not None:
        return bottom
    body, head = _opening(issuer, BODY_NAMES), _opening(issuer, TITLE_NAMES)
    conf = round(title.confidence - 0.3, 2)
    if body is not None and body in HEAD_OF and canonical_role(title.value) == body:  # no one's title: the
        # body's name is its TM. line, its marker lost (``Ủy] BAN NHÂN DÂN`` over ``TỊCH`` and a name)
        heads = Field(HEAD_OF[body], title.span, conf) if bottom["signer_name"] is not None else None
        return {**bottom, "authority": Field(f"TM. {body}", title.span, conf), "signer_title": heads}
    role = canonical_role(title.value)
    if role is not None:  # a deputy's title with no KT. line: the line lost under the seal, or not read
        if body in HEAD_OF and deputy_title_of(HEAD_OF[body]) == role:
            return {**bottom, "authority": Field(f"TM. {body} KT. {HEAD_OF[body]}", title.span, conf)}
        if head is not None and deputy_title_of(head) == role:
            return {**bottom, "authority": Field(f"KT. {head}", title.span, conf)}
    if _role_letters(title.value):
        return bottom
    words = [letters_key(w) for w in title.value.split()]
    last = next((w for w in reversed(words) if w), "")
    if len(last) < 3:
        return bottom
    if body is not None and letters_key(body.split()[-1]) == last and body in HEAD_OF:
        heads = Field(HEAD_OF[body], title.span, conf) if bottom["signer_name"] is not None else None
        return {**bottom, "authority": Field(f"TM. {body}", title.span, conf), "signer_title": heads}
    if head is not None and letters_key(head.split()[-1]) == last:
        deputy = deputy_title_of(head)
        if _KT_TOKEN.search(fold(title.value)) and deputy is not None:
            return {
                **bottom,
                "authority": Field(f"KT. {head}", title.span, conf),
                "signer_title": Field(deputy, title.span, conf),
            }
        return {**bottom, "signer_title": Field(head, title.span, conf)}
    return bottom


def _opening(issuer: str, roles: tuple[str, ...]) -> str | None:
    """The first of ``roles`` the issuer's name opens with, read as the closed list reads a role
    (``ỦY BAN NHÂN DÂN`` of ``ỦY BAN NHÂN DÂN TỈNH …``, ``THỦ TƯỚNG`` of ``THỦ TƯỚNG CHÍNH PHỦ``)."""
    words = issuer.split()
    return next((r for r in roles if canonical_role(" ".join(words[: len(r.split())])) == r), None)
