"""Users and their hub tokens: only a token's hash is stored, never the token."""

from __future__ import annotations

import hmac
import secrets
import sqlite3

from dissuade.domain import timeutil
from dissuade.domain.codes import Role
from dissuade.domain.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from dissuade.domain.models import User
from dissuade.domain.passwords import hash_token
from dissuade.store import audit, sessions
from dissuade.store.base import StoreBase
from dissuade.store.connection import write

NAME_MAX = 64


def new_token() -> str:
    return "dsd_" + secrets.token_urlsafe(32)


def _check(name: str, role: str) -> None:
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_MAX \
            or any(ch.isspace() for ch in name):
        raise InvalidInput(f"用户名无效 / invalid user name: {name!r} (1-{NAME_MAX} characters, "
                           "no spaces)", field="name")
    try:
        Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise InvalidInput(f"未知角色 / unknown role: {role!r} (one of {roles})",
                           field="role") from None


def add(conn: sqlite3.Connection, name: str, *, role: str, rotate: bool, actor: str,
        centre: str | None = None) -> str:
    """Create `name` (or give it a new token with rotate=True); the new token, shown once.
    `centre` places them in a centre (None keeps a rotated user's)."""
    _check(name, role)
    if name == "robot":  # the robot's attempts and claims go by this name: nobody signs in as it
        raise InvalidInput("robot 是机器人首呼的名字，不能作为用户名 / robot is the name of the "
                           "robot's first pass and cannot be a user", field="name")
    if centre is not None and (len(centre) > 32 or any(ch.isspace() for ch in centre)):
        raise InvalidInput(f"中心代码无效 / invalid centre code: {centre!r}", field="centre")
    token = new_token()
    with write(conn):
        row = conn.execute("SELECT role FROM users WHERE name = ?", (name,)).fetchone()
        if row is not None and not rotate:
            raise Conflict(f"用户已存在 / user {name} exists: use --rotate for a new token")
        now = timeutil.now()
        if row is None:
            conn.execute("INSERT INTO users (name, role, token_hash, created_at, centre) "
                         "VALUES (?, ?, ?, ?, ?)",
                         (name, role, hash_token(token), now, centre or ""))
            audit.append(conn, actor, "user.create", "user", None,
                         {"name": name, "role": role, "centre": centre or ""})
        else:
            conn.execute("UPDATE users SET role = ?, token_hash = ?, revoked_at = NULL, "
                         "centre = coalesce(?, centre) WHERE name = ?",
                         (role, hash_token(token), centre, name))
            audit.append(conn, actor, "user.rotate", "user", None, {"name": name, "role": role})
    return token


def revoke(conn: sqlite3.Connection, name: str, *, actor: str) -> None:
    with write(conn):
        cur = conn.execute("UPDATE users SET revoked_at = ?, token_hash = NULL "
                           "WHERE name = ? AND revoked_at IS NULL", (timeutil.now(), name))
        if cur.rowcount == 0:
            raise NotFound(f"没有该用户或已停用 / no active user named {name!r}")
        # Whoever they agreed to call back is anyone's now; their sessions end.
        from dissuade.store import cases

        now = timeutil.now()
        lapsed = cases.lapse_reservations_of(conn, name, now=now)
        conn.execute("UPDATE sessions SET ended_at = ? WHERE username = ? AND ended_at IS NULL",
                     (now, name))
        audit.append(conn, actor, "user.revoke", "user", None,
                     {"name": name, "reservations_lapsed": lapsed})


PEOPLE = ("officer", "lead", "admin")  # roles that make a database "have users"


def has_users(conn: sqlite3.Connection) -> bool:
    """Whether the database has at least one active officer, lead or admin."""
    marks = ", ".join("?" for _ in PEOPLE)
    return conn.execute(f"SELECT 1 FROM users WHERE revoked_at IS NULL AND role IN ({marks}) "
                        "LIMIT 1", PEOPLE).fetchone() is not None


def local_role(conn: sqlite3.Connection, user: str, *, path: str) -> str:
    """See Store.local_role."""
    row = conn.execute("SELECT role, revoked_at FROM users WHERE name = ?", (user,)).fetchone()
    if row is not None and row[1] is None:
        return str(row[0])
    if not has_users(conn):
        return Role.LEAD.value
    if row is not None:
        raise NotAuthenticated(f"用户 {user} 已停用，请联系管理员 / user {user} has been revoked: "
                               "ask an administrator")
    raise NotAuthenticated(
        f"本数据库没有用户 {user}。请管理员添加：dissuade user add {user} --role officer --db "
        f"{path} / this database has no user named {user}: an administrator adds one with "
        f"`dissuade user add {user} --role officer --db {path}`")


def all_users(conn: sqlite3.Connection) -> list[User]:
    return [User(n, r, c, rv, bool(h)) for n, r, c, rv, h in conn.execute(
        "SELECT name, role, created_at, revoked_at, token_hash FROM users ORDER BY name")]


def by_token(conn: sqlite3.Connection, token: str) -> tuple[str, str] | None:
    """(name, role) of the active user holding `token`, else None."""
    if not token or len(token) > 200:
        return None
    wanted = hash_token(token)
    row = conn.execute("SELECT name, role, token_hash FROM users WHERE token_hash = ? "
                       "AND revoked_at IS NULL", (wanted,)).fetchone()
    if row is None or not hmac.compare_digest(row[2], wanted):
        return None
    return row[0], row[1]


class UsersStore(StoreBase):
    """Who may do what: users, roles, tokens, and who works warnings."""

    def local_role(self, user: str, *, path: str) -> str:
        """The role `user` has on this file opened locally. A database with no users (the demo,
        a trainer's laptop) makes any name a lead: whoever holds the file holds everything in
        it. Once it has users (an active officer, lead or admin), an unknown or revoked name is
        refused, saying how to add one."""
        return local_role(self.conn, user, path=path)

    def has_users(self) -> bool:
        """Whether the database has an active officer, lead or admin (then names are checked)."""
        return has_users(self.conn)

    def role_of(self, user: str) -> str | None:
        row = self.conn.execute(
            "SELECT role FROM users WHERE name = ? AND revoked_at IS NULL", (user,)
        ).fetchone()
        return row[0] if row else None

    def add_user(self, name: str, *, role: str, rotate: bool = False,
                 actor: str = "admin", centre: str | None = None) -> str:
        """Create a user (or rotate their token); returns the new token, shown only once."""
        return add(self.conn, name, role=role, rotate=rotate, actor=actor, centre=centre)

    def revoke_user(self, name: str, *, actor: str = "admin") -> None:
        revoke(self.conn, name, actor=actor)

    def list_users(self) -> list[User]:
        return all_users(self.conn)

    def user_for_token(self, token: str) -> tuple[str, str] | None:
        """The holder of a `user add` token, or of a live session (store/sessions.py)."""
        return by_token(self.conn, token) or sessions.by_session(self.conn, token)

    def officers(self, *, since: float | None = None) -> list[str]:
        """Who works warnings: officers and leads of the users table, and anyone who recorded a
        call since `since` (default: the last 30 days), for the review's officer filter."""
        since = timeutil.now() - 30 * 86400 if since is None else since
        names = {n for (n,) in self.conn.execute(
            "SELECT name FROM users WHERE role IN ('officer', 'lead') AND revoked_at IS NULL")}
        names |= {n for (n,) in self.conn.execute(
            "SELECT DISTINCT officer FROM attempts WHERE recorded_at >= ?", (since,))}
        return sorted(names)
