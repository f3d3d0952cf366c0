"""Running a gateway's command or posting to its webhook: the one place either happens, for SMS, the
chase-call dialer, the bank and the officer's telephony.

A command is split like a shell line, but no shell runs it: each `{placeholder}` is filled in
inside the word that holds it, so a value with spaces, quotes, `;`, `$(...)` or newlines stays
one argument, byte for byte. An unknown `{name}` is refused (a typo must not reach a gateway as
literal text); `{{name}}` stands for a literal `{name}`.
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import signal
import subprocess
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from dissuade.domain.errors import Conflict, InvalidInput

log = logging.getLogger(__name__)

QUOTED = 300  # characters of a refusing gateway's output quoted in the message
ANSWER_MAX = 500  # characters of an answer kept (a step's note, a chase call's result)
KILL_GRACE_SECONDS = 5.0  # after a timeout, how long the killed command may take to let go


class GatewayRefused(Conflict):
    """The gateway would not or could not deliver: the message says why."""


@dataclass(frozen=True, slots=True)
class Kind:
    """Which gateway, in the words its messages use."""

    zh: str
    en: str


SMS = Kind("短信", "SMS")
DIALER = Kind("外呼", "dialer")
BANK = Kind("银行", "bank")
TELEPHONY = Kind("电话", "telephony")


@dataclass(frozen=True, slots=True)
class Delivery:
    """What a gateway answered: `answer` is what gets recorded (trimmed, never empty); `stdout` is
    the command's whole standard output, or the webhook's whole body, decoded."""

    answer: str
    stdout: str
    seconds: float

    @property
    def last_line(self) -> str:
        """The last line that is not blank (a dialer prints its JSON answer there)."""
        lines = [line.strip() for line in self.stdout.splitlines() if line.strip()]
        return lines[-1] if lines else ""


# {{name}} (a literal) or {name} (a placeholder); names are ASCII identifiers, so JSON such as
# {"phone": "{phone}"} in a word keeps its own braces.
_PLACEHOLDER = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def split(command: str, *, kind: Kind) -> list[str]:
    """The command's words, split like a shell line (quotes, backslashes) without a shell."""
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise InvalidInput(f"{kind.zh}命令格式错误 / malformed {kind.en} command: {exc}",
                           field="command") from None
    if not words:
        raise InvalidInput(f"请填写{kind.zh}命令 / the {kind.en} command is empty", field="command")
    return words


def check_command(command: str, *, kind: Kind, placeholders: Collection[str]) -> list[str]:
    """The command's words, once it is known to split, to name only `placeholders` and to put
    none of them inside a shell's or an interpreter's inline code or into a batch file's
    arguments; else InvalidInput (`command`)."""
    words = split(command, kind=kind)
    unknown = sorted({name for word in words for _literal, name in _PLACEHOLDER.findall(word)
                      if name and name not in placeholders})
    if unknown:
        named = ", ".join(f"{{{n}}}" for n in unknown)
        known = ", ".join(f"{{{n}}}" for n in placeholders)
        raise InvalidInput(f"{kind.zh}命令中有未知占位符 {named}（可用：{known}） / the {kind.en} "
                           f"command names unknown placeholders {named} (known: {known}; write "
                           "{{name}} for a literal {name})", field="command")
    if words[0].lower().endswith((".bat", ".cmd")) and any(_has_placeholder(w) for w in words):
        raise InvalidInput(
            f"批处理文件会把参数当作命令重新解析，{kind.zh}命令不能用批处理文件接收占位符 / a batch "
            f"file re-reads its arguments as commands (& | > run), so the {kind.en} command cannot "
            "hand it a placeholder: call the program the batch file calls", field="command")
    code = _inline_code(words)
    if code is not None and _has_placeholder(code):
        raise InvalidInput(
            f"{kind.zh}命令把占位符写进了脚本代码，值会被当作代码执行；请作为单独参数传入 / the "
            f"{kind.en} command puts a placeholder inside inline code ({code!r}), which would run "
            "its value as code: pass it as an argument of its own, e.g. sh -c 'send \"$1\"' sh {text}",
            field="command")
    return words


