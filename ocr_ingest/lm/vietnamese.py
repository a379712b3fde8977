"""How Vietnamese a text is: the measurable score behind "is this text layer usable?".

A Vietnamese word is a syllable of a closed shape (initial consonant, vowel nucleus, final consonant,
at most one tone mark), and running Vietnamese prose marks most syllables with a diacritic. An earlier
OCR made without Vietnamese (``CQNG HOAXA HQr CHU NGHIA VIpr NAM``) fails both tests: its tokens are
not syllables, and the ones that are carry no diacritics. We judge by these two shares, never by the
name of the program that produced a layer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # grave, acute, tilde, hook above, dot below
_INITIAL = r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?"
_NUCLEUS = (
    r"(?:uyê|uya|ươi|ươu|uôi|oai|oay|oeo|uây|uâ|uê|uơ|uy|ươ|uô|ưa|ưi|ưu|iê|ia|yê|oa|oă|oe|oo|ai|ao|au|ay|âu|ây"
    r"|eo|êu|iu|oi|ôi|ơi|ui|ua|ưo|uyu|[aăâeêioôơuưy])"
)
_FINAL = r"(?:ch|ng|nh|[cmnpt]|[iyou])?"
_SYLLABLE = re.compile(f"^{_INITIAL}{_NUCLEUS}{_FINAL}$")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


#: The marks that make a vowel (â ê ô, ă, ơ ư): written before a tone mark.
_VOWEL_QUALITY = frozenset("\u0302\u0306\u031b")


def marks_in_order(word: str) -> str:
    """``word`` (NFC) with each letter's marks once each, the vowel's own before the tone. Why: the engine
    emits a tone mark and then a circumflex (``cá̂p``, ``thié̂t``, ``ĐÉ̂N``) or a circumflex twice
    (``đề̂``), and a tone put in place of another in a decomposed word lands before the circumflex
    (``thiệt`` → ``thié̂t``); no NFC composes those into the letter (``cấp``, ``thiết``, ``ĐẾN``, ``đề``)."""
    out: list[str] = []
    marks: list[str] = []

    def flush() -> None:
        once = list(dict.fromkeys(marks))
        out.extend([m for m in once if m in _VOWEL_QUALITY] + [m for m in once if m not in _VOWEL_QUALITY])
        marks.clear()

    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch):
            marks.append(ch)
        else:
            flush()
            out.append(ch)
    flush()
    return unicodedata.normalize("NFC", "".join(out))


def strip_tone(syllable: str) -> tuple[str, int]:
    """Lower-case syllable without its tone mark (vowel marks ă â ê ô ơ ư kept), and the tone count."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    tones = sum(1 for ch in decomposed if ch in _TONES)
    base = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", base), tones


def strip_diacritics(text: str) -> str:
    """ASCII-folded text (đ→d), for matching labels that OCR wrote without marks."""
    decomposed = unicodedata.normalize("NFD", text)
    return (
        "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d").replace("Đ", "D")
    )


def is_syllable(word: str) -> bool:
    """True for a well-formed Vietnamese syllable (any case, with at most one tone mark)."""
    base, tones = strip_tone(word)
    return tones <= 1 and bool(_SYLLABLE.match(base))


def has_diacritic(word: str) -> bool:
    return strip_diacritics(word) != word


@dataclass(frozen=True)
class VietnameseScore:
    """Shares over the alphabetic tokens of a text (0–1), and how many tokens they rest on."""

    tokens: int
    syllables: float  # well-formed syllables
    marked: float  # tokens carrying any diacritic

    @property
    def looks_vietnamese(self) -> bool:
        """Prose-like Vietnamese: real text scores ≥ 0.85 / ≥ 0.4; an OCR without Vietnamese far less."""
        return self.tokens >= 20 and self.syllables >= 0.8 and self.marked >= 0.3


def _abbreviation(word: str) -> bool:
    """``UBND``, ``PCT``, ``GDĐT``: capitals that are not a syllable. Administrative text is full of
    them (a page holding only the recipients and the signature block can be a third abbreviations), so
    they count for neither share: they say nothing about whether the text layer is Vietnamese."""
    return 2 <= len(word) <= 6 and word.isupper() and not is_syllable(word)


def score_text(text: str) -> VietnameseScore:
    words = [w for w in _WORD.findall(unicodedata.normalize("NFC", text)) if not _abbreviation(w)]
    if not words:
        return VietnameseScore(0, 0.0, 0.0)
    good = sum(1 for w in words if is_syllable(w))
    marked = sum(1 for w in words if has_diacritic(w))
    return VietnameseScore(len(words), good / len(words), marked / len(words))


#: the five tone marks (combining characters) and their numbers in a syllable key
TONE_MARKS = {"\u0301": 1, "\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}


def syllable_key(word: str) -> str | None:
    """Tone-normalised lower-case syllable (``hòa``, ``hoà`` → ``hoa2``); ``None`` if not a syllable."""
    if not word or not is_syllable(word):
        return None
    base, tone = split_tone(word.lower())
    return f"{base}{tone}"


def split_tone(word: str) -> tuple[str, int]:
    nfd = unicodedata.normalize("NFD", word)
    tone = next((TONE_MARKS[c] for c in nfd if c in TONE_MARKS), 0)
    return unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONE_MARKS)), tone
