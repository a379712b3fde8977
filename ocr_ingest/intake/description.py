"""The hồ sơ description the clerk writes: the archive's own fields of the hồ sơ (mã hồ sơ, phông, mục
lục, hộp, thời hạn bảo quản, chế độ sử dụng) and its documents (số thứ tự, file), as TOML::

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

or as CSV (what a spreadsheet saves: UTF-8, a BOM or not; comma, semicolon or tab), a row per
document, the hồ sơ's fields in columns of their own, given on the first row or repeated::

    ma_ho_so,phong,muc_luc,hop,thoi_han_bao_quan,che_do_su_dung,so_thu_tu,file
    001.03.08.H30.81.2024.K4.01.01,Chi cục ATVSTP,01,01,Vĩnh viễn,Công khai,001,scans/001.pdf
    ,,,,,,002,scans/002.pdf

The columns may also carry the office sheet's Vietnamese headings (``Mã hồ sơ``, ``Hộp số``,
``Số thứ tự văn bản trong hồ sơ``, ``Đường dẫn file``, …). A file that is not there, a missing mã hồ
sơ or two different values of one hồ sơ field are errors that name the row: nothing is written.
"""

from __future__ import annotations

import csv
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: the hồ sơ's own fields; any other column belongs to the document of its row
HO_SO_KEYS = ("ma_ho_so", "tieu_de", "phong", "muc_luc", "hop", "thoi_han_bao_quan", "che_do_su_dung")
#: the office sheet's headings (metadata-sheet-columns.csv) a CSV may use instead of our keys
HEADINGS = {
    "mã hồ sơ": "ma_ho_so",
    "tiêu đề hồ sơ": "tieu_de",
    "phông": "phong",
    "mục lục": "muc_luc",
    "hộp số": "hop",
    "thời hạn bảo quản": "thoi_han_bao_quan",
    "chế độ sử dụng": "che_do_su_dung",
    "số thứ tự văn bản trong hồ sơ": "so_thu_tu",
    "đường dẫn file": "file",
    "ghi chú": "ghi_chu",
}


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


def read_description(path: Path) -> HoSo:
    """The hồ sơ ``path`` describes (``.csv``: CSV, else TOML), every file checked to exist."""
    if path.suffix.lower() == ".csv":
        ho_so, docs, where = _read_csv(path)
    else:
        ho_so, docs = _read_toml(path)
        where = [f"van_ban {k}" for k in range(1, len(docs) + 1)]
    if not docs:
        raise DescriptionError(f"{path}: no document (van_ban) listed")
    if not ho_so.get("ma_ho_so"):
        raise DescriptionError(f"{path}: the hồ sơ needs ma_ho_so (mã hồ sơ)")
    out = []
    for k, (d, at) in enumerate(zip(docs, where, strict=True), start=1):
        if not d.get("file"):
            raise DescriptionError(f"{path}: {at} has no file")
        file = (path.parent / str(d["file"])).resolve()
        if not file.is_file():
            raise DescriptionError(f"{path}: {at}: file not found: {d['file']}")
        out.append(
            {
                **{k2: str(v) for k2, v in d.items()},
                "file": str(file),
                "so_thu_tu": str(d.get("so_thu_tu") or f"{k:03d}"),
            }
        )
    return HoSo(path, {k: str(v) for k, v in ho_so.items()}, tuple(out))


def _read_toml(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DescriptionError(f"{path}: cannot read the hồ sơ description: {exc}") from exc
    return data.get("ho_so") or {}, list(data.get("van_ban") or [])


def _column(heading: str) -> str:
    name = unicodedata.normalize("NFC", heading).strip().lower()
    return HEADINGS.get(name, name.replace(" ", "_"))


def _read_csv(path: Path) -> tuple[dict[str, str], list[dict[str, str]], list[str]]:
    """(the hồ sơ's fields, a dict per document row, each row's name for errors: ``row N``, counting
    the heading as row 1, as a spreadsheet shows it)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DescriptionError(
            f"{path}: not UTF-8 (save it from the spreadsheet as 'CSV UTF-8'): {exc}"
        ) from exc
    except OSError as exc:
        raise DescriptionError(f"{path}: cannot read the hồ sơ description: {exc}") from exc
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(text.splitlines(), dialect)
    rows = list(reader)
    if not rows:
        raise DescriptionError(f"{path}: empty")
    columns = [_column(h) for h in rows[0]]
    if "file" not in columns:
        raise DescriptionError(f"{path}: no 'file' column (the path of each document)")
    ho_so: dict[str, str] = {}
    docs, where = [], []
    for n, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # a blank line a spreadsheet left
        if len(cells) > len(columns):
            raise DescriptionError(f"{path}: row {n}: {len(cells)} cells for {len(columns)} columns")
        row = {c: v.strip() for c, v in zip(columns, cells, strict=False) if v.strip()}
        for key in HO_SO_KEYS:
            if key in row:
                if ho_so.get(key, row[key]) != row[key]:
                    raise DescriptionError(
                        f"{path}: row {n}: {key} «{row[key]}» differs from «{ho_so[key]}» above "
                        "(one description is one hồ sơ)"
                    )
                ho_so[key] = row.pop(key)
        docs.append(row)
        where.append(f"row {n}")
    return ho_so, docs, where
