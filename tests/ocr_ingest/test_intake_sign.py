"""The archive's signature, made with a key on a real SoftHSM2 token (its own token dir in tmp), from the
fixture PKI's organisation certificate; checked by our ``verify``, by pyHanko, and by the PDF/A validator."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ocr_ingest.intake import validate, write_two_layer_pdfa
from ocr_ingest.intake.sign import SigningError, SigningSettings, sign_copy
from ocr_ingest.text.pipeline import extract_text
from verify import Settings, verify_file

ROOT = Path(__file__).resolve().parents[2]
PKI = ROOT / "fixtures" / "signed" / "pki"
SCAN = ROOT / "fixtures" / "scans" / "govquao-2021-standard.pdf"
MODULE = next(
    (p for p in (Path("/usr/lib/softhsm/libsofthsm2.so"), Path("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"))
     if p.exists()),
    None,
)  # fmt: skip
ORG_KEY = "ubnd-lamdong"  # an organisation certificate: CN and O are a body's name
PIN = "246810"

pytestmark = pytest.mark.skipif(
    MODULE is None or shutil.which("softhsm2-util") is None, reason="softhsm2 not installed (make system)"
)


def asn1_integer(n: int) -> bytes:
    from asn1crypto.core import Integer

    return Integer(n).dump()


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SigningSettings]:
    """A fresh SoftHSM2 token holding the organisation's key and certificate."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    tmp = tmp_path_factory.mktemp("softhsm")
    (tmp / "tokens").mkdir()
    conf = tmp / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tmp / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    patch = pytest.MonkeyPatch()
    patch.setenv("SOFTHSM2_CONF", str(conf))  # this module's token dir, undone after its tests
    env = {**os.environ}
    run = lambda *a: subprocess.run(a, env=env, check=True, capture_output=True)  # noqa: E731
    run("softhsm2-util", "--init-token", "--free", "--label", "archive", "--pin", PIN, "--so-pin", "13579")
    key = serialization.load_pem_private_key((PKI / "private" / f"{ORG_KEY}.key.pem").read_bytes(), None)
    pk8 = tmp / "key.pk8"
    pk8.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    run(
        "softhsm2-util",
        "--import",
        str(pk8),
        "--token",
        "archive",
        "--label",
        "archive",
        "--id",
        "01",
        "--pin",
        PIN,
    )
    pk8.unlink()
    cert = x509.load_pem_x509_certificate((PKI / "private" / f"{ORG_KEY}.pem").read_bytes())
    lib = pkcs11.lib(str(MODULE))
    with lib.get_token(token_label="archive").open(user_pin=PIN, rw=True) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "archive",
                Attribute.ID: b"\x01",
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.ISSUER: cert.issuer.public_bytes(),
                Attribute.SERIAL_NUMBER: asn1_integer(cert.serial_number),
            }
        )
    yield SigningSettings(pkcs11_module=MODULE, token_label="archive", pin=PIN, key_label="archive")
    patch.undo()


