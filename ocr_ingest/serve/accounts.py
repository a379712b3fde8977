"""Accounts of the review desk: users with a role, login sessions, and the login throttle.

Stored in ``ROOT/desk.sqlite`` beside the archive's index (never inside a document folder). Why each
piece is as it is:

* Passwords are hashed with Argon2id (argon2-cffi's defaults, a salt per hash); a login for an unknown
  name still runs one verification, so the answer time does not tell which names exist.
* A session is a random token in a cookie; only its SHA-256 is stored, so a copy of the database does
  not hand out live sessions. Each session has its own CSRF token, checked on every form.
* Failed logins are counted per name and per client address. From the ``FREE_FAILURES``-th failure on,
  the next attempt is refused unread until ``login_delay(failures)`` seconds have passed (doubling, at
  most ``MAX_DELAY``): guessing slows down exponentially, a mistyped password costs a clerk nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

DESK_DB = "desk.sqlite"
#: Each role may do what the ones before it may: read and download; correct, approve and upload; users.
ROLES = ("viewer", "clerk", "admin")
SESSION_SECONDS = 10 * 3600  # a working day and a bit
FREE_FAILURES = 3  # wrong passwords in a row before attempts are slowed
MAX_DELAY = 60.0  # seconds, the longest wait between two attempts
NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
MIN_PASSWORD = 8

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL, created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_sha256 TEXT PRIMARY KEY, name TEXT, csrf TEXT NOT NULL, expires REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT PRIMARY KEY, failures INTEGER NOT NULL, last REAL NOT NULL
);
"""

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class AccountError(ValueError):
    """A bad user name, role or password given to ``users add|passwd|remove`` (one line); ``vietnamese``:
    the same for the accounts page."""

    def __init__(self, message: str, vietnamese: str = ""):
        super().__init__(message)
        self.vietnamese = vietnamese or message


class LoginRefused(Exception):
    """A login that did not succeed: ``retry_after`` seconds to wait when attempts are being slowed,
    ``None`` for a wrong name or password."""

    def __init__(self, retry_after: float | None = None):
        super().__init__("slowed" if retry_after else "wrong name or password")
        self.retry_after = retry_after


