"""The people real legal text shows signing under each title: a closed list, built at development time.

    python -m ocr_ingest.lm.signers ../shared/real/lm/*.txt.gz   # rewrites ocr_ingest/lm/signers.tsv

Why: on real scans the seal is pressed over the signing block's left, across the signer's name, and
what the page gives back is a part of it (``Thanh Trà``, ``hành Long``) or a letter off (``Trần Đồng
Hà``). A central body signs with few people, and the legal text the language model is built from
prints their blocks: ``PHÓ THỦ TƯỚNG`` over ``Trần Hồng Hà``. ``fields.known`` matches what was read
under a title against the names this list has under the same title (``listed_signer``).

Only the titles a few people hold at once, all of whom the text names (:data:`LEADERS`: the Prime
Minister and the deputies, the heads of the State and of the National Assembly and theirs): a
minister's or a province's chair's list could not be whole, and a name completed from a list that
lacks the signer is a guess. What is taken: such a title's line right above a line that is a person's name (two to five capitalised Vietnamese syllables, the first a
family name of :data:`ocr_ingest.lm.SURNAMES`). Each distinct paragraph pair is counted once per
source line, as the text has it. The file: ``title<TAB>name<TAB>count``, sorted, UTF-8. The text is
read only here; the product reads the built list.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from .model import SURNAMES
from .vietnamese import is_syllable

SIGNERS = Path(__file__).with_name("signers.tsv")
#: The titles whose holders the list holds (see the module's doc).
LEADERS = frozenset(
    [
        "THỦ TƯỚNG",
        "PHÓ THỦ TƯỚNG",
        "CHỦ TỊCH NƯỚC",
        "PHÓ CHỦ TỊCH NƯỚC",
        "CHỦ TỊCH QUỐC HỘI",
        "PHÓ CHỦ TỊCH QUỐC HỘI",
    ]
)

_NAME_WORDS = (2, 5)


def is_name(line: str) -> bool:
    """A person's name as a signing block prints it: capitalised syllables, a family name first."""
    words = line.split()
    return (
        _NAME_WORDS[0] <= len(words) <= _NAME_WORDS[1]
        and words[0] in SURNAMES
        and all(w[:1].isupper() and not w[1:].isupper() and is_syllable(w) for w in words)
    )


def pairs(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(title, name) for each name line right under a title line."""
    above = ""
    for raw in lines:
        line = " ".join(unicodedata.normalize("NFC", raw).split())
        if is_name(line) and above in LEADERS:
            yield above, line
        above = line


def _lines(paths: Iterable[Path]) -> Iterator[str]:
    for path in paths:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:
            yield from f


def build(paths: Iterable[Path]) -> Counter[tuple[str, str]]:
    return Counter(pairs(_lines(paths)))


def write(counts: Counter[tuple[str, str]], path: Path = SIGNERS) -> None:
    rows = sorted(f"{title}\t{name}\t{n}\n" for (title, name), n in counts.items())
    path.write_text("".join(rows), encoding="utf-8")


@functools.cache
def listed(path: Path = SIGNERS) -> tuple[tuple[str, str, int], ...]:
    """The list as (title, name, count) rows; empty when the file is absent."""
    if not path.exists():
        return ()
    out = []
    for row in path.read_text(encoding="utf-8").splitlines():
        title, name, n = row.split("\t")
        out.append((title, name, int(n)))
    return tuple(out)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("text", nargs="+", type=Path, help="real text: one paragraph a line, NFC, .gz or plain")
    p.add_argument("--out", type=Path, default=SIGNERS)
    args = p.parse_args(argv)
    counts = build(args.text)
    write(counts, args.out)
    print(f"{args.out}: {len(counts)} (title, name) pairs, {len({n for _, n in counts})} names")


if __name__ == "__main__":
    main()
