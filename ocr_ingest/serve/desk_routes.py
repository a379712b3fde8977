"""The review desk's routes: log in and out, the review queue and screen, upload into the inbox.

Every route of the app goes through :meth:`Desk.guard`, which checks the role on the route itself (not
in a template): without accounts only reading is allowed (403 for anything else); with accounts a page
asks for a login (303 to ``/login``), a role below the route's gets 403, and every POST must carry its
session's CSRF token (403 otherwise). Sessions are cookies that are HTTP-only, ``Secure`` (browsers keep
them on ``http://127.0.0.1``/``localhost``; elsewhere serve behind HTTPS) and ``SameSite=Strict``.

Uploads take the watcher's path: each file is written under a hidden temporary name in the inbox (the
watcher ignores it), made durable, then renamed to its own name, so the watcher sees it whole and
claims it once like a scanner's file. Its outcome is then looked up by its SHA-256 (archive, failures).
"""

from __future__ import annotations

import hashlib
import inspect
import math
import os
import re
import secrets
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from ..archive import Archive
from ..archive.corrections import (
    EDITABLE,
    BadValue,
    Corrections,
    certainty,
    corrected_fields,
    corrected_record,
    is_unsure,
)
from . import labels
from .accounts import ROLES, SESSION_SECONDS, AccountError, Accounts, LoginRefused
from .pages import page_texts

COOKIE = "desk_session"
MAX_UPLOAD = 500 * 1024 * 1024  # bytes per file: a long scanned register at 300 dpi
MAX_FILES = 200  # files per upload
UPLOAD_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
SHA_NAME = re.compile(r"([0-9a-f]{64})/(.{1,255})", re.S)