def login_delay(failures: int) -> float:
    """Seconds the next attempt must wait after ``failures`` wrong passwords in a row: 0 for the first
    ``FREE_FAILURES - 1``, then 1, 2, 4, … up to ``MAX_DELAY``."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(2.0 ** (failures - FREE_FAILURES), MAX_DELAY)


@dataclass(frozen=True)
class Session:
    """A browser's session: ``name``/``role`` are ``None`` before login (the login form's CSRF token
    lives in such a session)."""

    token: str
    csrf: str
    name: str | None = None
    role: str | None = None

    def allows(self, role: str) -> bool:
        """Whether this session's role includes ``role`` (admin ⊃ clerk ⊃ viewer)."""
        return self.role is not None and ROLES.index(self.role) >= ROLES.index(role)

    def csrf_ok(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf, str(token))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """The users and sessions of one archive. ``clock`` (seconds, ``time.time``) is a parameter so the
    throttle's arithmetic can be checked without waiting."""

    def __init__(self, root: str | Path, *, clock: Callable[[], float] = time.time):
        self.path = Path(root) / DESK_DB
        self.clock = clock

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
            yield db
        finally:
            db.close()

    # --- users (``ocr-ingest users``) --------------------------------------------------------------

    def has_users(self) -> bool:
        """Whether any account exists: without one, ``serve`` runs read-only without login."""
        if not self.path.is_file():
            return False
        with self._db() as db:
            return db.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None

    def users(self) -> list[tuple[str, str, str]]:
        """``(name, role, created)`` of every account, by name."""
        if not self.path.is_file():
            return []
        with self._db() as db:
            return [tuple(r) for r in db.execute("SELECT name, role, created FROM users ORDER BY name")]

    def add(self, name: str, password: str, role: str) -> None:
        name = _check_name(name)
        _check_role(role)
        digest = _hasher.hash(_check_password(password))
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.clock()))
        with self._db() as db:
            try:
                db.execute("INSERT INTO users VALUES (?, ?, ?, ?)", (name, role, digest, created))
            except sqlite3.IntegrityError:
                raise AccountError(
                    f"user {name!r} exists (change it with `users passwd` or `--role`)",
                    f"tài khoản «{name}» đã có.",
                ) from None

    def passwd(self, name: str, password: str) -> None:
        """A new password; the user's sessions end (a password changed because it leaked must lock out
        whoever used it)."""
        digest = _hasher.hash(_check_password(password))
        with self._db() as db:
            if not db.execute("UPDATE users SET hash = ? WHERE name = ?", (digest, name)).rowcount:
                raise AccountError(f"no user {name!r}", f"không có tài khoản «{name}».")
            db.execute("DELETE FROM sessions WHERE name = ?", (name,))

    def set_role(self, name: str, role: str) -> None:
        _check_role(role)
        with self._db() as db:
            if not db.execute("UPDATE users SET role = ? WHERE name = ?", (role, name)).rowcount:
                raise AccountError(f"no user {name!r}", f"không có tài khoản «{name}».")

    def remove(self, name: str) -> None:
        with self._db() as db:
            if not db.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount:
                raise AccountError(f"no user {name!r}", f"không có tài khoản «{name}».")
            db.execute("DELETE FROM sessions WHERE name = ?", (name,))

    # --- sessions ----------------------------------------------------------------------------------

    def anonymous_session(self) -> Session:
        """A session without a user, for the login form's CSRF token."""
        return self._new_session(None, None)

    def login(self, name: str, password: str, client: str = "") -> Session:
        """A new session for ``name`` (the anonymous session it replaces is the caller's to end), or
        :class:`LoginRefused`: wrong name/password, or attempts for this name or client are slowed."""
        name = name.strip().lower()
        keys = [f"name:{name}", f"client:{client}"]
        now = self.clock()
        with self._db() as db:
            wait = 0.0
            for key in keys:
                row = db.execute("SELECT failures, last FROM login_failures WHERE key = ?", (key,)).fetchone()
                if row:
                    wait = max(wait, row[1] + login_delay(row[0]) - now)
            if wait > 0:
                raise LoginRefused(retry_after=wait)
            row = db.execute("SELECT hash, role FROM users WHERE name = ?", (name,)).fetchone()
        try:
            _hasher.verify(row[0] if row else _DUMMY_HASH, password)
            ok = row is not None
        except (VerificationError, InvalidHashError):
            ok = False
        with self._db() as db:
            if not ok:
                for key in keys:
                    db.execute(
                        "INSERT INTO login_failures VALUES (?, 1, ?) ON CONFLICT(key) DO UPDATE"
                        " SET failures = failures + 1, last = excluded.last",
                        (key, now),
                    )
                raise LoginRefused()
            db.execute("DELETE FROM login_failures WHERE key IN (?, ?)", keys)
            if _hasher.check_needs_rehash(row[0]):
                db.execute("UPDATE users SET hash = ? WHERE name = ?", (_hasher.hash(password), name))
        return self._new_session(name, row[1])

    def failures(self, key: str) -> int:
        """Wrong passwords in a row for ``name:NAME`` or ``client:ADDRESS`` (0 when none)."""
        with self._db() as db:
            row = db.execute("SELECT failures FROM login_failures WHERE key = ?", (key,)).fetchone()
        return row[0] if row else 0

    def _new_session(self, name: str | None, role: str | None) -> Session:
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE expires < ?", (self.clock(),))
            db.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?)",
                (_digest(token), name, csrf, self.clock() + SESSION_SECONDS),
            )
        return Session(token, csrf, name, role)

    def session(self, token: str | None) -> Session | None:
        """The live session of a cookie's token (its user's current role), ``None`` if unknown or over."""
        if not token or len(token) > 100 or not self.path.is_file():
            return None
        with self._db() as db:
            row = db.execute(
                "SELECT s.name, s.csrf, s.expires, u.role FROM sessions s LEFT JOIN users u ON u.name = s.name"
                " WHERE s.token_sha256 = ?",
                (_digest(token),),
            ).fetchone()
        if row is None or row[2] < self.clock() or (row[0] is not None and row[3] is None):
            return None  # over, or its user was removed
        return Session(token, row[1], row[0], row[3])

    def logout(self, token: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE token_sha256 = ?", (_digest(token),))


def _check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise AccountError(
            f"user name {name!r}: 1-64 characters a-z, 0-9, '.', '_', '-' (lower case, starting with a "
            "letter or digit)",
            f"tên «{name}»: 1-64 ký tự a-z, 0-9, '.', '_', '-' (chữ thường, không dấu).",
        )
    return name


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"role {role!r}: one of {', '.join(ROLES)}", f"vai trò «{role}» không có.")


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            f"password: at least {MIN_PASSWORD} characters", f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự."
        )
    return password
