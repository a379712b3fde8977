"""The hồ sơ description as CSV (what a spreadsheet saves) besides TOML: the same hồ sơ from either, the
office sheet's Vietnamese headings understood, and every mistake a clear error naming its row, with
nothing written."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from ocr_ingest.intake import DescriptionError, read_description

ROOT = Path(__file__).resolve().parents[2]
SIGNED = ROOT / "fixtures" / "signed" / "valid.pdf"
SCAN = ROOT / "fixtures" / "scans" / "govquao-2021-standard.pdf"
CODE = "001.03.08.H30.81.2024.K4.01.01"


def test_csv_and_toml_describe_the_same_ho_so(tmp_path: Path) -> None:
    toml = tmp_path / "hoso.toml"
    toml.write_text(
        f'[ho_so]\nma_ho_so = "{CODE}"\nphong = "UBND huyện Gò Quao"\nhop = "01"\n'
        f'thoi_han_bao_quan = "Vĩnh viễn"\n\n[[van_ban]]\nso_thu_tu = "001"\nfile = "{SCAN}"\n'
        f'\n[[van_ban]]\nso_thu_tu = "002"\nfile = "{SIGNED}"\nghi_chu = "bản gốc điện tử"\n',
        encoding="utf-8",
    )
    # as a spreadsheet saves it: a BOM, semicolons, the sheet's headings, the hồ sơ on the first row only
    csv = tmp_path / "hoso.csv"
    csv.write_bytes(
        (
            "\ufeffMã hồ sơ;Phông;Hộp số;Thời hạn bảo quản;Số thứ tự văn bản trong hồ sơ;Đường dẫn file;Ghi chú\r\n"
            f"{CODE};UBND huyện Gò Quao;01;Vĩnh viễn;001;{SCAN};\r\n"
            ";;;;;\r\n"
            f";;;;002;{SIGNED};bản gốc điện tử\r\n"
        ).encode()
    )
    from_toml, from_csv = read_description(toml), read_description(csv)
    assert from_csv.archive == from_toml.archive == {
        "ma_ho_so": CODE, "phong": "UBND huyện Gò Quao", "hop": "01", "thoi_han_bao_quan": "Vĩnh viễn",
    }  # fmt: skip
    assert from_csv.documents == from_toml.documents
    assert [d["ghi_chu"] for d in from_csv.documents[1:]] == ["bản gốc điện tử"]


def test_repeated_ho_so_fields_and_our_own_column_names(tmp_path: Path) -> None:
    csv = tmp_path / "hoso.csv"
    csv.write_text(
        f"ma_ho_so,hop,so_thu_tu,file\n{CODE},02,001,{SIGNED}\n{CODE},02,,{SIGNED}\n", encoding="utf-8"
    )
    ho_so = read_description(csv)
    assert ho_so.code == CODE and ho_so.archive["hop"] == "02"
    assert [d["so_thu_tu"] for d in ho_so.documents] == ["001", "002"]  # a blank one is its position


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (f"ma_ho_so,file\n{CODE},{SIGNED}\n,absent.pdf\n", "row 3: file not found: absent.pdf"),
        (f"ma_ho_so,file\n{CODE},{SIGNED}\n,\n{CODE},\n", "row 4 has no file"),
        (f"ma_ho_so,file\n{CODE},{SIGNED}\nKHÁC,{SIGNED}\n", "row 3: ma_ho_so «KHÁC» differs from «" + CODE),
        (f"ma_ho_so,so_thu_tu\n{CODE},001\n", "no 'file' column"),
        (f"hop,file\n01,{SIGNED}\n", "the hồ sơ needs ma_ho_so"),
        ("ma_ho_so,file\n", "no document (van_ban) listed"),
        (f"ma_ho_so,file\n{CODE},{SIGNED},x\n", "row 2: 3 cells for 2 columns"),
    ],
)
def test_csv_mistakes_are_clear_errors_naming_the_row(tmp_path: Path, content: str, message: str) -> None:
    csv = tmp_path / "hoso.csv"
    csv.write_text(content, encoding="utf-8")
    with pytest.raises(DescriptionError) as err:
        read_description(csv)
    assert str(err.value).startswith(f"{csv}: ") and message in str(err.value)


def test_a_csv_saved_in_a_legacy_code_page_is_named_as_such(tmp_path: Path) -> None:
    csv = tmp_path / "hoso.csv"
    text = f"ma_ho_so,phong,file\n{CODE},Phông lưu trữ Gò Quao,{SIGNED}\n"
    csv.write_bytes(text.encode("cp1258", errors="replace"))  # Windows' Vietnamese code page: ô is 0xF4
    with pytest.raises(DescriptionError, match="not UTF-8 \\(save it from the spreadsheet as 'CSV UTF-8'\\)"):
        read_description(csv)


def export_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ocr_ingest.cli", "export", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_export_from_a_csv_and_a_missing_file_writes_nothing(tmp_path: Path) -> None:
    csv = tmp_path / "hoso.csv"
    csv.write_text(f"ma_ho_so,hop,so_thu_tu,file\nH.09,05,001,{SIGNED}\n,,002,thieu.pdf\n", encoding="utf-8")
    out = tmp_path / "pkg.zip"
    r = export_cli(str(csv), "--out", str(out))
    assert r.returncode == 2 and r.stderr == f"ocr-ingest export: {csv}: row 3: file not found: thieu.pdf\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hoso.csv"]

    csv.write_text(f"ma_ho_so,hop,so_thu_tu,file\nH.09,05,001,{SIGNED}\n", encoding="utf-8")
    r = export_cli(str(csv), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "H.09.001.pdf  original kept" in r.stdout
    with zipfile.ZipFile(out) as z:
        assert z.read("H.09/metadata/descriptive/hoso.csv") == csv.read_bytes()
        mets = etree.fromstring(z.read("H.09/METS.xml"))
        doc = etree.fromstring(z.read("H.09/representations/rep1/metadata/descriptive/H.09.001.xml"))
    (ref,) = [r for r in mets.iter("{http://www.loc.gov/METS/}mdRef") if r.get(XHREF).endswith("hoso.csv")]
    assert ref.get("MIMETYPE") == "text/csv"
    assert (doc.findtext("arcFileCode"), doc.findtext("boxNumber"), doc.findtext("docOrdinal")) == (
        "H.09",
        "05",
        "001",
    )


XHREF = "{http://www.w3.org/1999/xlink}href"
