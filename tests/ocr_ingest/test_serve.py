"""``ocr-ingest serve`` over an archive built from the fixtures: the pages, downloads, security, the
command. HTTP through Starlette's TestClient, and through a real server on 127.0.0.1 where it matters
(raw paths that an HTTP client would normalise, the downloaded bytes, the command's errors)."""

from __future__ import annotations

import hashlib
import http.client
import io
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from starlette.testclient import TestClient

from bench.screenshots import running_server
from ocr_ingest.archive.store import Archive
from ocr_ingest.serve import create_app
from ocr_ingest.serve.app import attachment, comparisons
from ocr_ingest.serve.labels import problem
from ocr_ingest.watch.status import error_report, status_dict, write_json_atomic

ServedArchive = Any  # tests/ocr_ingest/conftest.py: root, records, failed, hostile_name

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def client(served_archive: ServedArchive) -> TestClient:
    return TestClient(create_app(served_archive.root))


def doc_links(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/doc/([0-9a-f]{64})">', html)


def sha(served: ServedArchive, name: str) -> str:
    return served.records[name].sha256


# --- search page -------------------------------------------------------------------------------------


def test_search_without_diacritics_lists_the_stamped_copies_first_with_badges(
    client: TestClient, served_archive: ServedArchive
) -> None:
    r = client.get("/", params={"q": "thoi gian ky"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    html = r.text
    links = doc_links(html)
    with Archive(served_archive.root, readonly=True) as arc:  # the page shows the archive's own ranking
        assert links == [h.sha256 for h in arc.search("thoi gian ky")]
    stamped = {sha(served_archive, n) for n in ("valid", "modified", "stamp_mismatch", "scan")}
    assert set(links[:4]) == stamped  # the words side by side (a stamp's "Thời gian ký") first
    first = html.split('<li class="hit">')[1:5]
    badges = {re.search(r'<span class="code" lang="en">(\w+)</span>', item)[1] for item in first}
    assert badges == {"valid", "modified", "stamp_mismatch", "stamp_only"}  # the scan's printed stamp
    assert '<span aria-hidden="true">✓</span> Hợp lệ <span class="code" lang="en">valid</span>' in html
    assert "Bị sửa đổi sau khi ký" in html and "Dấu ký không khớp" in html  # a word, not a colour only
    assert "<mark>Thời</mark> <mark>gian</mark> <mark>ký</mark>: 14.09.2023" in html
    item = next(i for i in first if sha(served_archive, "valid") in i)
    assert "tháng 09/2023" in item and "HUYỆN ỦY TRÀ CÚ" in item and "6 trang" in item
    assert "ý kiến kết luận của Thường trực Huyện ủy" in item  # the subject


def test_empty_query_lists_newest_first_and_filters_narrow(client: TestClient, served_archive) -> None:
    html = client.get("/").text
    assert "Văn bản mới nhất" in html and len(doc_links(html)) == 7
    assert '<option value="THÔNG BÁO">THÔNG BÁO (' in html  # the type filter offers the index's types
    links = doc_links(client.get("/", params={"q": "hoi nghi", "verdict": "valid"}).text)
    assert links == [sha(served_archive, "valid")]
    links = doc_links(client.get("/", params={"q": "hoi nghi", "issuer": "go quao"}).text)
    assert set(links) == {sha(served_archive, "govquao"), sha(served_archive, "scan")}
    links = doc_links(client.get("/", params={"from": "2021-06", "to": "2021-06-30"}).text)
    assert set(links) == {sha(served_archive, "govquao"), sha(served_archive, "scan")}
    links = doc_links(client.get("/", params={"type": "thong bao", "from": "2024"}).text)
    assert links == [sha(served_archive, "hostile")]


def test_a_bad_date_is_explained_not_an_error_page(client: TestClient) -> None:
    r = client.get("/", params={"q": "hoi nghi", "from": "09/06/2021", "verdict": "great"})
    assert r.status_code == 400 and 'role="alert"' in r.text
    assert "«09/06/2021» không phải là ngày" in r.text and "«great» không phải" in r.text
    assert doc_links(r.text) == [] and 'value="09/06/2021"' in r.text  # the form keeps what was typed


def test_paging_walks_the_same_ranking(served_archive: ServedArchive) -> None:
    client = TestClient(create_app(served_archive.root, page_size=2))
    seen, url, pages = [], "/?q=uy+ban", 0
    while url:
        html = client.get(url).text
        seen += doc_links(html)
        pages += 1
        m = re.search(r'<a href="([^"]+)" rel="next">', html)
        url = "/" + m[1].replace("&amp;", "&") if m else None
    with Archive(served_archive.root, readonly=True) as arc:
        assert seen == [h.sha256 for h in arc.search("uy ban", limit=50)]
    assert pages == (len(seen) + 1) // 2 and len(seen) >= 5
    page2 = client.get("/?q=uy+ban&page=2").text
    assert 'rel="prev"' in page2 and '<span aria-current="page">Trang 2</span>' in page2
    assert '<ol class="hits" start="3">' in page2


# --- document page -----------------------------------------------------------------------------------


def test_document_page_fields_with_confidence(client: TestClient, served_archive) -> None:
    html = client.get(f"/doc/{sha(served_archive, 'govquao')}").text
    assert "<h1>THÔNG BÁO số 153/TB-VP</h1>" in html
    row = re.search(
        r'<th scope="row" rowspan="1">Số, ký hiệu</th>\s*<td>(.*?)</td>\s*<td class="num">(.*?)</td>',
        html,
        re.S,
    )
    assert row[1].strip() == "153/TB-VP" and row[2] == "95 %"
    assert re.search(r"Ngày ban hành</th>\s*<td>09/06/2021\s*</td>", html)
    assert re.search(r"Người ký</th>\s*<td>Trần Văn Trung\s*</td>\s*<td class=\"num\">95 %", html)
    assert html.count('rowspan="5">Nơi nhận') + html.count('rowspan="6">Nơi nhận') == 1
    assert "Không có chữ ký" in html and "Văn bản không có chữ ký số." in html


def test_partial_values_are_marked(client: TestClient, served_archive) -> None:
    html = client.get(f"/doc/{sha(served_archive, 'huyenuy')}").text
    date_row = re.search(
        r'<tr class="partial">\s*<th scope="row" rowspan="1">Ngày ban hành</th>(.*?)</tr>', html, re.S
    )
    assert date_row and "tháng 09/2023" in date_row[1] and "một phần" in date_row[1]
    number_row = re.search(
        r'<tr class="partial">\s*<th scope="row" rowspan="1">Số, ký hiệu</th>(.*?)</tr>', html, re.S
    )
    assert number_row and "-TB/HU" in number_row[1]
    assert html.count('class="partial"') == 2  # only those two


def test_signature_report_of_a_valid_signature(client: TestClient, served_archive) -> None:
    html = client.get(f"/doc/{sha(served_archive, 'valid')}").text
    sig = html[html.index('<article class="sig">') : html.index('<article class="stamp">')]
    assert "<dt>Người ký</dt><dd>Lâm Thái Hòa</dd>" in sig
    assert "<dd>CA thử nghiệm các cơ quan Nhà nước</dd>" in sig
    assert "<dd>14/09/2023 09:12:05 (UTC+07:00)</dd>" in sig  # 02:12:05 UTC shown in Vietnam time
    assert "toàn bộ tệp" in sig and "entire_file" in sig and "Không có" in sig  # no changes after signing
    assert "ocr-ingest Test Root CA → CA thử nghiệm các cơ quan Nhà nước → Lâm Thái Hòa" in sig
    stamp = html[html.index('<article class="stamp">') :]
    assert "<dd>Huyện ủy Trà Cú, Tỉnh Trà Vinh</dd>" in stamp and "vanphong.hutc@travinh.gov.vn" in stamp
    assert 'class="badge badge-good badge-big"' in html and "Vấn đề" not in html


def test_modified_and_stamp_mismatch_explained_in_vietnamese_with_the_code(client, served_archive) -> None:
    html = client.get(f"/doc/{sha(served_archive, 'modified')}").text
    assert "<strong>Tệp bị sửa sau khi ký; người đọc sẽ thấy phần thay đổi.</strong>" in html
    assert '<span class="code" lang="en">modified</span>' in html
    assert '<li lang="en">page entry /Contents changed</li>' in html  # the change after signing
    assert "một phiên bản trước của tệp" in html and "earlier_revision" in html
    html = client.get(f"/doc/{sha(served_archive, 'stamp_mismatch')}").text
    assert "Thời gian trên hình dấu ký khác thời gian của chữ ký số." in html
    assert '<span class="code" lang="en">stamp_time_mismatch</span>' in html
    assert "<dd>14/09/2021 09:12:05 (UTC+07:00)</dd>" in html  # what the stamp says


def test_problem_strings_split_into_code_and_detail() -> None:
    p = problem("Signature1: stamp_time_mismatch: stamp says 2021-09-14T09:12:05+07:00, /M says x")
    assert (p.signature, p.code, p.detail) == (
        "Signature1",
        "stamp_time_mismatch",
        "stamp says 2021-09-14T09:12:05+07:00, /M says x",
    )
    assert problem("unsigned: no signature").code == "unsigned"
    assert (
        problem("something new: x").code is None and problem("something new: x").detail == "something new: x"
    )


def test_cross_check_comparisons_of_the_stamp_are_shown(client: TestClient, served_archive) -> None:
    html = client.get(f"/doc/{sha(served_archive, 'stamp_mismatch')}").text
    table = html[
        html.index('<table class="comparisons">') : html.index(
            "</table>", html.index('<table class="comparisons">')
        )
    ]
    assert "<caption>Chữ ký 1 (Signature1)</caption>" in table
    heads = re.findall(r'<th scope="col">(.*?)</th>', table)
    assert heads == ["Mục", "Hình dấu ghi", "Đối chiếu với", "Giá trị đối chiếu", "Cách khớp", "Kết quả"]
    rows = re.findall(r"<tr( class=\"mismatch\")?>(.*?)</tr>", table, re.S)[1:]
    cells = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", r, re.S)] for _, r in rows
    ]
    assert cells[0] == [
        "Người ký",
        "Lâm Thái Hòa",
        "chứng thư số",
        "Lâm Thái Hòa",
        "trùng khớp exact",
        "✓ khớp",
    ]
    time_row = next(c for c in cells if c[0] == "Thời gian ký")
    assert time_row[1:4] == [
        "14/09/2021 09:12:05 (UTC+07:00)",
        "thời gian ký khai báo (/M)",
        "14/09/2023 09:12:05 (UTC+07:00)",
    ]
    assert time_row[5] == "✗ không khớp" and [m for m, _ in rows].count(' class="mismatch"') == 1


def test_comparisons_tolerate_absence_and_unknown_keys() -> None:
    """Records made before verify reported comparisons have none; a later key is shown, not dropped."""
    assert comparisons({"signatures": [{"field": "Signature1"}], "problems": []}) == []
    assert comparisons({"verdict": "unsigned"}) == []
    tables = comparisons({"comparisons": [{"field": "time", "matched": True, "note": "x"}], "signatures": []})
    assert tables == [("", ["field", "matched", "note"], [{"field": "time", "matched": True, "note": "x"}])]


def test_thumbnails_and_page_view_with_its_text(client: TestClient, served_archive: ServedArchive) -> None:
    scan = served_archive.records["scan"]
    html = client.get(f"/doc/{scan.sha256}").text
    assert html.count('<img src="/doc/') == scan.page_count == 3
    assert 'alt="Trang 3"' in html and "OCR " in html
    r = client.get(f"/doc/{scan.sha256}/thumb/2.png")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(r.content))
    assert image.format == "PNG" and max(image.size) == 240 and image.size[0] < image.size[1]  # A4 portrait
    view = Image.open(io.BytesIO(client.get(f"/doc/{scan.sha256}/view/2.png").content))
    assert 900 <= view.size[0] <= 1000  # 110 dpi of A4's 8.27 in
    page = client.get(f"/doc/{scan.sha256}/page/2").text
    text = (served_archive.root / scan.archive["text"]).read_text("utf-8").split("\f")[1]
    assert f'<img src="/doc/{scan.sha256}/view/2.png"' in page
    shown = re.search(r'<pre class="page-text">(.*?)</pre>', page, re.S)[1]
    assert shown == text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&#34;"
    ).replace("'", "&#39;")
    assert 'rel="prev"' in page and 'rel="next"' in page


