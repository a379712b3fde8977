"""``ocr-ingest verify``: the signature check of ``verify``, with an unsigned file's pages read (text
layer, else OCR) for a printed stamp: a scan of a printed e-signed notice comes out ``stamp_only``."""

from __future__ import annotations

import argparse
from pathlib import Path

from verify import cli as verify_cli

from ..errors import OcrIngestError
from ..text import extract_text

add_arguments = verify_cli.add_arguments  # its description too


def run(args: argparse.Namespace) -> int:
    return verify_cli.run(args, page_text=page_text)


def page_text(path: Path) -> str | None:
    """The document's clean text, or ``None`` for a file we cannot read (its verdict stands as it is)."""
    try:
        return extract_text(path).text
    except OcrIngestError:
        return None
