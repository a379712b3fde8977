"""The subject said twice: the heading's reading checked against the enacting sentence's.

A normative document (Luật Ban hành văn bản quy phạm pháp luật; Nghị định 78/2025 gives its form) says
its subject a second time in the sentence that enacts it, under the grounds: *Ủy ban nhân dân tỉnh Lâm
Đồng ban hành Quyết định quy định mức nộp tiền …*. There it is printed in the body's regular type, clear
of the received stamp that is pressed beside the heading, where the subject is in bold: real scans read
the second copy better (``ˆ ơ cấu`` / *cơ cấu*, a word dropped, ``Sửa đi`` / *Sửa đổi*). The drafter
may word it a little differently (*đã được* for *được*, *về Quy chế* for *Ban hành Quy chế*), so it is
never taken whole: the two readings are aligned word by word, and where they differ the page decides.

- a span of the heading that is not words (``ˆ ơ``, ``n uyên``, a stray ``í``) gives way to the
  sentence's words;
- two spans that are both words: the one the language model of real legal text prefers (by a margin;
  the engine's confidence in bold type under a stamp tells nothing here); so is a word of the heading
  the sentence does not have (read twice: ``hoạt động chế Cảng``);
- a word the heading lacks is put in only where the heading's line has room for it (the engine dropped
  it there), never between two words printed side by side, and never after the heading's last word;
- a comma after a word follows the sentence (a speck read as one, or one the bold type lost);
- where the sentence ends is told by its punctuation, so its last words are never taken.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher

from ..lm import NUMBER, context_key, key, load
from ..text.boxes import in_rows, same_row
from .layout import Box
from .parse import Field, Line
from .vocab import SUBJECT_OPENERS

#: The enacting words, on folded text: the subject follows them.
ENACTING = re.compile(
    r"\bban\s*hanh\s+(?P<type>quyet\s*dinh|nghi\s*dinh|thong\s*tu|chi\s*thi|nghi\s*quyet|dinh)\b[\s:]*"
)
#: Where the restated subject ends: the sentence's full stop, a colon, "như sau", the first article.
_END = re.compile(r"\.(?=\s|$)|:|\s+như sau\b|\s+Điều\s+1\b", re.IGNORECASE)
#: Lines of the paragraph the sentence may run on over (OCR breaks a paragraph at a stamp or seal).
MORE_LINES = 2
#: A syllable seen this often in the legal text is a word; rarer ones are what OCR makes of marks.
WORD_COUNT = 50
#: Of the words the two readings share, at least this share of the heading's and of the sentence's:
#: they are one text (the heading may have lost more words, read as fewer fragments: ``An.`` for
#: *Quy định tiêu chuẩn,*).
SHARED = 0.6
SHARED_SENTENCE = 0.5
#: By how much the sentence's words' mean bigram log-probability must beat the heading's (natural log).
MARGIN = 0.5
#: Room for a dropped word: of its width (characters × the neighbour's character width), the share the gap
#: between its two neighbours on one row must leave.
ROOM = 0.5
#: A centred row's middle stays this many characters' widths from the heading's centre (measured: a tenth;
#: a row that lost a word of n letters at an end is (n + 1) / 2 off).
CENTRED = 1.0


def restated_subject(lines: Sequence[Line]) -> Field | None:
    """The subject as the enacting sentence restates it, from the body's ``lines`` (the grounds up to the
    first article), its span the line it starts on; None when the body has no such sentence."""
    for n, ln in enumerate(lines):
        if re.match(r"^\W*dieu\s*[2-9]\b", ln.folded):
            return None
        for m in ENACTING.finditer(ln.folded):
            clause = re.split(r"[;.]\s", ln.folded[: m.start()])[-1]
            if re.search(r"\bcan\s*cu\b", clause):
                continue  # a ground citing another act
            if m["type"] == "dinh" and not ln.text[m.end() : m.end() + 1].isupper():
                continue  # "Quyết" lost (``ban hành định Quy định …``), not ``ban hành định mức``
            said = " ".join([ln.text[m.end() :], *(x.text for x in lines[n + 1 : n + 1 + MORE_LINES])])
            end = next((e for e in _END.finditer(said) if not _stray_stop(said, e)), None)
            said = " ".join((said[: end.start()] if end else said).split())
            return Field(said, (ln.start + m.end(), ln.end), 0.5) if said else None
    return None


def _stray_stop(said: str, end: re.Match[str]) -> bool:
    """A full stop with a word in lower case after it is a speck read as one (``trên. địa bàn``), not
    the sentence's end."""
    return end.group() == "." and said[end.end() :].lstrip()[:1].islower()


def _core(token: str) -> str:
    return re.sub(r"^\W+|\W+$", "", unicodedata.normalize("NFC", token))


def _key(token: str) -> str:
    return _core(token).lower() or token


def _is_word(token: str, counts: dict[str, int]) -> bool:
    """A word of the text, not an OCR fragment: punctuation, a number or code, an abbreviation, or a
    syllable the legal text uses (not shouted amid lower case: ``HỘP tiền``)."""
    core = _core(token)
    if not core or any(c.isdigit() for c in core):
        return True
    k = key(core)
    if k is None:
        return len(core) >= 2 and core.isupper()  # an abbreviation (ASEAN)
    return counts.get(k, 0) >= WORD_COUNT and not (len(core) >= 2 and core.isupper())