@pytest.mark.parametrize("path", ["page/0", "page/4", "thumb/0.png", "thumb/4.png", "big/1.png", "page/x"])
def test_pages_out_of_range_are_404(client: TestClient, served_archive, path: str) -> None:
    assert client.get(f"/doc/{sha(served_archive, 'scan')}/{path}").status_code == 404


# --- downloads ---------------------------------------------------------------------------------------


def test_downloads_are_the_stored_bytes_with_type_and_disposition(client, served_archive) -> None:
    record = served_archive.records["valid"]
    r = client.get(f"/doc/{record.sha256}/download/original")
    assert r.status_code == 200 and hashlib.sha256(r.content).hexdigest() == record.sha256
    assert r.content == (ROOT / "fixtures/signed/valid.pdf").read_bytes()
    assert r.headers["content-type"] == "application/pdf"
    assert (
        r.headers["content-disposition"] == "attachment; filename=\"valid.pdf\"; filename*=UTF-8''valid.pdf"
    )
    r = client.get(f"/doc/{record.sha256}/download/text.txt")
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.text == (served_archive.root / record.archive["text"]).read_text("utf-8")
    assert 'filename="valid.txt"' in r.headers["content-disposition"]
    r = client.get(f"/doc/{record.sha256}/download/record.json")
    assert r.headers["content-type"] == "application/json" and r.json()["sha256"] == record.sha256
    assert r.headers["content-disposition"].startswith('attachment; filename="valid.record.json"')
    assert client.get(f"/doc/{record.sha256}/download/archive.sqlite").status_code == 404


