"""Build the syllable model (``model.tsv.gz``) from text that ships in packages and in this repository.

    python -m ocr_ingest.lm.build        # rewrites ocr_ingest/lm/model.tsv.gz (deterministic)

Sources, and why each:
- the word list inside Tesseract's own ``vie`` model (``combine_tessdata -u`` + ``dawg2wordlist``):
  the syllables the engine itself knows — the lexicon's core;
- Debian's ``hunspell-vi`` dictionary (``/usr/share/hunspell/vi_VN.dic``, MPL-2.0): more syllables;
- ``admin_text.txt`` (written for this model: administrative phrases in the register of Nghị định 30
  documents) and the two real notices in ``fixtures/seeds/``: the bigram counts — the context that
  decides between two valid syllables (``tổ chức`` / ``tố cáo``).
Never the test corpus (``fixtures/corpus``) nor its generator: that would tune the model to the test.

Output: one gzipped TSV, sorted, rows ``u <key> <count>`` (syllable: count in the text, 0 if only in
a word list) and ``b <key> <key> <count>`` (bigram within a phrase, or across a comma: ``comma_pairs``). Keys are tone-normalised (see
``ocr_ingest.lm.key``), so ``hòa`` and ``hoà`` are one syllable.
"""

from __future__ import annotations

import gzip
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from ocr_ingest.lm.model import MODEL, comma_pairs, context_key, key, phrases

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata/vie.traineddata")
HUNSPELL = Path("/usr/share/hunspell/vi_VN.dic")


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


def texts() -> list[str]:
    own = (HERE / "admin_text.txt").read_text(encoding="utf-8").splitlines()
    lines = [ln for ln in own if ln.strip() and not ln.startswith("#")]
    for seed in sorted((ROOT / "fixtures" / "seeds").glob("*.txt")):
        lines += seed.read_text(encoding="utf-8").splitlines()
    return lines


def build() -> tuple[Counter[str], Counter[tuple[str, str]]]:
    unigrams: Counter[str] = Counter()
    bigrams: Counter[tuple[str, str]] = Counter()
    for line in texts():
        for phrase in phrases(line):
            keys = [context_key(w) for w in phrase]
            unigrams.update(k for k in keys if k)
            bigrams.update((a, b) for a, b in zip(keys, keys[1:], strict=False) if a and b)
        bigrams.update(comma_pairs(line))
    for word in tesseract_words() + hunspell_words():
        k = key(word)
        if k and k not in unigrams:
            unigrams[k] = 0
    return unigrams, bigrams


def main() -> None:
    unigrams, bigrams = build()
    rows = [f"u\t{k}\t{n}" for k, n in sorted(unigrams.items())]
    rows += [f"b\t{a}\t{b}\t{n}" for (a, b), n in sorted(bigrams.items())]
    data = ("\n".join(rows) + "\n").encode("utf-8")
    with open(MODEL, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)
    print(f"{MODEL}: {len(unigrams)} syllables, {len(bigrams)} bigrams, {MODEL.stat().st_size} bytes")


if __name__ == "__main__":
    main()
