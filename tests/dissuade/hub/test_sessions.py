"""Signing in at the hub: a session from a name and password, ended at once by DELETE, refused
when expired or when its user is revoked; failures slowed (429 with Retry-After), never locked
out; passwords kept only as scrypt hashes. Real hubs on loopback, real database files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from dissuade import open_source
from dissuade.domain import timeutil
from dissuade.domain.errors import NotAuthenticated, SlowDown
from dissuade.sources.http import HttpSource
from dissuade.store import Store, throttle
from tests.hubs import ThreadHub, make_users

PASSWORD = "correct horse 7"


@pytest.fixture
def hub(tmp_path: Path) -> ThreadHub:  # type: ignore[misc]
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    store = Store(db)
    store.set_password("officer-a", PASSWORD, actor="test")
    store.close()
    hub = ThreadHub(db, tokens).start()
    yield hub
    hub.stop()


def run_cli(*args: str, input_text: str) -> subprocess.CompletedProcess[str]:
    """`dissuade ARGS` in a process of its own, fed `input_text` on stdin (not a terminal)."""
    return subprocess.run([sys.executable, "-m", "dissuade.cli", *args], input=input_text,
                          capture_output=True, text=True, timeout=60, env=dict(os.environ))


def sign_in(hub: ThreadHub, user: str = "officer-a", password: str = PASSWORD) -> httpx.Response:
    return httpx.post(f"{hub.url}/api/v1/session", json={"user": user, "password": password},
                      timeout=30)


def me(hub: ThreadHub, token: str) -> httpx.Response:
    return httpx.get(f"{hub.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"},
                     timeout=90)


def test_a_session_lasts_the_policys_hours_and_works_as_a_token(hub: ThreadHub) -> None:
    before = time.time()
    answer = sign_in(hub)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    expires = timeutil.parse(body["expires_at"])
    assert body["expires_at"].endswith("+00:00")
    assert before + 12 * 3600 - 5 <= expires <= time.time() + 12 * 3600 + 5  # default 12 h
    assert me(hub, body["token"]).json() == {"name": "officer-a", "role": "officer"}
    queue = httpx.get(f"{hub.url}/api/v1/queue", timeout=30,
                      headers={"Authorization": f"Bearer {body['token']}"})
    assert queue.status_code == 200
    # The long-lived token from `user add` keeps working beside it (feeds keep theirs).
    assert me(hub, hub.tokens["officer-a"]).status_code == 200


def test_session_hours_come_from_the_policy(hub: ThreadHub) -> None:
    lead = HttpSource(hub.url, token=hub.tokens["lead-1"],
                      outbox_path=str(hub.db.parent / "o.db"))
    lead.update_settings({"session_hours": 2})
    lead.close()
    expires = timeutil.parse(sign_in(hub).json()["expires_at"])
    assert abs(expires - (time.time() + 2 * 3600)) < 10


def test_a_wrong_password_or_name_is_401(hub: ThreadHub) -> None:
    assert sign_in(hub, password="not the one").status_code == 401
    nobody = sign_in(hub, user="nobody")
    assert nobody.status_code == 401
    assert "wrong user name or password" in nobody.json()["detail"]
    # A person with no password yet is told what to ask for.
    unset = sign_in(hub, user="officer-b")
    assert unset.status_code == 401 and "dissuade user passwd officer-b" in unset.json()["detail"]
    assert sign_in(hub, user="").status_code == 422


def test_repeated_failures_for_one_name_answer_429_with_retry_after(hub: ThreadHub) -> None:
    codes = [sign_in(hub, password=f"wrong-{n}").status_code for n in range(throttle.FREE_FAILURES + 1)]
    assert codes == [401] * (throttle.FREE_FAILURES + 1)
    slowed = sign_in(hub)  # even the right password waits: guessing gains nothing
    assert slowed.status_code == 429
    assert int(slowed.headers["Retry-After"]) >= 1
    assert "try again" in slowed.json()["detail"]
    # Never a lock-out: once the wait has passed, the right password signs in.
    time.sleep(float(slowed.headers["Retry-After"]) + 0.1)
    assert sign_in(hub).status_code == 200
    # Counted in the database, by name (so every hub process over it counts the same).
    conn = sqlite3.connect(hub.db)
    keys = {k for (k,) in conn.execute("SELECT key FROM throttle")}
    conn.close()
    assert any(k.startswith("signin:addr:") for k in keys)


def test_delete_ends_the_session_at_once_and_not_a_long_lived_token(hub: ThreadHub) -> None:
    token = sign_in(hub).json()["token"]
    assert me(hub, token).status_code == 200
    ended = httpx.delete(f"{hub.url}/api/v1/session", timeout=30,
                         headers={"Authorization": f"Bearer {token}"})
    assert ended.status_code == 204
    assert me(hub, token).status_code == 401
    long_lived = httpx.delete(f"{hub.url}/api/v1/session", timeout=30,
                              headers={"Authorization": f"Bearer {hub.tokens['officer-a']}"})
    assert long_lived.status_code == 409
    assert me(hub, hub.tokens["officer-a"]).status_code == 200
    assert httpx.delete(f"{hub.url}/api/v1/session", timeout=30).status_code == 401


def test_an_expired_session_is_refused(hub: ThreadHub) -> None:
    token = sign_in(hub).json()["token"]
    conn = sqlite3.connect(hub.db)
    conn.execute("UPDATE sessions SET expires_at = ?", (time.time() - 1,))
    conn.commit()
    conn.close()
    assert me(hub, token).status_code == 401


def test_a_revoked_users_session_is_refused(hub: ThreadHub) -> None:
    token = sign_in(hub).json()["token"]
    store = Store(hub.db)
    store.revoke_user("officer-a", actor="admin-1")
    store.close()
    assert me(hub, token).status_code == 401
    revoked = sign_in(hub)
    assert revoked.status_code == 401 and "revoked" in revoked.json()["detail"]


def test_the_password_is_kept_only_as_an_scrypt_hash(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    make_users(db, {"wang-wei": "officer"})
    done = run_cli("user", "passwd", "wang-wei", "--db", str(db), "--password-stdin",
                   input_text=f"{PASSWORD}\n")
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    (stored,) = conn.execute("SELECT password_hash FROM users WHERE name = 'wang-wei'").fetchone()
    dump = "\n".join(conn.iterdump())
    conn.close()
    assert PASSWORD not in dump
    scheme, n, r, p, salt, key = stored.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2 ** 15, 8, 1)  # stored beside it
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(key)) == 32
    # Two users with one password get different hashes (salted).
    make_users(db, {"li-na": "officer"})
    run_cli("user", "passwd", "li-na", "--db", str(db), "--password-stdin",
            input_text=f"{PASSWORD}\n")
    conn = sqlite3.connect(db)
    (other,) = conn.execute("SELECT password_hash FROM users WHERE name = 'li-na'").fetchone()
    conn.close()
    assert other != stored
    # The local file checks it: right, wrong, and none set.
    open_source(db, user="wang-wei", password=PASSWORD).close()
    with pytest.raises(NotAuthenticated, match="wrong user name or password"):
        open_source(db, user="wang-wei", password="wrong password")
    make_users(db, {"zhao-lei": "officer"})
    with pytest.raises(NotAuthenticated, match="dissuade user passwd zhao-lei"):
        open_source(db, user="zhao-lei", password="anything at all")


def test_user_passwd_refuses_bad_input_plainly(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    make_users(db, {"wang-wei": "officer", "bank-feed": "feed"})
    short = run_cli("user", "passwd", "wang-wei", "--db", str(db), "--password-stdin",
                    input_text="short\n")
    assert short.returncode == 2 and "8" in short.stderr and "密码" in short.stderr
    feed = run_cli("user", "passwd", "bank-feed", "--db", str(db), "--password-stdin",
                   input_text=f"{PASSWORD}\n")
    assert feed.returncode == 2 and "token" in feed.stderr
    nobody = run_cli("user", "passwd", "nobody", "--db", str(db), "--password-stdin",
                     input_text=f"{PASSWORD}\n")
    assert nobody.returncode == 2 and "no active user" in nobody.stderr
    no_tty = run_cli("user", "passwd", "wang-wei", "--db", str(db), input_text="")
    assert no_tty.returncode == 2 and "--password-stdin" in no_tty.stderr


def test_open_source_signs_in_at_the_hub_and_signs_out(hub: ThreadHub, tmp_path: Path) -> None:
    source = open_source(hub.url, user="officer-a", password=PASSWORD)
    assert isinstance(source, HttpSource)
    try:
        assert (source.user, source.role) == ("officer-a", "officer")
        assert source.queue_size() == 0
        assert source.session_expires_at is not None
        source.end_session()
        with pytest.raises(NotAuthenticated):
            source.queue_size()
        # Signing in again on the same source keeps it (the idle lock, an expired session).
        source.reauthenticate(PASSWORD)
        assert source.queue_size() == 0
        with pytest.raises(NotAuthenticated):
            source.reauthenticate("wrong password")
    finally:
        source.close()
    with pytest.raises(NotAuthenticated):
        open_source(hub.url, user="officer-a", password="wrong password")
    for _ in range(throttle.FREE_FAILURES):
        with pytest.raises((NotAuthenticated, SlowDown)):
            open_source(hub.url, user="officer-a", password="wrong password")
    with pytest.raises(SlowDown) as slowed:
        open_source(hub.url, user="officer-a", password=PASSWORD)
    assert slowed.value.retry_after >= 1


def _headless(*args: str) -> subprocess.CompletedProcess[str]:
    """The client with no display at all (no DISPLAY, no Qt platform chosen)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "-m", "dissuade.cli", *args], capture_output=True,
                          text=True, timeout=60, env=env, stdin=subprocess.DEVNULL)