def _log_likelihood(tokens: Sequence[str]) -> float:
    """The language model's mean log-probability of the bigrams of ``tokens`` (a mean: two readings of
    one place may differ in their number of words, ``An.`` / ``quy định tiêu chuẩn,``)."""
    model = load()
    keys = []
    for t in tokens:
        core = _core(t)
        keys.append(NUMBER if any(c.isdigit() for c in core) else context_key(core) if core else None)
    logs = [math.log(model.p_bi(a, b)) for a, b in itertools.pairwise(keys) if a and b]
    return sum(logs) / len(logs) if logs else -math.inf


def _no_room(
    left: Box | None, right: Box | None, words: Sequence[str], rows: Sequence[list[Box]] = ()
) -> bool:
    """Whether the heading prints ``left`` and ``right`` with no room for ``words`` between: side by side
    on one row, or ending one row and starting the next where both rows read centred (``rows``: the
    heading's rows; a centred heading's row that lost a word at its end or start reads off its centre
    by half the word's width; junk the heading dropped does not count in its row)."""
    if left is None or right is None:
        return False
    per_char = (left.right - left.left) / max(1, len(left.text))
    width = per_char * (len(" ".join(words)) + 1)
    if same_row(left, right):
        return right.left - left.right < ROOM * width
    mids = {id(b): (min(w.left for w in row) + max(w.right for w in row)) / 2 for row in rows for b in row}
    if len(rows) < 2 or id(left) not in mids or id(right) not in mids:
        return False
    centre = statistics.median(mids[id(row[0])] for row in rows)
    return all(abs(mids[id(b)] - centre) < CENTRED * per_char for b in (left, right))


def merged_subject(heading: str, restated: str, boxes: Sequence[Box] = ()) -> str:
    """``heading`` (the subject as read under the type name) set right by ``restated`` (the enacting
    sentence's reading, :func:`restated_subject`); ``boxes``: the heading's words on the page, for the
    room a dropped word left. ``heading`` as it is when the two are not one text."""
    counts = load().unigrams
    hs, rs = heading.split(), restated.split()
    hk, rk = [_key(t) for t in hs], [_key(t) for t in rs]
    matcher = SequenceMatcher(None, hk, rk, autojunk=False)
    shared = sum(b.size for b in matcher.get_matching_blocks())
    if not hs or not rs or shared < SHARED * len(hs) or shared < SHARED_SENTENCE * len(rs):
        return heading
    at = _boxes_of(hs, boxes)
    rows = in_rows([at[i] for i in sorted(at)])
    out: list[str] = []
    from_sentence = False
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        h, r = hs[i1:i2], rs[j1:j2]
        if tag == "equal":
            for k, (a, b) in enumerate(zip(h, r, strict=True)):
                word = a
                if a.endswith(",") and not b.endswith(","):
                    word = a[:-1]  # a speck read as a comma
                elif b.endswith(",") and not a.endswith(",") and _core(a) == a:
                    word = a + ","  # a comma the bold type under a stamp lost
                if (i1 + k) and from_sentence and word[:1].isupper() and b[:1].islower():
                    word = word[:1].lower() + word[1:]  # the case of a word a stamp's junk ran into
                out.append(word)
                from_sentence = False
            continue
        words_h = all(_is_word(t, counts) for t in h)
        words_r = all(_is_word(t, counts) for t in r)
        take = False
        if j2 == len(rs):
            pass  # where the sentence ends is told by its punctuation: its last words may be cut or run on
        elif tag == "delete":  # the heading's fragments and specks the sentence does not have, or a
            # word read twice that the language model finds out of place (``hoạt động chế Cảng``)
            before, after = out[-1:], hs[i2 : i2 + 1]
            take = (
                not words_h
                or not any(_core(t) for t in h)
                or _log_likelihood([*before, *after]) > _log_likelihood([*before, *h, *after]) + MARGIN
            )
        elif tag == "insert":
            take = (
                words_r
                and any(_core(t) for t in r)
                and i1 < len(hs)
                and (i1 > 0 or not hs[0][:1].isupper())
                and not _no_room(at.get(i1 - 1), at.get(i1), r, rows)
            )
        elif i1 == 0 and _opener(hs):
            pass  # the heading opens as a subject does (*Ban hành*); the sentence words it its own way
        elif words_r and not words_h:
            take = True
        elif words_r:
            before, after = out[-1:], hs[i2 : i2 + 1]
            take = _log_likelihood([*before, *r, *after]) > _log_likelihood([*before, *h, *after]) + MARGIN
        if take:
            out.extend(r)
            from_sentence = True
        else:
            out.extend(h)
            from_sentence = False
    out += _closing(out, hs, rs, matcher)
    text = " ".join(out)
    if text and text != heading:  # a subject opens with a capital (Nghị định 30)
        text = text[:1].upper() + text[1:]
    return text


