"""Build the syllable model (``model.tsv.gz``) from real legal text, at development time.

    python -m ocr_ingest.lm.build ../shared/real/lm/*.txt.gz   # rewrites ocr_ingest/lm/model.tsv.gz

The text is given on the command line and read only here: the product reads the built model, never
the text (``../shared/real/lm``: 117 M characters of laws, decrees, circulars and Công báo documents,
NFC, one paragraph a line, gzip; see its README). Deterministic: the same text gives the same bytes.

Sources, and why each:
- the real text: the bigram counts, the context that decides between two valid syllables (``tổ
  chức`` / ``tố cáo``), and the syllables' counts; each distinct paragraph is counted once (the
  collections overlap: the Pháp điển holds the same article under several topics). Not its pairs
  across a comma: in running text any two words meet there (``đường, bảo đảm`` made ``đương``), and
  measured, they cost the corpus more than they gave the real scans;
- ``admin_text.txt`` (written for this model: phrases in the register of Nghị định 30 documents, the
  header and the signature block in capitals) and the two real notices in ``fixtures/seeds/``: the
  parts of a document that legal text rarely has, and the lists whose items are context across a
  comma (``sửa đổi, bổ sung``), kept whatever their count;
- the word list inside Tesseract's own ``vie`` model (``combine_tessdata -u`` + ``dawg2wordlist``)
  and Debian's ``hunspell-vi`` dictionary (``/usr/share/hunspell/vi_VN.dic``, MPL-2.0): syllables
  with a count of 0 when the text lacks them (a name's syllable, ``_known_name_syllable``).
Never the test corpus (``fixtures/corpus``) nor its generator: that would tune the model to the test.

Pruned for size: a bigram of the real text seen fewer than ``--min-bigram`` times is dropped (the
smoothing in ``Model.p_bi`` gives it its share of the syllable's frequency), and so is an abbreviation
(``=UBND``) seen fewer than ``--min-abbreviation`` times (Pháp điển numbering such as ``26.2.LQ.1``
leaves ``LQ``).

Output: one gzipped TSV, sorted, rows ``u <key> <count>`` (syllable: count in the text, 0 if only in
a word list), ``b <key> <key> <count>`` (bigram within a phrase, or across a comma:
``comma_pairs``) and ``m <a> <c> <b>:<count> …`` (the trigrams ``a b c`` within a phrase, seen at
least ``--min-trigram`` times, by their two outer syllables: kept as text until a word between
those two is looked at, so loading the model stays fast). Keys are tone-normalised (see ``ocr_ingest.lm.key``), so ``hòa`` and ``hoà`` are one
syllable: the text's old and new tone placements are counted together.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import hashlib
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from ocr_ingest.lm.model import MODEL, comma_pairs, context_key, key, phrases

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata/vie.traineddata")
HUNSPELL = Path("/usr/share/hunspell/vi_VN.dic")
#: a bigram of the real text is kept from this count on (1, 3, 10: the same CER; docs/accuracy.md)
MIN_BIGRAM = 3
#: an abbreviation of the real text is kept from this count on
MIN_ABBREVIATION = 20
#: a trigram of the real text is kept from this count on (``model._by_trigram`` asks for more)
MIN_TRIGRAM = 5

Counts = tuple[Counter[str], Counter[tuple[str, str]], Counter[tuple[str, str, str]]]


def tesseract_words() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        prefix = f"{tmp}/vie."
        subprocess.run(["combine_tessdata", "-u", str(TESSDATA), prefix], check=True, capture_output=True)
        out = f"{tmp}/words.txt"
        subprocess.run(
            ["dawg2wordlist", f"{prefix}lstm-unicharset", f"{prefix}lstm-word-dawg", out],
            check=True,
            capture_output=True,
        )
        return Path(out).read_text(encoding="utf-8").split()


def hunspell_words() -> list[str]:
    lines = HUNSPELL.read_text(encoding="utf-8").splitlines()[1:]  # first line: the count
    return [ln.split("/")[0].strip() for ln in lines if ln.strip()]


def own_texts() -> list[str]:
    """``admin_text.txt`` and the seed notices: the register's own phrases (see module doc)."""
    own = (HERE / "admin_text.txt").read_text(encoding="utf-8").splitlines()
    lines = [ln for ln in own if ln.strip() and not ln.startswith("#")]
    for seed in sorted((ROOT / "fixtures" / "seeds").glob("*.txt")):
        lines += seed.read_text(encoding="utf-8").splitlines()
    return lines


