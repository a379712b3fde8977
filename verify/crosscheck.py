"""Does the visible stamp say what the signature says? Name, organisation, e-mail, time."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from rapidfuzz import fuzz

from .crypto import SigCheck
from .settings import Settings
from .stamp import Stamp, fold


def _canon(s: str) -> str:
    s = fold(unicodedata.normalize("NFC", s))
    return re.sub(r"[^a-z0-9@.]+", " ", s).strip()


def _same_name(a: str, b: str) -> bool:
    return fuzz.ratio(_canon(a), _canon(b)) >= 90


def _same_org(stamp_org: str, cert_org: tuple[str, ...]) -> bool:
    """Each comma-separated part of the stamp's Cơ quan must appear in the certificate's O/OU."""
    cert = [_canon(x) for x in cert_org]
    parts = [_canon(p) for p in stamp_org.split(",") if p.strip()]
    return bool(cert) and all(any(fuzz.ratio(p, c) >= 85 or p in c for c in cert) for p in parts)


def time_findings(stamp_time: dt.datetime, c: SigCheck, s: Settings) -> tuple[list[str], list[str]]:
    """(mismatches, notes): the stamp time must agree with /M, CMS signingTime or the timestamp token."""
    tol = dt.timedelta(seconds=s.stamp_tolerance)
    local = dt.timedelta(hours=s.stamp_zone_hours)
    sources = {"/M": c.time_m, "signingTime": c.time_cms, "timestamp": c.time_tst}
    known = {k: v for k, v in sources.items() if v is not None}
    if not known:
        return [], ["stamp time not checked: the signature carries no time"]
    for k, v in known.items():
        if abs(stamp_time - v) <= tol:
            return [], []
        if v.utcoffset() == dt.timedelta(0) and abs(stamp_time - (v - local)) <= tol:
            return [], [f"{k} is local time labelled UTC (signer clock); stamp agrees with it as local time"]
    worst = min(known.items(), key=lambda kv: abs(stamp_time - kv[1]))
    off = stamp_time - worst[1]
    return [
        f"stamp_time_mismatch: stamp says {stamp_time.isoformat()}, {worst[0]} says {worst[1].isoformat()} "
        f"({off.total_seconds() / 86400:+.1f} days; tolerance {s.stamp_tolerance:.0f} s)"
    ], []


def crosscheck(stamp: Stamp, c: SigCheck, s: Settings) -> tuple[list[str], list[str]]:
    """(mismatches, notes) between a stamp and the signature it belongs to."""
    bad: list[str] = []
    notes: list[str] = []
    if stamp.signer and c.signer and not _same_name(stamp.signer, c.signer):
        bad.append(f"stamp_signer_mismatch: stamp names {stamp.signer!r}, certificate CN is {c.signer!r}")
    if stamp.organisation and c.signer_org and not _same_org(stamp.organisation, c.signer_org):
        bad.append(
            f"stamp_organisation_mismatch: stamp says {stamp.organisation!r}, certificate O/OU "
            f"{', '.join(c.signer_org)!r}"
        )
    if stamp.email:
        if c.signer_email is None:
            notes.append("stamp e-mail not checked: the certificate carries no e-mail")
        elif stamp.email.lower() != c.signer_email:
            bad.append(f"stamp_email_mismatch: stamp says {stamp.email!r}, certificate {c.signer_email!r}")
    if stamp.time:
        b, n = time_findings(stamp.time, c, s)
        bad += b
        notes += n
    elif stamp.time_text:
        notes.append(f"stamp time {stamp.time_text!r} unreadable")
    return bad, notes
