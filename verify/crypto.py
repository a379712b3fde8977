"""Per-signature validation with pyHanko: integrity, coverage, trust at signing time, timestamps.

Policy comes from :class:`~verify.settings.Settings`: offline (no fetching), SHA-1 accepted but flagged,
certificates judged at the claimed signing time (an archive checks what was valid when it was signed).
Signatures pyHanko cannot validate (``adbe.pkcs7.sha1``, ``adbe.x509.rsa_sha1``) are listed, not dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import logging
from dataclasses import dataclass, field

from asn1crypto import crl as acrl
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.general import find_unique_cms_attribute
from pyhanko.sign.validation import async_validate_pdf_signature, async_validate_pdf_timestamp
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.utils import CMSAlgorithmUsagePolicy
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    DisallowWeakAlgorithmsPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)
from pyhanko_certvalidator.sig_validate import SignatureValidator

from .algid import UnparseableSignature, repair_signature_algorithm
from .diagnose import displaced_contents, missing_anchor
from .diagnose import display_name as _name
from .digestinfo import NoNullDigestInfoValidator
from .settings import Settings

logging.getLogger("pyhanko").setLevel(logging.CRITICAL)  # its warnings are reported as problems here

SUPPORTED = {"/adbe.pkcs7.detached", "/ETSI.CAdES.detached", "/ETSI.RFC3161"}


@dataclass
class SigCheck:
    """Raw outcome for one signature field, before it becomes a report."""

    field: str
    subfilter: str
    kind: str = "signature"  # or "timestamp" (document timestamp), "unsupported"
    signed_revision: int = -1
    widget: tuple[int, tuple[float, float, float, float]] | None = None  # page index, rect
    signer: str | None = None
    signer_org: tuple[str, ...] = ()
    signer_email: str | None = None
    issuer: str | None = None
    md_algorithm: str | None = None
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    trust_problem: str | None = None
    cert_window: tuple[dt.datetime, dt.datetime] | None = None
    coverage: str | None = None
    pyhanko_level: str | None = None
    docmdp_ok: bool | None = None
    trust_path: tuple[str, ...] = ()
    time_m: dt.datetime | None = None
    time_cms: dt.datetime | None = None
    time_tst: dt.datetime | None = None
    tst_ok: bool | None = None
    revocation: str = "not checked"
    missing_anchor: str | None = None  # where the signer's chain stops, when it reaches no trust anchor
    displaced: str | None = None  # why the digest cannot match: the signed bytes are not in this file
    unreadable: str | None = None  # why the signature could not be checked at all (verdict "error")
    failure: str | None = None  # why pyHanko refused a signature it could read (verdict "invalid")
    problems: list[str] = field(default_factory=list)


def _attrs(n, key: str) -> tuple[str, ...]:
    v = n.native.get(key)
    if v is None:
        return ()
    return tuple(v) if isinstance(v, list) else (v,)


def _email(cert) -> str | None:
    try:
        san = cert.subject_alt_name_value
        for gn in san or ():
            if gn.name == "rfc822_name":
                return str(gn.native).lower()
    except Exception:
        pass
    e = cert.subject.native.get("email_address")
    return str(e).lower() if e else None


def _widget(reader: PdfFileReader, sig_field: generic.DictionaryObject, page_index: dict) -> tuple | None:
    w = sig_field
    if "/Rect" not in w and "/Kids" in w:
        w = w["/Kids"][0]
    if "/Rect" not in w:
        return None
    rect = tuple(float(x) for x in w["/Rect"])
    page = w.raw_get("/P") if "/P" in w else None
    ix = page_index.get((page.idnum, page.generation)) if isinstance(page, generic.IndirectObject) else None
    if ix is None:
        for key, i in page_index.items():
            annots = reader.get_object(generic.Reference(*key)).get("/Annots", ())
            if any(a.get_object() is w for a in annots):
                ix = i
                break
    return (
        None
        if ix is None
        else (
            ix,
            (min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])),
        )
    )


def page_index(reader: PdfFileReader) -> dict[tuple[int, int], int]:
    out: dict[tuple[int, int], int] = {}
    stack = [reader.root.raw_get("/Pages")]
    seen = set()
    while stack:
        ref = stack.pop()
        if not isinstance(ref, generic.IndirectObject) or (ref.idnum, ref.generation) in seen:
            continue
        seen.add((ref.idnum, ref.generation))
        node = ref.get_object()
        if "/Kids" in node:
            kids = node["/Kids"]
            stack.extend(kids.raw_get(i) for i in reversed(range(len(kids))))
        else:
            out[(ref.idnum, ref.generation)] = len(out)
    return out


#: A signer certificate whose issuer's CRL was given must be checked against it. pyHanko's default
#: ("soft-fail") only looks at CRLs for certificates that declare a CRL distribution point, so without
#: this a given CRL was silently never consulted. The CRL counts retroactively: an archive holds today's
#: CRL, and a certificate is revoked for a signature only if its revocation date precedes the signing time.
_CRL_FOR_SIGNER = CertRevTrustPolicy(
    RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.CRL_REQUIRED,
        intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED_SOFT,
    ),
    retroactive_revinfo=True,
)


def _crl_from(s: Settings, issuer) -> bool:
    """Was a CRL issued by ``issuer`` (a certificate's issuer name) given?"""
    return issuer in _crl_issuers(s.crls())


@functools.cache
def _crl_issuers(crls: tuple[bytes, ...]) -> tuple:
    """The issuers of the given CRLs, parsed once per run (a national CRL can be many megabytes)."""
    out = []
    for der in crls:
        with contextlib.suppress(Exception):
            out.append(acrl.CertificateList.load(der).issuer)
    return tuple(out)


def _context(
    s: Settings,
    moment: dt.datetime | None,
    *,
    crl_for_signer: bool = False,
    sig_validator: SignatureValidator | None = None,
) -> ValidationContext:
    anchors = s.anchors()
    weak = {"md2", "md5"} | (set() if s.accept_weak_hash else set(s.weak_hashes))
    crls = s.crls()
    return ValidationContext(
        trust_roots=list(anchors.roots),
        other_certs=list(anchors.intermediates),
        moment=moment,
        allow_fetching=False,
        crls=list(crls) or None,
        revocation_mode="soft-fail",
        revinfo_policy=_CRL_FOR_SIGNER if crl_for_signer else None,
        weak_hash_algos=weak,
        signature_validator=sig_validator,
    )


def _policy(s: Settings) -> CMSAlgorithmUsagePolicy:
    weak = {"md2", "md5"} | (set() if s.accept_weak_hash else set(s.weak_hashes))
    return CMSAlgorithmUsagePolicy.lift_policy(DisallowWeakAlgorithmsPolicy(weak_hash_algos=frozenset(weak)))


def _cms_time(emb: EmbeddedPdfSignature) -> dt.datetime | None:
    try:
        return find_unique_cms_attribute(emb.signer_info["signed_attrs"], "signing_time").native
    except Exception:
        return None


def _m_time(emb: EmbeddedPdfSignature) -> dt.datetime | None:
    try:
        m = emb.sig_object.get("/M")
        return generic.parse_pdf_date(str(m)) if m is not None else None
    except Exception:
        return None


async def _check(emb: EmbeddedPdfSignature, c: SigCheck, s: Settings) -> None:
    c.signed_revision = emb.signed_revision
    cert = emb.signer_cert
    c.signer, c.issuer = _name(cert.subject), _name(cert.issuer)
    c.signer_org = _attrs(cert.subject, "organization_name") + _attrs(
        cert.subject, "organizational_unit_name"
    )
    c.signer_email = _email(cert)
    c.md_algorithm = emb.md_algorithm
    c.cert_window = (cert.not_valid_before, cert.not_valid_after)
    c.time_m, c.time_cms = _m_time(emb), _cms_time(emb)
    claimed = c.time_cms or c.time_m
    crl_checked = c.kind == "signature" and _crl_from(s, cert.issuer)
    tolerant = NoNullDigestInfoValidator(emb.signer_info["signature"].native)
    vc = _context(s, claimed, crl_for_signer=crl_checked, sig_validator=tolerant)
    if c.kind == "timestamp":
        st = await async_validate_pdf_timestamp(emb, validation_context=vc)
        c.time_tst = st.timestamp
    else:
        st = await async_validate_pdf_signature(
            emb,
            signer_validation_context=vc,
            ts_validation_context=_context(s, None),
            algorithm_policy=_policy(s),
        )
        tv = st.timestamp_validity
        if tv is not None:
            c.time_tst = tv.timestamp
            c.tst_ok = bool(tv.intact and tv.valid and tv.trusted)
            if not c.tst_ok:
                c.problems.append(
                    "timestamp_invalid: the embedded RFC 3161 timestamp does not verify or is untrusted"
                )
    c.intact, c.valid, c.trusted = bool(st.intact), bool(st.valid), bool(st.trusted)
    if not c.intact:
        c.displaced = displaced_contents(emb)
    if tolerant.accepted and c.valid:
        c.problems.append(
            f"note: nonstandard_digestinfo: the RSA PKCS#1 v1.5 DigestInfo omits the NULL parameters of the "
            f"{tolerant.accepted} AlgorithmIdentifier (the other DER encoding; accepted by exact comparison)"
        )
    c.trust_problem = st.trust_problem_indic.name if st.trust_problem_indic else None
    c.coverage = st.coverage.name if st.coverage else None
    c.pyhanko_level = st.modification_level.name if st.modification_level is not None else None
    c.docmdp_ok = st.docmdp_ok
    if st.validation_path is not None:
        c.trust_path = tuple(_name(x.subject) for x in st.validation_path.iter_certs(include_root=True))
    elif not c.trusted:
        c.missing_anchor = missing_anchor(cert, emb.other_embedded_certs, s.anchors())
    rd = st.revocation_details
    if rd is not None:
        c.revocation = f"revoked on {rd.revocation_date:%Y-%m-%d} ({rd.revocation_reason.native})"
    elif crl_checked:
        c.revocation = (
            "checked (CRL): not revoked"
            if c.trusted
            else f"not checked: validation stopped ({c.trust_problem or 'chain rejected'})"
        )
    elif s.crl_files:
        c.revocation = (
            "not checked: no CRL from this certificate's issuer was given"
            if c.kind == "signature"
            else "not checked: document timestamps are not checked against CRLs"
        )


def _parser_reason(e: Exception) -> str:
    """The parser's reason in one line (asn1crypto appends the path of types it was parsing)."""
    if isinstance(e, UnparseableSignature):
        return str(e)
    lines = [ln.strip() for ln in str(e).strip().splitlines() if ln.strip()]
    return f"{type(e).__name__}: {'; '.join(lines) or 'no reason given'}"


def check_signatures(reader: PdfFileReader, settings: Settings) -> list[SigCheck]:
    """Every filled signature field of ``reader``, validated (or marked unsupported), by revision."""
    pages = page_index(reader)
    checks: list[tuple[SigCheck, EmbeddedPdfSignature | None]] = []
    for name, sig_obj, sig_field in enumerate_sig_fields(reader, filled_status=True):
        sig_obj = sig_obj.get_object()
        subfilter = str(sig_obj.get("/SubFilter", "?"))
        c = SigCheck(field=name, subfilter=subfilter.lstrip("/"))
        try:
            c.widget = _widget(reader, sig_field.get_object(), pages)
        except Exception:
            c.widget = None
        if subfilter not in SUPPORTED:
            c.kind = "unsupported"
            c.problems.append(f"unsupported_subfilter: {c.subfilter} cannot be validated")
            with contextlib.suppress(Exception):
                c.signed_revision = reader.xrefs.get_last_change(
                    sig_field.get_object().raw_get("/V").reference
                )
            checks.append((c, None))
            continue
        if sig_obj.get("/Type") == "/DocTimeStamp" or subfilter == "/ETSI.RFC3161":
            c.kind = "timestamp"
        try:
            emb = EmbeddedPdfSignature(reader, sig_field, name)
            note = repair_signature_algorithm(emb.signer_info)
        except Exception as e:
            c.unreadable = _parser_reason(e)
            checks.append((c, None))
            continue
        if note:
            c.problems.append(f"note: {note}")
        checks.append((c, emb))

    async def run() -> None:
        for c, emb in checks:
            if emb is None:
                continue
            try:
                await _check(emb, c, settings)
            except SignatureValidationError as e:  # read, and refused (e.g. an algorithm protection mismatch)
                c.intact = c.valid = False
                c.failure = _parser_reason(e)
            except Exception as e:  # a CMS blob we cannot read: this signature is an error, not a crash
                c.intact = c.valid = False
                c.unreadable = _parser_reason(e)

    asyncio.run(run())
    return sorted((c for c, _ in checks), key=lambda c: c.signed_revision)
