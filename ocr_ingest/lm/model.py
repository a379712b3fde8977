"""A Vietnamese syllable language model over the engine's words: ``correct(words) -> Corrected``.

Why: Vietnamese is a closed set of syllables, and most OCR errors on scans are a wrong *mark* on a
valid syllable — the hook above read as an acute (``tổ → tố``, ``kiểm → kiếm``, ``cổng → cống``).
Many of those misreadings are valid syllables themselves, so a spelling check cannot see them; only
the neighbours can (``tổ chức`` / ``tố cáo``). For each unsure word we try the syllables that differ
from it only in tone or vowel marks and keep one when the bigram context favours it by a wide margin.

What is never changed: a person's name (capitalised syllables opening with a family name; but a
syllable of one that no word list has takes the commonest spelling one mark away), a word the
engine was sure of (``conf >= SURE``), a token with a digit or
inner punctuation, a single letter, an upper-case abbreviation (not a syllable, and no tone mark:
``QUYÉT`` is a syllable misread), and an upper-case
word unless a neighbour is upper case too (a heading such as ``PHÁT TRIỂN``: common words; an
all-caps *name* only changes if the model has seen it next to its neighbour, which the model's text
does not provide for names). Every change is returned with its word index, before and after, so the
page can record it and a reader can audit it.

The model (``model.tsv.gz``, built by ``python -m ocr_ingest.lm.build`` from real legal text, text
written for it and package-shipped word lists) holds syllable counts and within-phrase bigram counts,
a number being one key (:data:`NUMBER`: ``số 80``, ``tháng 11 năm``); it is loaded once per process.
"""

from __future__ import annotations

import functools
import gzip
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein

from . import places
from .vietnamese import TONE_MARKS as _TONE_MARKS
from .vietnamese import is_syllable, marks_in_order, strip_diacritics
from .vietnamese import split_tone as _split_tone
from .vietnamese import syllable_key as key

if TYPE_CHECKING:  # the words of a page (text.tesseract.Word): read, never built, here
    from ..text.tesseract import Word

MODEL = Path(__file__).with_name("model.tsv.gz")

#: the engine's word confidence (0–100) from which a word is left alone; measured, see README
SURE = 98.0
#: from this confidence on, the new syllable must be seen next to *both* neighbours (measured: most
#: wrong changes of confident words rested on one side, ``đất được → đạt được``), except the hook
#: read as an acute (``_hook_read_as_acute``), the engine's commonest slip, where one neighbour speaks
FAIRLY_SURE = 96.0  # 93 with the small hand-written model; measured again with the real text's model
#: ... or, at a phrase edge (one neighbour), be seen with that neighbour this many times
ONE_SIDED = 3
#: how much more likely (log) the context must find the new syllable than the engine's
MARGIN = math.log(30.0)
#: ... and for a word the engine is fairly sure of (``FAIRLY_SURE``): measured on the corpus and the
#: real nomvn scans with the model from real text, where rarer pairs are seen and compete
SURE_MARGIN = math.log(300.0)
#: a syllable the text has this many times between a word's two neighbours, where it never has the
#: word, replaces it when one letter or mark away (``_by_trigram``)
TRIGRAM_MIN = 10
#: smoothing of the bigram estimate towards the syllable's own frequency, added to the Witten-Bell
#: weight (``Model.p_bi``) so that a key with no bigram still has one
BETA = 1.0
#: an abbreviation with a Đ this long at least is looked for with D (``_stroked``): "ND" (of NĐ) is in UBND
STROKED_MIN = 4