def test_a_hostile_file_name_cannot_break_the_disposition_header(client, served_archive) -> None:
    r = client.get(f"/doc/{sha(served_archive, 'hostile')}/download/original")
    disposition = r.headers["content-disposition"]
    assert disposition == (
        'attachment; filename="kiem_tra_b_x_i_.pdf"; '
        "filename*=UTF-8''ki%E1%BB%83m%20tra%20%22%3Cb%3Ex%3Ci%3E%22%3B.pdf"
    )
    assert urllib.parse.unquote(disposition.split("''")[1]) == served_archive.hostile_name
    assert attachment("a\r\nSet-Cookie: x.pdf").count("\n") == 0


# --- security ----------------------------------------------------------------------------------------


def test_script_in_the_text_is_shown_as_text(client: TestClient, served_archive: ServedArchive) -> None:
    hostile = sha(served_archive, "hostile")
    pages = [
        client.get("/", params={"q": "kiem tra script"}).text,
        client.get(f"/doc/{hostile}").text,
        client.get(f"/doc/{hostile}/page/1").text,
        client.get("/watch").text,
    ]
    assert doc_links(pages[0])[0] == hostile
    for html in pages:
        assert "<script" not in html and "<img src=x" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in pages[1]  # the subject, escaped
    assert "&lt;img src=x onerror=alert(1)&gt; và &lt;b&gt;chữ đậm&lt;/b&gt;" in pages[2]  # page text
    assert "<mark>script</mark>" in pages[0]  # our own markup survives the escaping
    assert "kiểm tra &#34;&lt;b&gt;x&lt;i&gt;&#34;;.pdf" in pages[3]  # the source name


