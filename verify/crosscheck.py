"""Does the visible stamp say what the signature says? Name, organisation, e-mail, time.

Every comparison made is kept (:class:`~verify.names.Comparison`), matched or not, so a report can say
``signer: stamp 'UBND tỉnh X' ≈ certificate 'ỦY BAN NHÂN DÂN TỈNH X' (abbreviation)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .crypto import SigCheck
from .names import HOWS, Comparison, compare_names, is_cut_prefix
from .settings import Settings
from .stamp import Stamp


@dataclass
class Findings:
    """What the cross-check found: mismatches (problems), notes, and every comparison it made."""

    mismatches: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)


def _organisation(stamp_org: str, cert_org: tuple[str, ...]) -> list[Comparison]:
    """One comparison per comma-separated part of the stamp's Cơ quan, with the certificate's O/OU value
    it matches best (a part may name part of a value: ``Tỉnh Trà Vinh`` in ``UBND tỉnh Trà Vinh``)."""
    out = []
    for part in (p.strip() for p in stamp_org.split(",")):
        if part:
            tries = [compare_names(part, c, field="organisation", allow_part=True) for c in cert_org]
            out.append(min(tries, key=lambda t: HOWS.index(t.how)))
    return out


def _wrapped(field: str, line: str, joined: str) -> str:
    return (
        f"stamp_line_wrapped: the stamp's {field} {line!r} goes on over the next line at the widget's "
        f"edge: read as {joined!r}"
    )


def _signer(stamp: Stamp, cert_name: str) -> tuple[Comparison, str | None]:
    """The stamp's signer against the certificate's CN, and a note when the signing tool wrapped or cut
    the line at the widget's edge: the wrapped line is read on; a cut one, in a widget only, is matched as
    the start of the name (never a name that merely shares its first words with another)."""
    cmp = compare_names(stamp.signer or "", cert_name, field="signer")
    if cmp.matched:
        return cmp, None
    joined = stamp.continued_value("signer")
    if joined:
        whole = compare_names(joined, cert_name, field="signer")
        if whole.matched:
            return whole, _wrapped("signer", stamp.signer, joined)
    if stamp.in_widget and not joined and is_cut_prefix(stamp.signer or "", cert_name):
        return (
            Comparison("signer", stamp.signer or "", cert_name, "prefix"),
            f"stamp_line_cut: the stamp's signer line {stamp.signer!r} is cut at the widget's edge; matched "
            f"as the start of the certificate's name {cert_name!r}",
        )
    return cmp, None


def time_findings(stamp_time: dt.datetime, c: SigCheck, s: Settings) -> Findings:
    """The stamp time must agree with /M, CMS signingTime or the timestamp token (within the tolerance)."""
    tol = dt.timedelta(seconds=s.stamp_tolerance)
    local = dt.timedelta(hours=s.stamp_zone_hours)
    sources = {"/M": c.time_m, "signingTime": c.time_cms, "timestamp": c.time_tst}
    known = {k: v for k, v in sources.items() if v is not None}
    if not known:
        return Findings(notes=["stamp time not checked: the signature carries no time"])
    stamp_iso = stamp_time.isoformat()
    for k, v in known.items():
        apart = abs(stamp_time - v)
        if apart <= tol:
            how = "exact" if not apart else f"{apart.total_seconds():.0f} s apart"
            return Findings(comparisons=[Comparison("time", stamp_iso, v.isoformat(), how, k)])
        if v.utcoffset() == dt.timedelta(0) and abs(stamp_time - (v - local)) <= tol:
            return Findings(
                notes=[f"{k} is local time labelled UTC (signer clock); stamp agrees with it as local time"],
                comparisons=[Comparison("time", stamp_iso, v.isoformat(), "local time labelled UTC", k)],
            )
    worst = min(known.items(), key=lambda kv: abs(stamp_time - kv[1]))
    off = stamp_time - worst[1]
    return Findings(
        mismatches=[
            f"stamp_time_mismatch: stamp says {stamp_iso}, {worst[0]} says {worst[1].isoformat()} "
            f"({off.total_seconds() / 86400:+.1f} days; tolerance {s.stamp_tolerance:.0f} s)"
        ],
        comparisons=[Comparison("time", stamp_iso, worst[1].isoformat(), "no", worst[0])],
    )


def crosscheck(stamp: Stamp, c: SigCheck, s: Settings) -> Findings:
    """Mismatches, notes and comparisons between a stamp and the signature it belongs to."""
    f = Findings()
    if stamp.copy:
        f.notes.append(f"sao_y: a certified copy (sao y) made by {stamp.signer!r}")
    if stamp.signer and c.signer:
        cmp, note = _signer(stamp, c.signer)
        f.comparisons.append(cmp)
        f.notes += [note] if note else []
        if not cmp.matched:
            f.mismatches.append(
                f"stamp_signer_mismatch: stamp names {stamp.signer!r}, certificate CN is {c.signer!r}"
            )
    if stamp.organisation and c.signer_org:
        parts = _organisation(stamp.organisation, c.signer_org)
        joined = stamp.continued_value("organisation")
        if joined:  # a wrapped line read on, when that reads better (or at all)
            whole = _organisation(joined, c.signer_org)
            strength = lambda ps: max(HOWS.index(p.how) for p in ps)  # noqa: E731
            if all(p.matched for p in whole) and strength(whole) < strength(parts):
                parts = whole
                f.notes.append(_wrapped("organisation", stamp.organisation, joined))
        f.comparisons.extend(parts)
        if not all(p.matched for p in parts):
            f.mismatches.append(
                f"stamp_organisation_mismatch: stamp says {stamp.organisation!r}, certificate O/OU "
                f"{', '.join(c.signer_org)!r}"
            )
    if stamp.email:
        if c.signer_email is None:
            f.notes.append("stamp e-mail not checked: the certificate carries no e-mail")
        else:
            same = stamp.email.lower() == c.signer_email
            how = "exact" if stamp.email == c.signer_email else "case-and-marks" if same else "no"
            f.comparisons.append(Comparison("email", stamp.email, c.signer_email, how))
            if not same:
                f.mismatches.append(
                    f"stamp_email_mismatch: stamp says {stamp.email!r}, certificate {c.signer_email!r}"
                )
    if stamp.time:
        t = time_findings(stamp.time, c, s)
        f.mismatches.extend(t.mismatches)
        f.notes.extend(t.notes)
        f.comparisons.extend(t.comparisons)
    elif stamp.time_text:
        f.notes.append(f"stamp time {stamp.time_text!r} unreadable")
    return f
