"""Pinned fingerprints of the bundled trust store; the CLI as a real subprocess (JSON shape, exit codes)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from asn1crypto import pem

from verify import Settings

ROOT = Path(__file__).resolve().parents[2]
SIGNED = ROOT / "fixtures" / "signed"
TRUST = ROOT / "verify" / "trust"

# Copied from verify/trust/README.md: a swapped certificate file must fail here.
PINNED = {
    "bca.pem": "ECBF8428266C549EB1BFDC2715270D5B9DFF3BBBE2D3F0C33E0FD91F70B2D943",
    "bng.pem": "3C4281296F92D292CC952295FE41AD7D0B37438FF1D143B56C4642CC1B14BD93",
    "btc.pem": "A262CFA489DBBE666F8B89FAB832547809874D5A06FA9F7A38FC227EBDF40514",
    "cp.pem": "75E969C07BA35C29C72BBC1BFB880F20F3891A619B00B77EB02CA6160736A1FE",
    "cpcag2.pem": "D8CAB7A4AEF92E6BB2509D7C61CEE7B44F3731B2D21074963530277B366FAE4B",
    "dcs.pem": "6E218B3EBC2F31B0D03205C64FD7E8920FB47187D37AFCDB4CB2BB4178BF4635",
    "mic.pem": "CA918D635BB130BEC97639E6AABF7EDBC4EB1310F8058B9419F467AE0230AD8C",
    "rootcag2.pem": "F04BA4B459A7C9A1B971AD9B1CB833E695A80C79AEA63B174B66A70EDFE2FDB8",
    "vgca-rootca.pem": "F7BC89054CEC7F12730D7B8CD3EB7955B163835087E5EB873EDFB584763B3F90",
    "vnpt-ca-sha2.pem": "7D6BA5245317F9ED5D8BC765A4634D26AC6340D36B9F584DF3B52D9C4A81A306",
    "vnrca256.pem": "BAC8BF609AB420A8EE1780D74F4DE5C7F7184959D2A7375B0A75E4C29F0908E7",
}


def test_bundled_fingerprints_pinned() -> None:
    found = {}
    for f in sorted(TRUST.glob("*.pem")):
        _, _, der = pem.unarmor(f.read_bytes())
        found[f.name] = hashlib.sha256(der).hexdigest().upper()
    assert found == PINNED


def test_bundled_store_split() -> None:
    a = Settings().anchors()
    assert (len(a.roots), len(a.intermediates)) == (4, 7)
    assert len(Settings(bundled_trust=False, trust_dirs=(SIGNED / "pki",)).anchors().roots) == 1


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "verify", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_cli_json_all_valid_exit_0() -> None:
    p = _run(
        "--json", "--trust", "fixtures/signed/pki", "fixtures/signed/valid.pdf", "fixtures/signed/sha1.pdf"
    )
    assert p.returncode == 0, p.stderr
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert [d["verdict"] for d in lines] == ["valid", "valid"]
    d = lines[0]
    assert set(d) == {"file", "verdict", "signatures", "stamp", "problems"}
    assert set(d["signatures"][0]) >= {
        "signer", "issuer", "signing_time", "digest_algorithm", "subfilter", "coverage",
        "modification_level", "trust_path", "timestamp", "problems",
    }  # fmt: skip
    assert d["stamp"]["time"] == "2023-09-14T09:12:05+07:00"


def test_cli_not_all_valid_exit_1() -> None:
    p = _run(
        "--json",
        "--trust",
        "fixtures/signed/pki",
        "fixtures/signed/valid.pdf",
        "fixtures/signed/truncated.pdf",
    )
    assert p.returncode == 1
    assert [json.loads(x)["verdict"] for x in p.stdout.splitlines()] == ["valid", "error"]


def test_cli_without_test_pki_untrusted_and_table() -> None:
    p = _run("fixtures/signed/valid.pdf")
    assert p.returncode == 1
    assert "Không tin cậy / untrusted" in p.stdout


def test_cli_usage_errors_exit_2() -> None:
    assert _run().returncode == 2
    assert _run("--bogus", "x.pdf").returncode == 2
    assert _run("--trust", "no/such/dir", "fixtures/signed/valid.pdf").returncode == 2
    assert _run("--trust-only", "fixtures/signed/valid.pdf").returncode == 2
    assert _run("--help").returncode == 0


def test_cli_crl_revoked_exit_1_valid_exit_0() -> None:
    crl = "fixtures/signed/pki/intermediate.crl"
    p = _run("--json", "--trust", "fixtures/signed/pki", "--crl", crl, "fixtures/signed/revoked-cert.pdf")
    assert p.returncode == 1, p.stderr
    d = json.loads(p.stdout)
    assert d["verdict"] == "untrusted"
    assert d["signatures"][0]["revocation"].startswith("revoked on 2023-06-01")
    p = _run("--trust", "fixtures/signed/pki", "--crl", crl, "fixtures/signed/valid.pdf")
    assert p.returncode == 0, p.stderr
    assert "Hợp lệ / valid" in p.stdout
    assert _run("--crl", "no/such.crl", "fixtures/signed/valid.pdf").returncode == 2


def test_cli_table_explains_each_stamp_comparison_and_notes() -> None:
    p = _run(
        "--trust",
        "fixtures/signed/pki",
        "fixtures/signed/ky-boi-abbreviation.pdf",
        "fixtures/signed/sao-y.pdf",
    )
    assert p.returncode == 0, p.stderr
    assert (
        "    Đối chiếu / stamp check: signer: stamp 'UBND tỉnh Lâm Đồng' ≈ certificate "
        "'ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG' (abbreviation)\n"
    ) in p.stdout
    assert "    note: sao_y: a certified copy (sao y) made by 'Ủy ban Nhân dân tỉnh Bến Tre'\n" in p.stdout
    assert "  Bản sao y / certified copy by: Ủy ban Nhân dân tỉnh Bến Tre\n" in p.stdout
