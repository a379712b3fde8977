"""``make demo``'s intake step: a hồ sơ of bundled documents (two scans, one e-signed notice) exported
as the archive's package, signed with a PKCS#12 key made from the fixture PKI's organisation
certificate, then its tree and every validator's verdict (``ocr-ingest export --check``).

Usage: ``python -m bench.intake_demo [--out DIR]`` (default ``demo-out/intake``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

ROOT = Path(__file__).resolve().parents[1]
PKI = ROOT / "fixtures" / "signed" / "pki"
DOCUMENTS = [
    ROOT / "fixtures" / "scans" / "govquao-2021-standard.pdf",
    ROOT / "fixtures" / "scans" / "huyenuy-2023-standard.pdf",
    ROOT / "fixtures" / "signed" / "valid.pdf",
]
CODE = "H30.81.2024.K4.01.01"
PASSWORD = "demo"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=ROOT / "demo-out" / "intake")
    out = ap.parse_args().out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    key = serialization.load_pem_private_key((PKI / "private" / "ubnd-lamdong.key.pem").read_bytes(), None)
    cert = x509.load_pem_x509_certificate((PKI / "private" / "ubnd-lamdong.pem").read_bytes())
    enc = serialization.BestAvailableEncryption(PASSWORD.encode())
    (out / "archive.p12").write_bytes(pkcs12.serialize_key_and_certificates(b"archive", key, cert, None, enc))
    docs = "".join(
        f'\n[[van_ban]]\nso_thu_tu = "{k:02d}"\nfile = "{p}"\n' for k, p in enumerate(DOCUMENTS, 1)
    )
    (out / "hoso.toml").write_text(
        f'[ho_so]\nma_ho_so = "{CODE}"\ntieu_de = "Văn bản đến năm 2021-2023"\nphong = "Huyện ủy Trà Cú"\n'
        'muc_luc = "01"\nhop = "01"\nthoi_han_bao_quan = "Vĩnh viễn"\nche_do_su_dung = "Công khai"\n' + docs,
        encoding="utf-8",
    )
    package = out / f"{CODE}.zip"
    cmd = [sys.executable, "-m", "ocr_ingest.cli", "export", str(out / "hoso.toml"), "--out", str(package)]
    cmd += ["--pkcs12", str(out / "archive.p12"), "--trust", str(PKI), "--check"]
    rc = subprocess.run(cmd, env={**os.environ, "OCR_INGEST_P12_PASSWORD": PASSWORD}, cwd=ROOT).returncode
    if package.exists():
        print("\nthe package:")
        with zipfile.ZipFile(package) as z:
            for info in z.infolist():
                print(f"  {info.file_size:>10}  {info.filename}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
