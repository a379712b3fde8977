"""``ocr-ingest verify FILE... [--json] [--trust DIR]``: one verdict per file; exit 0 only if all valid."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .core import verify_file
from .report import LABELS, FileReport
from .settings import Settings

# The exit statuses of ``ocr-ingest`` (ocr_ingest/errors.py): verify imports nothing of ocr_ingest.
EXIT_OK, EXIT_NOT_ALL_OK, EXIT_USAGE = 0, 1, 2

#: reads a document's text (text layer, else OCR); ``None`` when it cannot be read
PageText = Callable[[Path], "str | None"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the ``verify`` subcommand (also used by ``python -m verify``)."""
    parser.description = (
        "Check the digital signatures of signed notices (integrity, later changes, trust chain to "
        "Vietnam's public CAs, timestamps) and cross-check the visible stamp. Offline: no network."
    )
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path, help="PDF files to verify")
    parser.add_argument("--json", action="store_true", help="one JSON object per file per line")
    parser.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="DIR",
        type=Path,
        help="add the certificates (*.pem, *.crt, *.cer, *.der) in DIR as trust anchors/intermediates; repeatable",
    )
    parser.add_argument(
        "--trust-only",
        action="store_true",
        help="trust only the --trust certificates, not the bundled Vietnamese CAs",
    )
    parser.add_argument(
        "--crl",
        action="append",
        default=[],
        metavar="FILE",
        type=Path,
        help="CRL file for revocation checking (otherwise revocation is reported as 'not checked')",
    )
    parser.add_argument(
        "--ocr",
        choices=("auto", "never"),
        default="auto",
        help="auto (default): a file with no signature is read (text layer, else OCR) to look for a printed "
        "stamp, so a scan of a printed e-signed notice comes out 'stamp_only' (ocr-ingest verify; "
        "python -m verify alone reads no pages); never: skip that",
    )
    parser.add_argument(
        "--stamp-tolerance",
        type=float,
        default=Settings.stamp_tolerance,
        metavar="SECONDS",
        help="allowed difference between the stamp's 'Thời gian ký' and the signing time (default %(default)s)",
    )


def _settings(args: argparse.Namespace) -> Settings:
    for p in [*args.trust, *args.crl]:
        if not p.exists():
            raise FileNotFoundError(p)
    if args.trust_only and not args.trust:
        raise ValueError("--trust-only needs at least one --trust DIR")
    return Settings(
        trust_dirs=tuple(args.trust),
        bundled_trust=not args.trust_only,
        crl_files=tuple(args.crl),
        stamp_tolerance=args.stamp_tolerance,
    )


def _table(r: FileReport) -> str:
    lines = [f"{r.file}", f"  Kết luận / verdict : {LABELS.get(r.verdict, r.verdict)}"]
    for s in r.signatures:
        who = s.signer or "?"
        lines.append(f"  Chữ ký {s.field:<12}: {who} — {s.signing_time or '?'} — {s.status}")
        lines.append(
            f"    CA: {s.issuer or '?'}; {s.digest_algorithm or '?'}; {s.subfilter}; {s.coverage or '?'}"
        )
        lines.append(f"    Sửa đổi / changes: {s.modification_level}")
        lines += [f"    Đối chiếu / stamp check: {c}" for c in s.comparisons]
        lines += [f"    {p}" for p in s.problems if p.startswith("note:")]
    if r.stamp:
        st = r.stamp
        lines.append(
            f"  Dấu ký / stamp    : {st.signer} | {st.organisation or '-'} | {st.email or '-'} | {st.time_text or '-'}"
        )
        if st.copy:
            lines.append(f"  Bản sao y / certified copy by: {st.signer}")
    for p in r.problems:
        lines.append(f"  ! {p}")
    return "\n".join(lines)


def _with_page_text(path: Path, settings: Settings, report: FileReport, page_text: PageText) -> FileReport:
    """Verify again with the document's text (OCR for scans): a printed stamp is only in the pixels."""
    text = page_text(path)
    if text is None:
        return report
    return verify_file(path, settings=settings, text=text)


def run(args: argparse.Namespace, page_text: PageText | None = None) -> int:
    """Verify ``args.files``; print JSON lines or tables; return the exit status. ``page_text`` reads an
    unsigned file's text for a printed stamp (``ocr-ingest verify`` passes its OCR; ``python -m verify``
    alone has none, and reads no pages)."""
    try:
        settings = _settings(args)
        settings.anchors()
    except (OSError, ValueError) as e:
        print(f"verify: {e}", file=sys.stderr)
        return EXIT_USAGE
    progress = sys.stderr.isatty() and len(args.files) > 3
    all_ok = True
    for i, f in enumerate(args.files, 1):
        if progress:
            print(f"\r[{i}/{len(args.files)}] {f.name[:60]:<60}", end="", file=sys.stderr, flush=True)
        report = verify_file(f, settings=settings)
        if report.verdict == "unsigned" and args.ocr == "auto" and page_text is not None:
            report = _with_page_text(f, settings, report, page_text)
        all_ok &= report.ok
        print(report.to_json() if args.json else _table(report), flush=True)
    if progress:
        print(file=sys.stderr)
    return EXIT_OK if all_ok else EXIT_NOT_ALL_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ocr-ingest verify")
    add_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0) if e.code in (0, None) else EXIT_USAGE
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
