"""The DigestInfo check compares whole encoded blocks: the two DER encodings, nothing else."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader

from verify.digestinfo import digest_info, digestinfo_form, encoded_message, recover

SIGNED = Path(__file__).resolve().parents[2] / "fixtures" / "signed"
H = hashlib.sha256(b"x").digest()


def test_the_two_encodings_are_the_issue_s_bytes() -> None:
    assert digest_info("sha256", H).hex() == "3031300d060960864801650304020105000420" + H.hex()
    assert digest_info("sha256", H, null=False).hex() == "302f300b06096086480165030402010420" + H.hex()
    h1 = hashlib.sha1(b"x").digest()
    assert digest_info("sha1", h1).hex() == "3021300906052b0e03021a05000414" + h1.hex()
    assert digest_info("sha1", h1, null=False).hex() == "301f300706052b0e03021a0414" + h1.hex()
    assert digest_info("sha512", hashlib.sha512(b"x").digest(), null=False)[:4].hex() == "304f300b"


def test_encoded_message_needs_eight_ff() -> None:
    em = encoded_message(b"T" * 10, 21)
    assert em == b"\x00\x01" + b"\xff" * 8 + b"\x00" + b"T" * 10
    with pytest.raises(ValueError):
        encoded_message(b"T" * 11, 21)


def _signature(name: str):
    emb = PdfFileReader((SIGNED / name).open("rb")).embedded_signatures[0]
    si = emb.signer_info
    key = serialization.load_der_public_key(emb.signer_cert.public_key.dump())
    digest = hashlib.sha256(si["signed_attrs"].untag().dump()).digest()
    return si["signature"].native, digest, key


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("valid.pdf", "standard"),
        ("digestinfo-no-null.pdf", "no_null"),
        ("digestinfo-garbage-after-digest.pdf", None),
        ("digestinfo-wrong-length.pdf", None),
        ("digestinfo-ber-long-length.pdf", None),
        ("digestinfo-no-null-wrong-digest.pdf", None),
    ],
)
def test_form_of_each_fixture_signature(name: str, form: str | None) -> None:
    sig, digest, key = _signature(name)
    assert digestinfo_form(sig, digest, "sha256", key) == form


def test_forged_blocks_really_are_well_signed_blocks() -> None:
    """The forgeries are real RSA over a bad block (so only the block check rejects them)."""
    sig, digest, key = _signature("digestinfo-ber-long-length.pdf")
    em = recover(sig, key)
    assert em is not None and em.startswith(b"\x00\x01\xff") and em.endswith(digest)
    assert em[: -len(digest)].endswith(bytes.fromhex("00" + "30812f" + "300b0609608648016503040201" + "0420"))


def test_malformed_signature_values() -> None:
    sig, digest, key = _signature("digestinfo-no-null.pdf")
    assert recover(sig[1:], key) is None  # wrong length
    n = key.public_numbers().n
    assert recover(n.to_bytes(len(sig), "big"), key) is None  # s >= n
    assert digestinfo_form(sig, digest, "md5", key) is None
