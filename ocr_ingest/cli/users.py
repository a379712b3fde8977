"""``ocr-ingest users add|passwd|remove|list --archive DIR``: the accounts of the review desk.

Accounts live in ``DIR/desk.sqlite``. Once an archive has one, ``ocr-ingest serve`` asks everyone to
log in (roles: viewer reads and downloads; clerk also corrects, approves and uploads; admin also
manages users); an archive without accounts is served read-only to whoever reaches the port. The
password is asked twice on a terminal, or read as one line from standard input (scripts).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from ..archive import DB_NAME
from ..errors import EXIT_OK, EXIT_USAGE
from ..serve.accounts import ROLES, AccountError, Accounts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, text in (
        ("add", "create an account"),
        ("passwd", "set a new password (the user's sessions end)"),
        ("remove", "delete an account (its sessions end; its corrections stay in the history)"),
        ("list", "list the accounts and their roles"),
    ):
        p = sub.add_parser(action, help=text, description=text)
        p.add_argument("--archive", metavar="DIR", type=Path, required=True, help="the archive folder")
        if action != "list":
            p.add_argument("name", help="user name: a-z, 0-9, '.', '_', '-'")
        if action in ("add", "passwd"):
            p.add_argument(
                "--role",
                choices=ROLES,
                default="clerk" if action == "add" else None,
                help="viewer: search, read, download; clerk: also correct, approve, upload; "
                "admin: also manage users (default for add: clerk)",
            )


def read_password(name: str) -> str:
    """Asked twice on a terminal; one line of standard input otherwise."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"password for {name}: ")
    if getpass.getpass("again: ") != first:
        raise AccountError("the two passwords differ")
    return first


def run(args: argparse.Namespace) -> int:
    if not (args.archive / DB_NAME).is_file():
        print(f"ocr-ingest users: no archive at {args.archive} (run `ocr-ingest run`)", file=sys.stderr)
        return EXIT_USAGE
    accounts = Accounts(args.archive)
    try:
        if args.action == "list":
            for name, role, created in accounts.users():
                print(f"{name}\t{role}\t{created}")
            return EXIT_OK
        if args.action == "remove":
            accounts.remove(args.name)
            print(f"removed {args.name}")
        elif args.action == "add":
            accounts.add(args.name, read_password(args.name), args.role)
            print(
                f"added {args.name} ({args.role}); `ocr-ingest serve --archive {args.archive}` now asks to log in"
            )
        else:
            if args.role:
                accounts.set_role(args.name, args.role)
            accounts.passwd(args.name, read_password(args.name))
            print(f"password of {args.name} changed")
    except AccountError as exc:
        print(f"ocr-ingest users: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
