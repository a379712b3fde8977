"""``ocr-ingest export``: the hồ sơ package (E-ARK CSIP layout), METS against the official METS schema
(as shipped by metsrw, its xlink import from the E-ARK validator's copy), every checksum and size, PREMIS
fixity and events, the metadata XML and the office's sheet; a missing file is a clear error."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
SCAN = ROOT / "fixtures" / "scans" / "govquao-2021-standard.pdf"
SIGNED = ROOT / "fixtures" / "signed" / "valid.pdf"
CODE = "001.03.08.H30.81.2024.K4.01.01"
M = "{http://www.loc.gov/METS/}"
P = "{http://www.loc.gov/premis/v3}"


def description(tmp: Path, files: list[Path]) -> Path:
    docs = "".join(f'\n[[van_ban]]\nso_thu_tu = "{k:03d}"\nfile = "{f}"\n' for k, f in enumerate(files, 1))
    path = tmp / "hoso.toml"
    path.write_text(
        f'[ho_so]\nma_ho_so = "{CODE}"\nphong = "UBND huyện Gò Quao"\nmuc_luc = "01"\nhop = "01"\n'
        f'thoi_han_bao_quan = "Vĩnh viễn"\nche_do_su_dung = "Công khai"\n' + docs,
        encoding="utf-8",
    )
    return path


def export_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ocr_ingest.cli", "export", *args], capture_output=True, text=True, cwd=ROOT
    )


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("export")
    out = tmp / "pkg.zip"
    r = export_cli(str(description(tmp, [SCAN, SIGNED])), "--out", str(out), "--trust", "fixtures/signed/pki")
    assert r.returncode == 0, r.stderr
    assert f"{CODE}.001.pdf  two-layer PDF/A" in r.stdout and f"{CODE}.002.pdf  original kept" in r.stdout
    unpacked = tmp / "unpacked"
    with zipfile.ZipFile(out) as z:
        z.extractall(unpacked)
    return unpacked / CODE


def mets_schema() -> etree.XMLSchema:
    """The official METS schema, its xlink import resolved to a local copy (no network)."""
    metsrw = pytest.importorskip("metsrw")
    eark = pytest.importorskip("eark_validator")
    xlink = Path(eark.__file__).parent / "ipxml" / "resources" / "schema" / "xlink.xsd"

    class Local(etree.Resolver):
        def resolve(self, url, pubid, context):
            if url.endswith("xlink.xsd"):
                return self.resolve_filename(str(xlink), context)
            return None

    parser = etree.XMLParser()
    parser.resolvers.add(Local())
    doc = etree.parse(str(Path(metsrw.__file__).parent / "resources" / "mets.xsd"), parser)
    return etree.XMLSchema(doc)


def test_csip_layout_and_names(package: Path) -> None:
    files = sorted(p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file())
    assert files == [
        "METS.xml",
        f"metadata/descriptive/{CODE}.xlsx",
        "metadata/descriptive/hoso.toml",
        "metadata/preservation/PREMIS.xml",
        "representations/rep1/METS.xml",
        f"representations/rep1/data/{CODE}.001.pdf",
        f"representations/rep1/data/{CODE}.002.pdf",
        f"representations/rep1/metadata/descriptive/{CODE}.001.xml",
        f"representations/rep1/metadata/descriptive/{CODE}.002.xml",
    ]
    # the e-signed original goes in as it is
    assert (package / f"representations/rep1/data/{CODE}.002.pdf").read_bytes() == SIGNED.read_bytes()


@pytest.mark.parametrize("mets", ["METS.xml", "representations/rep1/METS.xml"])
def test_mets_valid_and_every_checksum_right(package: Path, mets: str) -> None:
    doc = etree.parse(str(package / mets))
    schema = mets_schema()
    assert schema.validate(doc), schema.error_log
    base = (package / mets).parent
    listed = doc.findall(f".//{M}file")
    assert len(listed) == sum(1 for p in base.rglob("*") if p.is_file() and p != base / "METS.xml")
    for f in listed:
        href = f.find(f"{M}FLocat").get("{http://www.w3.org/1999/xlink}href")
        data = (base / href).read_bytes()
        assert f.get("CHECKSUMTYPE") == "SHA-256"
        assert f.get("CHECKSUM") == hashlib.sha256(data).hexdigest(), href
        assert int(f.get("SIZE")) == len(data)


def test_premis_fixity_and_events(package: Path) -> None:
    doc = etree.parse(str(package / "metadata/preservation/PREMIS.xml"))
    fixity = {
        o.findtext(f"{P}objectIdentifier/{P}objectIdentifierValue"): o.findtext(f".//{P}messageDigest")
        for o in doc.findall(f"{P}object")
    }
    data = package / "representations/rep1/data"
    assert fixity == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in data.glob("*.pdf")}
    events = [
        (e.findtext(f"{P}eventType"), e.findtext(f".//{P}linkingObjectIdentifierValue"))
        for e in doc.iter(f"{P}event")
    ]
    assert events == [("digitization", f"{CODE}.001.pdf"), ("text recognition", f"{CODE}.001.pdf")]


def test_metadata_xml_and_sheet(package: Path) -> None:
    from openpyxl import load_workbook

    from ocr_ingest.intake import validate

    assert validate(package / f"representations/rep1/data/{CODE}.001.pdf") == ("pass", [])
    scan = etree.parse(str(package / f"representations/rep1/metadata/descriptive/{CODE}.001.xml")).getroot()
    assert {k: scan.findtext(k) for k in ("typeName", "codeNumber", "codeNotation", "issuedDate", "confidenceLevel",
                                         "maintenance", "mode", "arcFileCode", "docOrdinal")} == {
        "typeName": "07", "codeNumber": "153", "codeNotation": "TB-VP", "issuedDate": "2021-06-09",
        "confidenceLevel": "02", "maintenance": "01", "mode": "01", "arcFileCode": CODE, "docOrdinal": "001",
    }  # fmt: skip
    signed = etree.parse(str(package / f"representations/rep1/metadata/descriptive/{CODE}.002.xml")).getroot()
    assert signed.findtext("confidenceLevel") == "01" and signed.findtext("inforSign") == "Lâm Thái Hòa"
    ws = load_workbook(package / f"metadata/descriptive/{CODE}.xlsx").active
    rows = list(ws.values)
    heads = rows[0]
    assert {
        "Mã hồ sơ",
        "Số của văn bản",
        "Ký hiệu của văn bản",
        "Trích yếu nội dung",
        "Mức độ tin cậy",
    } <= set(heads)
    first = dict(zip(heads, rows[1], strict=True))
    assert (first["Số của văn bản"], first["Ký hiệu của văn bản"], first["Năm văn bản"]) == (
        "153",
        "TB-VP",
        "2021",
    )
    assert first["Mức độ tin cậy"] == "02" and len(rows) == 3


def test_missing_file_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "pkg.zip"
    r = export_cli(str(description(tmp_path, [SCAN, tmp_path / "absent.pdf"])), "--out", str(out))
    assert r.returncode == 2
    assert "van_ban 2: file not found" in r.stderr and "absent.pdf" in r.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "hoso.toml"]