# The family names most Vietnamese carry (over 90 % of the population has one of the first fourteen):
# a run of capitalised syllables opening with one is a person's name, which the model must not respell
# ("Trương Văn Phong" is not "Trương Văn Phòng", however common "phòng" is).
SURNAMES = frozenset(
    [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Đinh",
        "Đào",
        "Trịnh",
        "Lâm",
        "Mai",
        "Trương",
        "Hà",
        "Lưu",
        "Tô",
        "Thái",
        "Châu",
        "Quách",
        "Cao",
        "Tạ",
        "Hứa",
        "Kiều",
        "Đoàn",
        "Lương",
        "Tăng",
        "Từ",
        "Chu",
        "Triệu",
        "Mạc",
        "Văn",
        "Hồng",
        "Lại",
        "Khúc",
        "Đàm",
        "Nghiêm",
        "Âu",
        "Giang",
        "Phùng",
        "Tôn",
        "Thân",
        "Lục",
        "La",
        "Viên",
        "Cù",
        "Kim",
        "Ông",
        "Chế",
        "Hàn",
        "Ninh",
        "Tống",
        "Vương",
        "Diệp",
        "Mạch",
        "Trình",
    ]
)
_TONE_CHARS = {v: k for k, v in _TONE_MARKS.items()}
_VOWEL_MARKS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
_VOWELS = set("aăâeêioôơuưy")
_TOKEN = re.compile(r"^(\W*)([^\W\d_]+)(\W*)$")
_PHRASE_BREAK = re.compile(r"[^\w\s#]+")
_NUMBER = re.compile(r"\d+")
#: a number's key as context (``số 80``, ``tháng 11 năm``, ``lần 3``): its grammar, not its value
NUMBER = "#"


@dataclass(frozen=True)
class Correction:
    """One word the model changed: its index in the page's words (reading order), before and after,
    the engine's confidence in the old word, and why: ``context`` (the bigrams; ``gain``: the
    log-likelihood ratio that decided), ``place`` (a province name from ``places.PROVINCES``) or
    ``name`` (a name's syllable that is in no word list, ``_known_name_syllable``) or
    ``abbreviation`` (a Đ's stroke lost, ``_stroked``)."""

    index: int
    before: str
    after: str
    conf: float
    gain: float
    why: str = "context"

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "before": self.before,
            "after": self.after,
            "conf": self.conf,
            "gain": round(self.gain, 2),
            "why": self.why,
        }


@dataclass(frozen=True)
class Corrected:
    words: list[Word]
    changes: tuple[Correction, ...]


def context_key(word: str) -> str | None:
    """A word's key as context: its syllable key, or for an upper-case abbreviation the abbreviation
    itself after ``=`` (``Cổng TTĐT``, ``các PCT``: the abbreviation is the only neighbour a recipient
    line's first word has). Abbreviations are context only: never a candidate, never changed."""
    if word == NUMBER:
        return NUMBER
    k = key(word)
    if k is None and len(word) >= 2 and word.isalpha() and word.isupper():
        return f"={word}"
    return k


def phrases(line: str) -> list[list[str]]:
    """A line of text as runs of words between punctuation (the bigram context), each number a word
    :data:`NUMBER` (``ngày 15/3`` → ``ngày #``, ``#``)."""
    text = _NUMBER.sub(f" {NUMBER} ", unicodedata.normalize("NFC", line).replace(NUMBER, " "))
    return [p.split() for p in _PHRASE_BREAK.split(text) if p.split()]


def comma_pairs(line: str) -> list[tuple[str, str]]:
    """Pairs of syllables on either side of a comma, as two bigrams with the comma kept on the key
    (``sửa đổi, bổ sung`` → (``doi3,``, ``bo3``) and (``doi3``, ``,bo3``)): a list's items (``kiểm tra,
    giám sát``, ``tổ chức, cá nhân``) are context for each other, but not like adjacent words."""
    out = []
    chunks = re.split(r"(,)", unicodedata.normalize("NFC", line))
    for k in range(1, len(chunks) - 1, 2):
        left, right = chunks[k - 1].split(), chunks[k + 1].split()
        la, rb = _core(left[-1]) if left else None, _core(right[0]) if right else None
        if la and rb and not la[2] and not rb[0]:  # words right at the comma
            a, b = context_key(la[1]), context_key(rb[1])
            if a and b:
                out += [(f"{a},", b), (a, f",{b}")]
    return out


def _skeleton(base: str) -> str:
    """The letters without vowel marks, and ``đ`` as ``d``: its stroke is a mark the engine loses or
    adds like the others (``đi sản`` for *di sản*, ``xăng đầu`` for *xăng dầu*)."""
    nfd = unicodedata.normalize("NFD", base).replace("đ", "d")
    return "".join(c for c in nfd if c not in _VOWEL_MARKS)


