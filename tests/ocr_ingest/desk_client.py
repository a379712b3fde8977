"""A small HTTP client for the review desk tests: real requests to a real ``ocr-ingest serve``, cookies
kept by hand (so the test sees each cookie's attributes, and a ``Secure`` cookie is sent to 127.0.0.1
as browsers do), redirects not followed (the tests assert them)."""

from __future__ import annotations

import http.client
import re
import secrets
import urllib.parse
from dataclasses import dataclass, field
from email.message import Message


@dataclass
class Reply:
    status: int
    headers: Message
    text: str

    @property
    def location(self) -> str | None:
        return self.headers.get("location")

    def csrf(self) -> str:
        m = re.search(r'name="csrf" value="([^"]+)"', self.text)
        assert m, self.text[:500]
        return m[1]


@dataclass
class DeskClient:
    url: str  # http://127.0.0.1:PORT/
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookies: list[str] = field(default_factory=list)

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> Reply:
        parts = urllib.parse.urlsplit(self.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        for raw in resp.headers.get_all("set-cookie") or []:
            self.set_cookies.append(raw)
            name, _, rest = raw.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in raw.lower() or value in ('""', ""):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        conn.close()
        return Reply(resp.status, resp.headers, text)

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str] | list[tuple[str, str]]) -> Reply:
        body = urllib.parse.urlencode(data).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def post_files(self, path: str, data: dict[str, str], files: list[tuple[str, bytes]]) -> Reply:
        boundary = "----desk" + secrets.token_hex(8)
        out = []
        for k, v in data.items():
            out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
        for name, content in files:
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            )
            out.append(head.encode() + content + b"\r\n")
        out.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(out), f"multipart/form-data; boundary={boundary}")

    def login(self, name: str, password: str) -> Reply:
        form = self.get("/login")
        return self.post("/login", {"csrf": form.csrf(), "name": name, "password": password, "next": "/"})