def _opener(tokens: Sequence[str]) -> bool:
    """The heading's first words are one of the openers a subject takes (``Ban hành``, ``Về việc``)."""
    return any(" ".join(tokens[: len(o.split())]).rstrip(",") == o for o in SUBJECT_OPENERS)


#: Words of the sentence after the heading's last one that may close a bracket the heading opened.
CLOSING_WORDS = 3


def _closing(out: list[str], hs: list[str], rs: list[str], matcher: SequenceMatcher) -> list[str]:
    """The sentence's words that close a bracket the heading left open at its end (``… kiểm kê đất`` /
    ``… kiểm kê đất đai)``: the heading's last line lost its end under a stamp): a subject closes its
    brackets, so the words up to the bracket's close are the heading's too. Only right after the
    heading's last word as the sentence has it, and only up to :data:`CLOSING_WORDS` words."""
    text = " ".join(out)
    if text.count("(") <= text.count(")"):
        return []
    last = next((b for b in matcher.get_matching_blocks() if b.size and b.a + b.size == len(hs)), None)
    if last is None:
        return []
    rest = rs[last.b + last.size :][:CLOSING_WORDS]
    close = next((k for k, t in enumerate(rest) if ")" in t), None)
    if close is None:
        return []
    words = rest[: close + 1]
    words[-1] = words[-1][: words[-1].index(")") + 1]
    return words


def _boxes_of(tokens: Sequence[str], boxes: Sequence[Box]) -> dict[int, Box]:
    """The box of each of the heading's ``tokens`` (by index), where the page's words line up with them."""
    keys = [_key(b.text) for b in boxes]
    matcher = SequenceMatcher(None, [_key(t) for t in tokens], keys, autojunk=False)
    return {blk.a + k: boxes[blk.b + k] for blk in matcher.get_matching_blocks() for k in range(blk.size)}


#: Article 1 of a decision, on folded text: it opens with the act the subject names.
ARTICLE_ONE = re.compile(r"^\W*dieu\s*1\s*[.:]\s*")
#: Words of article 1 after its opener that may come before the subject's own words (*kèm theo
#: Quyết định này*, *toàn bộ*).
ARTICLE_GAP = 6
#: The subject's words after its opener that article 1 must have in the same order.
ARTICLE_SHARED = 3


def opener_from_article(heading: str, lines: Sequence[Line]) -> str | None:
    """``heading`` with its opener given back from article 1, when OCR garbled it into words in lower
    case (``trần Quy chế …``, ``tại hì Quyết định số …``), or None.

    A subject opens with a capital (Nghị định 30), and a decision's article 1 opens with the act its
    subject names: *Ban hành kèm theo Quyết định này Quy chế …* under *Ban hành Quy chế …*, *Bãi bỏ toàn
    bộ Quyết định số …* under *Bãi bỏ Quyết định số …*. So a heading whose first words are in lower case
    takes the opener (:data:`SUBJECT_OPENERS`) article 1 starts with, in place of as many words as the
    opener has at most, where the words after them come next in article 1 (at most
    :data:`ARTICLE_GAP` words after its opener, :data:`ARTICLE_SHARED` of them in a row) and open with
    a capital (the act the opener names: *Quy chế*, *Quyết định số*). Words in lower case before words
    in lower case are a subject in a Party's style (``thực hiện chuyển đổi số``), and a whole opener in
    lower case is the page's own (``kết luận của …``)."""
    hs = heading.split()
    if len(hs) < 2 or not hs[0][:1].islower() or _opener([hs[0][:1].upper() + hs[0][1:], *hs[1:]]):
        return None
    article = _article_one(lines)
    if article is None:
        return None
    opener = next(
        (o for o in sorted(SUBJECT_OPENERS, key=len, reverse=True) if _starts_with(article, o.split())), None
    )
    if opener is None:
        return None
    said = opener.split()
    after = [_key(t) for t in article[len(said) : len(said) + ARTICLE_GAP + ARTICLE_SHARED]]
    for k in range(1, len(said) + 1):
        if not all(t[:1].islower() for t in hs[:k]):
            break
        want = [_key(t) for t in hs[k : k + ARTICLE_SHARED]]
        if (
            len(want) == ARTICLE_SHARED
            and hs[k][:1].isupper()
            and any(after[j : j + ARTICLE_SHARED] == want for j in range(ARTICLE_GAP + 1))
        ):
            return " ".join([*said, *hs[k:]])
    return None


def _article_one(lines: Sequence[Line]) -> list[str] | None:
    """The words of article 1 (its first line and the next :data:`MORE_LINES`), or None."""
    for n, ln in enumerate(lines):
        if m := ARTICLE_ONE.match(ln.folded):
            return " ".join(
                [ln.text[m.end() :], *(x.text for x in lines[n + 1 : n + 1 + MORE_LINES])]
            ).split()
    return None


def _starts_with(tokens: Sequence[str], words: Sequence[str]) -> bool:
    return len(tokens) >= len(words) and all(
        _key(t).rstrip(",") == w.lower().rstrip(",") for t, w in zip(tokens, words, strict=False)
    )