@dataclass(frozen=True)
class Model:
    unigrams: dict[str, int]
    bigrams: dict[tuple[str, str], int]
    by_skeleton: dict[str, tuple[str, ...]]
    total: int
    stroked: tuple[str, ...] = ()  # abbreviations with a Đ (``_stroked``)
    followers: dict[str, int] = field(default_factory=dict)  # distinct right neighbours of each key
    #: "a\tc" → "b:count b:count …", the trigrams a b c as the file has them (parsed when asked: ``middles``)
    outer: dict[str, str] = field(default_factory=dict)

    def middles(self, a: str, c: str) -> dict[str, int]:
        """The syllables b of the trigrams ``a b c`` with their counts (pruned: rare ones are absent)."""
        raw = self.outer.get(f"{a}\t{c}")
        if not raw:
            return {}
        return {b: int(n) for b, _, n in (item.rpartition(":") for item in raw.split(" "))}

    def trigram(self, a: str, b: str, c: str) -> int:
        return self.middles(a, c).get(b, 0)

    def p_uni(self, k: str) -> float:
        return (self.unigrams.get(k, 0) + 0.5) / (self.total + 0.5 * len(self.unigrams))

    def p_bi(self, a: str, b: str) -> float:
        """P(b | a), Witten-Bell: ``a`` keeps for unseen neighbours a share of its mass that grows with
        how many distinct neighbours it has. Why: from a large text a pair that is absent is far less
        telling after a word that goes with anything (``trọng phương`` unseen, ``tải trọng phương
        tiện`` right) than the fixed prior of the small hand-written text suggested."""
        n = self.followers.get(a, 0) + BETA
        return (self.bigrams.get((a, b), 0) + n * self.p_uni(b)) / (self.unigrams.get(a, 0) + n)


@functools.cache
def load(path: Path = MODEL) -> Model:
    """The model in ``path`` (rows ``u key count``, ``b key key count`` and ``m key key middles``, see
    ``build``); once per process."""
    unigrams: dict[str, int] = {}
    bigrams: dict[tuple[str, str], int] = {}
    outer: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for row in f:
            parts = row.rstrip("\n").split("\t")
            if parts[0] == "u":
                unigrams[parts[1]] = int(parts[2])
            elif parts[0] == "b":
                bigrams[(parts[1], parts[2])] = int(parts[3])
            else:
                outer[f"{parts[1]}\t{parts[2]}"] = parts[3]
    by_skeleton: dict[str, list[str]] = defaultdict(list)
    for k in sorted(unigrams):
        if not k.startswith("=") and k != NUMBER:  # abbreviations and numbers are context, not spellings
            by_skeleton[_skeleton(k[:-1])].append(k)
    stroked = tuple(k[1:] for k in unigrams if k.startswith("=") and "Đ" in k and len(k) > STROKED_MIN)
    followers = Counter(a for a, _ in bigrams)
    return Model(
        unigrams,
        bigrams,
        {s: tuple(v) for s, v in by_skeleton.items()},
        sum(unigrams.values()),
        stroked,
        dict(followers),
        outer,
    )


def seen_together(left: str, right: str, model: Model | None = None) -> bool:
    """Whether two adjacent words are a pair the model's text has, either as read or with the marks of
    one of them changed as ``correct`` may change them (``ĐẢNG`` ``CỘNG``; ``sản`` ``phãm`` for
    *sản phẩm*): the evidence that lets a word the engine barely believes stay beside one it believes
    (``clean.drop_unsure_words``), for the model to set its marks right."""
    model = model or load()
    lefts, rights = _spellings(left, model), _spellings(right, model)
    return any((a, b) in model.bigrams for a in lefts for b in rights)


def _spellings(word: str, model: Model) -> list[str]:
    """A word's context key and the keys that differ from it in up to two marks (``_best``'s candidates)."""
    own = context_key(word)
    if own is None or own.startswith("="):
        return [own] if own else []
    return [own, *_near(model, word)]


def _near(model: Model, word: str) -> list[str]:
    """The model's keys within two tone or vowel marks of ``word`` (its own key among them if known)."""
    base, tone = _split_tone(word.lower())
    return [c for c in model.by_skeleton.get(_skeleton(base), ()) if _mark_distance(c, f"{base}{tone}") <= 2]