def test_with_no_display_start_up_errors_go_to_stderr_with_status_2(hub: ThreadHub,
                                                                    tmp_path: Path) -> None:
    # No token and no window to sign in with: said, never a terminal prompt.
    no_token = _headless("--server", hub.url)
    assert no_token.returncode == 2
    assert "DISSUADE_TOKEN" in no_token.stderr and "hub token:" not in no_token.stdout
    # A file with users needs the password, which only the window asks for.
    needs = _headless("--db", str(hub.db), "--user", "officer-a")
    assert needs.returncode == 2 and "enter your password" in needs.stderr
    unreachable = _headless("--server", "http://127.0.0.1:9", "--token", "x")
    assert unreachable.returncode == 2 and "cannot reach the hub" in unreachable.stderr
    missing = _headless("--db", str(tmp_path / "nowhere.db"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


@pytest.mark.skipif(not hasattr(os, "fork"), reason="a pseudo-terminal needs POSIX")
def test_user_passwd_asks_twice_at_a_terminal_without_echo(tmp_path: Path) -> None:
    import pty
    import select

    db = tmp_path / "c.db"
    make_users(db, {"wang-wei": "officer"})

    def converse(answers: list[str]) -> tuple[int, str]:
        pid, fd = pty.fork()
        if pid == 0:  # the child: the terminal is its controlling one, as at a console
            os.execvpe(sys.executable, [sys.executable, "-m", "dissuade.cli", "user", "passwd",
                                        "wang-wei", "--db", str(db)], dict(os.environ))
        seen, pending = "", list(answers)
        while True:
            ready, _, _ = select.select([fd], [], [], 30)
            if not ready:
                break
            try:
                chunk = os.read(fd, 1024).decode("utf-8", "replace")
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if pending and seen.rstrip().endswith(":"):
                os.write(fd, (pending.pop(0) + "\n").encode())
                seen += "<typed>"
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        return os.waitstatus_to_exitcode(status), seen

    code, seen = converse([PASSWORD, "something else"])
    assert code == 2 and "differ" in seen and PASSWORD not in seen
    code, seen = converse([PASSWORD, PASSWORD])
    assert code == 0, seen
    assert "new password" in seen and "once more" in seen and PASSWORD not in seen  # no echo
    open_source(db, user="wang-wei", password=PASSWORD).close()
