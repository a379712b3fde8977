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
    # issue 21: the licensed public CAs under Vietnam National Root CA and MIC National Root CA
    "bkavca-rs.pem": "28EB55727B391958AB7060FEF404D283D7EC444534E5E0F818345710D284A145",
    "bkavca-sha256.pem": "B30C57C89FADDEE48B3614AF59645BD6871CCA2DC6506243CAFAAFF44154A919",
    "ca2-rs.pem": "3CF65289D5EC520D84157AC9B3A528384D8ACC779849B799630A46CDE5039736",
    "ca2.pem": "44D0592A0A51580315C9CB4AF1768FBB3CF30B57AD7CC4F3F016D666E3CA0688",
    "cmc-ca-rs.pem": "9083CC31662DFE9882C9896D3FCDF682101A00E8508826965E8CABAC371F960E",
    "cmc-ca.pem": "BE9F053548B68261FE90EE7D4E8C32CD1250761ABC5ED6333D58D22C70FDF044",
    "e-ca.pem": "43734C6D4CD44851F73E531AC83B54498CE52ACC86798B56AB6CF9B29AC6E9CB",
    "easyca-remote-signing.pem": "6C2DB621925EB31009B97E5CEEC268F1683B54997114FD729E79C817C42D867B",
    "easyca.pem": "CD2171C4532D0DCF743B8C178968BCC17189E735ED11BB44C4D54CF197FA54EA",
    "efy-ca-sha256-r1.pem": "7CAE1BE881B82FB6E2958F1715360210A52B9CBFDB1765E8D560422B180823FB",
    "fastca-sha-256-r1.pem": "A6DBC6801E3AC5A057007170519D34DA4AA3A5051AA106360685581B21D14B87",
    "fastca-sha-256.pem": "BCE53BFC017DC917CCAC7F314BCDDF257C53EC8FFC0165F33A80558DEDED01F1",
    "fpt-certification-authority-rs.pem": "CB60732F9C58044304B53AC90941C188CFB733EC5A507E5A2F057EC7F511D972",
    "fpt-certification-authority-sha256.pem": "D36F1110D4BBF11BC80A312830FF4078509F55D9099A4E913D4743BE5B903B06",
    "hilo-ca-sha-256.pem": "32F33EA0C2F1E75F13A76049F27027153F5F2FBD157F0AAD2B5F8E518A9D78F4",
    "i-ca.pem": "947D12EBB482A9DAB1079B0792D64E47775A94F2B4A8B4143909B65286BC5303",
    "intrustca-remote-signing.pem": "132ACF3A453FA1D9DAE99F50B48B7B053AAC819AACDA7FAB1D86160CAB7DEA60",
    "matbao-ca.pem": "AB5C2034DD302102011A7ABFB3386044FA2ED79AB9D2DA22789457B3F9DD3434",
    "misa-ca-rs.pem": "6F471D7820E7608AA7E83525617DC7C65932D9CC3D6E550383C8056764451B2C",
    "misa-ca-sha256.pem": "8D37501361C79A128D43976114289D3493D99F0FA344382598560AA99A89FB9C",
    "mobifone-ca-simpki.pem": "95065D73314631709AB5C4C2C929F9DF870B93E124A109E2A165B3064F8CCF4B",
    "nc-ca-sha256.pem": "9BBADCC2CE574B351D6FEF7BBA513389C6E59A34125EAF8DCDC2AC5B877E76CC",
    "newtel-ca-sha-256-v2.pem": "E32106D91CAFA1E0DF61775E7B985084E47CFE3E3E151878AA9BDB5269D4909F",
    "one-ca-sha-256.pem": "1E52E66B27C37F4B349DC5022A2186F8E2204AFD1D25515C4E699A1B33D58E26",
    "safe-ca-sha-256-2024.pem": "D90D40EC121E84145A6A6B8E25DEB897E12E9AC2E88C3587A19F49DB47E8C2B3",
    "savis-trustca-rs.pem": "7CD875DD3683C8149E166A4462704A372B63EFB024A033DDBE9746E5DA6554E3",
    "smartsign.pem": "4F87358CB360C4562F433DB6F48D8858F80D730BA92797661424AEED903D5975",
    "trustca-g2-sha256.pem": "1FF6F8C5F3300A3F860958F27AC1067741F256E3EEA5516D5D42E3D658A1B84B",
    "trustca-qualified-timestamping-ca.pem": "B5D2F64C02173E19C722FD27096EDE0F394E76A416367E8A9A0BAE582C0FF0A0",
    "viettel-ca-rs.pem": "860BCBE22FDC6757FE03B4597F7C61CA7F36E13CEB74A78CBEFC9C5B267B8662",
    "viettel-ca-sha2.pem": "DCC79CACD7C7D639ED7E253E1EE780C90CCACD4CFC8CA57954D54C624A7F72E4",
    "vnpay-ca-rs.pem": "BEF1B636F550766983869941BAB064C144C48A7E04213519267700B84459674C",
    "vnpay-ca-token.pem": "86424BAB05F406DDCED860D3A910A0EA5A00B7301616821E868766AFE60A7AD7",
    "vnpt-smartca-rs.pem": "95CF8F36C986E0C0F7E03761B17D7804072CB644B235A8F1C62107F8804A4889",
    "winca.pem": "ACB6A4955B5E3FED58BF1F63070DBD33B56006F43532983A543372BA88232ADC",
    "viettel-ca-mic-2015.pem": "684CAF190176D13158808EF193B2D20575399A87FD9E8C5BEDC09065A184841A",
    "viettel-ca-mic-2010.pem": "5B0A7DCBCB13B66F07E06837115ADA1BEBB155D250D68FDC3BA9D0AA8606AEB8",
    "vnpt-ca-operator-2010.pem": "017492614CF54A616465F1251B45BD586A110C0BB310967A2322A662720BEB37",
    "vnpt-ca-mic-2009.pem": "068927B4C1A38AE4DB1E8F59A71A8C643D9DFBB53A674862387BD5AA7386247B",
}


def test_bundled_fingerprints_pinned() -> None:
    found = {}
    for f in sorted(TRUST.glob("*.pem")):
        _, _, der = pem.unarmor(f.read_bytes())
        found[f.name] = hashlib.sha256(der).hexdigest().upper()
    assert found == PINNED


def test_bundled_store_split() -> None:
    a = Settings().anchors()
    assert (len(a.roots), len(a.intermediates)) == (4, 46)
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