def _mark_distance(a: str, b: str) -> int:
    """Tone, vowel-mark and ``đ``-stroke edits between two keys of one skeleton."""
    da, db = unicodedata.normalize("NFD", a[:-1]), unicodedata.normalize("NFD", b[:-1])
    stroke = int(da.startswith("đ") != db.startswith("đ"))
    return int(a[-1] != b[-1]) + stroke + sum(x != y for x, y in zip(_marks(da), _marks(db), strict=False))


def _marks(nfd: str) -> list[str]:
    """The vowel mark carried by each base letter ('' for none)."""
    out: list[str] = []
    for c in nfd:
        if c in _VOWEL_MARKS and out:
            out[-1] = c
        else:
            out.append("")
    return out


def spell(k: str, like: str) -> str:
    """Write key ``k`` in the form of the engine's word ``like``: its tone position when only the tone
    changed, its case always."""
    base, tone = k[:-1], int(k[-1])
    old_base, old_tone = _split_tone(like.lower())
    if old_base == base and old_tone:
        nfd = unicodedata.normalize("NFD", like.lower())
        out, placed = [], False
        for c in nfd:
            if c in _TONE_MARKS:
                if tone:
                    out.append(_TONE_CHARS[tone])
                placed = True
            else:
                out.append(c)
        word = marks_in_order("".join(out)) if placed else _place(base, tone)
    else:
        word = _place(base, tone)
    if like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _place(base: str, tone: int) -> str:
    """Put the tone on the vowel the usual spelling puts it on (marked vowel first, else the last
    vowel before a final consonant, else the first of two vowels / the middle of three)."""
    if not tone:
        return base
    letters = list(base)
    start = 2 if base.startswith(("qu", "gi")) and len(base) > 2 and base[2] in _VOWELS else 0
    idx = [i for i, c in enumerate(letters) if i >= start and _plain(c) in _VOWELS]
    if not idx:
        return base
    marked = [i for i in idx if c_marked(letters[i])]
    if marked:
        pos = marked[-1] if letters[marked[0]] == "ư" and len(marked) > 1 else marked[0]
    elif idx[-1] < len(letters) - 1:
        pos = idx[-1]
    else:
        pos = idx[0] if len(idx) <= 2 else idx[1]
    letters[pos] = unicodedata.normalize("NFC", letters[pos] + _TONE_CHARS[tone])
    return "".join(letters)


def _plain(c: str) -> str:
    return unicodedata.normalize("NFC", c)


def c_marked(c: str) -> bool:
    return c in "ăâêôơư"


def _core(text: str) -> tuple[str, str, str] | None:
    m = _TOKEN.match(text)
    return (m.group(1), m.group(2), m.group(3)) if m else None


def correct(words: Sequence[Word], model: Model | None = None) -> Corrected:
    """The words with unsure mark errors fixed by context, and the list of changes (see module doc).
    Two passes: a word's right neighbour may be set right only after it (``chuyến đối`` → ``chuyến
    đổi`` → ``chuyển đổi``). Then abbreviations that lost a Đ's stroke, and province names, from
    their closed list (``places``)."""
    model = model or load()
    first = _pass(words, model)
    second = _pass(first.words, model)
    out = list(second.words)
    named = []
    finders = (
        ("figure", lambda ws, cs: _bracketed_elevens(ws)),
        ("abbreviation", lambda ws, cs: _stroked_words(ws, model)),
        ("place", lambda ws, cs: places.restore(ws, cs, SURNAMES)),
        ("place", places.agree),
    )
    for why, find in finders:
        for i, w in find(out, [_core(w.text) for w in out]):
            named.append(Correction(i, out[i].text, w.text, w.conf, 0.0, why))
            out[i] = w
    return Corrected(out, first.changes + second.changes + tuple(named))


#: Words after which a number stands (folded): a day, a month, an article, a clause, a number.
_NUMBER_BEFORE = frozenset(["ngay", "thang", "dieu", "khoan", "diem", "so", "so:", "muc", "chuong", "phan"])
_ELEVEN = re.compile(r"^([1lI|!])([\]|])([,.;:)]?)$")


