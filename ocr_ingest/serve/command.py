"""``ocr-ingest serve --archive DIR``: the archive in a browser, on 127.0.0.1:8080 by default.

Without accounts (none created, or ``--read-only``) it is read-only and open to whoever reaches the
port. Once the archive has accounts (``ocr-ingest users add``), everyone logs in and the review desk
opens: clerks correct and approve fields beside the page image, and upload files into ``--inbox``.
Search (with or without diacritics, filters, paging), each document's fields, signature report, pages
and downloads, and the inbox watcher's status (``--inbox``). Ctrl-C or SIGTERM: open requests are
finished, then the process ends as interrupted (exit 130 with one line, like every command) or by the
signal (SIGTERM, what service managers expect). Exit status 2 for a missing archive, a port in use or
an address that cannot be bound; 4 for a folder whose ``archive.sqlite`` is not an ocr-ingest index.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import socket
import sqlite3
import sys
from pathlib import Path

from ..archive.store import DB_NAME
from ..errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE

#: ``serve --help``: how the mode is chosen.
DESCRIPTION = (
    "The archive in a browser on 127.0.0.1:8080. Without accounts (none made yet, or --read-only) it is "
    "read-only and asks no login. Once `ocr-ingest users add` has made an account, everyone logs in and "
    "the review desk opens: viewers search, read and download; clerks also correct fields beside the "
    "page image, approve, and upload into --inbox; admins also manage users."
)


class ServeError(Exception):
    """A one-line reason the server cannot start, with its exit status."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--archive", metavar="DIR", type=Path, required=True, help="archive folder to show")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    parser.add_argument("--port", type=int, default=8080, help="TCP port (default: 8080; 0: any free port)")
    parser.add_argument(
        "--inbox",
        metavar="DIR",
        type=Path,
        help="a watcher's inbox: show its queue and failures (watch page); clerks' uploads go there",
    )
    parser.add_argument(
        "--export-dir",
        metavar="DIR",
        type=Path,
        help="the folder `ocr-ingest export` writes hồ sơ packages into: offered for download with each "
        "package's sheet (page /exports; the archive's own sheet is offered without it)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="no login and no review desk even if the archive has accounts (without accounts, the "
        "default: `ocr-ingest users add` creates the first one)",
    )


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``; :class:`ServeError` (exit 2) with the reason otherwise."""
    if not 0 <= port <= 65535:
        raise ServeError(f"--port {port}: not a TCP port (0-65535)", EXIT_USAGE)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"--host {host}: unknown address ({exc.strerror})", EXIT_USAGE) from exc
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        reasons = {
            errno.EADDRINUSE: "is in use by another program (choose another with --port)",
            errno.EACCES: "needs more privileges (use a port above 1023)",
            errno.EADDRNOTAVAIL: "is not an address of this machine",
        }
        reason = reasons.get(exc.errno, exc.strerror or str(exc))
        raise ServeError(f"{host}:{port} {reason}", EXIT_USAGE) from exc
    sock.set_inheritable(True)
    return sock


def serve_forever(app: object, sock: socket.socket) -> None:
    """Run uvicorn on ``sock`` until SIGINT/SIGTERM. uvicorn catches both, finishes open requests,
    then raises the signal again: Ctrl-C ends as ``KeyboardInterrupt`` (exit 130), SIGTERM by the signal."""
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
    uvicorn.Server(config).run(sockets=[sock])


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{'[' + host + ']' if ':' in host else host}:{port}/"


def run(args: argparse.Namespace) -> int:
    from .app import create_app

    if not (args.archive / DB_NAME).is_file():
        print(f"ocr-ingest serve: no archive at {args.archive} (run `ocr-ingest run`)", file=sys.stderr)
        return EXIT_USAGE
    if args.inbox is not None and not args.inbox.is_dir():
        print(f"ocr-ingest serve: --inbox {args.inbox}: not a folder", file=sys.stderr)
        return EXIT_USAGE
    if args.export_dir is not None and not args.export_dir.is_dir():
        print(f"ocr-ingest serve: --export-dir {args.export_dir}: not a folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        app = create_app(
            args.archive,
            inbox=args.inbox,
            accounts=False if args.read_only else None,
            export_dir=args.export_dir,
        )
    except sqlite3.DatabaseError as exc:
        print(f"ocr-ingest serve: {args.archive / DB_NAME}: not an ocr-ingest index ({exc})", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        sock = bind(args.host, args.port)
    except ServeError as exc:
        print(f"ocr-ingest serve: {exc}", file=sys.stderr)
        return exc.exit_code
    accounts = app.state.accounts  # type: ignore[attr-defined]
    if not _is_loopback(args.host):
        print(
            f"ocr-ingest serve: listening on {args.host}: other machines can "
            + (
                "log in (serve it behind HTTPS: session cookies are Secure)"
                if accounts
                else "read the archive"
            ),
            file=sys.stderr,
        )
    mode = "review desk, log in" if accounts else "read-only"
    print(f"serving {args.archive} at {url_of(sock)} ({mode}; Ctrl-C to stop)", flush=True)
    with sock:
        serve_forever(app, sock)
    return EXIT_OK


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ocr-ingest serve", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
