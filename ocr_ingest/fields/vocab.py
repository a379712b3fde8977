"""Closed vocabularies of a notice's header and stamps, and how a slip of OCR is matched to them.

What a header may say is a short list: an issuer's first line opens with the name of a kind of body
(``ỦY BAN NHÂN DÂN``, ``BỘ``, ``SỞ``, ``THỦ TƯỚNG CHÍNH PHỦ``…); a received stamp or banner prints the
receiving portal's name (``CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ``). Real scans put marks before the issuer on
its row (a clerk's ``TTĐT(2)`` read as ``TTPTC x)``) and the stamp's heading among the subject's lines;
these lists let the header parser tell such text from the notice's own. Pure functions.
"""

from __future__ import annotations

import math
import re
import unicodedata

from rapidfuzz import fuzz

from ..lm import context_key, load
from ..lm.places import PROVINCES
from ..lm.places import fold as place_fold
from ..text.stamps import RECEIVED_HEADINGS
from .parse import edit1, fold, letters_key

#: The words a body's name opens with (folded), Nghị định 30 and the Party's and mass organisations'
#: rules; longest first so ``tong cuc`` wins over ``cuc``.
ISSUER_HEADS = tuple(
    sorted(
        (
            "thu tuong chinh phu", "chinh phu", "uy ban nhan dan", "ubnd", "hoi dong nhan dan", "hdnd",
            "bo", "so", "cuc", "tong cuc", "chi cuc", "van phong", "thanh tra", "cong an", "ngan hang",
            "kiem toan", "toa an", "vien kiem sat", "quoc hoi", "chu tich nuoc", "truong", "hoc vien",
            "trung tam", "phong", "ban", "tinh uy", "thanh uy", "huyen uy", "dang uy", "dang bo",
            "mat tran", "hoi", "lien doan", "doan", "tap doan", "tong cong ty", "cong ty", "dai hoc",
            "benh vien", "bo tu lenh", "bo chi huy", "quan khu", "uy ban", "hoi dong", "vien",
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip
_HEAD = re.compile(r"(?<![a-z])(?:" + "|".join(h.replace(" ", r"\s+") for h in ISSUER_HEADS) + r")(?![a-z])")

#: Body names spelt one way (Nghị định 30's and the bodies' own): a read with the same letters but other
#: marks (``NHÂN ĐÂN``, ``CHÍNH PHÙ``) is this name; old tone placement (``UỶ``, ``HOÀ``) is kept.
ISSUER_FORMS = (
    "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "THỦ TƯỚNG CHÍNH PHỦ", "VĂN PHÒNG CHÍNH PHỦ", "CHÍNH PHỦ",
    "THÀNH PHỐ", "TỈNH", "BỘ", "SỞ",
)  # fmt: skip


def snap_forms(value: str) -> str:
    """``value`` with every run of words that spells a body's name of :data:`ISSUER_FORMS` with other
    marks given that name's marks."""
    words = value.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for form in ISSUER_FORMS:
            n = len(form.split())
            read = " ".join(words[i : i + n])
            if len(words) - i >= n and fold(read) == fold(form) and read.isupper():
                out.append(read if tone_placement_only(read, form) else form)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


#: Headings of received stamps and portal banners set on a page after it was signed.
BANNERS = RECEIVED_HEADINGS
_BANNER_KEYS = tuple(re.sub(r"[^a-z]", "", fold(b)) for b in BANNERS)
BANNER_MIN_LETTERS = 10  # a shorter run ("CHÍNH PHỦ") is a name of its own
BANNER_SIMILARITY = 80.0  # rapidfuzz partial ratio, 0–100: a banner's words with two or three slips


def issuer_start(text: str) -> int:
    """Where the issuer's name starts on its first line: after marks a clerk or a stamp left before it
    on the same row (``TTĐT 6 THỦ TƯỚNG CHÍNH PHỦ``, ``77976) THỦ TƯỚNG…``). A prefix is cut only when it
    holds something no body's name has (a digit, a bracket, a lower-case letter) and a body's name
    follows; 0 otherwise."""
    folded = fold(text)
    for m in _HEAD.finditer(folded):
        if m.start() == 0:
            return 0
        prefix = text[: m.start()]
        if any(not (c.isupper() or c.isspace() or c in "-.,") for c in prefix):
            return m.start()
        return 0
    return 0


def issuer_head(text: str) -> bool:
    """``text`` opens with the name of a kind of body (:data:`ISSUER_HEADS`)."""
    m = _HEAD.match(fold(text))
    return m is not None


#: People's bodies named by the province or city they govern on the next line (``TỈNH …``).
LOCAL_BODIES = ("uy ban nhan dan", "hoi dong nhan dan")
#: The centrally-run cities: their bodies are ``… THÀNH PHỐ <name>``; every other province's ``… TỈNH``.
CITIES = frozenset(place_fold(c) for c in ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"))
_PROVINCES = frozenset(place_fold(p) for p in PROVINCES)


def lost_level(body: str, line: str) -> str | None:
    """``line`` with the word the seal or a stamp took from it given back (``LẠNG SƠN`` under ``ỦY BAN
    NHÂN DÂN`` → ``TỈNH LẠNG SƠN``): a people's committee or council is named by its province or city,
    and a line that is a province's name alone (the closed list, :data:`ocr_ingest.lm.places.PROVINCES`)
    under one lost its level; ``THÀNH PHỐ`` for the centrally-run cities. None otherwise."""
    name = place_fold(" ".join(line.split()))
    if place_fold(" ".join(body.split())) not in LOCAL_BODIES or name not in _PROVINCES:
        return None
    return f"{'THÀNH PHỐ' if name in CITIES else 'TỈNH'} {' '.join(line.split())}"


_BANNER_WORDS = frozenset(w for b in BANNERS for w in fold(b).split())


def _banner_word(token: str) -> bool:
    """A heading's word with at most one slip (``Tỷ`` for ``TỬ``), or a speck with no letters."""
    letters = letters_key(token)
    return not letters or any(edit1(letters, w) for w in _BANNER_WORDS)


def banner_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that are a stamp's or banner's heading (:data:`BANNERS`), read with slips: runs
    of words not in sentence case (capitals or junk) whose letters match a part of a heading."""
    tokens = list(re.finditer(r"\S+", text))
    out: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []

    def like(s: int, e: int) -> bool:
        """The letters of text[s:e] fit a part of a heading."""
        letters = letters_key(text[s:e])
        return any(fuzz.partial_ratio(letters, key) >= BANNER_SIMILARITY for key in _BANNER_KEYS)

    def close(i: int) -> None:
        """The run ending before token ``i``; a banner is widened over short words its letters still
        fit (``CỔNG THÔNG ĐỆN Tỷ PHỦ``: the slip ``Tỷ`` is in sentence case)."""
        if run:
            a, b = tokens.index(run[0]), i
            s, e = run[0].start(), run[-1].end()
            if len(letters_key(text[s:e])) >= BANNER_MIN_LETTERS and like(s, e):
                while b < len(tokens) and _banner_word(tokens[b].group()):
                    e, b = tokens[b].end(), b + 1
                while a > 0 and _banner_word(tokens[a - 1].group()):
                    s, a = tokens[a - 1].start(), a - 1
                out.append((s, e))
        run.clear()

    for i, t in enumerate(tokens):
        word = t.group()
        letters = [c for c in word if c.isalpha()]
        if len(letters) >= 2 and (any(c.islower() for c in letters[1:]) or letters[0].islower()):
            close(i)
        else:
            run.append(t)
    close(len(tokens))
    return out


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def tone_placement_only(a: str, b: str) -> bool:
    """``a`` and ``b`` spell the same words but put a tone mark on another vowel (``UỶ`` / ``ỦY``,
    ``HOÀ`` / ``HÒA``): both spellings are in use, and the page's is kept."""

    def key(word: str) -> tuple[str, tuple[str, ...]]:
        nfd = unicodedata.normalize("NFD", word)
        return "".join(c for c in nfd if c not in _TONES), tuple(sorted(c for c in nfd if c in _TONES))

    wa, wb = a.split(), b.split()
    return len(wa) == len(wb) and all(key(x) == key(y) for x, y in zip(wa, wb, strict=True))


#: How a trích yếu opens, most used first: the openers of the subjects cited in the Bộ Pháp điển
#: (``../shared/real/lm``: Quy định 1 686, Hướng dẫn 564, Ban hành 555, Sửa đổi 317, Về việc 133, …) and
#: the verbs Nghị định 30's forms show for decisions (Phê duyệt, Thành lập, Giao, …).
SUBJECT_OPENERS = (
    "Quy định", "Hướng dẫn", "Ban hành", "Sửa đổi, bổ sung", "Về việc", "Phê duyệt", "Bãi bỏ",
    "Công bố", "Thành lập", "Kiện toàn", "Điều chỉnh", "Phân bổ", "Đính chính", "Kết luận", "Giao",
    "Về",
)  # fmt: skip
OPENER_MIN_LETTERS = 2  # a piece of an opener's word this long or longer tells the word


def restore_opener(subject: str) -> str | None:
    """``subject`` with the opening words OCR lost given back, or None when it opens as a subject does.

    Why: a receiving office presses its stamp in the left margin at the subject's height, and on real
    scans it covers the subject's first letters or words (``định chức năng …`` for *Quy định chức năng
    …*, ``uy định``, ``hành Quy chế`` for *Ban hành Quy chế*, ``ãï bỏ`` for *Bãi bỏ*). A subject opens
    with a capital (Nghị định 30); one that opens in lower case, or with a stamp's junk before its
    first letters, is given back the opener (:data:`SUBJECT_OPENERS`) whose end it reads as: its last
    words as they are, the first of them at least from a piece of ``OPENER_MIN_LETTERS`` letters on.
    Text joined before a capital (``xìQuy định``) is cut there. A whole opener in lower case is the
    page's own: a Party notice's subject goes on from its type (``THÔNG BÁO`` / ``kết luận của …``)."""
    words = subject.split()
    if not words:
        return None
    if slipped := _opener_slip(words):
        return slipped
    first = words[0]
    cut = next((i for i in range(1, len(first) - 1) if first[i].isupper() and first[i + 1].islower()), 0)
    if cut and first[:cut].isalpha() and first[:cut].islower():
        return " ".join([first[cut:], *words[1:]])
    # an opener's word in capitals before words in lower case (``BÃI bỏ``, ``ỦY định``): bold print
    # under a stamp read as capitals; judged by its letters like a piece in lower case
    shouted = len(words) > 1 and len(first) >= 2 and first.isupper() and words[1][:1].islower()
    if not shouted and ((first[:1].isupper() and first.rstrip(",.").isalpha()) or first.startswith("V/")):
        return None
    piece = re.split(r"[\W\d_]", first.rstrip(",.;:"))[-1]  # after a stamp's junk: ``W@uy`` → ``uy``
    piece = piece.lower() if shouted else piece
    if not piece or not piece.islower():
        return None
    for opener in SUBJECT_OPENERS:
        said = opener.split()
        for k in range(1, len(said) + 1):
            head, rest = said[-k], said[len(said) - k + 1 :]
            if [_bare(w) for w in words[1:k]] != [_bare(w) for w in rest]:
                continue
            whole = _bare(piece) == _bare(head)
            if whole and k == len(said) and piece == first:
                return None  # the whole opener in lower case: the page's own (a Party notice's subject)
            if whole or (len(piece) >= OPENER_MIN_LETTERS and _bare(head).endswith(_bare(piece))):
                return " ".join([*said, *words[k:]])
            if len(piece) == 1 and fold(piece) != piece and head.lower().endswith(piece) and k == 1:
                return " ".join([*said, *words[k:]])  # one letter, but its marks tell it: ``ề Mạng``
    return _opener_small(words) if piece == first else None


def _opener_small(words: list[str]) -> str | None:
    """The subject with its opener given back when its first word reads in lower case one letter or
    mark off the opener's (``và tổ chức kỳ họp`` for *Về tổ chức kỳ họp*: the capital read small and
    its circumflex as a grave): a subject opens with a capital, and the word starts as the opener's
    does, letter for letter but one. Not where the word read goes with the next far better than the
    opener's (real qd_0135's ``vụ Quốc hội``, the end of *Ủy ban Thường vụ Quốc hội*, its start
    lost): the language model of real legal text, ``OPENER_SMALL_ODDS``."""
    if len(words) < 2:
        return None
    read = letters_key(words[0])
    for opener in SUBJECT_OPENERS:
        said = opener.split()
        if [_bare(w) for w in words[1 : len(said)]] != [_bare(w) for w in said[1:]]:
            continue
        own = letters_key(said[0])
        if not (read[:1] == own[:1] and len(read) == len(own) and edit1(read, own)):
            continue
        read_k, own_k, after = (context_key(t.strip(",.;:")) for t in (words[0], said[0], words[1]))
        if None in (read_k, own_k, after):
            return None
        model = load()
        if model.p_bi(own_k, after) >= OPENER_SMALL_ODDS * model.p_bi(read_k, after):
            return " ".join([*said, *words[len(said) :]])
        return None
    return None


OPENER_SMALL_ODDS = 0.5  # the opener's word at least this likely before the next word as the word read


#: How much likelier (natural log, summed over the two pairs) the opener's word must make its place.
SLIP_MARGIN = 3.0


def _opener_slip(words: list[str]) -> str | None:
    """The subject with its opener's second word set right when OCR slipped one letter or a mark of it
    (``Kết Tuân của`` for *Kết luận của*, ``Phê duyêt``): its first word as written, the second one
    letter off, and the language model of real legal text finding the opener's word far likelier
    between its neighbours (``Về Việt Nam`` stays: *Việt Nam* is a pair, *việc Nam* none)."""
    if len(words) < 3:
        return None
    model = load()
    found = []
    for opener in SUBJECT_OPENERS:
        said = opener.split()
        if len(said) != 2 or "," in opener or words[0] != said[0] or words[1] == said[1]:
            continue
        read = words[1].lower()
        if not (fold(read) == fold(said[1]) or edit1(letters_key(read), letters_key(said[1]))):
            continue
        keys = [context_key(t) for t in (said[0], read, said[1], words[2].strip(",.;:"))]
        if None in keys:
            continue
        first, read_k, said_k, after = keys
        gain = (
            math.log(model.p_bi(first, said_k)) + math.log(model.p_bi(said_k, after))
            - math.log(model.p_bi(first, read_k)) - math.log(model.p_bi(read_k, after))
        )  # fmt: skip
        if gain > SLIP_MARGIN:
            found.append(" ".join([*said, *words[2:]]))
    return found[0] if len(found) == 1 else None


def _bare(word: str) -> str:
    return fold(word).strip(",.;:")
