"""Frozen reports: one per signature, one per file; JSON lines and a one-line summary like pyHanko's."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .names import Comparison
from .stamp import Stamp

VERDICTS = (
    "error",
    "invalid",
    "modified",
    "untrusted",
    "expired",
    "stamp_mismatch",
    "valid",
    "stamp_only",
    "unsigned",
)

#: Vietnamese-friendly label for each verdict (human output).
LABELS = {
    "valid": "Hợp lệ / valid",
    "invalid": "Chữ ký không hợp lệ / invalid",
    "modified": "Bị sửa đổi sau khi ký / modified",
    "untrusted": "Không tin cậy / untrusted",
    "expired": "Chứng thư hết hạn / expired",
    "stamp_mismatch": "Dấu ký không khớp / stamp mismatch",
    "stamp_only": "Chỉ có hình dấu ký, không có chữ ký số / stamp only",
    "unsigned": "Không có chữ ký / unsigned",
    "error": "Không đọc được tệp / error",
}


@dataclass(frozen=True)
class SignatureReport:
    """One signature (or document timestamp) as a legal officer needs it."""

    field: str
    kind: str  # signature | timestamp | unsupported
    signer: str | None
    issuer: str | None
    signing_time: str | None  # ISO 8601; the best time known (timestamp token, else claimed)
    digest_algorithm: str | None
    subfilter: str
    coverage: str | None  # entire_file | earlier_revision | partial | unclear
    modification_level: str  # plain words
    trust_path: tuple[str, ...]
    timestamp: str | None  # ISO time of a validated RFC 3161 token
    revocation: str
    status: str  # the verdict this signature alone earns
    changes: tuple[str, ...] = ()  # what later revisions did (visible first)
    problems: tuple[str, ...] = ()
    comparisons: tuple[Comparison, ...] = ()  # each stamp-vs-signature comparison made, matched or not

    def to_json(self) -> dict[str, object]:
        d = dict(self.__dict__)
        d["trust_path"] = list(self.trust_path)
        d["changes"] = list(self.changes)
        d["problems"] = list(self.problems)
        d["comparisons"] = [c.to_json() for c in self.comparisons]
        return d


@dataclass(frozen=True)
class FileReport:
    """The verdict for one file and why."""

    file: str
    verdict: str
    signatures: tuple[SignatureReport, ...] = ()
    stamp: Stamp | None = None
    stamps: tuple[Stamp, ...] = field(default=(), repr=False)
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.verdict == "valid"

    def signed_by(self) -> tuple[tuple[str, str], ...]:
        """``(signer, signing time)`` of each signature that is valid on its own (a trusted chain, the
        bytes intact): who vouched for the file, and when, as far as a forger could not have said so."""
        return tuple(
            (s.signer, s.signing_time)
            for s in self.signatures
            if s.kind == "signature" and s.status == "valid" and s.signer and s.signing_time
        )

    def summary(self) -> str:
        """One line: ``file: VERDICT, signer, time[, problem]`` (pyHanko's ``--pretty-print`` in short)."""
        sig = next((s for s in self.signatures if s.kind == "signature"), None)
        parts = [f"{self.file}: {self.verdict.upper()}"]
        if sig:
            parts.append(f"{len(self.signatures)} signature(s), first by {sig.signer} at {sig.signing_time}")
        elif self.stamp:
            parts.append(f"stamp of {self.stamp.signer}, no digital signature")
        if self.problems:
            parts.append(self.problems[0])
        return ", ".join(parts)

    def to_json(self) -> str:
        return json.dumps(
            {
                "file": self.file,
                "verdict": self.verdict,
                "signatures": [s.to_json() for s in self.signatures],
                "stamp": self.stamp.to_json() if self.stamp else None,
                "problems": list(self.problems),
            },
            ensure_ascii=False,
        )