def _bracketed_elevens(words: Sequence[Word]) -> list[tuple[int, Word]]:
    """``11`` read as ``1]``, ``I]`` or ``l|`` where a number stands (after ``ngày``, ``tháng``,
    ``Điều``, ``khoản``…): Tesseract takes a serif 1's foot for a bracket (issue 20: ``ngày 1]``,
    ``tháng I]`` on real scans). No word is spelt so; the place says it is a number."""
    out = []
    for i in range(1, len(words)):
        m = _ELEVEN.match(words[i].text)
        if m and strip_diacritics(words[i - 1].text).lower() in _NUMBER_BEFORE:
            out.append((i, replace(words[i], text="11" + m.group(3))))
    return out


def _pass(words: Sequence[Word], model: Model) -> Corrected:
    parts = [_core(w.text) for w in words]
    keys = [context_key(p[1]) if p else None for p in parts]
    out = list(words)
    changes: list[Correction] = []
    names = _person_names(parts)
    for i, w in enumerate(words):
        p = parts[i]
        if p is not None and i in names and (known := _known_name_syllable(model, p[1])):
            after = p[0] + spell(known, p[1]) + p[2]
            out[i] = replace(w, text=after)
            keys[i] = known
            changes.append(Correction(i, w.text, after, w.conf, 0.0, "name"))
            continue
        if p is None or w.conf >= SURE or len(p[1]) < 2 or i in names:
            continue
        word = p[1]
        caps = word.isupper()
        prev = _neighbour(parts, keys, i, -1) or _number(words, parts, i, -1)
        nxt = _neighbour(parts, keys, i, +1) or _number(words, parts, i, +1)
        if caps and not is_syllable(word) and not _split_tone(word.lower())[1]:
            continue  # an abbreviation; a word in capitals with a tone mark is a misread syllable (QUYÉT)
        if caps:  # a heading's word: only a neighbour in capitals, or a number, counts as context
            prev = prev if prev == NUMBER or (prev and parts[i - 1][1].isupper()) else None
            nxt = nxt if nxt == NUMBER or (nxt and parts[i + 1][1].isupper()) else None
        if prev is None and nxt is None:
            continue
        both = w.conf >= FAIRLY_SURE
        best = _best(model, word, keys[i], prev, nxt, both=both) or _by_trigram(
            model, word, keys[i], prev, nxt, both
        )
        own = keys[i] if keys[i] and keys[i] != NUMBER and not keys[i].startswith("=") else None
        if (prev is None) != (nxt is None) and (best or own) and not both and word == word.lower():
            best = _beyond_the_edge(model, best or (own, 0.0), word, own, (prev, nxt), parts, keys, i)
        if best is None or best[0] == keys[i]:
            continue
        new_key, gain = best
        after = p[0] + spell(new_key, word) + p[2]
        if after == w.text:
            continue
        out[i] = replace(w, text=after)
        keys[i] = new_key  # the next word's left context is the corrected one
        changes.append(Correction(i, w.text, after, w.conf, gain))
    return Corrected(out, tuple(changes))


def _stroked_words(words: Sequence[Word], model: Model) -> list[tuple[int, Word]]:
    """``(index, new word)`` for each abbreviation that lost a Đ's stroke (``_stroked``)."""
    return [(i, replace(w, text=after)) for i, w in enumerate(words) if (after := _stroked(model, w.text))]


def _stroked(model: Model, text: str) -> str | None:
    """An upper-case abbreviation with the stroke of its Đ lost (*CTHDND*: on bilevel scans the bar
    is a pixel thin): the model's abbreviations that have a Đ (*HĐND*) are looked for in it with D;
    ``None`` when the token is one the model knows as it is, or holds none of them."""
    core = _TOKEN.match(text)
    if not core or not core.group(2).isupper() or f"={core.group(2)}" in model.unigrams:
        return None
    word = core.group(2)
    for stroked in model.stroked:
        word = word.replace(stroked.replace("Đ", "D"), stroked)
    return None if word == core.group(2) else core.group(1) + word + core.group(3)


def _known_name_syllable(model: Model, word: str) -> str | None:
    """For a syllable of a person's name that no word list the model was built from has (*Trợng*, a
    seal's rim across *Trọng*'s dot), the commonest syllable one mark away that the model's text
    uses; names have no context to go by, but they are made of syllables. ``None`` for any other."""
    read = key(word)
    if read is None or read in model.unigrams:
        return None
    near = [c for c in _near(model, word) if _mark_distance(c, read) <= 1 and model.unigrams[c] > 0]
    return max(near, key=lambda c: (model.unigrams[c], c)) if near else None


