"""The ``ocr-ingest`` command line: ``main`` parses and dispatches (``main.py``); one module per subcommand."""

from .main import main

__all__ = ["main"]
