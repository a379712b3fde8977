"""``verify_file``: one file in, one :class:`FileReport` out — never an exception for a bad file."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader

from .changes import RevisionChange, revision_changes
from .crosscheck import Findings, crosscheck
from .crypto import SigCheck, check_signatures
from .pdftext import PdfText
from .report import FileReport, SignatureReport
from .settings import Settings
from .stamp import Stamp, parse_stamps
from .verdict import coverage_words, modification_words, signature_status, trust_problem_words, worst

HEADER_WINDOW = 1024  # readers accept %PDF- within the first KiB; anything before it is junk


def _iso(t: dt.datetime | None) -> str | None:
    return t.isoformat() if t else None


def _error(path: Path, reason: str) -> FileReport:
    return FileReport(file=str(path), verdict="error", problems=(f"error: {reason}",))


def _stamp_for(
    c: SigCheck, text: PdfText | None, fallback: list[Stamp], zone: int
) -> tuple[Stamp | None, str | None]:
    """The stamp of signature ``c`` (its widget's text, else the one stamp of the page text), or a note
    saying why there is none to cross-check. A widget showing only images (a seal, a handwritten
    signature) is common and fine: a note, never a problem."""
    widget_text = None
    if c.widget and text is not None:
        try:
            widget_text = text.in_widget(*c.widget)
            found = parse_stamps(widget_text, zone, widget=True)
        except Exception:
            found = []
        if found:
            return found[0], None
    if len(fallback) == 1:
        return fallback[0], None
    x0, y0, x1, y1 = c.widget[1] if c.widget else (0, 0, 0, 0)
    if widget_text is None or x1 - x0 < 1 or y1 - y0 < 1:
        return None, None  # an invisible signature: nothing drawn, nothing to compare
    if not widget_text.strip():
        return None, "stamp not cross-checked: the signature's appearance has no text (an image only)"
    return None, "stamp not cross-checked: the signature's appearance text is not a stamp we read"


def _report(
    c: SigCheck,
    changes: list[RevisionChange],
    stamp: Stamp | None,
    s: Settings,
    stamp_note: str | None = None,
) -> SignatureReport:
    problems = list(c.problems)
    checkable = stamp is not None and c.kind == "signature" and not c.unreadable
    found = crosscheck(stamp, c, s) if checkable else Findings()
    bad, notes = found.mismatches, found.notes + ([stamp_note] if stamp_note else [])
    status = signature_status(c, changes, bad)
    if c.unreadable:
        problems.append(f"unparseable_signature: {c.unreadable}")
    elif c.failure:
        problems.append(f"validation_failed: {c.failure}")
    elif c.kind != "unsupported":
        if not c.intact:
            problems.append(
                f"digest_mismatch: {c.displaced or 'the signed bytes were changed after signing'}"
            )
        elif not c.valid:
            problems.append("bad_signature: the CMS signature does not verify with the signer's key")
        if c.coverage == "UNCLEAR":
            problems.append(
                "byte_range_manipulated: the signed byte range has a gap not filled by the signature"
            )
        tp = trust_problem_words(c) if c.intact and c.valid else None
        if tp:
            problems.append(tp)
        if c.md_algorithm in s.weak_hashes:
            problems.append(f"weak_hash: {c.md_algorithm} (legacy VGCA signature, accepted)")
    visible = [v for ch in changes for v in ch.visible]
    problems += [f"modified: {v}" for v in visible]
    if c.pyhanko_level == "OTHER" and not visible and c.coverage == "ENTIRE_REVISION":
        problems.append("note: pyHanko's strict policy calls the later updates OTHER; each was housekeeping")
    problems += bad + [f"note: {n}" for n in notes]
    best = c.time_tst if (c.time_tst and c.tst_ok is not False) else (c.time_cms or c.time_m)
    benign = [b for ch in changes for b in ch.benign]
    return SignatureReport(
        field=c.field,
        kind=c.kind,
        signer=c.signer,
        issuer=c.issuer,
        signing_time=_iso(best),
        digest_algorithm=c.md_algorithm,
        subfilter=c.subfilter,
        coverage=coverage_words(c),
        modification_level=modification_words(c, changes) if c.kind != "unsupported" else "not checked",
        trust_path=c.trust_path,
        timestamp=_iso(c.time_tst) if c.tst_ok or c.kind == "timestamp" else None,
        revocation=c.revocation,
        status=status,
        changes=tuple(visible + benign),
        problems=tuple(problems),
        comparisons=tuple(found.comparisons),
    )


def verify_file(path: str | Path, *, settings: Settings | None = None, text: str | None = None) -> FileReport:
    """Verify every signature of ``path``; ``text`` is OCR/pipeline text used to find a printed stamp."""
    path = Path(path)
    s = settings or Settings()
    try:
        data = path.read_bytes()
    except OSError as e:
        return _error(path, f"cannot read file: {e.strerror or e}")
    offset = data.find(b"%PDF-", 0, HEADER_WINDOW)
    if offset < 0:
        return _error(path, "not a PDF (no %PDF- header)")
    body = data[offset:] if offset else data
    file_problems: list[str] = []
    if offset:
        file_problems.append(
            f"junk_prefix: {offset} bytes before %PDF- (added after signing; verified relative to the header)"
        )
    try:
        reader = PdfFileReader(BytesIO(body), strict=False)
        checks = check_signatures(reader, s)
    except Exception as e:
        return _error(path, f"unreadable PDF ({type(e).__name__}: {e})")
    try:
        pdftext: PdfText | None = PdfText(body)
    except Exception:
        pdftext = None
    try:
        return _assemble(path, reader, checks, pdftext, text, s, file_problems)
    except Exception as e:  # last resort: a report, never a traceback
        return _error(path, f"verification failed ({type(e).__name__}: {e})")
    finally:
        if pdftext is not None:
            pdftext.close()


def _assemble(
    path: Path,
    reader: PdfFileReader,
    checks: list[SigCheck],
    pdftext: PdfText | None,
    text: str | None,
    s: Settings,
    file_problems: list[str],
) -> FileReport:
    zone = s.stamp_zone_hours
    if not checks:
        stamps = parse_stamps(text or "", zone)
        if not stamps and pdftext is not None:
            stamps = parse_stamps(pdftext.all(), zone)
        if stamps:
            file_problems.append(
                "stamp_only: a signature stamp is printed, but the file has no digital signature — "
                "it cannot be verified"
            )
            file_problems += [
                f"note: sao_y: a certified copy (sao y) made by {st.signer!r}" for st in stamps if st.copy
            ]
            return FileReport(str(path), "stamp_only", (), stamps[0], tuple(stamps), tuple(file_problems))
        return FileReport(
            str(path), "unsigned", (), None, (), tuple(file_problems) + ("unsigned: no signature",)
        )
    fallback = parse_stamps(text or "", zone)
    n_sigs = len([c for c in checks if c.kind == "signature"])
    reports: list[SignatureReport] = []
    stamps: list[Stamp] = []
    change_cache: dict[int, list[RevisionChange]] = {}
    for c in checks:
        changes: list[RevisionChange] = []
        if c.kind != "unsupported" and c.coverage == "ENTIRE_REVISION":
            if c.signed_revision not in change_cache:
                change_cache[c.signed_revision] = revision_changes(reader, c.signed_revision)
            changes = change_cache[c.signed_revision]
        stamp, note = None, None
        if c.kind == "signature":
            stamp, note = _stamp_for(c, pdftext, fallback if n_sigs == 1 else [], zone)
            if stamp:
                stamps.append(stamp)
        reports.append(_report(c, changes, stamp, s, note))
    verdict = worst([r.status for r in reports])
    problems = list(file_problems)
    for r in reports:
        problems += [f"{r.field}: {p}" for p in r.problems if not p.startswith("note:")]
    return FileReport(
        str(path), verdict, tuple(reports), stamps[0] if stamps else None, tuple(stamps), tuple(problems)
    )
