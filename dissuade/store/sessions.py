"""Passwords and the sessions they open: signing in at a workstation or at the hub.

A password is kept only as a slow, salted scrypt hash (dissuade/domain/passwords.py) with its
parameters beside it; a hash made with weaker ones is rewritten at the next sign-in.
A session is a random token whose SHA-256 is in `sessions`, valid until `expires_at` (the
policy's `session_hours`) unless ended; the hub accepts it as it accepts a `user add` token.
Failed sign-ins slow down by name and by address (store/throttle.py): never a lock-out.
"""

from __future__ import annotations

import math
import secrets
import sqlite3

from dissuade.domain import timeutil
from dissuade.domain.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, SlowDown
from dissuade.domain.passwords import (
    hash_password,
    hash_token,
    no_password_message,
    outdated,
    verify_password,
)
from dissuade.store import audit, throttle
from dissuade.store.base import StoreBase
from dissuade.store.connection import write

PASSWORD_MIN = 8
PASSWORD_MAX = 256
PEOPLE = ("officer", "lead", "trainer", "admin")  # feeds and scrapers keep their tokens
KEEP_ENDED_DAYS = 90  # ended or expired sessions are forgotten after this (the audit keeps them)
_dummy: str | None = None


def _check_password(password: str) -> None:
    if not isinstance(password, str) or not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidInput(f"密码须为 {PASSWORD_MIN}–{PASSWORD_MAX} 个字符 / a password has "
                           f"{PASSWORD_MIN} to {PASSWORD_MAX} characters", field="password")
    if password.strip() != password or not password.isprintable():
        raise InvalidInput("密码不能以空格开头或结尾，也不能含控制字符 / a password may not start "
                           "or end with a space, nor hold control characters", field="password")


def set_password(conn: sqlite3.Connection, name: str, password: str, *, actor: str) -> None:
    """Give an active person a password (or a new one). Their sessions end: whoever knew the
    old password is signed out."""
    _check_password(password)
    hashed = hash_password(password)
    with write(conn):
        row = conn.execute("SELECT role, revoked_at FROM users WHERE name = ?",
                           (name,)).fetchone()
        if row is None or row[1] is not None:
            raise NotFound(f"没有该用户或已停用 / no active user named {name!r}: add one with "
                           f"`dissuade user add {name} --role officer`")
        if row[0] not in PEOPLE:
            raise InvalidInput(f"角色 {row[0]} 使用令牌，不设密码 / a {row[0]} account signs in "
                               "with its token, not a password", field="name")
        now = timeutil.now()
        conn.execute("UPDATE users SET password_hash = ?, password_set_at = ? WHERE name = ?",
                     (hashed, now, name))
        conn.execute("UPDATE sessions SET ended_at = ? WHERE username = ? AND ended_at IS NULL",
                     (now, name))
        audit.append(conn, actor, "user.password", "user", None, {"name": name})


