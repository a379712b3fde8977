"""The SignerInfo's signature algorithm, read tolerantly here and nowhere else.

Some signing tools under VGCA write the SignerInfo's ``signatureAlgorithm`` as ``rsaEncryption`` with a
parameter that is not the NULL PKCS #1 prescribes: a NULL encoded as constructed (``25 00``), or a whole
RSASSA-PSS-params SEQUENCE (hash, MGF1, salt) left over from a PSS template while the signature itself is
PKCS #1 v1.5. asn1crypto refuses both ("Null - method should have been primitive"), and pyHanko with it.

The parameters of an RSA PKCS #1 v1.5 algorithm carry nothing: the hash is the SignerInfo's own
``digestAlgorithm`` and the padding is fixed. They are also outside what the signature signs. So for
those identifiers only, a well-formed (DER) but wrong parameter is set aside and replaced by NULL; the
signature is then verified as strictly as any other (pyHanko and :mod:`verify.digestinfo`), and the report
names what was found. Any other unreadable identifier (PSS, ECDSA, unknown, or BER-encoded) is not
guessed at: :class:`UnparseableSignature` carries the parser's reason, and the signature is an error.
"""

from __future__ import annotations

from asn1crypto import algos, cms, core

#: Signature algorithms whose parameters must be NULL (RFC 8017 A.2.4, RFC 4055 §5) and mean nothing.
RSA_PKCS1_V15 = frozenset(
    {"rsassa_pkcs1v15", "sha1_rsa", "sha224_rsa", "sha256_rsa", "sha384_rsa", "sha512_rsa"}
)


class UnparseableSignature(ValueError):
    """The signature's CMS cannot be read; the message is the parser's reason."""


def _tlv(data: bytes, at: int) -> tuple[int, int, int]:
    """``(tag byte, content start, content end)`` of the DER element at ``at``: a one-byte tag and a
    definite length in its shortest form; anything else (BER's long form for short lengths, indefinite
    lengths, a length past the end) raises ValueError."""
    if at + 2 > len(data):
        raise ValueError("truncated element")
    tag, first = data[at], data[at + 1]
    if tag & 0x1F == 0x1F:
        raise ValueError("multi-byte tag")
    if first < 0x80:
        start, length = at + 2, first
    else:
        n = first & 0x7F
        if n == 0 or n > 4 or at + 2 + n > len(data):
            raise ValueError("indefinite or oversized length")
        length = int.from_bytes(data[at + 2 : at + 2 + n], "big")
        if length < 0x80 or data[at + 2] == 0:
            raise ValueError("length not in its shortest (DER) form")
        start = at + 2 + n
    if start + length > len(data):
        raise ValueError("length past the end")
    return tag, start, start + length


def _check_der(data: bytes, at: int = 0, end: int | None = None) -> None:
    """Every element of ``data[at:end]`` has DER lengths, recursively through constructed ones."""
    end = len(data) if end is None else end
    while at < end:
        tag, start, stop = _tlv(data[:end], at)
        if tag & 0x20:
            _check_der(data, start, stop)
        at = stop


def _describe(params: bytes) -> str:
    """Plain words for a parameter found where NULL belongs."""
    if params == b"\x25\x00":
        return "a NULL encoded as constructed (25 00)"
    try:
        p = algos.RSASSAPSSParams.load(params).native
        mgf = p["mask_gen_algorithm"]
        return (
            f"RSASSA-PSS parameters (hash {p['hash_algorithm']['algorithm']}, {mgf['algorithm']} with "
            f"{mgf['parameters']['algorithm']}, salt {p['salt_length']} bytes)"
        )
    except Exception:
        return f"a constructed value (tag {params[0]:02x}, {len(params)} bytes)"


def repair_signature_algorithm(signer_info: cms.SignerInfo) -> str | None:
    """Make ``signer_info``'s signature algorithm readable, or raise :class:`UnparseableSignature`.

    Returns None when asn1crypto reads it as it is, else the note naming the quirk that was set aside.
    """
    algorithm = signer_info["signature_algorithm"]
    try:
        _ = algorithm.native  # parses the parameters
        return None
    except ValueError as e:
        reason = str(e).strip().splitlines()[0]
    refused = UnparseableSignature(f"the SignerInfo's signature algorithm cannot be read ({reason})")
    raw = algorithm.dump()
    try:
        tag, start, end = _tlv(raw, 0)
        if tag != 0x30 or end != len(raw):
            raise ValueError("not one SEQUENCE")
        oid_tag, oid_start, oid_end = _tlv(raw, start)
        if oid_tag != 0x06 or oid_end == end:
            raise ValueError("no OBJECT IDENTIFIER followed by parameters")
        _, _, params_end = _tlv(raw, oid_end)
        if params_end != end:
            raise ValueError("more than one parameter")
        params = raw[oid_end:end]
        _check_der(params)
        oid = algos.SignedDigestAlgorithmId.load(raw[start:oid_end])
        name, oid = oid.native, oid.dotted
    except ValueError as e:
        raise UnparseableSignature(f"{refused} and not as PKCS #1 v1.5 with stray parameters: {e}") from None
    if name not in RSA_PKCS1_V15:
        raise refused
    signer_info["signature_algorithm"] = algos.SignedDigestAlgorithm(
        {"algorithm": name, "parameters": core.Null()}
    )
    return (
        f"nonstandard_signature_algorithm: the SignerInfo's signature algorithm {name} ({oid}) carries "
        f"{_describe(params)} where PKCS #1 puts NULL; set aside (a PKCS #1 v1.5 signature has no "
        f"parameters and they are not signed), the signature checked strictly as PKCS #1 v1.5"
    )
