"""The package of one hồ sơ (TT 05/2025, E-ARK CSIP layout): ``METS.xml`` at the root,
``metadata/descriptive/`` (the hồ sơ's description), ``metadata/preservation/PREMIS.xml``,
``representations/rep1/`` with its own ``METS.xml``, ``data/`` (the copies, named ``<mã hồ sơ>.<số thứ
tự>.pdf``) and each document's metadata; every file listed with its size and SHA-256. Zipped, written
aside and renamed: the package appears whole or not at all. The originals are only read.

The hồ sơ description is a TOML file the clerk writes::

    [ho_so]
    ma_ho_so = "001.03.08.H30.81.2024.K4.01.01"
    tieu_de = "Tập lưu văn bản đi ..."
    phong = "Chi cục An toàn vệ sinh thực phẩm"
    muc_luc = "01"
    hop = "01"
    thoi_han_bao_quan = "Vĩnh viễn"
    che_do_su_dung = "Công khai"

    [[van_ban]]
    so_thu_tu = "001"
    file = "scans/001.pdf"      # relative to the description
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
import time
import tomllib
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from .metadata import DocumentMetadata, document_metadata, metadata_xml, write_sheet
from .sign import SigningSettings, iso_vietnam, sign_copy

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
PREMIS_NS = "http://www.loc.gov/premis/v3"
ET.register_namespace("mets", METS_NS)
ET.register_namespace("xlink", XLINK_NS)
ET.register_namespace("premis", PREMIS_NS)


class DescriptionError(Exception):
    """The hồ sơ description is unreadable, incomplete or names a file that is not there."""


@dataclass(frozen=True)
class HoSo:
    path: Path
    archive: dict[str, str]
    documents: tuple[dict[str, str], ...]

    @property
    def code(self) -> str:
        return self.archive["ma_ho_so"]


@dataclass
class ExportReport:
    """What went in: per document its copy name, kind, flagged fields; seconds per step."""

    package: Path
    documents: list[dict[str, object]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    pages: int = 0


def read_description(path: Path) -> HoSo:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DescriptionError(f"{path}: cannot read the hồ sơ description: {exc}") from exc
    ho_so, docs = data.get("ho_so") or {}, data.get("van_ban") or []
    if not ho_so.get("ma_ho_so"):
        raise DescriptionError(f"{path}: [ho_so] needs ma_ho_so")
    if not docs:
        raise DescriptionError(f"{path}: no [[van_ban]] listed")
    out = []
    for k, d in enumerate(docs, start=1):
        if not d.get("file"):
            raise DescriptionError(f"{path}: van_ban {k} has no file")
        file = (path.parent / d["file"]).resolve()
        if not file.is_file():
            raise DescriptionError(f"{path}: van_ban {k}: file not found: {d['file']}")
        out.append(
            {
                **{k2: str(v) for k2, v in d.items()},
                "file": str(file),
                "so_thu_tu": str(d.get("so_thu_tu") or f"{k:03d}"),
            }
        )
    return HoSo(path, {k: str(v) for k, v in ho_so.items()}, tuple(out))


def export(
    description: Path, out: Path, *, signing: SigningSettings | None = None, trust_dirs: tuple[Path, ...] = ()
) -> ExportReport:
    """Build the package of the hồ sơ ``description`` names into ``out`` (a .zip)."""
    from verify import Settings, verify_file

    from .. import load
    from ..fields import extract_fields
    from ..pipeline import Options, extract_text
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
            fields = extract_fields(text.text).to_dict()
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


SCHEMAS = Path(__file__).parent / "schemas"  # METS 1.12.1 (CC0) and the METS XLink schema, as published


def write_documentation(root: Path, ho_so: HoSo) -> None:
    """``documentation/`` (what the package is) and ``schemas/`` (the METS schemas it follows)."""
    (root / "documentation").mkdir()
    (root / "documentation" / "README.txt").write_text(
        f"Hồ sơ {ho_so.code}: gói tài liệu số hóa theo Thông tư 05/2025/TT-BNV.\n"
        "representations/rep1/data: bản số hóa PDF/A-2b hai lớp (ảnh + lớp chữ ẩn), ký số bởi cơ quan lưu trữ;\n"
        "bản gốc điện tử giữ nguyên. representations/rep1/metadata/descriptive: siêu dữ liệu từng văn bản (XML).\n"
        "metadata/descriptive: mô tả hồ sơ và bảng kê (xlsx). metadata/preservation/PREMIS.xml: mã băm, sự kiện.\n"
        "Tạo bởi ocr-ingest.\n",
        encoding="utf-8",
    )
    shutil.copytree(SCHEMAS, root / "schemas", ignore=shutil.ignore_patterns("*.py", "__pycache__"))


def image_as_pdf(image: Path, out: Path) -> Path:
    """An image file (multi-page TIFF too) as a PDF of its pages at its own resolution, with img2pdf:
    JPEG and CCITT data are embedded as they are, other pixels losslessly (no re-compression)."""
    import img2pdf

    out.write_bytes(img2pdf.convert(str(image)))
    return out


def _is_scan(path: Path) -> bool:
    from .. import load

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


def sha256_size(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest(), path.stat().st_size


CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
ET.register_namespace("csip", CSIP)
PROFILE = (
    "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"  # a submission to the archive: E-ARK SIP (on CSIP)
)
CONTENT_TYPE = "TT05/2025/TT-BNV"  # the content information type: none of CSIP's list, so OTHER + this
MIME = {
    ".pdf": "application/pdf",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".toml": "text/plain",
    ".txt": "text/plain",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_M = f"{{{METS_NS}}}"
_X = f"{{{XLINK_NS}}}"
_C = f"{{{CSIP}}}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _file_attrs(path: Path, rel: str) -> dict[str, str]:
    """FILECORE: MIMETYPE, SIZE (bytes), CREATED, CHECKSUM (SHA-256)."""
    digest, size = sha256_size(path)
    created = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).isoformat(timespec="seconds")
    mime = MIME.get(path.suffix, "application/octet-stream")
    return {
        "MIMETYPE": mime,
        "SIZE": str(size),
        "CREATED": created,
        "CHECKSUM": digest,
        "CHECKSUMTYPE": "SHA-256",
    }


def _link(rel: str) -> dict[str, str]:
    return {"LOCTYPE": "URL", f"{_X}type": "simple", f"{_X}href": rel}


def _mets_root(objid: str) -> ET.Element:
    from .. import __version__

    mets = ET.Element(
        _M + "mets",
        {"OBJID": objid, "TYPE": "Mixed", "PROFILE": PROFILE, f"{_C}CONTENTINFORMATIONTYPE": "OTHER",
         f"{_C}OTHERCONTENTINFORMATIONTYPE": CONTENT_TYPE},
    )  # fmt: skip
    hdr = ET.SubElement(
        mets, _M + "metsHdr",
        {"CREATEDATE": _now(), "LASTMODDATE": _now(), "RECORDSTATUS": "NEW", f"{_C}OAISPACKAGETYPE": "SIP"},
    )  # fmt: skip
    agent = ET.SubElement(hdr, _M + "agent", {"ROLE": "CREATOR", "TYPE": "OTHER", "OTHERTYPE": "SOFTWARE"})
    ET.SubElement(agent, _M + "name").text = "ocr-ingest"
    ET.SubElement(agent, _M + "note", {f"{_C}NOTETYPE": "SOFTWARE VERSION"}).text = __version__
    return mets


def _md_sections(
    mets: ET.Element, base: Path, descriptive: list[Path], preservation: list[Path]
) -> tuple[str, str]:
    """dmdSec per descriptive file, one amdSec with a digiprovMD per PREMIS file: (DMDIDs, ADMIDs)."""
    dmd_ids, adm_ids = [], []
    for k, f in enumerate(descriptive, start=1):
        rel = f.relative_to(base).as_posix()
        sec = ET.SubElement(mets, _M + "dmdSec", {"ID": f"dmd-{k}", "CREATED": _now(), "STATUS": "CURRENT"})
        md = {"MDTYPE": "OTHER", "OTHERMDTYPE": CONTENT_TYPE}
        ET.SubElement(sec, _M + "mdRef", {**_link(rel), **md, **_file_attrs(f, rel)})
        dmd_ids.append(f"dmd-{k}")
    if preservation:
        amd = ET.SubElement(mets, _M + "amdSec")
        for k, f in enumerate(preservation, start=1):
            rel = f.relative_to(base).as_posix()
            sec = ET.SubElement(
                amd, _M + "digiprovMD", {"ID": f"premis-{k}", "CREATED": _now(), "STATUS": "CURRENT"}
            )
            ET.SubElement(sec, _M + "mdRef", {**_link(rel), "MDTYPE": "PREMIS", **_file_attrs(f, rel)})
            adm_ids.append(f"premis-{k}")
    return " ".join(dmd_ids), " ".join(adm_ids)


def _file_group(
    sec: ET.Element, use: str, gid: str, base: Path, files: list[Path], ids: dict[Path, str]
) -> None:
    grp = ET.SubElement(
        sec, _M + "fileGrp",
        {"USE": use, "ID": gid, f"{_C}CONTENTINFORMATIONTYPE": "OTHER", f"{_C}OTHERCONTENTINFORMATIONTYPE": CONTENT_TYPE},
    )  # fmt: skip
    for f in files:
        rel = f.relative_to(base).as_posix()
        ids[f] = f"file-{len(ids) + 1}"
        el = ET.SubElement(grp, _M + "file", {"ID": ids[f], **_file_attrs(f, rel)})
        ET.SubElement(el, _M + "FLocat", _link(rel))


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def root_mets_xml(root: Path, objid: str, representations: list[Path]) -> bytes:
    """The package's METS (CSIP): the hồ sơ's description and PREMIS as metadata sections, the
    documentation, schemas and each representation's METS as files, and the CSIP structural map."""
    mets = _mets_root(objid)
    dmdid, admid = _md_sections(
        mets, root, _files(root / "metadata" / "descriptive"), _files(root / "metadata" / "preservation")
    )
    sec = ET.SubElement(mets, _M + "fileSec", {"ID": "filesec"})
    ids: dict[Path, str] = {}
    _file_group(sec, "Documentation", "grp-documentation", root, _files(root / "documentation"), ids)
    _file_group(sec, "Schemas", "grp-schemas", root, _files(root / "schemas"), ids)
    for rep in representations:
        _file_group(sec, f"Representations/{rep.name}", f"grp-{rep.name}", root, [rep / "METS.xml"], ids)
    smap = ET.SubElement(mets, _M + "structMap", {"TYPE": "PHYSICAL", "LABEL": "CSIP", "ID": "structmap"})
    top = ET.SubElement(smap, _M + "div", {"ID": "div-root", "LABEL": objid})
    ET.SubElement(
        top, _M + "div", {"ID": "div-metadata", "LABEL": "Metadata", "DMDID": dmdid, "ADMID": admid}
    )
    for label in ("Documentation", "Schemas"):
        div = ET.SubElement(top, _M + "div", {"ID": f"div-{label.lower()}", "LABEL": label})
        for f in _files(root / label.lower()):
            ET.SubElement(div, _M + "fptr", {"FILEID": ids[f]})
    reps = ET.SubElement(top, _M + "div", {"ID": "div-representations", "LABEL": "Representations"})
    for rep in representations:
        ET.SubElement(reps, _M + "fptr", {"FILEID": ids[rep / "METS.xml"]})
    for rep in representations:
        rel = rep.relative_to(root).as_posix()
        div = ET.SubElement(
            reps, _M + "div", {"ID": f"div-{rep.name}", "LABEL": f"Representations/{rep.name}"}
        )
        ET.SubElement(div, _M + "mptr", {**_link(f"{rel}/METS.xml"), f"{_X}title": f"grp-{rep.name}"})
    ET.indent(mets)
    return ET.tostring(mets, encoding="utf-8", xml_declaration=True)


