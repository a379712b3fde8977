"""RSA PKCS#1 v1.5 signatures whose DigestInfo omits the NULL parameters of the hash's AlgorithmIdentifier.

Some signing tools under *CA phục vụ các cơ quan Nhà nước G2* write ``302f300b0609…0420‖H`` where
PKCS #1's table says ``3031300d0609…05000420‖H``. Both are DER encodings of a DigestInfo (the parameters
are OPTIONAL), and PKCS #1 itself (RFC 8017, appendix B.1) says implementations must accept the hash's
AlgorithmIdentifier with and without NULL parameters; ``cryptography`` (and so pyHanko) accepts only
the first. This module accepts exactly those two byte strings, by building the
whole expected encoded message and comparing it with the result of the public-key operation byte for
byte. It never parses the recovered block: a lenient parse is how Bleichenbacher's 2006 forgery and
BERserk passed garbage after the digest, wrong lengths or BER long-form lengths off as a signature.
"""

from __future__ import annotations

import hashlib
import hmac

from asn1crypto import algos
from asn1crypto.keys import PublicKeyInfo
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pyhanko_certvalidator.sig_validate import (
    DEFAULT_VALIDATION_CONTEXT,
    DefaultSignatureValidator,
    SignatureValidationContext,
)

HASHES = ("sha1", "sha224", "sha256", "sha384", "sha512")
MIN_PADDING = 8  # RFC 8017: at least eight 0xFF octets


def _der(tag: int, body: bytes) -> bytes:
    assert len(body) < 128  # every DigestInfo here is short: DER uses the one-byte length form
    return bytes((tag, len(body))) + body


def digest_info(hash_name: str, digest: bytes, *, null: bool = True) -> bytes:
    """The DER DigestInfo of ``digest``: with the NULL parameters (RFC 8017) or without them."""
    oid = algos.DigestAlgorithmId(hash_name).dump()
    algorithm = _der(0x30, oid + (b"\x05\x00" if null else b""))
    return _der(0x30, algorithm + _der(0x04, digest))


def encoded_message(t: bytes, k: int) -> bytes:
    """EMSA-PKCS1-v1_5 block of ``k`` octets around DigestInfo ``t``: ``00 01 FF…FF 00 ‖ T``."""
    if k < len(t) + 3 + MIN_PADDING:
        raise ValueError("modulus too short for this digest")
    return b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t


def recover(signature: bytes, key: rsa.RSAPublicKey) -> bytes | None:
    """The RSA public-key operation ``s^e mod n`` as ``k`` octets, or None when ``s`` is malformed."""
    pn = key.public_numbers()
    k = (pn.n.bit_length() + 7) // 8
    s = int.from_bytes(signature, "big")
    if len(signature) != k or s >= pn.n:
        return None
    return pow(s, pn.e, pn.n).to_bytes(k, "big")


def digestinfo_form(signature: bytes, digest: bytes, hash_name: str, key: rsa.RSAPublicKey) -> str | None:
    """Which DigestInfo ``signature`` carries over ``digest``: ``"standard"`` (with NULL), ``"no_null"``,
    or None when it is neither (every other block, however close, is not a signature)."""
    em = recover(signature, key)
    if em is None or hash_name not in HASHES:
        return None
    for form, null in (("standard", True), ("no_null", False)):
        try:
            expected = encoded_message(digest_info(hash_name, digest, null=null), len(em))
        except ValueError:
            return None
        if hmac.compare_digest(em, expected):
            return form
    return None


def _mechanism(algorithm: algos.SignedDigestAlgorithm) -> str | None:
    try:
        return algorithm.signature_algo
    except ValueError:
        return None


class NoNullDigestInfoValidator(DefaultSignatureValidator):
    """pyHanko's signature check, plus the NULL-less DigestInfo for one CMS signature value only.

    Installed in the signer's ValidationContext, so pyHanko goes on to judge trust, coverage and the rest
    as for any valid signature. Certificates, CRLs and OCSP responses checked through the same context
    get no such tolerance: only a signature equal to ``cms_signature`` is retried. ``accepted`` records
    that the tolerance was used, for the report's note.
    """

    def __init__(self, cms_signature: bytes):
        self.cms_signature = cms_signature
        self.accepted: str | None = None  # hash name, once a NULL-less DigestInfo was accepted

    def validate_signature(
        self,
        signature: bytes,
        signed_data: bytes,
        public_key_info: PublicKeyInfo,
        signature_algorithm: algos.SignedDigestAlgorithm,
        context: SignatureValidationContext = DEFAULT_VALIDATION_CONTEXT,
    ) -> None:
        try:
            super().validate_signature(signature, signed_data, public_key_info, signature_algorithm, context)
            return
        except InvalidSignature:
            if signature != self.cms_signature or _mechanism(signature_algorithm) != "rsassa_pkcs1v15":
                raise
        try:
            hash_name = signature_algorithm.hash_algo
        except ValueError:  # plain rsaEncryption / rsassa_pkcs1v15: the SignerInfo's digest algorithm
            hash_name = context.contextual_md_algorithm
        key = serialization.load_der_public_key(public_key_info.dump())
        if not isinstance(key, rsa.RSAPublicKey) or hash_name not in HASHES:
            raise InvalidSignature()
        digest = signed_data if context.prehashed else hashlib.new(hash_name, signed_data).digest()
        if digestinfo_form(signature, digest, hash_name, key) != "no_null":
            raise InvalidSignature()
        self.accepted = hash_name