@dataclass
class Desk:
    """What the desk's routes share with the app (built by :func:`~.app.create_app`)."""

    root: Path
    inbox: Path | None
    accounts: Accounts
    corrections: Corrections
    with_accounts: bool
    templates: Jinja2Templates
    stored: Callable[[str], Any]
    archive: Callable[[], Archive]
    page_number: Callable[[Any, Any], int]

    def __post_init__(self) -> None:
        self._certainty: dict[str, float] = {}  # sha → machine certainty (records do not change)

    # --- the guard on every route ------------------------------------------------------------------

    def guard(self, endpoint: Callable, role: str = "viewer", *, login: bool = False) -> Callable:
        """``endpoint`` behind the role check (and, for POST, the CSRF check); ``login``: the login
        route itself, which needs a session without a user."""

        async def call(request: Request) -> Response:
            session = None
            if self.with_accounts:
                session = await run_in_threadpool(self.accounts.session, request.cookies.get(COOKIE))
                if not login and (session is None or session.name is None):
                    if request.method == "GET":
                        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                        return RedirectResponse("/login?" + urllib.parse.urlencode({"next": target}), 303)
                    raise HTTPException(403, "Phiên làm việc đã hết; hãy đăng nhập lại.")
                if not login and not session.allows(role):
                    raise HTTPException(403, "Tài khoản của bạn không có quyền làm việc này.")
            elif role != "viewer" or login:
                raise HTTPException(
                    403, "Kho đang mở ở chế độ chỉ đọc (chưa có tài khoản: xem `ocr-ingest users add`)."
                )
            request.state.session = session
            if request.method == "POST":
                form = await request.form(max_files=MAX_FILES, max_fields=100)
                if session is None or not session.csrf_ok(form.get("csrf")):
                    raise HTTPException(
                        403, "Biểu mẫu thiếu mã chống giả mạo (CSRF) hoặc mã đã cũ; hãy tải lại trang."
                    )
                request.state.form = form
            if inspect.iscoroutinefunction(endpoint):
                return await endpoint(request)
            return await run_in_threadpool(endpoint, request)

        return call

    def routes(self) -> list[Route]:
        g = self.guard
        return [
            Route("/login", g(self.login_form, login=True), name="login", methods=["GET"]),
            Route("/login", g(self.login, login=True), methods=["POST"]),
            Route("/logout", g(self.logout), name="logout", methods=["POST"]),
            Route("/review", g(self.queue, "clerk"), name="review_queue"),
            Route("/review/{sha}", g(self.review, "clerk"), name="review", methods=["GET"]),
            Route("/review/{sha}", g(self.save, "clerk"), methods=["POST"]),
            Route("/upload", g(self.upload_form, "clerk"), name="upload", methods=["GET"]),
            Route("/upload", g(self.upload, "clerk"), methods=["POST"]),
            Route("/upload/status", g(self.upload_status, "clerk"), name="upload_status"),
            Route("/users", g(self.users, "admin"), name="users", methods=["GET"]),
            Route("/users", g(self.change_user, "admin"), methods=["POST"]),
        ]

    # --- log in and out ----------------------------------------------------------------------------

    def login_form(self, request: Request, error: str | None = None, status: int = 200) -> Response:
        session = request.state.session
        if session is not None and session.name is not None:
            return RedirectResponse(_next(request), 303)
        if session is None:
            session = self.accounts.anonymous_session()
        request.state.session = session
        context = {"next": _next(request), "error": error, "csrf": session.csrf}
        response = self.templates.TemplateResponse(request, "login.html", context, status_code=status)
        _set_cookie(response, session.token)
        return response

    def login(self, request: Request) -> Response:
        form = request.state.form
        anonymous = request.state.session
        try:
            session = self.accounts.login(
                str(form.get("name", ""))[:64], str(form.get("password", ""))[:1024], _client(request)
            )
        except LoginRefused as exc:
            if exc.retry_after:
                wait = math.ceil(exc.retry_after)
                response = self.login_form(
                    request, f"Đã nhập sai nhiều lần. Hãy thử lại sau {wait} giây.", status=429
                )
                response.headers["retry-after"] = str(wait)
                return response
            return self.login_form(request, "Sai tên đăng nhập hoặc mật khẩu.", status=401)
        self.accounts.logout(anonymous.token)
        response = RedirectResponse(_next(request, form.get("next")), 303)
        _set_cookie(response, session.token)
        return response

    def logout(self, request: Request) -> Response:
        self.accounts.logout(request.state.session.token)
        response = RedirectResponse("/login", 303)
        response.delete_cookie(COOKIE, path="/", secure=True, httponly=True, samesite="strict")
        return response

    # --- the review queue and screen ---------------------------------------------------------------

    def queue_order(self) -> list[tuple[str, float]]:
        """Documents not yet approved, least sure first: ``(sha256, certainty)``; the certainty counts
        the clerk's corrections (a corrected field is sure)."""
        done = self.corrections.reviewed_all()
        corrected = self.corrections.all_values()
        shas = [r[0] for r in self.archive().db.execute("SELECT sha256 FROM documents ORDER BY id")]
        out = []
        for sha in shas:
            if sha in done:
                continue
            values = corrected.get(sha)
            if values:
                out.append((sha, certainty(self.stored(sha).record, values)))
                continue
            if sha not in self._certainty:
                try:
                    self._certainty[sha] = certainty(self.stored(sha).record)
                except HTTPException:
                    continue  # a folder the index names but that is gone: nothing to review
            out.append((sha, self._certainty[sha]))
        out.sort(key=lambda x: x[1])
        return out

    def queue(self, request: Request) -> Response:
        order = self.queue_order()
        items = []
        for sha, sure in order[:200]:
            record = corrected_record(self.stored(sha).record, self.corrections.values(sha))
            unsure = sum(is_unsure(record.fields.get(k)) for k in EDITABLE)
            name = Path(record.source.replace("\\", "/")).name
            items.append(
                {"sha": sha, "certainty": sure, "unsure": unsure, "meta": record.metadata, "source": name}
            )
        context = {"items": items, "total": len(order), "reviewed": len(self.corrections.reviewed_all())}
        return self.templates.TemplateResponse(request, "queue.html", context)

    def review(self, request: Request, errors: list[str] | None = None, typed: Any = None) -> Response:
        doc = self.stored(request.path_params["sha"])
        values = self.corrections.values(doc.sha256)
        fields = corrected_fields(doc.record.fields, values)
        text = doc.text()
        starts = [0]
        for i, ch in enumerate(text):
            if ch == "\f":
                starts.append(i + 1)
        rows = []
        for key in EDITABLE:
            item = fields.get(key) if isinstance(fields.get(key), dict) else None
            machine_item = (
                doc.record.fields.get(key) if isinstance(doc.record.fields.get(key), dict) else None
            )
            span = (machine_item or {}).get("span") or ()
            page = sum(1 for s in starts if span and s <= span[0]) if span else None
            box = (machine_item or {}).get("box")  # where on its page it was read (OCR pages)
            if box:
                page = (machine_item or {}).get("page", page)
            rows.append(
                {
                    "key": key,
                    "label": labels.FIELD_LABELS.get(key, key),
                    "value": typed[key] if typed and key in typed else (item or {}).get("value") or "",
                    "machine": (machine_item or {}).get("value"),
                    "confidence": (machine_item or {}).get("confidence"),
                    "corrected": key in values,
                    "unsure": is_unsure(machine_item) and key not in values,
                    "partial": bool((machine_item or {}).get("partial")),
                    # figures written in by hand that the model read but was not sure of: a hint only
                    "hint": (machine_item or {}).get("unsure_figures"),
                    "hint_confidence": (machine_item or {}).get("unsure_confidence"),
                    # a day not read, taken from the day the issuer signed the file: to be checked
                    "signed_on": (machine_item or {}).get("signed_on"),
                    # a name completed from the archive's names under the issuer: to be checked
                    "read_as": (machine_item or {}).get("read_as"),
                    "page": page,
                    "box": ",".join(f"{v:.4f}" for v in box) if box else None,
                }
            )
        order = [sha for sha, _ in self.queue_order()]
        later = [sha for sha in order if sha != doc.sha256]
        context = {
            "doc": doc,
            "record": doc.record,
            "meta": corrected_record(doc.record, values).metadata,
            "rows": rows,
            "pages": range(1, max(doc.record.page_count, 1) + 1),
            "history": self.corrections.history(doc.sha256),
            "reviewed": self.corrections.reviewed(doc.sha256),
            "next_sha": later[0] if later else None,
            "left": len(later),
            "errors": errors or [],
            "saved": request.query_params.get("saved"),
            "csrf": request.state.session.csrf,
            "text_pages": len(page_texts(text, doc.record.page_count)),
        }
        return self.templates.TemplateResponse(
            request, "review.html", context, status_code=400 if errors else 200
        )

    def save(self, request: Request) -> Response:
        """Save the fields (``action=save``, what Enter does) or save and approve (``action=approve``),
        then go to the next document of the queue."""
        doc = self.stored(request.path_params["sha"])
        form = request.state.form
        submitted = {k: str(form.get(k, "")) for k in EDITABLE if k in form}
        try:
            changes = self.corrections.save(doc.record, doc.text(), submitted, request.state.session.name)
        except BadValue as exc:
            return self.review(request, [str(exc)], submitted)
        if form.get("action") == "approve":
            self.corrections.approve(doc.sha256, request.state.session.name)
            order = [sha for sha, _ in self.queue_order()]
            target = f"/review/{order[0]}?approved={doc.sha256[:12]}" if order else "/review?done=1"
            return RedirectResponse(target, 303)
        return RedirectResponse(f"/review/{doc.sha256}?saved={len(changes)}", 303)

    # --- accounts (admin) ---------------------------------------------------------------------------

    def users(self, request: Request, error: str | None = None, status: int = 200) -> Response:
        context = {
            "users": self.accounts.users(),
            "roles": ROLES,
            "error": error,
            "csrf": request.state.session.csrf,
        }
        return self.templates.TemplateResponse(request, "users.html", context, status_code=status)

    def change_user(self, request: Request) -> Response:
        """``action``: ``add`` (name, role, password), ``role`` (name, role) or ``remove`` (name); an
        admin cannot remove or demote their own account (the desk would be left without one)."""
        form = request.state.form
        action, name = form.get("action"), str(form.get("name", "")).strip()
        try:
            if action in ("remove", "role") and name == request.state.session.name:
                raise AccountError(
                    "not your own account", "không tự xóa hay đổi vai trò của chính mình được."
                )
            if action == "add":
                self.accounts.add(name, str(form.get("password", "")), str(form.get("role", "")))
            elif action == "role":
                self.accounts.set_role(name, str(form.get("role", "")))
            elif action == "remove":
                self.accounts.remove(name)
            else:
                raise AccountError(f"unknown action {action!r}", "yêu cầu không hợp lệ.")
        except AccountError as exc:
            return self.users(request, f"Không thực hiện được: {exc.vietnamese}", status=400)
        return RedirectResponse("/users", 303)

    # --- upload into the watcher's inbox -----------------------------------------------------------

    def upload_form(self, request: Request) -> Response:
        context = {"inbox": self.inbox, "csrf": request.state.session.csrf, "suffixes": UPLOAD_SUFFIXES}
        return self.templates.TemplateResponse(request, "upload.html", context)

    async def upload(self, request: Request) -> Response:
        if self.inbox is None:
            raise HTTPException(409, "Máy chủ chưa được chỉ hộp thư đến (--inbox): chưa nhận tải lên được.")
        files = [f for f in request.state.form.getlist("files") if isinstance(f, UploadFile) and f.filename]
        delivered = []
        for upload in files:
            delivered.append(await run_in_threadpool(self.deliver, upload))
        query = urllib.parse.urlencode([("f", f"{sha}/{name}") for sha, name in delivered])
        return RedirectResponse(f"/upload/status?{query}", 303)

    def deliver(self, upload: UploadFile) -> tuple[str, str]:
        """One uploaded file into the inbox: hidden temporary name, fsync, rename; ``(sha256, name)``,
        the sha256 empty for a file refused (its name says why)."""
        assert self.inbox is not None
        name = safe_name(upload.filename or "")
        if not name.lower().endswith(UPLOAD_SUFFIXES):
            return "", f"{name} — không nhận: chỉ nhận {', '.join(UPLOAD_SUFFIXES)}"
        tmp = self.inbox / f".upload-{secrets.token_hex(8)}.part"
        digest, size = hashlib.sha256(), 0
        try:
            with tmp.open("wb") as out:
                while chunk := upload.file.read(1 << 20):
                    size += len(chunk)
                    if size > MAX_UPLOAD:
                        raise ValueError(f"{name} — không nhận: lớn hơn {MAX_UPLOAD >> 20} MB")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if size == 0:
                raise ValueError(f"{name} — không nhận: tệp rỗng")
            sha = digest.hexdigest()
            if self.archive().has(sha):  # already archived: nothing for the watcher to do
                tmp.unlink()
                return sha, name
            dest = self.inbox / name
            if dest.exists():
                dest = dest.with_name(f"{dest.stem}.{sha[:8]}{dest.suffix}")
            os.rename(tmp, dest)  # the watcher sees the file appear whole
            fd = os.open(self.inbox, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            return sha, name
        except ValueError as exc:
            tmp.unlink(missing_ok=True)
            return "", str(exc)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def upload_status(self, request: Request) -> Response:
        items = []
        for raw in request.query_params.getlist("f")[:MAX_FILES]:
            m = SHA_NAME.fullmatch(raw)
            if m is None:
                items.append({"name": raw.lstrip("/")[:300], "state": "refused", "sha": None})
                continue
            sha, name = m[1], m[2]
            state, reason = self.outcome(sha)
            items.append({"name": name, "sha": sha, "state": state, "reason": reason})
        waiting = any(i["state"] == "waiting" for i in items)
        context = {"items": items, "waiting": waiting, "inbox": self.inbox}
        return self.templates.TemplateResponse(request, "upload_status.html", context)

    def outcome(self, sha: str) -> tuple[str, str | None]:
        """``archived`` (in the archive), ``failed`` (with the reason), or ``waiting`` for the watcher."""
        db = self.archive().db
        if db.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha,)).fetchone():
            return "archived", None
        row = db.execute("SELECT reason FROM failures WHERE sha256 = ? ORDER BY at DESC", (sha,)).fetchone()
        if row:
            return "failed", row[0]
        return "waiting", None


def safe_name(filename: str) -> str:
    """The last part of an uploaded file's name, without control characters or a leading dot (the
    watcher ignores hidden files), at most 150 characters; ``upload`` when nothing is left."""
    name = re.split(r"[\\/]", filename)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".~")
    if len(name) > 150:
        stem, dot, suffix = name.rpartition(".")
        name = stem[:140] + dot + suffix[:9] if dot else name[:150]
    return name or "upload"


def _set_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE, token, max_age=SESSION_SECONDS, path="/", secure=True, httponly=True, samesite="strict"
    )


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def _next(request: Request, value: Any = None) -> str:
    """Where to go after login: a local path only (``//host`` and absolute URLs become ``/``)."""
    target = str(value if value is not None else request.query_params.get("next", "/"))
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"