def _person_names(parts) -> set[int]:
    """Indices of the words of a person's name: a run of two or more capitalised syllables from a
    family name (:data:`SURNAMES`) on; the run may open with a title or an abbreviation before it
    (``PTTgTT Phạm Gia Túc``, ``Ông Trần Văn A``)."""
    out: set[int] = set()
    i = 0
    while i < len(parts):
        j = i
        while j < len(parts) and parts[j] and parts[j][1][:1].isupper() and not parts[j][1].isupper():
            j += 1
        start = next((s for s in range(i, j - 1) if parts[s][1] in SURNAMES), None)
        if start is not None:
            out.update(range(start, j))
        i = max(j, i + 1)
    return out


def _number(words: Sequence[Word], parts, i: int, step: int) -> str | None:
    """:data:`NUMBER` when word ``i``'s neighbour is a number right next to it (``số 80-NQ/TW``: the
    token opens with figures; ``năm 2024 của``: it ends with them), the word's own punctuation not
    between them; ``None`` otherwise."""
    j = i + step
    if j < 0 or j >= len(words) or parts[i] is None:
        return None
    text = words[j].text
    if step > 0:
        return NUMBER if not parts[i][2] and text[:1].isdigit() else None
    return NUMBER if not parts[i][0] and text[-1:].isdigit() else None


def _neighbour(parts, keys, i: int, step: int) -> str | None:
    """The key of word ``i``'s neighbour; across a comma marked as such (``doi3,`` on the left,
    ``,bo3`` on the right: see ``comma_pairs``); ``None`` across other punctuation."""
    j = i + step
    if j < 0 or j >= len(parts) or parts[i] is None or parts[j] is None or keys[j] is None:
        return None
    between = parts[j][2] + parts[i][0] if step < 0 else parts[i][2] + parts[j][0]
    if not between:
        return keys[j]
    if between == ",":
        return f"{keys[j]}," if step < 0 else f",{keys[j]}"
    return None


def _score(model: Model, k: str, prev: str | None, nxt: str | None, prior: bool = False) -> float:
    """log P(k | prev) + log P(nxt | k); at a phrase's start, with ``prior``, log P(k) in place of the
    first: without it a syllable after a bracket was judged by its right neighbour alone, where a
    rare one (``(đế đăng``) passes a common one (``(để đăng``) that goes with thousands of words."""
    s = 0.0
    if prev:
        s += math.log(model.p_bi(prev, k))
    elif prior:
        s += math.log(model.p_uni(k))
    if nxt:
        s += math.log(model.p_bi(k, nxt))
    return s


def _by_trigram(model: Model, word: str, own: str | None, prev: str | None, nxt: str | None, sure: bool):
    """The syllable the text has between ``prev`` and ``nxt`` at least ``TRIGRAM_MIN`` times, one
    letter or mark from ``word`` (the commonest such), when the text never has ``word`` there; and
    log of its count as the gain. Why: a pair of neighbours is weak evidence where the wrong syllable
    goes with both (``và có cấu``: *và có* and *có cấu trúc* are common, so the pairs gave *cơ* only
    45 times the odds), and a letter misread (``sự cế tràn dầu``) is no mark error ``_best`` looks at;
    the three syllables together are a phrase the text has hundreds of times or never. A known
    syllable the engine is ``sure`` of changes its marks only (``thể định giá`` is not *thể đánh
    giá*, however common *có thể đánh giá* is)."""
    if word != word.lower() or NUMBER in (prev, nxt) or prev is None or nxt is None:
        return None  # a capitalised word may be a name's or a title's (*Bảng giá*); a number says little
    middles = model.middles(prev, nxt)
    if middles.get(own or ""):
        return None
    base, _ = _split_tone(word)
    best: tuple[bool, int, str] | None = None
    for c, n in middles.items():
        if n < TRIGRAM_MIN or c in (own, NUMBER) or c.startswith("="):
            continue
        if Levenshtein.distance(spell(c, word), word) == 1:
            # a mark's slip before a letter's: *đỉnh giá* is *định*, not the commoner *đánh*
            marks_only = _skeleton(c[:-1]) == _skeleton(base)
            if sure and own is not None and not marks_only:
                continue
            best = max(best or (marks_only, n, c), (marks_only, n, c))
    return (best[2], math.log(best[1])) if best else None


