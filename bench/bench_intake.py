"""What ``ocr-ingest export`` adds per page on top of reading: the two-layer PDF/A, the archive's
signature (PKCS#12 made from the fixture PKI's organisation key), the metadata, METS/PREMIS and the zip.

Reading (OCR, fields, verify) is what ``run`` costs anyway and is reported apart. Usage:
``python bench/bench_intake.py [SCAN.pdf ...]`` (default: the bundled scans).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ocr_ingest.intake.package import export  # noqa: E402
from ocr_ingest.intake.sign import SigningSettings  # noqa: E402

PKI = ROOT / "fixtures" / "signed" / "pki"
READING = ("verify", "read (OCR)", "fields")


def organisation_p12(out: Path) -> Path:
    key = serialization.load_pem_private_key((PKI / "private" / "ubnd-lamdong.key.pem").read_bytes(), None)
    cert = x509.load_pem_x509_certificate((PKI / "private" / "ubnd-lamdong.pem").read_bytes())
    out.write_bytes(
        pkcs12.serialize_key_and_certificates(b"archive", key, cert, None, serialization.NoEncryption())
    )
    return out


def main(scans: list[Path]) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        docs = "".join(
            f'\n[[van_ban]]\nso_thu_tu = "{k:03d}"\nfile = "{p.resolve()}"\n' for k, p in enumerate(scans, 1)
        )
        desc = tmp / "hoso.toml"
        desc.write_text(
            '[ho_so]\nma_ho_so = "BENCH.01"\nthoi_han_bao_quan = "Vĩnh viễn"\n' + docs, encoding="utf-8"
        )
        signing = SigningSettings(pkcs12=organisation_p12(tmp / "archive.p12"))
        report = export(desc, tmp / "pkg.zip", signing=signing)
    added = {k: v for k, v in report.seconds.items() if k not in READING}
    read = sum(v for k, v in report.seconds.items() if k in READING)
    print(f"{len(scans)} documents, {report.pages} pages")
    for step, seconds in report.seconds.items():
        print(f"  {step:<24} {seconds:7.2f} s  {seconds / report.pages:6.3f} s/page")
    total = sum(added.values())
    print(
        f"export adds {total / report.pages:.3f} s/page ({total:.2f} s) on top of reading ({read / report.pages:.2f} s/page)"
    )


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]] or sorted((ROOT / "fixtures" / "scans").glob("*.pdf"))
    main(args)