def fill(words: list[str], values: Mapping[str, str]) -> list[str]:
    """The words with each placeholder replaced by its value, in one pass: a value is never
    searched for placeholders itself. Every placeholder must have a value (check_command)."""
    for name, value in values.items():
        _check_value(name, value)

    def one(match: re.Match[str]) -> str:
        literal, name = match.groups()
        if literal:
            return f"{{{literal}}}"
        if name not in values:
            raise InvalidInput(f"占位符 {{{name}}} 没有值 / no value for {{{name}}}", field="command")
        return values[name]

    return [_PLACEHOLDER.sub(one, word) for word in words]


def run(command: str, values: Mapping[str, str], *, kind: Kind, timeout: float,
        about: str = "") -> Delivery:
    """Run the gateway's command with `values` filled in; what it printed, or GatewayRefused
    (a program that cannot start, a timeout, a non-zero exit) with what it printed on stderr.

    `about` (e.g. "warning 42") goes into the log line; the filled-in values never do.
    """
    words = check_command(command, kind=kind, placeholders=values.keys())
    args = fill(words, values)
    program = os.path.basename(words[0])  # as typed: a log line never carries a filled-in value
    what = f"{kind.en} command {program}" + (f" for {about}" if about else "")
    started = time.monotonic()
    try:
        # Its own process group on POSIX, so that a timeout ends whatever it started too; stdin
        # closed, so that it never waits on a terminal.
        child = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, start_new_session=os.name == "posix")
    except OSError as exc:
        log.warning("%s could not start: %s", what, exc.strerror or type(exc).__name__)
        raise GatewayRefused(f"{kind.zh}命令无法运行 / the {kind.en} command could not run "
                             f"{program!r}: {exc.strerror or type(exc).__name__}") from None
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        out, err = _stop(child)
        log.warning("%s timed out after %g s", what, timeout)
        raise GatewayRefused(f"{kind.zh}命令超时（{timeout:g} 秒） / the {kind.en} command timed out "
                             f"after {timeout:g} s{_quote(err, out, lead=': ')}") from None
    seconds = time.monotonic() - started
    stdout = _decode(out)
    if child.returncode != 0:
        log.warning("%s failed with exit status %d after %.1f s", what, child.returncode, seconds)
        raise GatewayRefused(f"{kind.zh}命令失败 / the {kind.en} command failed "
                             f"({child.returncode}): {_quote(err, out)}")
    log.info("%s done in %.1f s", what, seconds)
    return Delivery((stdout.strip() or "ok")[:ANSWER_MAX], stdout, seconds)


Files = Mapping[str, tuple[str | None, bytes, str]]  # part name: (file name, content, type)


def post(url: str, *, kind: Kind, timeout: float, json: Any = None, files: Files | None = None,
         about: str = "") -> Delivery:
    """POST to the gateway's webhook, as JSON or as multipart parts; the body it answered, or
    GatewayRefused (cannot reach it, or it answered 300 or more) with the start of its body."""
    where = _where(url)
    what = f"{kind.en} webhook {where}" + (f" for {about}" if about else "")
    started = time.monotonic()
    try:
        # Redirects are not followed: one would turn the POST into a GET without its body.
        answer = httpx.post(url, timeout=timeout, json=json, files=files)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        log.warning("%s unreachable: %s", what, type(exc).__name__)
        raise GatewayRefused(f"{kind.zh}网关无法连接 / cannot reach the {kind.en} gateway: "
                             f"{str(exc) or type(exc).__name__}") from None
    seconds = time.monotonic() - started
    body = _decode(answer.content, answer.charset_encoding)
    if answer.status_code >= 300:
        log.warning("%s answered %d after %.1f s", what, answer.status_code, seconds)
        raise GatewayRefused(f"{kind.zh}网关拒绝 / the {kind.en} gateway answered "
                             f"{answer.status_code}: {body.strip()[:QUOTED]}")
    log.info("%s answered %d in %.1f s", what, answer.status_code, seconds)
    return Delivery((body.strip() or str(answer.status_code))[:ANSWER_MAX], body, seconds)