def test_security_headers(client: TestClient) -> None:
    h = client.get("/").headers
    assert (
        h["content-security-policy"].startswith("default-src 'none'")
        and "script-src" not in h["content-security-policy"]
    )
    assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY"
    assert re.fullmatch(r"app;dur=\d+\.\d\d", h["server-timing"])


@pytest.mark.parametrize(
    "path",
    [
        "/doc/" + "0" * 64,
        "/doc/" + "A" * 64,
        "/doc/xyz",
        "/doc/..%2f..%2f..%2fetc%2fpasswd",
        "/static/",
        "/static/..%2fapp.py",
        "/archive.sqlite",
        "/2021",
    ],
)
def test_unknown_ids_and_odd_paths_are_404(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404 and "Không tìm thấy" in r.text and "root:" not in r.text


def test_raw_traversal_paths_over_real_http(served_archive: ServedArchive) -> None:
    """http.client sends the path as written (an HTTP library would normalise ``..``)."""
    key = sha(served_archive, "valid")
    paths = [
        "/doc/../../etc/passwd",
        "/doc/%2e%2e/%2e%2e/etc/passwd",
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/archive.sqlite",
        "/static/..%2f..%2fapp.py",
        f"/doc/{key}/download/..%2f..%2f..%2farchive.sqlite",
        f"/doc/{key}/download/../original",
        f"/doc/{key}/../../archive.sqlite",
        "/doc/%00",
    ]
    with running_server(served_archive.root) as url:
        port = urllib.parse.urlsplit(url).port
        for path in paths:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            conn.close()
            assert resp.status in (404, 400), (path, resp.status)
            assert b"root:" not in body and b"SQLite format" not in body and b"import" not in body, path
        with urllib.request.urlopen(f"{url}doc/{key}/download/original") as resp:  # and the real thing works
            assert hashlib.sha256(resp.read()).hexdigest() == key
            assert resp.headers["Content-Type"] == "application/pdf"


def test_serving_writes_nothing_into_the_archive(served_archive: ServedArchive, client: TestClient) -> None:
    def state() -> dict[str, tuple[int, int]]:
        return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in served_archive.root.rglob("*")}

    before = state()
    for name in ("scan", "valid"):
        client.get(f"/doc/{sha(served_archive, name)}")
        client.get(f"/doc/{sha(served_archive, name)}/thumb/1.png")
    client.get("/", params={"q": "hoi nghi"})
    assert state() == before