@pytest.fixture(scope="module")
def signed(token: SigningSettings, tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("signed")
    write_two_layer_pdfa(SCAN, extract_text(SCAN), tmp / "copy.pdf")
    return sign_copy(tmp / "copy.pdf", tmp / "signed.pdf", token)


def test_signed_on_the_token_and_valid_by_our_verify(signed) -> None:
    assert signed.organisation == "Ủy ban nhân dân tỉnh Lâm Đồng"
    when = dt.datetime.fromisoformat(signed.signing_time)
    assert signed.signing_time.endswith("+07:00")
    assert abs((dt.datetime.now(dt.UTC) - when).total_seconds()) < 600
    assert signed.level == "B-B"
    report = verify_file(signed.path, settings=Settings(trust_dirs=(PKI,)))
    assert report.verdict == "valid", report.problems
    [sig] = [s for s in report.signatures if s.kind == "signature"]
    assert sig.signer == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert report.stamp is not None and report.stamp.time is not None
    assert report.stamp.time.isoformat() == signed.signing_time


def test_pyhanko_validates_and_pdfa_still_holds(signed) -> None:
    from asn1crypto import pem
    from asn1crypto import x509 as ax509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.registry import SimpleCertificateStore  # noqa: F401

    roots = [ax509.Certificate.load(pem.unarmor((PKI / "root.pem").read_bytes())[2])]
    inter = [ax509.Certificate.load(pem.unarmor((PKI / "intermediate.pem").read_bytes())[2])]
    vc = ValidationContext(trust_roots=roots, other_certs=inter, allow_fetching=False)
    with signed.path.open("rb") as f:
        [sig] = PdfFileReader(f).embedded_signatures
        status = validate_pdf_signature(sig, vc)
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"


def test_signing_keeps_pdfa(signed, tmp_path: Path) -> None:
    """pikepdf.pdfa does not check forms (a signature is one): its only word on the signed file is that,
    no violation. The signed file begins with the validated copy's exact bytes (an incremental update),
    and the widget keeps PDF/A-2's rules for annotations: printed, an appearance, fonts embedded."""
    import pikepdf

    verdict, findings = validate(signed.path)
    assert verdict == "not_checked"
    assert findings == [
        "[unsupported] pikepdf:schema-Catalog at obj 2 0 (Catalog) /AcroForm: interactive forms (/AcroForm) "
        "are not supported"
    ]
    copy = signed.path.with_name("copy.pdf").read_bytes()
    assert (
        signed.path.read_bytes().startswith(copy) and validate(signed.path.with_name("copy.pdf"))[0] == "pass"
    )
    with pikepdf.open(signed.path) as pdf:
        [widget] = [a for a in pdf.pages[0].Annots if a.get("/FT") == "/Sig"]
        assert int(widget.F) & 4 and not int(widget.F) & (1 | 2 | 32)
        ap = widget.AP.N
        fonts = [
            f
            for xo in [ap, *ap.Resources.get("/XObject", {}).values()]
            for f in xo.Resources.get("/Font", {}).values()
        ]
        assert fonts and all(f.DescendantFonts[0].FontDescriptor.get("/FontFile2") is not None for f in fonts)


def test_visible_stamp_top_right_of_page_one(signed) -> None:
    out = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-x", "300", "-y", "0", "-W", "300", "-H", "90", str(signed.path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Ký bởi: Ủy ban nhân dân tỉnh Lâm Đồng" in out
    assert f"Thời gian ký: {signed.signing_time}" in out


def test_wrong_pin_is_a_clear_error(token: SigningSettings, tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="cannot open the token 'archive'"):
        sign_copy(SCAN, tmp_path / "x.pdf", replace(token, pin="000000"))
    assert not (tmp_path / "x.pdf").exists()


def test_pkcs12_key_signs_too(tmp_path: Path) -> None:
    """The other key source: a PKCS#12 file (with a password), same verdict from our verify; a stamp
    naming someone else than the certificate's holder (``organisation``) is caught by it."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    key = serialization.load_pem_private_key((PKI / "private" / f"{ORG_KEY}.key.pem").read_bytes(), None)
    cert = x509.load_pem_x509_certificate((PKI / "private" / f"{ORG_KEY}.pem").read_bytes())
    p12 = tmp_path / "archive.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"archive", key, cert, None, serialization.BestAvailableEncryption(b"mat-khau")
        )
    )
    settings = SigningSettings(pkcs12=p12, pkcs12_password=b"mat-khau")
    write_two_layer_pdfa(SCAN, extract_text(SCAN), tmp_path / "copy.pdf")
    signed = sign_copy(tmp_path / "copy.pdf", tmp_path / "signed.pdf", settings)
    trust = Settings(trust_dirs=(PKI,))
    report = verify_file(signed.path, settings=trust)
    assert report.verdict == "valid", report.problems
    assert report.stamp is not None and report.stamp.signer == "Ủy ban nhân dân tỉnh Lâm Đồng"
    other = replace(settings, organisation="Trung tâm Lưu trữ lịch sử")
    wrong = verify_file(sign_copy(tmp_path / "copy.pdf", tmp_path / "other.pdf", other).path, settings=trust)
    assert wrong.verdict == "stamp_mismatch"
    with pytest.raises(SigningError, match="PKCS#12"):
        sign_copy(
            tmp_path / "copy.pdf", tmp_path / "x.pdf", SigningSettings(pkcs12=p12, pkcs12_password=b"sai")
        )


def test_export_signs_each_copy_on_the_token(token: SigningSettings, tmp_path: Path) -> None:
    """``ocr-ingest export`` with the token: the copy in the package is signed (our verify: valid),
    PREMIS records the signature event; the PIN comes from the environment, never the command line."""
    import sys
    import zipfile

    desc = tmp_path / "hoso.toml"
    desc.write_text(
        f'[ho_so]\nma_ho_so = "H.02"\n\n[[van_ban]]\nso_thu_tu = "001"\nfile = "{SCAN}"\n', encoding="utf-8"
    )
    out = tmp_path / "pkg.zip"
    args = ["--pkcs11-module", str(token.pkcs11_module), "--token-label", "archive", "--key-label", "archive"]
    env = {**os.environ, "OCR_INGEST_PIN": PIN}
    r = subprocess.run(
        [sys.executable, "-m", "ocr_ingest.cli", "export", str(desc), "--out", str(out), *args],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(out) as z:
        z.extractall(tmp_path / "u")
    copy = tmp_path / "u" / "H.02" / "representations" / "rep1" / "data" / "H.02.001.pdf"
    report = verify_file(copy, settings=Settings(trust_dirs=(PKI,)))
    assert report.verdict == "valid", report.problems
    premis = (tmp_path / "u" / "H.02" / "metadata" / "preservation" / "PREMIS.xml").read_text(
        encoding="utf-8"
    )
    from ocr_ingest.intake.check import premis_verdicts

    assert [v.verdict for v in premis_verdicts(tmp_path / "u" / "H.02")] == ["valid"]
    assert (
        premis.count("<premis:eventType>") == 3
        and "<premis:eventType>digital signature</premis:eventType>" in premis
    )


@pytest.fixture
def tsa_url() -> Iterator[str]:
    """A local RFC 3161 timestamp server answering with the fixture PKI's TSA certificate."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from asn1crypto import keys, tsp
    from asn1crypto import x509 as ax509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    def der(path: Path) -> ax509.Certificate:
        return ax509.Certificate.load(
            x509.load_pem_x509_certificate(path.read_bytes()).public_bytes(serialization.Encoding.DER)
        )

    key = serialization.load_pem_private_key((PKI / "private" / "tsa.key.pem").read_bytes(), None)
    stamper = DummyTimeStamper(
        der(PKI / "private" / "tsa.pem"),
        keys.PrivateKeyInfo.load(key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        certs_to_embed=[der(PKI / "intermediate.pem")],
    )  # fmt: skip

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            req = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(req).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    server.shutdown()


def test_timestamp_url_makes_b_t(tsa_url: str, tmp_path: Path) -> None:
    """With a timestamp server the signature is PAdES B-T: pyHanko finds the signature timestamp
    token, trusted to the fixture root; our verify still says valid."""
    from asn1crypto import pem
    from asn1crypto import x509 as ax509
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    key = serialization.load_pem_private_key((PKI / "private" / f"{ORG_KEY}.key.pem").read_bytes(), None)
    cert = x509.load_pem_x509_certificate((PKI / "private" / f"{ORG_KEY}.pem").read_bytes())
    p12 = tmp_path / "archive.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(b"a", key, cert, None, serialization.NoEncryption())
    )
    write_two_layer_pdfa(SCAN, extract_text(SCAN), tmp_path / "copy.pdf")
    signed = sign_copy(
        tmp_path / "copy.pdf", tmp_path / "signed.pdf", SigningSettings(pkcs12=p12, timestamp_url=tsa_url)
    )
    assert signed.level == "B-T"
    roots = [ax509.Certificate.load(pem.unarmor((PKI / "root.pem").read_bytes())[2])]
    inter = [ax509.Certificate.load(pem.unarmor((PKI / "intermediate.pem").read_bytes())[2])]
    vc = ValidationContext(trust_roots=roots, other_certs=inter, allow_fetching=False)
    with signed.path.open("rb") as f:
        [sig] = PdfFileReader(f).embedded_signatures
        status = validate_pdf_signature(sig, vc, ts_validation_context=vc)
    assert status.intact and status.valid and status.trusted
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    assert verify_file(signed.path, settings=Settings(trust_dirs=(PKI,))).verdict == "valid"