def has_password(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT password_hash FROM users WHERE name = ?", (name,)).fetchone()
    return row is not None and bool(row[0])


def _dummy_hash() -> str:
    """Checked against when the name is unknown, so an unknown name takes as long as a known one."""
    global _dummy
    if _dummy is None:
        _dummy = hash_password(secrets.token_hex(16))
    return _dummy


def _keys(name: str, address: str | None) -> list[str]:
    keys = [f"signin:name:{name[:100]}"]
    if address:
        keys.append(f"signin:addr:{address[:100]}")
    return keys


def check_password(conn: sqlite3.Connection, name: str, password: str, *,
                   address: str | None = None, path: str = "PATH") -> str:
    """The role of `name` when `password` is theirs; else NotAuthenticated, and the failure
    counted against the name (and the address). Within the wait that failures earn, SlowDown
    without trying the password (the hub answers 429 with Retry-After)."""
    keys = _keys(name, address)
    wait = max(throttle.wait_left(conn, key) for key in keys)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise SlowDown(f"登录失败次数过多，请 {seconds} 秒后再试 / too many failed sign-ins: try "
                       f"again in {seconds} s", retry_after=seconds)
    row = conn.execute("SELECT role, revoked_at, password_hash FROM users WHERE name = ?",
                       (name,)).fetchone()
    stored = row[2] if row is not None and row[2] else None
    right = verify_password(stored or _dummy_hash(), password)
    if row is not None and row[1] is None and stored and right:
        throttle.clear(conn, keys[0])
        if outdated(stored):
            with write(conn):
                conn.execute("UPDATE users SET password_hash = ? WHERE name = ?",
                             (hash_password(password), name))
        return str(row[0])
    for key in keys:
        throttle.failed(conn, key)
    if row is not None and row[1] is not None:
        raise NotAuthenticated(f"用户 {name} 已停用，请联系管理员 / user {name} has been revoked: "
                               "ask an administrator")
    if row is not None and not stored and row[0] in PEOPLE:
        raise NotAuthenticated(no_password_message(name, path))
    raise NotAuthenticated("用户名或密码错误 / wrong user name or password")


def sign_in(conn: sqlite3.Connection, name: str, password: str, *, hours: float,
            address: str | None = None) -> tuple[str, float, str]:
    """A new session for `name`: (token, expires_at, role). The token is shown once; only its
    hash is kept."""
    role = check_password(conn, name, password, address=address)
    token = "dss_" + secrets.token_urlsafe(32)
    now = timeutil.now()
    expires = now + hours * 3600
    with write(conn):
        conn.execute("DELETE FROM sessions WHERE expires_at < ?",
                     (now - KEEP_ENDED_DAYS * 86400,))
        conn.execute("INSERT INTO sessions (token_hash, username, created_at, expires_at) "
                     "VALUES (?, ?, ?, ?)", (hash_token(token), name, now, expires))
        audit.append(conn, name, "session.start", "user", None,
                     {"name": name, "expires_at": timeutil.iso(expires)})
    return token, expires, role


def end_session(conn: sqlite3.Connection, token: str) -> None:
    """End the session `token` opened: it stops working at once. A long-lived token from
    `user add` is not a session (Conflict: it is revoked with `user revoke`)."""
    wanted = hash_token(token)
    with write(conn):
        row = conn.execute("SELECT username, ended_at FROM sessions WHERE token_hash = ?",
                           (wanted,)).fetchone()
        if row is None:
            raise Conflict("这是长期令牌，不是登录会话：用 dissuade user revoke 停用 / this is a "
                           "long-lived token, not a session: `dissuade user revoke` stops it")
        if row[1] is None:
            conn.execute("UPDATE sessions SET ended_at = ? WHERE token_hash = ?",
                         (timeutil.now(), wanted))
            audit.append(conn, row[0], "session.end", "user", None, {"name": row[0]})


def by_session(conn: sqlite3.Connection, token: str, *,
               now: float | None = None) -> tuple[str, str] | None:
    """(name, role) of the active user whose live session `token` is (not ended, not expired)."""
    if not token or len(token) > 200:
        return None
    now = timeutil.now() if now is None else now
    row = conn.execute(
        "SELECT u.name, u.role FROM sessions s JOIN users u ON u.name = s.username "
        "WHERE s.token_hash = ? AND s.ended_at IS NULL AND s.expires_at > ? "
        "AND u.revoked_at IS NULL", (hash_token(token), now)).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))


class SessionsStore(StoreBase):
    """Passwords and sessions: signing in, signing out, checking a password again."""

    def set_password(self, name: str, password: str, *, actor: str = "admin") -> None:
        """Set `name`'s password (a slow salted hash); their open sessions end."""
        set_password(self.conn, name, password, actor=actor)

    def has_password(self, name: str) -> bool:
        return has_password(self.conn, name)

    def check_password(self, name: str, password: str, *, address: str | None = None) -> str:
        """`name`'s role if `password` is theirs (see `check_password`)."""
        return check_password(self.conn, name, password, address=address, path=self.path)

    def sign_in(self, name: str, password: str, *,
                address: str | None = None) -> tuple[str, float, str]:
        """A session for `name` lasting the policy's `session_hours`: (token, expires, role)."""
        return sign_in(self.conn, name, password, hours=self.policy().session_hours,
                       address=address)

    def end_session(self, token: str) -> None:
        end_session(self.conn, token)

    def session_user(self, token: str) -> tuple[str, str] | None:
        return by_session(self.conn, token)
