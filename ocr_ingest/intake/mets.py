"""The package's METS (E-ARK SIP on CSIP 2.1) and PREMIS (3.0) documents: every file with its size
(bytes), creation time and SHA-256, the CSIP structural map, and the preservation events.

The rules followed are those the E-ARK validator checks (``eark-validator`` 1.1.3, CSIP/SIP 2.1);
``docs/intake.md`` says which of them contradict each other and which one is kept.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from xml.etree import ElementTree as ET

from ..text.load import hash_file

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
PREMIS_NS = "http://www.loc.gov/premis/v3"
ET.register_namespace("mets", METS_NS)
ET.register_namespace("xlink", XLINK_NS)
ET.register_namespace("premis", PREMIS_NS)


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
    ".csv": "text/csv",
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
    digest, size = hash_file(path)
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
        digest, size = hash_file(f)
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
