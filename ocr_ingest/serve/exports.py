"""The archive's intake for download (``/exports``): the hồ sơ packages ``ocr-ingest export`` wrote into
the export folder (``serve --export-dir``), each hồ sơ's metadata sheet read out of its package, and the
office's sheet (TT 05's columns, :mod:`ocr_ingest.intake.metadata`) of every document in the archive,
built on request from the records with the clerks' corrections.

Any role may download (a viewer too): nothing here writes. A package is named in a URL by its file
name, looked up among the ``*.zip`` files the folder holds, never joined to a path; ``export`` writes a
package aside and renames it, so every zip listed is whole.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from ..archive.record import Record
from ..intake.metadata import DocumentMetadata, document_metadata, write_sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Package:
    """One package in the export folder: its file, the hồ sơ code (its top folder), size in bytes,
    and when it was written (local time of the server, ISO 8601)."""

    path: Path
    code: str
    size: int
    written: str

    @property
    def name(self) -> str:
        return self.path.name


def packages(export_dir: Path) -> list[Package]:
    """The packages in ``export_dir``, newest first; a zip that is not one package folder is left out."""
    out = []
    for path in export_dir.glob("*.zip"):
        if not path.is_file():
            continue
        try:
            with zipfile.ZipFile(path) as z:
                tops = {n.split("/", 1)[0] for n in z.namelist()}
        except (OSError, zipfile.BadZipFile):
            continue
        if len(tops) != 1:
            continue
        st = path.stat()
        written = dt.datetime.fromtimestamp(st.st_mtime).astimezone().isoformat(timespec="seconds")
        out.append(Package(path, tops.pop(), st.st_size, written))
    return sorted(out, key=lambda p: (p.written, p.name), reverse=True)


def package_sheet(package: Package) -> bytes | None:
    """The hồ sơ's sheet as the package carries it (``<code>/metadata/descriptive/<code>.xlsx``)."""
    member = f"{package.code}/metadata/descriptive/{package.code}.xlsx"
    try:
        with zipfile.ZipFile(package.path) as z:
            return z.read(member)
    except (OSError, KeyError, zipfile.BadZipFile):
        return None


def born_digital(record: Record) -> bool:
    """As ``export`` decides: an e-signed original, or every page read from its text layer (TT 05
    ``confidenceLevel`` 01); a scan is 02."""
    sigs = (record.signature or {}).get("signatures") or []
    signed = any(s.get("kind") == "signature" for s in sigs if isinstance(s, dict))
    return signed or bool(record.pages) and all(p.source == "text_layer" for p in record.pages)


def record_metadata(record: Record) -> DocumentMetadata:
    """TT 05's fields of an archived document; the hồ sơ's own fields (mã hồ sơ, hộp, …) stay empty:
    the archive does not know them, a hồ sơ description does."""
    return document_metadata(
        record.fields,
        page_count=record.page_count,
        born_digital=born_digital(record),
        signature=record.signature,
        archive={},
        language=record.language,
    )


def archive_sheet(records: Iterable[Record]) -> bytes:
    """The office's xlsx, a row per record; the file column is the original's path in the archive."""
    rows = [(record_metadata(r), (r.archive or {}).get("original") or r.source) for r in records]
    out = io.BytesIO()
    write_sheet(rows, out)
    return out.getvalue()


def routes(
    guard: Callable,
    templates: Any,
    export_dir: Path | None,
    records: Callable[[], list[Record]],
    attachment: Callable[[str], str],
) -> list[Route]:
    """``/exports`` (the page), ``/exports/archive.xlsx``, ``/exports/<name>`` and its ``/sheet.xlsx``.
    ``records``: every archived record with its corrections applied, newest first."""

    def find(name: str) -> Package:
        found = {p.name: p for p in packages(export_dir)} if export_dir else {}
        if name not in found:
            raise HTTPException(404)
        return found[name]

    def page(request: Request) -> Response:
        context = {"export_dir": export_dir, "packages": packages(export_dir) if export_dir else []}
        return templates.TemplateResponse(request, "exports.html", context)

    def whole_archive(request: Request) -> Response:
        data = archive_sheet(records())
        today = dt.date.today().isoformat()
        headers = {"content-disposition": attachment(f"bang-ke-kho-{today}.xlsx")}
        return Response(data, media_type=XLSX, headers=headers)

    def package(request: Request) -> Response:
        found = find(request.path_params["name"])
        headers = {"content-disposition": attachment(found.name)}
        return FileResponse(found.path, media_type="application/zip", headers=headers)

    def sheet(request: Request) -> Response:
        found = find(request.path_params["name"])
        data = package_sheet(found)
        if data is None:
            raise HTTPException(404)
        return Response(
            data, media_type=XLSX, headers={"content-disposition": attachment(f"{found.code}.xlsx")}
        )

    return [
        Route("/exports", guard(page), name="exports"),
        Route("/exports/archive.xlsx", guard(whole_archive), name="archive_sheet"),
        Route("/exports/{name}", guard(package), name="package"),
        Route("/exports/{name}/sheet.xlsx", guard(sheet), name="package_sheet"),
    ]
