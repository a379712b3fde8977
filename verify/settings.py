"""Verification policy as data: one frozen object, so a batch run cannot drift between files."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem, x509

BUNDLED_TRUST = Path(__file__).resolve().parent / "trust"


@dataclass(frozen=True)
class Anchors:
    """Self-signed certificates are trust anchors; the rest are intermediates that complete chains."""

    roots: tuple[x509.Certificate, ...]
    intermediates: tuple[x509.Certificate, ...]


@dataclass(frozen=True)
class Settings:
    """What counts as valid. Defaults: bundled Vietnamese CAs, SHA-1 accepted but flagged, offline."""

    trust_dirs: tuple[Path, ...] = ()
    bundled_trust: bool = True  # False: only ``trust_dirs`` (``--trust-only``)
    accept_weak_hash: bool = True  # VGCA G1 signatures are SHA-1: valid, flagged ``weak_hash``
    weak_hashes: frozenset[str] = frozenset({"sha1"})
    stamp_tolerance: float = 300.0  # seconds between the stamp's "Thời gian ký" and a signing time
    stamp_zone_hours: int = 7  # a stamp time without an offset is Vietnam time (UTC+07:00)
    crl_files: tuple[Path, ...] = ()

    def anchors(self) -> Anchors:
        dirs = ((BUNDLED_TRUST,) if self.bundled_trust else ()) + tuple(self.trust_dirs)
        return _load_anchors(tuple(Path(d).resolve() for d in dirs))

    def crls(self) -> tuple[bytes, ...]:
        return _load_crls(tuple(Path(p).resolve() for p in self.crl_files))


def _certs_in(path: Path) -> list[x509.Certificate]:
    data = path.read_bytes()
    if pem.detect(data):
        return [
            x509.Certificate.load(der)
            for kind, _, der in pem.unarmor(data, multiple=True)
            if kind == "CERTIFICATE"
        ]
    return [x509.Certificate.load(data)]


@functools.cache
def _load_anchors(dirs: tuple[Path, ...]) -> Anchors:
    roots: dict[bytes, x509.Certificate] = {}
    inter: dict[bytes, x509.Certificate] = {}
    for d in dirs:
        files = sorted(d.glob("*")) if d.is_dir() else [d]
        for f in files:
            if f.suffix.lower() not in (".pem", ".crt", ".cer", ".der"):
                continue
            for cert in _certs_in(f):
                (roots if cert.subject == cert.issuer else inter)[cert.sha256] = cert
    return Anchors(tuple(roots.values()), tuple(inter.values()))


@functools.cache
def _load_crls(files: tuple[Path, ...]) -> tuple[bytes, ...]:
    out = []
    for f in files:
        data = f.read_bytes()
        if pem.detect(data):
            out += [der for _, _, der in pem.unarmor(data, multiple=True)]
        else:
            out.append(data)
    return tuple(out)
