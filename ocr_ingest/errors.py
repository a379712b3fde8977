"""Every error a user can meet, one class each, with the exit code the CLI gives it.

Library callers catch :class:`OcrIngestError` (or a subclass); the CLI prints ``str(error)`` on one
line and exits with ``error.exit_code``. The codes follow OCRmyPDF's where the meaning is the same.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_NOT_ALL_OK = 1  # a batch had failures, or a file's verdict is not "valid"
EXIT_USAGE = 2
EXIT_MISSING_DEPENDENCY = 3
EXIT_BAD_INPUT = 4
EXIT_CHILD_PROCESS = 7
EXIT_ENCRYPTED = 8
EXIT_INTERRUPTED = 130


class OcrIngestError(Exception):
    """Base class: a problem with a named file (or the set-up), reported in one line."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, path: object, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason

    def __reduce__(self):  # picklable, so a worker process can hand the error back to the caller
        return (type(self), (self.path, self.reason))


class BadInputError(OcrIngestError):
    """Not a PDF or image we can read: unknown type, empty, truncated, damaged, no pages."""


class EncryptedPdfError(OcrIngestError):
    """A password-protected PDF: we never guess passwords."""

    exit_code = EXIT_ENCRYPTED


class PageTooLargeError(BadInputError):
    """A page whose pixel count would exhaust memory (a decompression bomb)."""


class MissingDependencyError(OcrIngestError):
    """A required program (tesseract, pdftoppm) or language pack is missing."""

    exit_code = EXIT_MISSING_DEPENDENCY


class ChildProcessError_(OcrIngestError):
    """An external program failed or timed out on a page."""

    exit_code = EXIT_CHILD_PROCESS
