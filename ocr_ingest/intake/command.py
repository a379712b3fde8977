"""``ocr-ingest export HOSO.toml --out PACKAGE.zip``: a hồ sơ as the archive's package (TT 05/2025)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import EXIT_NOT_ALL_OK, EXIT_OK, EXIT_USAGE


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("description", type=Path, help="the hồ sơ description (TOML or CSV) the clerk wrote")
    p.add_argument("--out", type=Path, required=True, help="the package to write (.zip)")
    p.add_argument(
        "--trust", type=Path, action="append", default=[], help="folder of trusted CA certificates"
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="then check the package as the archive would: checksums, METS and PREMIS schemas, PDF/A-2b, signatures, "
        "and the E-ARK validator where installed",
    )
    k = p.add_argument_group("the archive's signature (none given: the copies are not signed)")
    k.add_argument(
        "--pkcs12", type=Path, help="the archive's key and certificate (password: $OCR_INGEST_P12_PASSWORD)"
    )
    k.add_argument("--pkcs11-module", type=Path, help="the token's PKCS#11 library (e.g. a VGCA token's .so)")
    k.add_argument("--token-label", help="the token's label")
    k.add_argument("--key-label", help="the key's label on the token (PIN: $OCR_INGEST_PIN)")
    k.add_argument("--organisation", help="the name on the stamp (default: the certificate's organisation)")
    k.add_argument("--timestamp-url", help="an RFC 3161 timestamp server: PAdES B-T instead of B-B")


def run(args: argparse.Namespace) -> int:
    from .description import DescriptionError
    from .package import export
    from .pdfa import PdfaError
    from .sign import SigningError, SigningSettings

    signing = None
    if args.pkcs12 or args.pkcs11_module:
        password = os.environ.get("OCR_INGEST_P12_PASSWORD")
        signing = SigningSettings(
            pkcs12=args.pkcs12,
            pkcs12_password=password.encode() if password else None,
            pkcs11_module=args.pkcs11_module,
            token_label=args.token_label,
            pin=os.environ.get("OCR_INGEST_PIN"),
            key_label=args.key_label,
            organisation=args.organisation,
            timestamp_url=args.timestamp_url,
        )
    try:
        report = export(args.description, args.out, signing=signing, trust_dirs=tuple(args.trust))
    except DescriptionError as exc:
        print(f"ocr-ingest export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (PdfaError, SigningError) as exc:
        print(f"ocr-ingest export: {exc}", file=sys.stderr)
        return EXIT_NOT_ALL_OK
    for d in report.documents:
        flags = f"  check: {', '.join(d['flagged'])}" if d["flagged"] else ""
        print(f"{d['file']}  {'original kept' if d['born_digital'] else 'two-layer PDF/A'}{flags}")
    print(f"package: {report.package} ({report.pages} pages)")
    return check(report.package, tuple(args.trust)) if args.check else EXIT_OK


#: the verdicts that pass, per check; a copy left unsigned (no key given, or an unsigned original) is
#: reported, not failed. The E-ARK validator's verdict is printed only (its SIP14 contradicts CSIP16).
GOOD = {"METS schema": {"valid"}, "PREMIS schema": {"valid"}, "checksums": {"ok"}, "PDF/A-2b": {"pass"},
        "signature": {"valid", "unsigned", "stamp_only"}}  # fmt: skip


def check(package: Path, trust: tuple[Path, ...]) -> int:
    """Print each validator's verdict on the written package; 1 if any is not good."""
    import tempfile

    from .check import check_package, eark_available, eark_validation, eark_verdicts, unpack

    with tempfile.TemporaryDirectory() as tmp:
        root = unpack(package, Path(tmp))
        verdicts = check_package(root, trust_dirs=trust)
        if eark_available():
            verdicts += eark_verdicts(eark_validation(root))
    for v in verdicts:
        print(f"{v.check:<13} {v.subject:<58} {v.verdict}" + (f"  ({v.detail})" if v.detail else ""))
    return (
        EXIT_OK if all(v.verdict in GOOD[v.check] for v in verdicts if v.check in GOOD) else EXIT_NOT_ALL_OK
    )