def check_url(url: str, *, kind: Kind) -> None:
    """A webhook must be an http(s) URL with a host and no spaces; else InvalidInput (`webhook`)."""
    try:
        host = httpx.URL(url).host if url.startswith(("http://", "https://")) else ""
    except (httpx.InvalidURL, ValueError):
        host = ""
    if any(ch.isspace() for ch in url):
        host = ""
    if not host:
        raise InvalidInput(f"{kind.zh}网关地址无效 / not an http(s) URL: {url!r}", field="webhook")


def _has_placeholder(word: str) -> bool:
    return any(name for _literal, name in _PLACEHOLDER.findall(word))


def _check_value(name: str, value: str) -> None:
    """A value must survive the trip into an argument unchanged: no NUL (it would end the
    argument) and no lone surrogate (it has no bytes)."""
    if "\x00" in value:
        raise InvalidInput(f"{{{name}}} 含有空字符 / {{{name}}} contains a NUL character",
                           field=name)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"{{{name}}} 含有无效字符 / {{{name}}} contains a lone surrogate",
                           field=name) from None


# Programs whose options may carry code, and the options that do (the next word is the code;
# for cmd and PowerShell everything after it).
_INTERPRETERS = {"sh", "bash", "dash", "zsh", "ksh", "ash", "fish", "python", "perl", "ruby",
                 "node", "php", "cmd", "powershell", "pwsh"}
_REST_IS_CODE = {"cmd", "powershell", "pwsh"}
_CODE_OPTION = re.compile(r"-[A-Za-z]*[ce]|/[ck]|-command|-encodedcommand", re.IGNORECASE)


def _inline_code(words: list[str]) -> str | None:
    """The inline code the command hands an interpreter (`sh -c CODE`, `python -c CODE`,
    `cmd /c ...`), if any. A guard against the obvious mistake, not a parser of every shell."""
    for at, word in enumerate(words):
        name = re.sub(r"[\d.]*$", "", os.path.basename(word).lower().removesuffix(".exe"))
        if name not in _INTERPRETERS:
            continue
        for option_at in range(at + 1, len(words)):
            option = words[option_at]
            if not option.startswith(("-", "/")) or option == "--":
                break  # a script file: its own options are not the interpreter's
            if _CODE_OPTION.fullmatch(option):
                rest = words[option_at + 1:]
                return " ".join(rest) if name in _REST_IS_CODE else (rest[0] if rest else "")
    return None


def _stop(child: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    """End a command that ran out of time, with whatever it started; what it printed so far."""
    try:
        if os.name == "posix":
            os.killpg(child.pid, signal.SIGKILL)
        else:
            child.kill()
    except OSError:
        pass  # it ended by itself meanwhile
    try:
        return child.communicate(timeout=KILL_GRACE_SECONDS)
    except subprocess.TimeoutExpired:  # something it started still holds the pipes open
        child.kill()
        for pipe in (child.stdout, child.stderr):
            if pipe is not None:
                pipe.close()
        child.wait()
        return b"", b""


def _decode(data: bytes | None, charset: str | None = None) -> str:
    """UTF-8 (or a webhook's declared charset); a byte it cannot read becomes U+FFFD."""
    try:
        return (data or b"").decode(charset or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return (data or b"").decode("utf-8", errors="replace")


def _quote(err: bytes | None, out: bytes | None, *, lead: str = "") -> str:
    """The start of what a failing command said: stderr, else stdout."""
    said = _decode(err).strip() or _decode(out).strip()
    return f"{lead}{said[:QUOTED]}" if said else ""


def _where(url: str) -> str:
    """A webhook as a log line may show it: no credentials, no query (either may hold a key)."""
    try:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}{parts.path}"
    except ValueError:
        return "(invalid URL)"
