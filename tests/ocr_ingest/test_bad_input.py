"""Every kind of unreadable input: a typed error in the library, one line and an exit code in the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from ocr_ingest import BadInputError, EncryptedPdfError, PageTooLargeError, extract_text
from ocr_ingest.errors import EXIT_BAD_INPUT, EXIT_ENCRYPTED, EXIT_NOT_ALL_OK
from tests.conftest import FIXTURES

DIGITAL = FIXTURES / "digital" / "govquao-2021.pdf"


def make_bad_inputs(tmp: Path) -> dict[str, tuple[Path, type, str]]:
    """name → (file, expected error class, words the message must contain)."""
    empty = tmp / "empty.pdf"
    empty.write_bytes(b"")
    text = tmp / "notes.pdf"
    text.write_text("Đây không phải là PDF\n", encoding="utf-8")
    truncated = tmp / "truncated.pdf"
    truncated.write_bytes(DIGITAL.read_bytes()[:30000])
    encrypted = tmp / "encrypted.pdf"
    with pikepdf.open(DIGITAL) as pdf:
        pdf.save(encrypted, encryption=pikepdf.Encryption(owner="o", user="secret", R=6))
    zero = tmp / "zero-pages.pdf"
    with pikepdf.new() as pdf:
        pdf.save(zero)
    huge = tmp / "huge.png"
    Image.new("1", (20000, 20000), 1).save(huge)
    tiny = tmp / "tiny.png"
    Image.new("L", (2, 200), 255).save(tiny)
    return {
        "empty": (empty, BadInputError, "empty"),
        "not a pdf": (text, BadInputError, "neither a PDF nor an image"),
        "truncated": (truncated, BadInputError, "damaged or truncated"),
        "encrypted": (encrypted, EncryptedPdfError, "encrypted"),
        "zero pages": (zero, BadInputError, "no pages"),
        "20000 × 20000 px": (huge, PageTooLargeError, "too large"),
        "2 × 200 px": (tiny, BadInputError, "too small to hold text"),
    }


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory):
    return make_bad_inputs(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize(
    "name", ["empty", "not a pdf", "truncated", "encrypted", "zero pages", "20000 × 20000 px", "2 × 200 px"]
)
def test_library_raises_a_typed_error_naming_file_and_reason(bad_inputs, name):
    path, error, words = bad_inputs[name]
    with pytest.raises(error) as info:
        extract_text(path)
    assert str(path) in str(info.value) and words in str(info.value)


def test_missing_file():
    with pytest.raises(BadInputError, match="does not exist"):
        extract_text("/nonexistent/notice.pdf")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ocr_ingest.cli", *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    "name,code",
    [
        ("truncated", EXIT_BAD_INPUT),
        ("encrypted", EXIT_ENCRYPTED),
        ("20000 × 20000 px", EXIT_BAD_INPUT),
        ("2 × 200 px", EXIT_BAD_INPUT),
    ],
)
def test_cli_prints_one_line_and_exits_non_zero(bad_inputs, name, code):
    path, _, words = bad_inputs[name]
    out = run_cli("text", str(path))
    assert out.returncode == code
    assert out.stderr.count("\n") == 1 and words in out.stderr and str(path) in out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""


def test_cli_goes_on_after_a_bad_file_and_says_some_failed(bad_inputs):
    empty = bad_inputs["empty"][0]
    out = run_cli("text", str(empty), str(DIGITAL))
    assert out.returncode == EXIT_NOT_ALL_OK
    assert "Số 153/TB-VP" in out.stdout and "empty" in out.stderr