# --- watcher status ----------------------------------------------------------------------------------


def test_watch_page_without_and_with_an_inbox(served_archive: ServedArchive, tmp_path: Path) -> None:
    html = TestClient(create_app(served_archive.root)).get("/watch").text
    assert "Không theo dõi thư mục nhận nào" in html and "Kho có 7 văn bản." in html
    assert "is empty (0 bytes)" in html  # the archive's failures table
    assert html.count('<td><a href="/doc/') == 7  # last documents
    inbox = tmp_path / "inbox"
    (inbox / ".failed").mkdir(parents=True)
    status = status_dict(
        state="running", inbox=inbox, archive=served_archive.root, mode="inotify", workers=2,
        started_at="2024-05-01T08:00:00+00:00", waiting=3, queued=1, in_progress=["2024/scan-0042.pdf"],
        counts={"ingested": 40, "duplicate": 2, "failed": 1}, last=None,
    )  # fmt: skip
    write_json_atomic(inbox / "status.json", status)
    (inbox / ".failed" / "bad.pdf").write_bytes(b"%PDF-1.4 trunc")
    report = error_report("bad.pdf", served_archive.failed)
    write_json_atomic(inbox / ".failed" / "bad.pdf.error.json", {**report, "reason": "is truncated"})
    html = TestClient(create_app(served_archive.root, inbox=inbox)).get("/watch").text
    assert "Đang chạy" in html and '<span class="code" lang="en">running</span>' in html  # this process's pid
    assert re.search(r"Đang chờ ổn định.*?<td class=\"num\">3</td>", html, re.S)
    assert re.search(r"Trong hàng đợi.*?<td class=\"num\">1</td>", html, re.S)
    assert "<code>2024/scan-0042.pdf</code>" in html and "is truncated" in html