def paragraphs(paths: Iterable[Path]) -> Iterator[str]:
    """Each distinct paragraph of the text files (gzip or plain), in file order."""
    seen: set[bytes] = set()
    for path in paths:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                digest = hashlib.blake2b(line.strip().encode(), digest_size=8).digest()
                if digest not in seen:
                    seen.add(digest)
                    yield line


def count(lines: Iterable[str], commas: bool = True) -> Counts:
    """Syllable, bigram and trigram counts of the lines: within a phrase, and bigrams across a comma
    if ``commas``."""
    unigrams: Counter[str] = Counter()
    bigrams: Counter[tuple[str, str]] = Counter()
    trigrams: Counter[tuple[str, str, str]] = Counter()
    key_of = functools.lru_cache(maxsize=None)(context_key)
    for line in lines:
        for phrase in phrases(line):
            keys = [key_of(w) for w in phrase]
            unigrams.update(k for k in keys if k)
            bigrams.update((a, b) for a, b in zip(keys, keys[1:], strict=False) if a and b)
            trigrams.update(t for t in zip(keys, keys[1:], keys[2:], strict=False) if all(t))
        if commas and "," in line:
            bigrams.update(comma_pairs(line))
    return unigrams, bigrams, trigrams


def prune(
    counts: Counts,
    min_bigram: int = MIN_BIGRAM,
    min_abbreviation: int = MIN_ABBREVIATION,
    min_trigram: int = MIN_TRIGRAM,
) -> Counts:
    """The real text's counts without its rare bigrams, trigrams and abbreviations (see module doc)."""
    unigrams, bigrams, trigrams = counts
    rare = {k for k, n in unigrams.items() if k.startswith("=") and n < min_abbreviation}
    kept_uni = Counter({k: n for k, n in unigrams.items() if k not in rare})
    kept_bi = Counter(
        {p: n for p, n in bigrams.items() if n >= min_bigram and p[0] not in rare and p[1] not in rare}
    )
    kept_tri = Counter({t: n for t, n in trigrams.items() if n >= min_trigram and not rare.intersection(t)})
    return kept_uni, kept_bi, kept_tri


def build(
    paths: Iterable[Path],
    min_bigram: int = MIN_BIGRAM,
    min_abbreviation: int = MIN_ABBREVIATION,
    min_trigram: int = MIN_TRIGRAM,
) -> Counts:
    """The model's counts: the real text's, pruned, plus the own text's and the word lists' syllables."""
    real = count(paragraphs(paths), commas=False)
    unigrams, bigrams, trigrams = prune(real, min_bigram, min_abbreviation, min_trigram)
    own_uni, own_bi, own_tri = count(own_texts())
    unigrams.update(own_uni)
    bigrams.update(own_bi)
    trigrams.update(own_tri)
    for word in tesseract_words() + hunspell_words():
        k = key(word)
        if k and k not in unigrams:
            unigrams[k] = 0
    return unigrams, bigrams, trigrams


def write(counts: Counts, path: Path = MODEL) -> None:
    unigrams, bigrams, trigrams = counts
    rows = [f"u\t{k}\t{n}" for k, n in sorted(unigrams.items())]
    rows += [f"b\t{a}\t{b}\t{n}" for (a, b), n in sorted(bigrams.items())]
    middles: dict[tuple[str, str], list[str]] = {}
    for (a, b, c), n in sorted(trigrams.items()):
        middles.setdefault((a, c), []).append(f"{b}:{n}")
    rows += [f"m\t{a}\t{c}\t{' '.join(bs)}" for (a, c), bs in sorted(middles.items())]
    data = ("\n".join(rows) + "\n").encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("text", nargs="+", type=Path, help="real text: one paragraph a line, NFC, .gz or plain")
    p.add_argument("--min-bigram", type=int, default=MIN_BIGRAM)
    p.add_argument("--min-abbreviation", type=int, default=MIN_ABBREVIATION)
    p.add_argument("--min-trigram", type=int, default=MIN_TRIGRAM)
    p.add_argument("--out", type=Path, default=MODEL)
    args = p.parse_args(argv)
    started = time.perf_counter()
    counts = build(sorted(args.text), args.min_bigram, args.min_abbreviation, args.min_trigram)
    write(counts, args.out)
    print(
        f"{args.out}: {len(counts[0])} syllables, {len(counts[1])} bigrams, {len(counts[2])} trigrams,"
        f" {args.out.stat().st_size / 1e6:.1f} MB, built in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
