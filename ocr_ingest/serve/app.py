"""The web app: search page, document page, page views, downloads and the watcher's status.

Two modes. Read-only (an archive without accounts, or ``accounts=False``): no login, the index is
opened with SQLite's ``mode=ro`` (one connection per server thread) and nothing is written anywhere.
With accounts (:mod:`.accounts`): every route checks the session's role, and the review desk's
routes (:mod:`.desk_routes`: login, review queue and screen, upload) write corrections and uploads. Every file served is found through the index — a document is named in a
URL by its SHA-256 only, and its folder comes from the ``documents`` row — so no part of a URL ever
reaches the file system. Subjects, OCR text and source names are untrusted: templates autoescape, and
the one piece of markup we add (``<mark>`` around matched words) is added after escaping.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from verify import VERDICTS

from ..archive.corrections import Corrections, corrected_record
from ..archive.record import Record
from ..archive.store import Archive, Filters, fold
from ..errors import OcrIngestError
from ..watch.status import failed_reports, read_status
from . import desk_routes, exports, labels
from .accounts import Accounts
from .pages import SIZES, media_type, page_png, page_texts

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 20  # hits per search page
MAX_PAGE = 500
SHA256 = re.compile(r"[0-9a-f]{64}")
ORIGINAL = re.compile(r"original(\.[a-z0-9]{1,5})?")
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")

#: Sent with every response: no scripts at all, nothing framed, no sniffing, no referrer.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
#: With accounts: the review screen's and upload page's own scripts (keyboard, drag and drop) may run.
DESK_CSP = (
    b"default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; "
    b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


@dataclass(frozen=True)
class Stored:
    """One archived document as the index knows it: its folder, record and original file."""

    sha256: str
    folder: Path
    record: Record
    original: Path

    def text(self) -> str:
        return (self.folder / "text.txt").read_text("utf-8")


def create_app(
    archive_dir: str | Path,
    *,
    inbox: str | Path | None = None,
    page_size: int = PAGE_SIZE,
    accounts: bool | None = None,
    export_dir: str | Path | None = None,
) -> Starlette:
    """The app over an existing archive; ``inbox``: a watcher's inbox whose status to show (and where
    uploads go); ``page_size``: hits per search page; ``accounts``: log-in and the review desk (default:
    when the archive has users, see ``ocr-ingest users``), ``False`` for the read-only mode; ``export_dir``:
    the folder ``ocr-ingest export`` writes packages into, offered for download (:mod:`.exports`)."""
    root = Path(archive_dir).resolve()
    Archive(root, readonly=True).close()  # fail now, not on the first request, if it is no archive
    inbox_dir = Path(inbox).resolve() if inbox else None
    export_path = Path(export_dir).resolve() if export_dir else None
    local = threading.local()
    users = Accounts(root)
    with_accounts = users.has_users() if accounts is None else accounts
    corrections = Corrections(root)

    def archive() -> Archive:
        arc = getattr(local, "archive", None)
        if arc is None:
            arc = local.archive = Archive(root, readonly=True)
        return arc

    def stored(sha: str) -> Stored:
        """The document with key ``sha``, or 404: its folder from the index, checked to lie inside
        the archive, and its original's name checked against the names the archive writes."""
        if not SHA256.fullmatch(sha):
            raise HTTPException(404)
        folder = archive().folder(sha)
        if folder is None or not folder.resolve().is_relative_to(root):
            raise HTTPException(404)
        try:
            record = Record.from_dict(json.loads((folder / "record.json").read_text("utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            raise HTTPException(404) from exc
        name = Path((record.archive or {}).get("original", "")).name
        if not ORIGINAL.fullmatch(name):
            raise HTTPException(404)
        return Stored(sha, folder, record, folder / name)

    def page_number(doc: Stored, value: Any) -> int:
        n = int(value)
        if not 1 <= n <= max(doc.record.page_count, 1):
            raise HTTPException(404)
        return n

    def search(request: Request) -> Response:
        p = request.query_params
        query = p.get("q", "")[:300]
        form = {k: p.get(k, "").strip()[:120] for k in ("type", "issuer", "from", "to", "verdict")}
        errors = []
        for key in ("from", "to"):
            if form[key] and not DATE.fullmatch(form[key]):
                errors.append(f"«{form[key]}» không phải là ngày (YYYY, YYYY-MM hoặc YYYY-MM-DD).")
        if form["verdict"] and form["verdict"] not in VERDICTS:
            errors.append(f"«{form['verdict']}» không phải là một kết quả kiểm tra chữ ký.")
        try:
            page = min(max(int(p.get("page") or 1), 1), MAX_PAGE)
        except ValueError:
            page = 1
        hits, more = [], False
        if not errors:
            filters = Filters(
                form["type"] or None, form["from"] or None, form["to"] or None, form["issuer"] or None,
                form["verdict"] or None,
            )  # fmt: skip
            hits = archive().search(query, filters, limit=page_size + 1, offset=(page - 1) * page_size)
            more, hits = len(hits) > page_size, hits[:page_size]

        def page_url(n: int) -> str:
            params = {"q": query, **form, "page": str(n)}
            return "?" + urllib.parse.urlencode({k: v for k, v in params.items() if v and v != "1"})

        context = {
            "query": query,
            "form": form,
            "errors": errors,
            "hits": hits,
            "page": page,
            "first": (page - 1) * page_size + 1,
            "prev_url": page_url(page - 1) if page > 1 else None,
            "next_url": page_url(page + 1) if more else None,
            "doc_types": archive().doc_types(),
            "verdicts": VERDICTS,
            "filtered": any(form.values()),
        }
        return templates.TemplateResponse(request, "search.html", context, status_code=400 if errors else 200)

    def document(request: Request) -> Response:
        doc = stored(request.path_params["sha"])
        record = corrected_record(doc.record, corrections.values(doc.sha256))
        signature = record.signature or {}
        pages = page_texts(doc.text(), record.page_count)
        context = {
            "doc": doc,
            "record": record,
            "meta": record.metadata,
            "fields": field_rows(record.fields),
            "signature": signature,
            "signatures": signature.get("signatures") or [],
            "stamp": signature.get("stamp"),
            "comparisons": comparisons(signature),
            "problems": [labels.problem(str(x)) for x in signature.get("problems") or []],
            "pages": [(info, len(pages[i].strip())) for i, info in enumerate(record.pages)],
            "coverage": labels.COVERAGE,
            "name": download_name(record.source, doc.sha256),
            "history": corrections.history(doc.sha256),
            "reviewed": corrections.reviewed(doc.sha256),
        }
        return templates.TemplateResponse(request, "document.html", context)

    def page_view(request: Request) -> Response:
        doc = stored(request.path_params["sha"])
        n = page_number(doc, request.path_params["n"])
        texts = page_texts(doc.text(), doc.record.page_count)
        info = doc.record.pages[n - 1] if n <= len(doc.record.pages) else None
        context = {"doc": doc, "record": doc.record, "n": n, "text": texts[n - 1], "info": info}
        return templates.TemplateResponse(request, "page.html", context)

    def page_image(request: Request) -> Response:
        doc = stored(request.path_params["sha"])
        size = request.path_params["size"]
        if size not in SIZES:
            raise HTTPException(404)
        n = page_number(doc, request.path_params["n"])
        rotation = doc.record.pages[n - 1].rotation if n <= len(doc.record.pages) else 0
        try:
            png = page_png(doc.original, n, size, rotation)
        except (OcrIngestError, OSError, EOFError, ValueError) as exc:
            raise HTTPException(404, "Không hiển thị được trang này.") from exc
        return Response(png, media_type="image/png", headers={"cache-control": "private, max-age=86400"})

    def download(request: Request) -> Response:
        doc = stored(request.path_params["sha"])
        what = request.path_params["what"]
        name = download_name(doc.record.source, doc.sha256)
        if what == "original":
            path, media, filename = doc.original, media_type(doc.original), name + doc.original.suffix
        elif what == "text.txt":
            path, media, filename = doc.folder / "text.txt", "text/plain; charset=utf-8", name + ".txt"
        elif what == "record.json":
            path, media, filename = doc.folder / "record.json", "application/json", name + ".record.json"
        else:
            raise HTTPException(404)
        return FileResponse(path, media_type=media, headers={"content-disposition": attachment(filename)})

    def watch(request: Request) -> Response:
        arc = archive()
        context = {
            "inbox": inbox_dir,
            "status": read_status(inbox_dir) if inbox_dir else None,
            "inbox_failures": failed_reports(inbox_dir, 50) if inbox_dir else [],
            "recent": arc.recent(15),
            "failures": arc.failures(50),
            "count": arc.count(),
        }
        return templates.TemplateResponse(request, "watch.html", context)

    def records() -> list[Record]:
        """Every archived record, newest first, with the clerks' corrections (for the sheet)."""
        out = []
        for sha, *_ in archive().recent(archive().count()):
            try:
                out.append(corrected_record(stored(sha).record, corrections.values(sha)))
            except HTTPException:  # a row whose folder or record is gone: left out, as search does
                continue
        return out

    async def error(request: Request, exc: Exception) -> Response:
        code = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) and code != 404 else None
        return templates.TemplateResponse(request, "error.html", {"code": code, "detail": detail}, code)

    def desk_context(request: Request) -> dict[str, Any]:
        return {"session": getattr(request.state, "session", None), "with_accounts": with_accounts}

    templates = Jinja2Templates(env=environment(), context_processors=[desk_context])
    desk = desk_routes.Desk(
        root, inbox_dir, users, corrections, with_accounts, templates, stored, archive, page_number
    )
    guard = desk.guard
    routes = [
        Route("/", guard(search), name="search"),
        Route("/doc/{sha}", guard(document), name="document"),
        Route("/doc/{sha}/page/{n:int}", guard(page_view), name="page"),
        Route("/doc/{sha}/{size}/{n:int}.png", guard(page_image), name="image"),
        Route("/doc/{sha}/download/{what}", guard(download), name="download"),
        Route("/watch", guard(watch), name="watch"),
        *desk.routes(),
        *exports.routes(guard, templates, export_path, records, attachment),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: error, 500: error})
    app.add_middleware(TimingAndSecurityHeaders, csp=DESK_CSP if with_accounts else None)
    app.state.root = root
    app.state.accounts = with_accounts
    return app


class TimingAndSecurityHeaders:
    """Adds ``Server-Timing: app;dur=<ms>`` (time to the response's first byte, in milliseconds: what
    ``bench/bench_serve.py`` measures) and the security headers to every response."""

    def __init__(self, app: Any, csp: bytes | None = None):
        self.app = app
        self.headers = [
            (k, csp if k == b"content-security-policy" and csp else v) for k, v in SECURITY_HEADERS
        ]

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                ms = (time.perf_counter() - started) * 1000
                extra = [(b"server-timing", f"app;dur={ms:.2f}".encode()), *self.headers]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# --- what the templates need ------------------------------------------------------------------------


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(marked=marked, vn_date=vn_date, percent=percent, vn_time=vn_time)
    env.globals.update(
        verdict_vi=labels.verdict_vi, tones=labels.TONES, icons=labels.ICONS, url_for=url_for, labels=labels
    )
    return env


@jinja2.pass_context
def url_for(context: dict, name: str, /, **params: Any) -> str:
    """The path of a route (never an absolute URL: that would trust the request's Host header)."""
    return str(context["request"].app.url_path_for(name, **params))


def marked(snippet: str) -> Markup:
    """The snippet escaped, then its «matches» wrapped in ``<mark>``."""
    return Markup(re.sub(r"«([^«»]*)»", r"<mark>\1</mark>", str(escape(snippet))))


def vn_date(value: str | None) -> str:
    """``2021-06-09`` → ``09/06/2021``; a partial ``2023-09`` → ``tháng 09/2023``."""
    if not value:
        return "—"
    parts = value.split("-")
    if len(parts) == 3:
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2:
        return f"tháng {parts[1]}/{parts[0]}"
    return f"năm {parts[0]}"


def vn_time(value: str | None) -> str:
    """An ISO time shown as Vietnam time (UTC+7) with its zone: ``14/09/2023 09:12:05 (UTC+07:00)``."""
    import datetime as dt

    if not value:
        return "—"
    try:
        t = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if t.tzinfo is not None:
        t = t.astimezone(dt.timezone(dt.timedelta(hours=7)))
    return t.strftime("%d/%m/%Y %H:%M:%S") + (" (UTC+07:00)" if t.tzinfo else "")


def percent(value: float | None) -> str:
    """A 0–1 field confidence or a 0–100 OCR confidence as ``95 %``."""
    if value is None:
        return "—"
    return f"{value * 100:.0f} %" if value <= 1 else f"{value:.0f} %"


@dataclass(frozen=True)
class FieldRow:
    key: str
    label: str
    values: tuple[dict[str, Any], ...]  # each {value, confidence, partial}


def field_rows(fields: dict[str, Any]) -> list[FieldRow]:
    """The fields table in reading order; a list field (nơi nhận) has one value per item; the body is
    cut to its start (the whole text is on the page views)."""
    rows = []
    for key, label in labels.FIELDS:
        item = fields.get(key)
        items = item if isinstance(item, list) else [item] if item else []
        values = []
        for x in items:
            if not isinstance(x, dict):
                continue
            value = x.get("value")
            if key == "body" and isinstance(value, str) and len(value) > 400:
                value = value[:400].rsplit(" ", 1)[0] + " …"
            values.append(
                {
                    "value": value,
                    "confidence": x.get("confidence"),
                    "partial": bool(x.get("partial")),
                    "machine": x.get("machine") if x.get("corrected") else None,
                    "corrected": bool(x.get("corrected")),
                }
            )
        rows.append(FieldRow(key, label, tuple(values)))
    return rows


def comparisons(signature: dict[str, Any]) -> list[tuple[str, list[str], list[dict[str, Any]]]]:
    """The stamp-vs-signature comparisons of a report, as ``[(title, columns, rows)]``: one table per
    signature that has them (``signatures[i].comparisons``; a file-level ``comparisons`` list too).
    Known columns come first in reading order, any others after; a report without comparisons (older
    records) gives ``[]``."""
    lists = [("", signature.get("comparisons"))] + [
        (f"Chữ ký {i} ({s.get('field')})", s.get("comparisons"))
        for i, s in enumerate(signature.get("signatures") or [], 1)
    ]
    out = []
    for title, items in lists:
        rows = [x for x in items or [] if isinstance(x, dict)]
        if rows:
            present = list(dict.fromkeys(k for row in rows for k in row))
            columns = [c for c in labels.COMPARISON_COLUMNS if c in present]
            out.append((title, columns + [c for c in present if c not in columns], rows))
    return out


def download_name(source: str, sha256: str) -> str:
    """A file name for downloads: the source's name without its suffix, else the key's start."""
    stem = Path(source.replace("\\", "/")).stem if source else ""
    stem = re.sub(r"[\x00-\x1f\x7f/\\]", "", stem).strip(" .")
    return stem[:120] or sha256[:16]


def attachment(filename: str) -> str:
    """``Content-Disposition: attachment`` with an ASCII fallback name and the UTF-8 name (RFC 6266)."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", fold(filename)).strip("_") or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{urllib.parse.quote(filename, safe='')}"
