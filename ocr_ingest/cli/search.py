"""``ocr-ingest search --archive DIR "query"``: full-text search, diacritics optional, best match first.

Each hit shows the fields an archivist scans for (type, number, date, issuer, subject, signer), the
signature verdict and a snippet with the matched words marked. ``--json``: one object per hit per line.
Exit status 0 with hits, 1 without (as grep), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from verify import VERDICTS

from ..archive.store import DB_NAME, MARKS, Archive, Filters, Hit
from ..errors import EXIT_NOT_ALL_OK, EXIT_OK, EXIT_USAGE

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
BOLD, RESET = "\x1b[1;33m", "\x1b[0m"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="?", default="", help='words or "a phrase"; word* for a prefix')
    parser.add_argument("--archive", metavar="DIR", type=Path, required=True)
    parser.add_argument("--json", action="store_true", help="one JSON object per hit per line")
    parser.add_argument("--type", dest="doc_type", metavar="TYPE", help='tên loại, e.g. "thong bao"')
    parser.add_argument("--from", dest="date_from", metavar="DATE", help="YYYY[-MM[-DD]], inclusive")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="YYYY[-MM[-DD]], inclusive")
    parser.add_argument("--issuer", metavar="TEXT", help="part of the issuing (or parent) body's name")
    parser.add_argument("--verdict", choices=VERDICTS, help="signature verdict")
    parser.add_argument("--limit", type=int, default=20, help="most hits to show (20)")


def run(args: argparse.Namespace) -> int:
    for name in ("date_from", "date_to"):
        value = getattr(args, name)
        if value and not DATE.match(value):
            print(
                f"ocr-ingest search: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", file=sys.stderr
            )
            return EXIT_USAGE
    if args.limit < 1:
        print("ocr-ingest search: --limit must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if not (args.archive / DB_NAME).is_file():
        print(f"ocr-ingest search: no archive at {args.archive} (run `ocr-ingest run`)", file=sys.stderr)
        return EXIT_USAGE
    filters = Filters(args.doc_type, args.date_from, args.date_to, args.issuer, args.verdict)
    with Archive(args.archive, repair=False) as archive:
        hits = archive.search(args.query, filters, limit=args.limit)
    colour = sys.stdout.isatty()
    for n, hit in enumerate(hits, 1):
        if args.json:
            print(json.dumps(hit.to_dict(), ensure_ascii=False))
        else:
            print(format_hit(n, hit, colour), end="\n\n" if n < len(hits) else "\n")
    if not hits:
        print("no matches", file=sys.stderr)
    return EXIT_OK if hits else EXIT_NOT_ALL_OK


def format_hit(n: int, hit: Hit, colour: bool = False) -> str:
    """Four lines: what and when, the subject, who signed and where it is, the snippet."""
    m = hit.metadata
    head = " ".join(str(v) for v in (m["doc_type"], m["number"]) if v) or "(untitled)"
    issuer = m["issuing_body"] or m["parent_body"] or "?"
    lines = [f"{n}. {head}, {m['date'] or 'undated'} — {issuer} [{hit.verdict}]"]
    if m["subject"]:
        subject = m["subject"]
        lines.append("   " + (subject if len(subject) <= 140 else subject[:139] + "…"))
    signer = ", ".join(v for v in (m["signer_title"], m["signer_name"]) if v) or "?"
    lines.append(f"   Ký: {signer} · {m['page_count']} trang · {hit.dir}/record.json")
    snippet = hit.snippet
    if colour:
        snippet = snippet.replace(MARKS[0], BOLD).replace(MARKS[1], RESET)
    lines.append(f"   {snippet}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ocr-ingest search", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
