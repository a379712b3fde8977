"""The review desk over real HTTP: ``ocr-ingest users`` creates accounts, a real ``ocr-ingest serve`` on
127.0.0.1 asks for a login, checks roles and CSRF tokens on every form, slows guessed passwords, keeps a
clerk's corrections beside the machine's values (history), puts them into search, never touches the
originals, and takes uploads into the watcher's inbox (the real watcher ingests them)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from desk_client import DeskClient  # beside this file
from starlette.testclient import TestClient

from bench.screenshots import running_server
from ocr_ingest.archive import Archive, Record
from ocr_ingest.archive.corrections import BadValue, Corrections, corrected_record, indexed_text, normalise
from ocr_ingest.serve import create_app
from ocr_ingest.serve.accounts import Accounts, LoginRefused, login_delay

ROOT = Path(__file__).resolve().parents[2]
CLERK, VIEWER, ADMIN = ("lan", "mật-khẩu lan 1"), ("xem", "chỉ xem thôi 2"), ("quantri", "quản trị 3333")


def users(archive: Path, *args: str, password: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ocr_ingest.cli", "users", *args, "--archive", str(archive)],
        input=(password + "\n") if password is not None else "",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def originals(root: Path) -> dict[Path, str]:
    """Every original and record.json under the archive with its SHA-256."""
    files = [*root.glob("*/*/*/original.*"), *root.glob("*/*/*/record.json")]
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@dataclass
class Desk:
    root: Path
    inbox: Path
    url: str
    served: Any  # conftest.ServedArchive: the shas of the fixtures
    before: dict[Path, str]

    def client(self) -> DeskClient:
        return DeskClient(self.url)

    def clerk(self) -> DeskClient:
        c = self.client()
        assert c.login(*CLERK).status == 303
        return c


def copy_with_accounts(served: Any, tmp: Path) -> tuple[Path, Path]:
    root = tmp / "archive"
    shutil.copytree(served.root, root)
    for (name, password), role in ((CLERK, "clerk"), (VIEWER, "viewer"), (ADMIN, "admin")):
        done = users(root, "add", name, "--role", role, password=password)
        assert done.returncode == 0 and f"added {name} ({role})" in done.stdout, done.stderr
    inbox = tmp / "inbox"
    inbox.mkdir()
    return root, inbox


@pytest.fixture(scope="module")
def desk(served_archive: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    root, inbox = copy_with_accounts(served_archive, tmp_path_factory.mktemp("desk"))
    before = originals(root)
    with running_server(root, "--inbox", str(inbox)) as url:
        yield Desk(root, inbox, url, served_archive, before)


def sha(desk: Desk, name: str) -> str:
    return desk.served.records[name].sha256


# --- accounts -----------------------------------------------------------------------------------------


def test_users_command_refuses_what_it_cannot_do(tmp_path: Path, served_archive: Any) -> None:
    root, _ = copy_with_accounts(served_archive, tmp_path)
    again = users(root, "add", CLERK[0], password="another password")
    assert again.returncode == 2 and f"user '{CLERK[0]}' exists" in again.stderr
    assert users(root, "add", "ngắn", password="long enough!").returncode == 2  # not a-z0-9
    short = users(root, "add", "ba", password="short")
    assert short.returncode == 2 and "at least 8 characters" in short.stderr
    assert users(root, "remove", "nobody").returncode == 2
    listed = users(root, "list").stdout.splitlines()
    assert [line.split("\t")[:2] for line in listed] == [
        ["lan", "clerk"],
        ["quantri", "admin"],
        ["xem", "viewer"],
    ]
    assert users(tmp_path / "nowhere", "list").returncode == 2
    # the hash is Argon2id, never the password
    stored = Accounts(root)._db
    with stored() as db:
        digest = db.execute("SELECT hash FROM users WHERE name = 'lan'").fetchone()[0]
    assert digest.startswith("$argon2id$") and CLERK[1] not in digest


def test_without_accounts_serve_stays_read_only(served_archive: Any) -> None:
    client = TestClient(create_app(served_archive.root))
    assert client.get("/").status_code == 200  # no login asked
    for path in ("/review", f"/review/{served_archive.records['valid'].sha256}", "/upload", "/login"):
        r = client.get(path)
        assert r.status_code == 403 and "chế độ chỉ đọc" in r.text, path
    assert "script-src" not in client.get("/").headers["content-security-policy"]
    assert not (served_archive.root / "desk.sqlite").exists()  # reading created nothing


def test_every_page_asks_for_a_login_and_the_cookie_is_guarded(desk: Desk) -> None:
    c = desk.client()
    for path in ("/", f"/doc/{sha(desk, 'valid')}", "/review", "/watch"):
        r = c.get(path)
        assert r.status == 303 and r.location.startswith("/login?next="), path
    form = c.get("/login")
    assert form.status == 200 and 'autocomplete="current-password"' in form.text
    cookie = c.set_cookies[-1]
    assert cookie.startswith("desk_session=")
    assert all(flag in cookie for flag in ("HttpOnly", "Secure", "SameSite=strict", "Path=/"))
    wrong = c.post("/login", {"csrf": form.csrf(), "name": "lan", "password": "wrong password"})
    assert wrong.status == 401 and "Sai tên đăng nhập hoặc mật khẩu." in wrong.text
    anonymous = c.cookies["desk_session"]
    ok = c.post("/login", {"csrf": form.csrf(), "name": "lan", "password": CLERK[1], "next": "/review"})
    assert ok.status == 303 and ok.location == "/review"
    assert c.cookies["desk_session"] != anonymous  # a new session at login (no fixation)
    page = c.get("/")
    assert page.status == 200 and "lan" in page.text and "Đăng xuất" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    # an open redirect is not offered: next must be a local path
    c2 = desk.client()
    form = c2.get("/login")
    r = c2.post(
        "/login", {"csrf": form.csrf(), "name": "xem", "password": VIEWER[1], "next": "//evil.example/"}
    )
    assert r.location == "/"
    out = c.post("/logout", {"csrf": page.csrf()})
    assert out.status == 303 and c.get("/").status == 303  # the session is over


def test_read_only_serves_an_archive_with_accounts_without_login(desk: Desk) -> None:
    with running_server(desk.root, "--read-only") as url:
        c = DeskClient(url)
        assert c.get("/").status == 200 and c.get("/login").status == 403 and not c.set_cookies
        assert c.get(f"/review/{sha(desk, 'valid')}").status == 403


def test_a_form_without_its_csrf_token_is_refused(desk: Desk) -> None:
    c = desk.clerk()
    doc = sha(desk, "govquao")
    for data in ({"number": "999/TB-VP"}, {"number": "999/TB-VP", "csrf": "forged"}):
        r = c.post(f"/review/{doc}", data)
        assert r.status == 403 and "mã chống giả mạo (CSRF)" in r.text
    assert Corrections(desk.root).history(doc) == []  # nothing saved
    other = desk.clerk()  # another session's token is no good either
    token = other.get("/review").csrf()
    assert c.post(f"/review/{doc}", {"number": "999/TB-VP", "csrf": token}).status == 403
    fresh = desk.client()
    fresh.get("/login")
    assert fresh.post("/login", {"name": "lan", "password": CLERK[1]}).status == 403  # the login form too


def test_a_viewer_reads_but_gets_403_on_edit(desk: Desk) -> None:
    c = desk.client()
    assert c.login(*VIEWER).status == 303
    doc = sha(desk, "govquao")
    page = c.get(f"/doc/{doc}")
    assert page.status == 200 and "Duyệt văn bản" not in page.text  # no desk links for a viewer
    assert c.get(f"/doc/{doc}/download/original").status == 200
    assert c.get(f"/review/{doc}").status == 403
    r = c.post(f"/review/{doc}", {"csrf": page.csrf(), "number": "1/TB-VP", "action": "approve"})
    assert r.status == 403 and "không có quyền" in r.text
    assert c.get("/upload").status == 403
    assert Corrections(desk.root).history(doc) == [] and Corrections(desk.root).reviewed(doc) is None


def test_repeated_wrong_passwords_are_slowed(served_archive: Any, tmp_path: Path) -> None:
    root, _ = copy_with_accounts(served_archive, tmp_path)
    with running_server(root) as url:
        c = DeskClient(url)
        form = c.get("/login")
        for _ in range(3):
            r = c.post("/login", {"csrf": form.csrf(), "name": "lan", "password": "guess"})
            assert r.status == 401
        assert Accounts(root).failures("name:lan") == 3 and Accounts(root).failures("client:127.0.0.1") == 3
        # the right password now waits: refused unread, with the time to wait
        r = c.post("/login", {"csrf": form.csrf(), "name": "lan", "password": CLERK[1]})
        assert r.status == 429 and r.headers["retry-after"] == "1" and "thử lại sau 1 giây" in r.text
        assert Accounts(root).failures("name:lan") == 3  # a refused attempt is not counted or checked
    # the arithmetic, with a clock of our own
    assert [login_delay(n) for n in range(8)] == [0, 0, 0, 1, 2, 4, 8, 16] and login_delay(40) == 60
    now = [1000.0]
    accounts = Accounts(root, clock=lambda: now[0])
    for i in range(4):
        now[0] += 10 * (i > 0)  # each after the previous one's wait
        with pytest.raises(LoginRefused) as refused:
            accounts.login("xem", "guess", "10.0.0.9")
        assert refused.value.retry_after is None  # wrong: checked, counted
    with pytest.raises(LoginRefused) as refused:
        accounts.login("xem", VIEWER[1], "10.0.0.9")  # 4 failures: 2 s after the last
    assert refused.value.retry_after == 2.0
    now[0] += 1.5
    with pytest.raises(LoginRefused) as refused:
        accounts.login("xem", VIEWER[1], "10.0.0.9")
    assert refused.value.retry_after == 0.5
    now[0] += 1
    assert accounts.login("xem", VIEWER[1], "10.0.0.9").role == "viewer"
    assert accounts.failures("name:xem") == 0  # a success clears the count


def test_passwd_and_remove_end_sessions(served_archive: Any, tmp_path: Path) -> None:
    root, _ = copy_with_accounts(served_archive, tmp_path)
    accounts = Accounts(root)
    session = accounts.login(*CLERK)
    assert accounts.session(session.token).role == "clerk"
    assert users(root, "passwd", "lan", password="a brand new one").returncode == 0
    assert accounts.session(session.token) is None
    session = accounts.login("lan", "a brand new one")
    assert users(root, "remove", "lan").returncode == 0 and accounts.session(session.token) is None


def test_an_admin_manages_accounts_in_the_browser_others_get_403(desk: Desk) -> None:
    clerk = desk.clerk()
    assert clerk.get("/users").status == 403 and "Tài khoản" not in clerk.get("/").text.split("</nav>")[0]
    admin = desk.client()
    assert admin.login(*ADMIN).status == 303
    page = admin.get("/users")
    assert page.status == 200 and all(f"<td>{n}</td>" in page.text for n in ("lan", "quantri", "xem"))
    token = page.csrf()
    r = admin.post(
        "/users",
        {"csrf": token, "action": "add", "name": "moi", "password": "một mật khẩu", "role": "viewer"},
    )
    assert r.status == 303
    again = {"csrf": token, "action": "add", "name": "moi", "password": "x" * 9, "role": "clerk"}
    r = admin.post("/users", again)
    assert r.status == 400 and "Không thực hiện được: tài khoản «moi» đã có." in r.text
    r = admin.post("/users", {"csrf": token, "action": "remove", "name": "quantri"})
    assert r.status == 400 and "không tự xóa hay đổi vai trò của chính mình" in r.text
    assert admin.post("/users", {"action": "remove", "name": "xem"}).status == 403  # CSRF
    newcomer = desk.client()
    assert newcomer.login("moi", "một mật khẩu").status == 303
    assert newcomer.get("/review").status == 403  # a viewer
    assert (
        admin.post("/users", {"csrf": token, "action": "role", "name": "moi", "role": "clerk"}).status == 303
    )
    assert newcomer.get("/review").status == 200  # the role is read on every request
    assert admin.post("/users", {"csrf": token, "action": "remove", "name": "moi"}).status == 303
    assert newcomer.get("/").status == 303  # removed: the session is over
    assert [u[0] for u in Accounts(desk.root).users()] == ["lan", "quantri", "xem"]


# --- corrections --------------------------------------------------------------------------------------


def queue_shas(html: str) -> list[str]:
    return re.findall(r'<td><a href="/review/([0-9a-f]{64})">', html)


def test_a_clerk_corrects_the_handwritten_number_approves_and_search_finds_it(desk: Desk) -> None:
    c = desk.clerk()
    queue = c.get("/review")
    order = queue_shas(queue.text)
    assert len(order) == 7 and "7 chờ duyệt · 0 đã duyệt" in queue.text
    sures = [float(x) for x in re.findall(r'<td class="num">(\d+) %</td>\s*</tr>', queue.text)]
    assert sures == sorted(sures)  # least sure first
    doc = sha(desk, "huyenuy")  # "Số -TB/HU": the numeral is written in by hand after printing
    page = c.get(f"/review/{doc}")
    assert page.status == 200
    number = re.search(r'<input id="f-number" name="number" value="([^"]*)"', page.text)
    assert number[1] == "-TB/HU"
    assert re.search(r'<div class="field unsure">\s*<label for="f-number">', page.text)  # partial: unsure
    assert page.text.count('<img src="/doc/') == desk.served.records["huyenuy"].page_count
    with Archive(desk.root, readonly=True) as arc:
        assert [h.sha256 for h in arc.search("225-TB/HU")] == []
    r = c.post(f"/review/{doc}", {"csrf": page.csrf(), "number": " 225-TB/HU ", "action": "approve"})
    assert r.status == 303 and r.location.startswith("/review/") and doc not in r.location
    assert r.location.split("?")[0][8:] == [s for s in order if s != doc][0]  # the next of the queue
    # search, the filters' columns and the document page use the corrected value
    hits = re.findall(r'<h3><a href="/doc/([0-9a-f]{64})">', c.get("/?q=225-TB%2FHU").text)
    assert hits == [doc]
    with Archive(desk.root, readonly=True) as arc:
        assert (
            arc.db.execute("SELECT number FROM documents WHERE sha256 = ?", (doc,)).fetchone()[0]
            == "225-TB/HU"
        )
        assert [h.sha256 for h in arc.search("225-TB/HU")] == [doc]
        assert arc.search("225-TB/HU")[0].snippet.count("«225»") == 1  # in place of the blank number
    html = c.get(f"/doc/{doc}").text
    assert "225-TB/HU" in html and "máy đọc: -TB/HU" in html
    history = re.search(r'<table class="history">.*?</table>', html, re.S)[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", history)
    assert cells[1:] == ["lan", "Số, ký hiệu", "-TB/HU", "225-TB/HU"]
    assert "đã duyệt bởi lan" in html
    assert doc not in queue_shas(c.get("/review").text)  # approved: out of the queue
    (change,) = Corrections(desk.root).history(doc)
    assert (change.field, change.machine, change.before, change.after, change.who) == (
        "number", "-TB/HU", "-TB/HU", "225-TB/HU", "lan",
    )  # fmt: skip
    assert originals(desk.root) == desk.before  # the originals' and record.json's bytes untouched


def test_html_in_a_corrected_value_is_shown_as_text(desk: Desk) -> None:
    c = desk.clerk()
    doc = sha(desk, "stamp_mismatch")
    token = c.get(f"/review/{doc}").csrf()
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert c.post(f"/review/{doc}", {"csrf": token, "subject": evil, "action": "save"}).status == 303
    for path in (f"/review/{doc}", f"/doc/{doc}", "/review", "/?q=script"):
        html = c.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html, path
    assert originals(desk.root) == desk.before


def test_a_date_that_is_none_is_explained_and_nothing_saved(desk: Desk) -> None:
    c = desk.clerk()
    doc = sha(desk, "govquao")
    token = c.get(f"/review/{doc}").csrf()
    r = c.post(
        f"/review/{doc}", {"csrf": token, "date": "31/02/2021", "number": "154/TB-VP", "action": "save"}
    )
    assert r.status == 400 and "«31/02/2021» không phải là ngày có thật." in r.text
    assert 'value="31/02/2021"' in r.text and 'value="154/TB-VP"' in r.text  # the form keeps what was typed
    assert '<input id="f-doc_type" name="doc_type" value="THÔNG BÁO"' in r.text  # and the rest
    assert Corrections(desk.root).history(doc) == []
    r = c.post(f"/review/{doc}", {"csrf": token, "date": "9/6/2021", "action": "save"})
    assert r.status == 303 and r.location.endswith("?saved=0")  # the same date as the machine's: no change


def test_the_corrected_record_for_exports() -> None:
    record = Record(
        source="x.pdf",
        status="ingested",
        sha256="0" * 64,
        fields={
            "number": {
                "value": "-TB/HU",
                "numeral": None,
                "symbol": "TB/HU",
                "confidence": 0.95,
                "partial": True,
            },
            "date": {"value": "2023-09", "year": 2023, "month": 9, "day": None, "partial": True},
            "subject": {"value": "Về việc A", "confidence": 0.85},
        },
    )
    fixed = corrected_record(record, {"number": "225-TB/HU", "date": "2023-09-12", "subject": None})
    number = fixed.fields["number"]
    assert (number["value"], number["numeral"], number["symbol"], number["machine"]) == (
        "225-TB/HU", "225", "TB/HU", "-TB/HU",
    )  # fmt: skip
    assert number["corrected"] and number["confidence"] == 1.0 and not number["partial"]
    assert fixed.metadata["date"] == "2023-09-12" and fixed.fields["date"]["day"] == 12
    assert fixed.metadata["subject"] is None and fixed.metadata["numeral"] == "225"
    assert record.fields["number"]["value"] == "-TB/HU"  # the machine's record is left as it was
    assert corrected_record(record, {}) is record


def test_normalise_and_indexed_text() -> None:
    assert normalise("date", "09/06/2021") == "2021-06-09" and normalise("date", "2023-09") == "2023-09"
    with pytest.raises(BadValue):
        normalise("date", "hôm qua")
    assert normalise("subject", "  Về   việc  \n x ") == "Về việc x" and normalise("place", " ") is None
    text = "Số: 153/TB-VP\nGò Quao, ngày 9"
    fields = {
        "number": {"value": "153/TB-VP", "span": [4, 13]},
        "place": {"value": "Go Quao", "span": [99, 100]},
    }
    assert indexed_text(text, fields, {"number": "135/TB-VP"}) == "Số: 135/TB-VP\nGò Quao, ngày 9"
    assert indexed_text(text, fields, {"place": "Gò Quao"}) == text + "\n\nGò Quao"  # span elsewhere: added
    assert indexed_text(text, fields, {"signer_name": "Lê Văn A"}).endswith("\n\nLê Văn A")


# --- upload -------------------------------------------------------------------------------------------


def test_uploaded_files_go_through_the_watcher_with_each_outcome(desk: Desk) -> None:
    c = desk.clerk()
    form = c.get("/upload")
    assert 'enctype="multipart/form-data"' in form.text
    new = (ROOT / "fixtures" / "digital" / "govquao-2021-stamp-layer.pdf").read_bytes()
    known = (ROOT / "fixtures" / "signed" / "valid.pdf").read_bytes()
    files = [
        ("../../mới.pdf", new),
        ("valid.pdf", known),
        ("ghi chú.txt", b"hello"),
        ("hỏng.pdf", b"%PDF-1.4 broken\n%%EOF\n"),
    ]
    r = c.post_files("/upload", {"csrf": form.csrf()}, files)
    assert r.status == 303 and r.location.startswith("/upload/status?")
    assert sorted(p.name for p in desk.inbox.iterdir()) == ["hỏng.pdf", "mới.pdf"]  # no temp left, no dupe
    assert (desk.inbox / "mới.pdf").read_bytes() == new
    status = c.get(r.location)
    assert '<meta http-equiv="refresh" content="3">' in status.text
    rows = re.findall(r'<tr class="state-(\w+)"><td>(.*?)</td>', status.text)
    assert rows == [
        ("waiting", "mới.pdf"),
        ("archived", "valid.pdf"),
        ("refused", "ghi chú.txt — không nhận: chỉ nhận .pdf, .png, .jpg, .jpeg, .tif, .tiff"),
        ("waiting", "hỏng.pdf"),
    ]
    watch = subprocess.run(
        [sys.executable, "-m", "ocr_ingest.cli", "watch", str(desk.inbox), "--archive", str(desk.root), "--once"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert watch.returncode in (0, 1), watch.stderr
    status = c.get(r.location)
    rows = re.findall(r'<tr class="state-(\w+)"><td>(.*?)</td>', status.text)
    assert [s for s, _ in rows] == ["archived", "archived", "refused", "failed"]
    assert "http-equiv" not in status.text  # nothing left to wait for
    new_sha = hashlib.sha256(new).hexdigest()
    assert f'href="/review/{new_sha}"' in status.text
    assert r.status == 303 and c.post_files("/upload", {}, files[:1]).status == 403  # CSRF here too


def test_a_scanned_field_points_at_where_it_was_read_on_its_page(desk: Desk) -> None:
    record = desk.served.records["scan"]
    page = desk.clerk().get(f"/review/{record.sha256}")
    assert page.status == 200
    for key in ("number", "signer_name"):
        field = record.fields[key]
        tag = re.search(rf'<input id="f-{key}" [^>]*>', page.text)[0]
        assert f'data-page="{field["page"]}"' in tag
        shown = [float(v) for v in re.search(r'data-box="([^"]+)"', tag)[1].split(",")]
        assert shown == pytest.approx(field["box"], abs=1e-4)
    assert 'id="page-1"' in page.text and '<div class="sheet">' in page.text
    # a born-digital document's fields carry no box: the page is shown, no place on it
    digital = desk.clerk().get(f"/review/{sha(desk, 'govquao')}")
    assert "data-box=" not in digital.text and 'data-page="1"' in digital.text


def test_an_unsure_handwritten_figure_is_a_hint_beside_its_partial_field(
    served_archive: Any, tmp_path: Path
) -> None:
    """The figures model read ``225`` in the blank but was not sure (61.5 %): the number stays partial,
    the review screen says what was read and how sure, and the input is not filled in."""
    root, inbox = copy_with_accounts(served_archive, tmp_path)
    doc = served_archive.records["huyenuy"].sha256
    (path,) = root.glob(f"*/*/{doc}/record.json")
    record = json.loads(path.read_text("utf-8"))
    record["fields"]["number"].update(unsure_figures="225", unsure_confidence=61.5)
    path.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    with running_server(root, "--inbox", str(inbox)) as url:
        c = DeskClient(url)
        assert c.login(*CLERK).status == 303
        page = c.get(f"/review/{doc}")
    assert "máy đọc «225» nhưng chưa chắc (62 %)" in page.text
    assert re.search(r'<input id="f-number" name="number" value="-TB/HU"', page.text)
