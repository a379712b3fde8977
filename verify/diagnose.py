"""Why a signature failed, in words a legal officer can act on: which CA a chain is missing, and whether
a digest mismatch is a file saved anew after signing rather than a changed byte."""

from __future__ import annotations

from asn1crypto import x509
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from .settings import Anchors


def display_name(n: x509.Name) -> str:
    """A name as people say it: its CN, else the whole name."""
    try:
        return n.native.get("common_name") or n.human_friendly
    except Exception:
        return n.human_friendly


def displaced_contents(emb: EmbeddedPdfSignature) -> str | None:
    """Words for a /ByteRange whose gap no longer holds this signature's own /Contents, or None.

    A signed revision's byte range skips exactly the ``<hex>`` of its /Contents. When a tool later saves
    the whole file anew (not as an incremental update), every object moves: the range then frames other
    bytes, and the bytes the signature covers are no longer in the file at all. The digest cannot match,
    as for any change, but the report can say which kind of change it was."""
    try:
        data = emb.reader.stream.getvalue()
        _, len1, start2, _ = (int(x) for x in emb.byte_range)
        gap = data[len1:start2]
        if (
            gap[:1] == b"<"
            and gap[-1:] == b">"
            and bytes.fromhex(gap[1:-1].decode("ascii")) == emb.pkcs7_content
        ):
            return None
    except (AttributeError, ValueError, UnicodeDecodeError, TypeError):
        pass
    else:
        if not gap:
            return None
    needle = emb.pkcs7_content[:32].hex().encode()
    at = data.lower().find(needle) if needle else -1
    where = f" (now at byte {at - 1})" if at > 0 else ""
    return (
        f"the file was saved anew after signing: its /ByteRange {[int(x) for x in emb.byte_range]} no longer "
        f"frames this signature's /Contents{where}, so the signed bytes are not in this file"
    )


def missing_anchor(cert: x509.Certificate, embedded: list[x509.Certificate], anchors: Anchors) -> str | None:
    """Where ``cert``'s chain stops short of a trust anchor, in words: the first issuer that neither the
    signature nor the trust store holds, or a root the store does not hold. None when the chain does reach
    a shipped root (then trust failed for another reason, which pyHanko's indication names)."""
    roots = {r.sha256 for r in anchors.roots}
    pool = {c.subject.hashable: c for c in [*embedded, *anchors.intermediates, *anchors.roots]}
    seen: set[bytes] = set()
    cur = cert
    while cur.sha256 not in roots:
        if cur.subject == cur.issuer:
            return f"the chain ends at the self-signed {display_name(cur.subject)!r}, which the trust store does not hold"
        nxt = pool.get(cur.issuer.hashable)
        if nxt is None or nxt.sha256 in seen:
            return (
                f"the chain needs {display_name(cur.issuer)!r} (issuer of {display_name(cur.subject)!r}), which neither "
                f"the signature nor the trust store holds"
            )
        seen.add(nxt.sha256)
        cur = nxt
    return None