# --- the command -------------------------------------------------------------------------------------


def serve_cmd(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ocr_ingest.cli", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_command_errors_are_one_line_with_exit_codes(served_archive: ServedArchive, tmp_path: Path) -> None:
    proc = serve_cmd("--archive", str(tmp_path / "none"))
    assert proc.returncode == 2 and proc.stderr.strip().endswith("(run `ocr-ingest run`)")
    assert not (tmp_path / "none").exists()
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "archive.sqlite").write_bytes(b"not a database, just bytes" * 100)
    proc = serve_cmd("--archive", str(tmp_path / "junk"))
    assert proc.returncode == 4 and "not an ocr-ingest index" in proc.stderr and proc.stderr.count("\n") == 1
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = serve_cmd("--archive", str(served_archive.root), "--port", str(port))
    assert proc.returncode == 2
    assert (
        proc.stderr
        == f"ocr-ingest serve: 127.0.0.1:{port} is in use by another program (choose another with --port)\n"
    )
    proc = serve_cmd("--archive", str(served_archive.root), "--port", "70000")
    assert proc.returncode == 2 and "not a TCP port" in proc.stderr
    assert "--inbox DIR" in serve_cmd("--help").stdout


def test_ctrl_c_stops_the_server_like_any_command(served_archive: ServedArchive) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ocr_ingest.cli",
            "serve",
            "--archive",
            str(served_archive.root),
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        # Ctrl-C as a terminal sends it: a suite started as a background job (`make test &`) runs with
        # SIGINT ignored, which children inherit, and uvicorn then re-raises the signal into nothing
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        line = proc.stdout.readline()
        url = re.search(r"at (http://127\.0\.0\.1:\d+/) \(read-only", line)[1]
        # Until uvicorn answers: its signal handlers are in place by then, however long start-up takes.
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    assert resp.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(20) == 130
        assert proc.stderr.read() == "ocr-ingest: interrupted\n"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_image_originals_are_drawn_per_frame_and_turned_upright(tmp_path: Path) -> None:
    """A multi-page TIFF original: the right frame, turned as the pipeline turned it (clockwise)."""
    from ocr_ingest.serve.pages import media_type, page_png

    frames = []
    for band in ("top", "left"):
        im = Image.new("RGB", (600, 800), "white")
        im.paste((0, 0, 0), (0, 0, 600, 100) if band == "top" else (0, 0, 100, 800))
        frames.append(im)
    path = tmp_path / "original.tiff"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(100, 100))
    assert media_type(path) == "image/tiff"
    upright = Image.open(io.BytesIO(page_png(path, 1, "thumb", 0))).convert("L")
    assert upright.size == (180, 240) and upright.getpixel((90, 5)) < 50 and upright.getpixel((90, 235)) > 200
    turned = Image.open(io.BytesIO(page_png(path, 1, "thumb", 180))).convert("L")
    assert turned.getpixel((90, 5)) > 200 and turned.getpixel((90, 235)) < 50  # the band went down
    second = Image.open(io.BytesIO(page_png(path, 2, "view", 90))).convert("L")  # left band, 90° clockwise
    assert second.size == (800, 600) and second.getpixel((400, 5)) < 50 and second.getpixel((400, 595)) > 200
