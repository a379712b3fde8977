"""The ``ocr-ingest`` command: one entry point, one subcommand per job, each in its own module here.

The CLI only parses arguments, calls the library and formats what comes back; errors are typed
(``errors.py``) and become a one-line message and an exit code here, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import __version__
from ..errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, OcrIngestError
from .options import EPILOG

# Subcommands: (name, module, help). A module provides ``add_arguments(parser)`` and ``run(args) -> int``,
# and may say more than its docstring's first line in ``DESCRIPTION``.
COMMANDS = [
    ("text", "ocr_ingest.cli.text", "print the clean Vietnamese text of PDFs or images"),
    ("preprocess", "ocr_ingest.cli.preprocess", "write the cleaned page images (PNG) for another OCR"),
    ("verify", "ocr_ingest.cli.verify", "check the digital signatures and visible stamps of PDFs"),
    ("run", "ocr_ingest.cli.run", "ingest files and folders into an archive and/or as JSON Lines"),
    ("search", "ocr_ingest.cli.search", "full-text search of an archive (with or without diacritics)"),
    ("watch", "ocr_ingest.cli.watch", "watch a scanner hot folder and ingest what lands there"),
    (
        "export",
        "ocr_ingest.intake.command",
        "a hồ sơ as the archive's package (TT 05/2025: PDF/A, signature, METS)",
    ),
    (
        "serve",
        "ocr_ingest.serve.command",
        "the archive in a browser: search, documents, signatures; the review desk once it has users",
    ),
    ("users", "ocr_ingest.cli.users", "accounts of the review desk in serve (add, passwd, remove, list)"),
]


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The full parser. A subcommand's module (and its heavy imports: OpenCV, pyHanko, watchdog, …)
    is loaded only when that subcommand is the one being run; ``--help`` lists them all from COMMANDS."""
    argv = sys.argv[1:] if argv is None else argv
    selected = next((a for a in argv if not a.startswith("-")), None)
    parser = argparse.ArgumentParser(
        prog="ocr-ingest",
        description="Scanned and e-signed Vietnamese government notices → verified, clean, structured text.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"ocr-ingest {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module, help_text in COMMANDS:
        if name != selected:
            sub.add_parser(name, help=help_text)
            continue
        mod = importlib.import_module(module)
        p = sub.add_parser(
            name,
            help=help_text,
            description=getattr(mod, "DESCRIPTION", None)
            or (mod.__doc__ or help_text).strip().splitlines()[0].replace("``", ""),  # no reST in --help
            epilog=EPILOG,
        )
        mod.add_arguments(p)
        p.set_defaults(func=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except OcrIngestError as exc:
        print(f"ocr-ingest: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("ocr-ingest: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
