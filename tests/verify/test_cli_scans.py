"""``ocr-ingest verify`` on a scan of a printed e-signed notice: the stamp is only in the pixels."""

import json
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES

HARD_SCAN = str(FIXTURES / "scans" / "govquao-2021-hard.pdf")


def verify_json(*args: str) -> tuple[int, dict]:
    out = subprocess.run(
        [sys.executable, "-m", "ocr_ingest.cli", "verify", "--json", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return out.returncode, json.loads(out.stdout)


@pytest.mark.slow
def test_a_scan_of_a_printed_signed_notice_is_stamp_only_with_its_stamp_read():
    code, report = verify_json(HARD_SCAN)
    assert code == 1 and report["verdict"] == "stamp_only"
    stamp = report["stamp"]
    assert stamp["time"] == "2021-06-09T16:46:33+07:00"
    assert stamp["organisation"] == "Huyện Gò Quao, Tỉnh Kiên Giang"
    assert stamp["signer"].endswith("- Ủy ban nhân dân")  # the seal covers part of this line on the hard scan


def test_without_ocr_the_same_scan_is_unsigned():
    code, report = verify_json("--ocr", "never", HARD_SCAN)
    assert code == 1 and report["verdict"] == "unsigned" and report["stamp"] is None
