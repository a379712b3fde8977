"""Check a package as the archive receiving it would: every file METS lists against its size and
SHA-256, each METS and the PREMIS against the METS and PREMIS schemas the package carries, each copy's PDF/A-2b verdict
(``pikepdf.pdfa``) and signature verdict (our ``verify``); and, where it is installed, the E-ARK
validator (``eark-validator``: CSIP/SIP 2.1 schema and schematron rules), run offline.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import urllib.request
import zipfile
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

METS = "{http://www.loc.gov/METS/}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


@dataclass(frozen=True)
class Verdict:
    check: str  # "checksums", "METS schema", "PREMIS schema", "PDF/A-2b", "signature", "E-ARK"
    subject: str  # the file, relative to the package
    verdict: str
    detail: str = ""


def unpack(package: Path, into: Path) -> Path:
    """The package's root folder, unzipped under ``into`` (a folder is returned as it is)."""
    if package.is_dir():
        return package
    with zipfile.ZipFile(package) as z:
        z.extractall(into)
        top = {Path(n).parts[0] for n in z.namelist()}
    if len(top) != 1:
        raise ValueError(f"{package}: not one package folder at the top of the zip")
    return into / top.pop()


def check_package(root: Path, *, trust_dirs: tuple[Path, ...] = ()) -> list[Verdict]:
    from lxml import etree

    from verify import Settings, verify_file

    out: list[Verdict] = []
    schema = _schema(root / "schemas", "mets.xsd")
    for mets in sorted(root.rglob("METS.xml")):
        rel = mets.relative_to(root).as_posix()
        doc = etree.parse(str(mets))
        ok = schema.validate(doc)
        out.append(
            Verdict("METS schema", rel, "valid" if ok else "invalid", str(schema.error_log.last_error or ""))
        )
        bad = []
        refs = [(f.find(f"{METS}FLocat"), f) for f in doc.iter(f"{METS}file")]
        refs += [(ref, ref) for ref in doc.iter(f"{METS}mdRef")]
        for loc, attrs in refs:
            href = loc.get(XLINK_HREF)
            path = mets.parent / href
            data = path.read_bytes() if path.is_file() else None
            if (
                data is None
                or hashlib.sha256(data).hexdigest() != attrs.get("CHECKSUM")
                or len(data) != int(attrs.get("SIZE", -1))
            ):
                bad.append(href)
        out.append(
            Verdict(
                "checksums",
                rel,
                "ok" if not bad else "mismatch",
                f"{len(refs)} files" + (f"; bad: {bad}" if bad else ""),
            )
        )
    out += premis_verdicts(root)
    settings = Settings(trust_dirs=trust_dirs) if trust_dirs else None
    for pdf in sorted(root.glob("representations/*/data/*.pdf")):
        rel = pdf.relative_to(root).as_posix()
        if _confidence_level(pdf) == "01":
            out.append(
                Verdict("original", rel, "kept as it is", "born digital: not rewritten, not checked as PDF/A")
            )
        else:
            out.append(Verdict("PDF/A-2b", rel, *pdfa_verdict(pdf)))
        report = verify_file(pdf, settings=settings)
        out.append(Verdict("signature", rel, report.verdict, "; ".join(report.problems)))
    return out


FORM_NOT_CHECKED = "/AcroForm: interactive forms (/AcroForm) are not supported"


def pdfa_verdict(pdf: Path) -> tuple[str, str]:
    """The PDF/A-2b verdict and why. ``pikepdf.pdfa`` does not check forms, and a signature is one:
    for a signed copy whose only finding is that, the verdict is on the revision the signature
    appended to (the validated copy: our copies are written in one revision, then signed)."""
    from .pdfa import validate

    verdict, findings = validate(pdf)
    if verdict == "not_checked" and len(findings) == 1 and findings[0].endswith(FORM_NOT_CHECKED):
        data = pdf.read_bytes()
        end = data.find(b"%%EOF")
        if end > 0 and end + 6 < len(data):
            with tempfile.TemporaryDirectory() as tmp:  # the package is only read
                first = Path(tmp) / "revision1.pdf"
                first.write_bytes(data[: end + 5] + b"\n")
                verdict, findings = validate(first)
            return verdict, "the revision before the archive's signature (pikepdf.pdfa does not check forms)"
    return verdict, "; ".join(findings)


def _confidence_level(pdf: Path) -> str | None:
    """The document's confidenceLevel (01 born digital, 02 digitised) from its metadata XML."""
    from xml.etree import ElementTree as ET

    meta = pdf.parent.parent / "metadata" / "descriptive" / (pdf.stem + ".xml")
    return ET.parse(meta).getroot().findtext("confidenceLevel") if meta.is_file() else None


def premis_verdicts(root: Path) -> list[Verdict]:
    """Each PREMIS document of the package against the PREMIS 3.0 schema (Library of Congress) the
    package carries in ``schemas/premis.xsd``: an archive takes the package's word only with its schema."""
    from lxml import etree

    schema = _schema(root / "schemas", "premis.xsd")
    out = []
    for premis in sorted(root.rglob("PREMIS.xml")):
        ok = schema.validate(etree.parse(str(premis)))
        detail = str(schema.error_log.last_error or "")
        out.append(
            Verdict(
                "PREMIS schema", premis.relative_to(root).as_posix(), "valid" if ok else "invalid", detail
            )
        )
    return out


def _schema(schemas: Path, name: str):  # -> lxml.etree.XMLSchema
    """The package's own ``schemas/<name>``, an XLink import (METS has one) resolved to
    ``schemas/xlink.xsd``: validation never reaches the network."""
    from lxml import etree

    class Local(etree.Resolver):
        def resolve(self, url, pubid, context):
            return (
                self.resolve_filename(str(schemas / "xlink.xsd"), context)
                if url.endswith("xlink.xsd")
                else None
            )

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Local())
    return etree.XMLSchema(etree.parse(str(schemas / name), parser))


def eark_available() -> bool:
    return find_spec("eark_validator") is not None


def eark_validation(root: Path) -> dict:
    """The E-ARK validator's report (as JSON data) on the unpacked package. It fetches its
    vocabularies over the network when imported: they are served here from its own copies."""
    spec = find_spec("eark_validator")
    if spec is None:
        raise ImportError("eark-validator is not installed")
    vocabs = Path(spec.submodule_search_locations[0]) / "ipxml" / "resources" / "vocabs"

    def local(url, *args, **kwargs):
        path = vocabs / str(url).rsplit("/", 1)[-1]
        if not path.is_file():
            raise OSError(f"offline: {url}")
        return io.BytesIO(path.read_bytes())

    saved = urllib.request.urlopen
    urllib.request.urlopen = local
    try:
        import eark_validator.ipxml.schematron as schematron

        schematron.urlopen = local
        from eark_validator.packages import PackageValidator
        from eark_validator.specifications.specification import SpecificationVersion

        report = PackageValidator(root, SpecificationVersion.V2_1_0).validation_report
    finally:
        urllib.request.urlopen = saved
    return json.loads(report.model_dump_json())


def eark_verdicts(report: dict) -> list[Verdict]:
    meta = report["metadata"]
    errors = [m for m in meta["schematron_results"]["messages"] if m["severity"] == "Error"]
    return [
        Verdict("E-ARK", "structure", report["structure"]["status"]),
        Verdict("E-ARK", "METS schema", meta["schema_results"]["status"]),
        Verdict(
            "E-ARK",
            "CSIP/SIP rules",
            meta["schematron_results"]["status"],
            ", ".join(m["rule_id"] for m in errors),
        ),
    ]
