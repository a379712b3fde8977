"""One document's record: what was read, understood and verified of a file, as stored in the archive
and written as ``record.json`` (``schema/record.schema.json``)."""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ..errors import OcrIngestError
from ..text.document import PageText
from ..text.options import Options

Status = Literal["ingested", "duplicate", "failed"]
RECORD_VERSION = 1


@dataclass(frozen=True)
class PageInfo:
    """How one page was read: ``confidence`` is Tesseract's mean word confidence, ``None`` for a text layer."""

    number: int
    source: str
    confidence: float | None = None
    rotation: int = 0
    skew: float = 0.0
    dpi: int = 0
    seconds: float = 0.0

    @classmethod
    def of(cls, page: PageText) -> PageInfo:
        return cls(
            page.number,
            page.source,
            page.confidence,
            page.rotation,
            page.skew,
            page.dpi,
            round(page.seconds, 3),
        )


@dataclass(frozen=True)
class Record:
    """Everything the archive keeps about one input file (``record.json``); see schema/record.schema.json.

    ``archive`` holds paths relative to the archive root (``dir``, ``original``, ``text``, ``record``,
    ``searchable_pdf``); ``None`` when no archive was given. ``duplicate_of`` names the source path the
    stored copy came from when ``status`` is ``duplicate``.
    """

    source: str
    status: Status
    sha256: str | None = None
    relative_folder: str = ""
    reason: str | None = None
    size: int | None = None
    page_count: int = 0
    pages: tuple[PageInfo, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)
    signature: dict[str, Any] | None = None
    verdict: str | None = None
    language: str = "vi"
    pipeline_version: str = ""
    engine_version: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    archive: dict[str, str] | None = None
    searchable_pdf: str = "not_requested"
    duplicate_of: str | None = None
    ingested_at: str = ""

    @property
    def metadata(self) -> dict[str, Any]:
        """Archive metadata under stable keys (Thông tư 02/2019/TT-BNV, mapping in docs/archive.md)."""
        f = self.fields
        number, date = f.get("number") or {}, f.get("date") or {}
        sigs = [s for s in (self.signature or {}).get("signatures", []) if s.get("kind") == "signature"]
        return {
            "number": number.get("value"),
            "numeral": number.get("numeral"),
            "symbol": number.get("symbol") or None,
            "date": date.get("value"),
            "doc_type": _value(f, "doc_type"),
            "subject": _value(f, "subject"),
            "issuing_body": _value(f, "issuing_body"),
            "parent_body": _value(f, "parent_body"),
            "place": _value(f, "place"),
            "signer_name": _value(f, "signer_name"),
            "signer_title": _value(f, "signer_title"),
            "page_count": self.page_count,
            "language": self.language,
            "signature_status": self.verdict,
            "digital_signer": sigs[0].get("signer") if sigs else None,
            "signing_time": sigs[0].get("signing_time") if sigs else None,
        }

    @property
    def year(self) -> str:
        """The folder year: the document's own date, else the year it was ingested."""
        year = (self.fields.get("date") or {}).get("year")
        return str(year) if year else (self.ingested_at[:4] or str(dt.date.today().year))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d = {"record_version": RECORD_VERSION, **d, "metadata": self.metadata}
        d["pages"] = [asdict(p) for p in self.pages]
        return d

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Record:
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        known["pages"] = tuple(PageInfo(**p) for p in d.get("pages", []))
        return cls(**known)


def _value(fields: dict[str, Any], key: str) -> Any:
    item = fields.get(key)
    return item.get("value") if isinstance(item, dict) else None


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@functools.cache
def versions(engine_options: Options | None = None) -> tuple[str, str]:
    """``(pipeline, engine)`` versions; the engine's is "unavailable" rather than an error when missing."""
    from .. import __version__

    try:
        engine = (engine_options or Options()).make_engine().version()
    except OcrIngestError as exc:
        engine = f"unavailable ({exc.reason})"
    return f"ocr-ingest {__version__}", engine
