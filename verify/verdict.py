"""From raw checks to verdicts: one per signature, the most severe one for the file."""

from __future__ import annotations

from .changes import RevisionChange
from .crypto import SigCheck
from .report import VERDICTS

_EXPIRY = {"EXPIRED", "NOT_YET_VALID", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"}
_REVOKED = {"REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE"}
_COVERAGE = {
    "ENTIRE_FILE": "entire_file",
    "ENTIRE_REVISION": "earlier_revision",
    "CONTIGUOUS_BLOCK_FROM_START": "partial",
    "UNCLEAR": "unclear",
}


def coverage_words(c: SigCheck) -> str | None:
    return _COVERAGE.get(c.coverage or "")


def modification_words(c: SigCheck, changes: list[RevisionChange]) -> str:
    """Plain words for what happened after signing (pyHanko's own level in brackets)."""
    ph = f" (pyHanko: {c.pyhanko_level})" if c.pyhanko_level else ""
    if c.coverage == "ENTIRE_FILE":
        return "none: the signature covers the whole file"
    if c.coverage in ("UNCLEAR", "CONTIGUOUS_BLOCK_FROM_START"):
        return "signed bytes do not form a complete revision" + ph
    visible = [v for ch in changes for v in ch.visible]
    if visible:
        return f"visible changes after signing: {visible[0]}" + ph
    n = len(changes)
    return f"{n} later update(s): signatures, form filling or housekeeping only" + ph


def signature_status(c: SigCheck, changes: list[RevisionChange], stamp_bad: list[str]) -> str:
    """The verdict this signature earns on its own."""
    if c.unreadable:
        return "error"  # not checked at all: neither valid nor proven changed
    if c.kind == "unsupported" or not (c.intact and c.valid):
        return "invalid"
    if c.coverage == "UNCLEAR":
        return "invalid"
    if c.coverage == "CONTIGUOUS_BLOCK_FROM_START" or any(ch.visible for ch in changes):
        return "modified"
    if not c.trusted:
        if c.trust_problem in _EXPIRY and c.trust_path:
            return "expired"
        return "untrusted"
    if stamp_bad:
        return "stamp_mismatch"
    return "valid"


def worst(statuses: list[str]) -> str:
    return min(statuses, key=VERDICTS.index)


def trust_problem_words(c: SigCheck) -> str | None:
    if c.trusted or c.kind == "unsupported":
        return None
    if c.trust_problem in _REVOKED:
        return "revoked: the signer's certificate was revoked"
    if c.trust_problem in _EXPIRY:
        lo, hi = c.cert_window or (None, None)
        return (
            f"expired: certificate valid {lo:%Y-%m-%d} to {hi:%Y-%m-%d}, not at signing time"
            if lo
            else "expired"
        )
    if not c.trust_path:
        where = f": {c.missing_anchor}" if c.missing_anchor else ""
        return f"untrusted: no chain to a trust anchor ({c.trust_problem or 'unknown'}){where}"
    return f"untrusted: {c.trust_problem or 'chain rejected'}"
