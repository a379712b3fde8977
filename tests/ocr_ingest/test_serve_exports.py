"""``serve`` offers the archive's intake for download (``/exports``): the hồ sơ packages ``ocr-ingest
export`` wrote into ``--export-dir``, each one's metadata sheet, and the office's sheet of the whole
archive built on request. Over real HTTP to a real ``ocr-ingest serve``, read-only and with accounts
(a viewer may download); the archive is ingested from born-digital fixtures (no OCR)."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bench.screenshots import running_server
from ocr_ingest.archive import ingest
from ocr_ingest.archive.store import Archive
from verify import Settings

ROOT = Path(__file__).resolve().parents[2]
PKI = ROOT / "fixtures" / "signed" / "pki"
CODE = "H.07"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Served:
    root: Path  # the archive
    exports: Path  # the export folder: one package, a broken zip, a text file
    package: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Served:
    from ocr_ingest.intake import export

    tmp = tmp_path_factory.mktemp("exports")
    root = tmp / "archive"
    settings = Settings(trust_dirs=(PKI,))
    with Archive(root) as arc:
        for f in ("digital/govquao-2021.pdf", "signed/valid.pdf"):
            assert ingest(ROOT / "fixtures" / f, arc, settings=settings).status == "ingested"
        arc.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    exports = tmp / "exports"
    exports.mkdir()
    desc = tmp / "hoso.toml"
    desc.write_text(
        f'[ho_so]\nma_ho_so = "{CODE}"\nhop = "03"\n\n[[van_ban]]\nso_thu_tu = "001"\n'
        f'file = "{ROOT / "fixtures/signed/valid.pdf"}"\n',
        encoding="utf-8",
    )
    package = exports / f"{CODE} gói.zip"  # a name with a space and a diacritic, as clerks write them
    export(desc, package, trust_dirs=(PKI,))
    (exports / "hỏng.zip").write_bytes(b"not a zip")
    (exports / "notes.txt").write_text("x", encoding="utf-8")
    return Served(root, exports, package)


def get(url: str, cookie: str = "") -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def rows(xlsx: bytes) -> list[dict[str, object]]:
    values = list(load_workbook(io.BytesIO(xlsx)).active.values)
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def quoted(name: str) -> str:
    return urllib.request.quote(name, safe="")


def test_packages_their_sheets_and_the_archive_sheet_over_http(served: Served) -> None:
    with running_server(served.root, "--export-dir", str(served.exports)) as url:
        status, _, page = get(url + "exports")
        html = page.decode()
        assert status == 200 and "<h1>Xuất hồ sơ</h1>" in html
        assert f'href="/exports/{quoted(served.package.name)}"' in html and f"<code>{CODE}</code>" in html
        assert "hỏng.zip" not in html and "notes.txt" not in html  # only whole packages are listed
        assert '<a href="/exports" aria-current="page">Xuất hồ sơ</a>' in html  # in the nav

        status, headers, data = get(url + "exports/" + quoted(served.package.name))
        assert status == 200 and data == served.package.read_bytes()
        assert headers["content-type"] == "application/zip"
        assert headers["content-disposition"] == (
            "attachment; filename=\"h.07_goi.zip\"; filename*=UTF-8''H.07%20g%C3%B3i.zip"
        )

        status, headers, data = get(url + "exports/" + quoted(served.package.name) + "/sheet.xlsx")
        assert status == 200 and headers["content-type"] == XLSX
        with zipfile.ZipFile(served.package) as z:
            assert data == z.read(f"{CODE}/metadata/descriptive/{CODE}.xlsx")
        (row,) = rows(data)
        assert (row["Mã hồ sơ"], row["Hộp số"], row["Mức độ tin cậy"]) == (CODE, "03", "01")
        assert row["Ký hiệu thông tin"] == "Lâm Thái Hòa"

        status, headers, data = get(url + "exports/archive.xlsx")
        assert status == 200 and headers["content-type"] == XLSX
        sheet = {r["Ký hiệu của văn bản"]: r for r in rows(data)}
        assert len(sheet) == 2 and all(r["Mức độ tin cậy"] == "01" for r in sheet.values())
        notice = sheet["TB-VP"]
        assert (notice["Số của văn bản"], notice["Năm văn bản"], notice["Tháng văn bản"]) == (
            "153",
            "2021",
            "06",
        )
        assert notice["Mã hồ sơ"] is None  # the archive knows no hồ sơ
        assert str(notice["Đường dẫn file"]).endswith("/original.pdf")
        assert [r["Ký hiệu thông tin"] for r in sheet.values() if r["Ký hiệu thông tin"]] == ["Lâm Thái Hòa"]

        for path in ("exports/hỏng.zip", "exports/notes.txt", "exports/nope.zip", "exports/..%2Fhoso.toml",
                     "exports/hỏng.zip/sheet.xlsx"):  # fmt: skip
            assert get(url + urllib.request.quote(path, safe="/%"))[0] == 404, path


def test_without_an_export_dir_the_archive_sheet_is_still_offered(served: Served) -> None:
    from starlette.testclient import TestClient

    from ocr_ingest.serve import create_app

    client = TestClient(create_app(served.root))
    html = client.get("/exports").text
    assert "ocr-ingest serve --export-dir" in html and 'href="/exports/archive.xlsx"' in html
    assert len(rows(client.get("/exports/archive.xlsx").content)) == 2
    assert client.get("/exports/" + quoted(served.package.name)).status_code == 404


def test_a_viewer_may_download_an_anonymous_visitor_may_not(served: Served, tmp_path: Path) -> None:
    from desk_client import DeskClient  # beside this file

    root = tmp_path / "archive"
    shutil.copytree(served.root, root)
    added = subprocess.run(
        [sys.executable, "-m", "ocr_ingest.cli", "users", "add", "xem", "--role", "viewer", "--archive", str(root)],
        input="chỉ xem thôi 2\n", capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    # a clerk corrected the notice's subject: the archive's sheet carries the clerk's value
    from ocr_ingest.archive.corrections import Corrections

    with Archive(root) as arc:
        notice = next(
            r for r in (arc.load(sha) for sha, *_ in arc.recent(5)) if r.metadata["symbol"] == "TB-VP"
        )
        text = (arc.folder(notice.sha256) / "text.txt").read_text(encoding="utf-8")
    assert Corrections(root).save(notice, text, {"subject": "Về việc kiểm tra đã sửa"}, "lan")
    with running_server(root, "--export-dir", str(served.exports)) as url:
        anonymous = DeskClient(url).get("/exports/" + quoted(served.package.name))
        assert anonymous.status == 303 and anonymous.location.startswith("/login?")
        viewer = DeskClient(url)
        assert viewer.login("xem", "chỉ xem thôi 2").status == 303
        cookie = "; ".join(f"{k}={v}" for k, v in viewer.cookies.items())
        status, _, data = get(url + "exports/" + quoted(served.package.name), cookie)
        assert status == 200 and data == served.package.read_bytes()
        status, _, data = get(url + "exports/archive.xlsx", cookie)
        assert status == 200 and len(rows(data)) == 2
        subjects = {r["Ký hiệu của văn bản"]: r["Trích yếu nội dung"] for r in rows(data)}
        assert subjects["TB-VP"] == "Về việc kiểm tra đã sửa"


def test_a_missing_export_dir_is_a_one_line_error(served: Served, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ocr_ingest.cli", "serve", "--archive", str(served.root),
         "--export-dir", str(tmp_path / "none"), "--port", "0"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr == f"ocr-ingest serve: --export-dir {tmp_path / 'none'}: not a folder\n"
