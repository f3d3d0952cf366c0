"""Password hashing: scrypt from the standard library, salted, with its parameters stored beside
the hash (``scrypt$N$r$p$salt$hash``, hex), so that they can be raised later: new hashes use the
new ones, old hashes still verify (and the store rewrites them at the next sign-in). Pure: no
storage here (dissuade/store/sessions.py keeps the hashes)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SCRYPT_N = 2 ** 15  # about 0.1 s on a workstation; stored with each hash, so it can be raised
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
MAXMEM = 256 * 1024 * 1024  # scrypt needs 128 * r * N bytes; OpenSSL's default cap is 32 MiB


def hash_token(token: str) -> str:
    """A bearer token's stored form. Tokens are 256 random bits, so one SHA-256 is enough (no
    stretching, unlike a password)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R,
                  p: int = SCRYPT_P) -> str:
    """``scrypt$N$r$p$salt$hash`` (hex): never the password, and never the same twice."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=MAXMEM,
                         dklen=KEY_BYTES)
    return f"scrypt${n}${r}${p}${salt.hex()}${key.hex()}"


def verify_password(stored: str, password: str) -> bool:
    """Whether `password` is the one `stored` was made from (in constant time)."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        wanted = bytes.fromhex(key)
        got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n),
                             r=int(r), p=int(p), maxmem=MAXMEM, dklen=len(wanted))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(got, wanted)


def outdated(stored: str) -> bool:
    """Whether a hash was made with weaker parameters than today's (rewritten at sign-in)."""
    try:
        _scheme, n, r, p, _salt, _key = stored.split("$")
        return (int(n), int(r), int(p)) < (SCRYPT_N, SCRYPT_R, SCRYPT_P)
    except ValueError:
        return True


def no_password_message(name: str, path: str) -> str:
    """What a person without a password is told where signing in needs one."""
    return (f"用户 {name} 尚未设置密码：请管理员运行 dissuade user passwd {name} --db {path} / "
            f"{name} has no password yet: an administrator sets one with "
            f"`dissuade user passwd {name} --db {path}`")