def _beyond_the_edge(
    model: Model, best: tuple[str, float], word: str, own: str | None, sides: tuple, parts, keys, i: int
) -> tuple[str, float] | None:
    """``best`` (a syllable and its gain) checked by the two words on the side that speaks, where the
    other side is a phrase's edge: one pair is weak evidence (``“AB” đè xuất cảnh``: *đề xuất* is
    among the commonest pairs, so ``đè`` became *đề*), the three syllables together are a phrase the
    text has often or never (*để xuất cảnh* 16 times, *đề xuất cảnh* never). When the text has the
    chosen syllable's three never and the read one's, or another spelling's, at least
    :data:`TRIGRAM_MIN` times, that one is taken (the read one: no change). ``best`` is the read
    syllable itself where the pairs chose none (``“AB” đề xuất`` read so). Only for a word the engine
    is not fairly sure of: ``(%) cụ để xác định`` (*thể* lost) is no *căn cứ để xác định*; and in
    lower case: a capitalised word opens a line whose left neighbour is the line above (``ĐÀO TẠO``
    / ``Số:`` is no *đào tạo sơ cấp*) or is a name's."""
    prev, nxt = sides
    step = 1 if nxt is not None else -1
    far = _neighbour(parts, keys, i + step, step)
    if far is None or far == NUMBER:
        return best
    near = nxt if step > 0 else prev

    def seen(k: str) -> int:
        return model.trigram(k, near, far) if step > 0 else model.trigram(far, near, k)

    if seen(best[0]):
        return best
    options = [c for c in {own, *_near(model, word)} if c and not c.startswith("=")]
    counts = {c: seen(c) for c in options}
    top = max(counts, key=lambda c: (counts[c], c == own), default=None)
    if top is None or counts[top] < TRIGRAM_MIN:
        return best
    return None if top == own else (top, math.log(counts[top]))


def _hook_read_as_acute(read: str, candidate: str) -> bool:
    """The engine's commonest slip on scans: the hook above read as an acute, the letters right
    (``tổng → tống``, ``để → đế``, ``kiểm → kiếm``: most mark errors on 200 dpi bilevel pages)."""
    return read[-1] == "1" and candidate[-1] == "3" and read[:-1] == candidate[:-1]


def _best(model: Model, word: str, own: str | None, prev: str | None, nxt: str | None, both: bool = False):
    candidates = [c for c in _near(model, word) if c != own]
    if not candidates:
        return None
    spellings = [*candidates, own] if own else candidates
    if prev and prev.endswith(",") and not any((prev, c) in model.bigrams for c in spellings):
        prev = None  # a side across a comma speaks only where the model has seen one of the spellings
    if nxt and nxt.startswith(",") and not any((c, nxt) in model.bigrams for c in spellings):
        nxt = None
    if prev is None and nxt is None:
        return None
    seen = []
    base, tone = _split_tone(word.lower())
    read = f"{base}{tone}"
    for c in candidates:
        found = [model.bigrams.get(pair, 0) for pair in ((prev, c), (c, nxt)) if None not in pair]
        if not both or _hook_read_as_acute(read, c):
            ok = any(found)
        elif len(found) == 2:
            ok = all(found)
        else:  # a confident word at a phrase edge: its one neighbour must be a common pairing
            ok = found[0] >= ONE_SIDED
        if ok:
            seen.append(c)
    if not seen:
        return None
    # a capitalised word may be a name's (``Metro Bến Thành``): the text's counts are its common word's
    prior = not (word[:1].isupper() and not word.isupper())
    own_score = _score(model, own, prev, nxt, prior) if own else -math.inf
    best = max(seen, key=lambda c: _score(model, c, prev, nxt, prior))
    gain = _score(model, best, prev, nxt, prior) - own_score
    return (best, gain) if gain >= (SURE_MARGIN if both else MARGIN) else None