def representation_mets_xml(rep: Path, objid: str) -> bytes:
    """A representation's METS: each document's metadata as a metadata section, the copies as Data."""
    mets = _mets_root(objid)
    dmdid, _ = _md_sections(mets, rep, _files(rep / "metadata" / "descriptive"), [])
    sec = ET.SubElement(mets, _M + "fileSec", {"ID": "filesec"})
    ids: dict[Path, str] = {}
    _file_group(sec, "Data", "grp-data", rep, _files(rep / "data"), ids)
    smap = ET.SubElement(mets, _M + "structMap", {"TYPE": "PHYSICAL", "LABEL": "CSIP", "ID": "structmap"})
    top = ET.SubElement(smap, _M + "div", {"ID": "div-root", "LABEL": objid})
    ET.SubElement(top, _M + "div", {"ID": "div-metadata", "LABEL": "Metadata", "DMDID": dmdid})
    data = ET.SubElement(top, _M + "div", {"ID": "div-data", "LABEL": "Data"})
    for fid in ids.values():
        ET.SubElement(data, _M + "fptr", {"FILEID": fid})
    ET.indent(mets)
    return ET.tostring(mets, encoding="utf-8", xml_declaration=True)


def premis_xml(root: Path, events: list[tuple[str, str, str]]) -> bytes:
    """PREMIS 3: an object per copy in ``data/`` with its SHA-256 fixity and size, and the events
    (digitisation, text recognition, the archive's signature) linked to it."""
    p = f"{{{PREMIS_NS}}}"
    premis = ET.Element(p + "premis", {"version": "3.0"})
    ids: dict[str, str] = {}
    for f in sorted((root / "representations" / "rep1" / "data").glob("*.pdf")):
        obj = ET.SubElement(
            premis, p + "object", {"{http://www.w3.org/2001/XMLSchema-instance}type": "premis:file"}
        )
        ident = ET.SubElement(obj, p + "objectIdentifier")
        ET.SubElement(ident, p + "objectIdentifierType").text = "local"
        ET.SubElement(ident, p + "objectIdentifierValue").text = ids.setdefault(f.name, f.name)
        chars = ET.SubElement(obj, p + "objectCharacteristics")
        digest, size = sha256_size(f)
        fix = ET.SubElement(chars, p + "fixity")
        ET.SubElement(fix, p + "messageDigestAlgorithm").text = "SHA-256"
        ET.SubElement(fix, p + "messageDigest").text = digest
        ET.SubElement(chars, p + "size").text = str(size)
        fmt = ET.SubElement(ET.SubElement(chars, p + "format"), p + "formatDesignation")
        ET.SubElement(fmt, p + "formatName").text = "application/pdf"
    for name, kind, when in events:
        ev = ET.SubElement(premis, p + "event")
        ident = ET.SubElement(ev, p + "eventIdentifier")
        ET.SubElement(ident, p + "eventIdentifierType").text = "UUID"
        ET.SubElement(ident, p + "eventIdentifierValue").text = str(uuid.uuid4())
        ET.SubElement(ev, p + "eventType").text = kind
        ET.SubElement(ev, p + "eventDateTime").text = when
        link = ET.SubElement(ev, p + "linkingObjectIdentifier")
        ET.SubElement(link, p + "linkingObjectIdentifierType").text = "local"
        ET.SubElement(link, p + "linkingObjectIdentifierValue").text = name
    ET.indent(premis)
    return ET.tostring(premis, encoding="utf-8", xml_declaration=True)
