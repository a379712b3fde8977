"""The package of one hồ sơ (TT 05/2025, E-ARK CSIP layout): ``METS.xml`` at the root,
``metadata/descriptive/`` (the hồ sơ's description), ``metadata/preservation/PREMIS.xml``,
``representations/rep1/`` with its own ``METS.xml``, ``data/`` (the copies, named ``<mã hồ sơ>.<số thứ
tự>.pdf``) and each document's metadata; every file listed with its size and SHA-256. Zipped, written
aside and renamed: the package appears whole or not at all. The originals are only read.

The hồ sơ description (TOML or CSV) is read by :mod:`.description`.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .description import HoSo, read_description
from .metadata import DocumentMetadata, document_metadata, metadata_xml, write_sheet
from .mets import premis_xml, representation_mets_xml, root_mets_xml
from .sign import SigningSettings, iso_vietnam, sign_copy


@dataclass
class ExportReport:
    """What went in: per document its copy name, kind, flagged fields; seconds per step."""

    package: Path
    documents: list[dict[str, object]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    pages: int = 0


def export(
    description: Path, out: Path, *, signing: SigningSettings | None = None, trust_dirs: tuple[Path, ...] = ()
) -> ExportReport:
    """Build the package of the hồ sơ ``description`` names into ``out`` (a .zip)."""
    from verify import Settings, verify_file

    from ..fields import extract_fields, with_signing_day
    from ..text import load
    from ..text.pipeline import Options, extract_text
    from .pdfa import write_two_layer_pdfa

    ho_so = read_description(description)
    report = ExportReport(out)
    lap = _Laps(report.seconds)
    with tempfile.TemporaryDirectory(prefix=".export-", dir=out.parent) as tmp_name:
        root = Path(tmp_name) / "pkg"
        data = root / "representations" / "rep1" / "data"
        docmeta = root / "representations" / "rep1" / "metadata" / "descriptive"
        for d in (data, docmeta, root / "metadata" / "descriptive", root / "metadata" / "preservation"):
            d.mkdir(parents=True)
        shutil.copyfile(description, root / "metadata" / "descriptive" / description.name)
        rows: list[tuple[DocumentMetadata, str]] = []
        events: list[tuple[str, str, str]] = []  # (file, event type, when)
        for doc in ho_so.documents:
            src = Path(doc["file"])
            name = f"{ho_so.code}.{doc['so_thu_tu']}.pdf"
            image = load.sniff(src) != "pdf"  # a scanner's TIFF / JPEG / PNG: no signature to keep
            settings = Settings(trust_dirs=trust_dirs) if trust_dirs else None
            sig = None if image else verify_file(src, settings=settings)
            lap("verify")
            signed_original = sig is not None and any(s.kind == "signature" for s in sig.signatures)
            text = extract_text(src, Options(force_ocr=not signed_original and _is_scan(src)))
            lap("read (OCR)")
            report.pages += len(text.pages)
            born_digital = signed_original or all(p.source == "text_layer" for p in text.pages)
            found = extract_fields(text.text, text.pages)
            fields = with_signing_day(found, sig.signed_by() if sig else ()).to_dict()
            lap("fields")
            target = data / name
            if born_digital:
                shutil.copyfile(src, target)  # never rewritten: its signatures stay verifiable
            else:
                now = iso_vietnam(dt.datetime.now(dt.UTC))
                events += [(name, "digitization", now), (name, "text recognition", now)]
                pages = image_as_pdf(src, Path(tmp_name) / f"{name}.img.pdf") if image else src
                write_two_layer_pdfa(pages, text, target, xmp=_xmp(fields))
                lap("pdfa")
                if signing is not None:
                    signed = sign_copy(target, target.with_suffix(".signed"), signing)
                    signed.path.replace(target)
                    events.append((name, "digital signature", signed.signing_time))
                    lap("sign")
            meta = document_metadata(
                fields, page_count=len(text.pages), born_digital=born_digital,
                signature=_json(sig) if sig else None, archive={**ho_so.archive, **doc}, doc=text,
            )  # fmt: skip
            (docmeta / f"{ho_so.code}.{doc['so_thu_tu']}.xml").write_bytes(metadata_xml(meta))
            rows.append((meta, f"representations/rep1/data/{name}"))
            report.documents.append({"file": name, "born_digital": born_digital, "flagged": meta.flagged})
        write_sheet(rows, root / "metadata" / "descriptive" / f"{ho_so.code}.xlsx")
        (root / "metadata" / "preservation" / "PREMIS.xml").write_bytes(premis_xml(root, events))
        write_documentation(root, ho_so)
        rep = root / "representations" / "rep1"
        (rep / "METS.xml").write_bytes(representation_mets_xml(rep, f"{ho_so.code}-rep1"))
        (root / "METS.xml").write_bytes(root_mets_xml(root, ho_so.code, [rep]))
        lap("metadata + METS/PREMIS")
        part = Path(tmp_name) / "package.zip"
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(root.rglob("*")):
                if f.is_file():
                    z.write(f, f"{ho_so.code}/{f.relative_to(root)}")
        part.replace(out)
        lap("zip")
    return report


SCHEMAS = Path(__file__).parent / "schemas"  # METS 1.12.1, its XLink schema, PREMIS 3.0: schemas/README.md


def write_documentation(root: Path, ho_so: HoSo) -> None:
    """``documentation/`` (what the package is) and ``schemas/`` (the METS and PREMIS schemas it follows)."""
    (root / "documentation").mkdir()
    (root / "documentation" / "README.txt").write_text(
        f"Hồ sơ {ho_so.code}: gói tài liệu số hóa theo Thông tư 05/2025/TT-BNV.\n"
        "representations/rep1/data: bản số hóa PDF/A-2b hai lớp (ảnh + lớp chữ ẩn), ký số bởi cơ quan lưu trữ;\n"
        "bản gốc điện tử giữ nguyên. representations/rep1/metadata/descriptive: siêu dữ liệu từng văn bản (XML).\n"
        "metadata/descriptive: mô tả hồ sơ và bảng kê (xlsx). metadata/preservation/PREMIS.xml: mã băm, sự kiện.\n"
        "Tạo bởi ocr-ingest.\n",
        encoding="utf-8",
    )
    shutil.copytree(SCHEMAS, root / "schemas", ignore=shutil.ignore_patterns("*.py", "*.md", "__pycache__"))


def image_as_pdf(image: Path, out: Path) -> Path:
    """An image file (multi-page TIFF too) as a PDF of its pages at its own resolution, with img2pdf:
    JPEG and CCITT data are embedded as they are, other pixels losslessly (no re-compression)."""
    import img2pdf

    out.write_bytes(img2pdf.convert(str(image)))
    return out


def _is_scan(path: Path) -> bool:
    from ..text import load

    refs = load.describe(path)
    return all(r.kind != "pdf" or r.image_cover >= 0.9 for r in refs)


def _json(report) -> dict:
    import json

    return json.loads(report.to_json())


def _xmp(fields: dict) -> dict[str, str | list[str]]:
    def v(k: str) -> str:
        return str((fields.get(k) or {}).get("value") or "")

    return {"dc:title": v("subject"), "dc:creator": [v("issuing_body")] if v("issuing_body") else [],
            "dc:identifier": v("number"), "pdf:Keywords": v("doc_type")}  # fmt: skip


class _Laps:
    def __init__(self, into: dict[str, float]):
        self.into, self.t = into, time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.into[name] = round(self.into.get(name, 0.0) + now - self.t, 3)
        self.t = now
