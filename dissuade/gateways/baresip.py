"""A baresip softphone driven over its control port (the `ctrl_tcp` module): netstring-framed
JSON commands in (`{"command": "dial", "params": "...", "token": "..."}`), answers and call
events out (`CALL_RINGING`, `CALL_ESTABLISHED`, `CALL_CLOSED`, ...).

The officer's own softphone places the call; this only asks it to and listens for what the
call did, so the workbench can record when it rang, was answered and was hung up.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from dissuade.domain.errors import InvalidInput
from dissuade.gateways.delivery import GatewayRefused

log = logging.getLogger(__name__)

CONNECT_SECONDS = 5.0
ANSWER_SECONDS = 10.0  # for baresip's answer to the dial command
CALL_SECONDS = 4 * 3600.0  # the longest a call is followed
MAX_MESSAGE = 1 << 20


def parse_address(text: str) -> tuple[str, int]:
    """HOST:PORT of a control port; else InvalidInput (`sip`)."""
    host, sep, port = text.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536 \
            or any(ch.isspace() for ch in text.strip()):
        raise InvalidInput(f"SIP 控制端口应写作 主机:端口，例如 127.0.0.1:4444 / the softphone's "
                           f"control port must be HOST:PORT, e.g. 127.0.0.1:4444: {text!r}",
                           field="sip")
    return host, int(port)


def encode(message: dict[str, Any]) -> bytes:
    data = json.dumps(message, ensure_ascii=False).encode("utf-8")
    return str(len(data)).encode("ascii") + b":" + data + b","


class Control:
    """One connection to a baresip control port."""

    def __init__(self, address: str, *, connect_seconds: float = CONNECT_SECONDS) -> None:
        self.address = address
        host, port = parse_address(address)
        try:
            self.sock = socket.create_connection((host, port), timeout=connect_seconds)
        except OSError as exc:
            raise GatewayRefused(f"无法连接软电话控制端口 {address} / cannot reach the "
                                 f"softphone's control port {address}: "
                                 f"{exc.strerror or type(exc).__name__}") from None
        self._buffer = b""

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()

    def __enter__(self) -> Control:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def send(self, command: str, params: str = "") -> str:
        """Send a command; its token (to match baresip's answer)."""
        token = uuid.uuid4().hex[:12]
        self.sock.sendall(encode({"command": command, "params": params, "token": token}))
        return token

    def messages(self, deadline: float) -> Iterator[dict[str, Any] | None]:
        """Every message baresip sends until `deadline` (time.monotonic) or the port closes;
        None about once a second while nothing comes (so a caller can give up)."""
        while True:
            message = self._one()
            if message is not None:
                yield message
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self.sock.settimeout(min(left, 1.0))
            try:
                chunk = self.sock.recv(65536)
            except TimeoutError:
                yield None
                continue
            except OSError:
                return
            if not chunk:
                return
            self._buffer += chunk

    def _one(self) -> dict[str, Any] | None:
        head, sep, rest = self._buffer.partition(b":")
        if not sep:
            if len(head) > 10:
                raise GatewayRefused("软电话控制端口返回了无法识别的数据 / the softphone's control "
                                     "port sent something that is not a netstring")
            return None
        if not head.isdigit() or int(head) > MAX_MESSAGE:
            raise GatewayRefused("软电话控制端口返回了无法识别的数据 / the softphone's control "
                                 "port sent something that is not a netstring")
        size = int(head)
        if len(rest) < size + 1:
            return None
        body, self._buffer = rest[:size], rest[size + 1:]
        try:
            message = json.loads(body.decode("utf-8", errors="replace"))
        except ValueError:
            return {}
        return message if isinstance(message, dict) else {}


Report = Callable[[str, float], None]  # ("dialled" | "ringing" | "answered" | "hung_up", epoch)


def dial_events(control: Control, target: str, *, address: str, deadline: float,
                dialled: Callable[[], None] = lambda: None,
                stop: Callable[[], bool] = lambda: False) -> Iterator[tuple[str, dict[str, Any]]]:
    """Dial `target` and yield (CALL_... event type, message) for that call only, until
    `deadline` or `stop()`: the dial command's answer is checked (GatewayRefused when refused,
    or when neither it nor an event comes within ANSWER_SECONDS), other calls of the softphone
    and incoming ones are passed over. `dialled()` is called once, at the answer or the first
    event (an event can come before the command's answer). The officer's dial (`dial`) and the
    robot's call (robot_dialer.sip_call) both follow a call with it."""
    token = control.send("dial", target)
    started = time.monotonic()
    call_id: str | None = None
    is_dialled = False
    for message in control.messages(deadline):
        if stop():
            return
        if message is None:
            if not is_dialled and time.monotonic() - started > ANSWER_SECONDS:
                break
            continue
        if message.get("response"):
            if message.get("token") != token:
                continue
            if not message.get("ok"):
                raise GatewayRefused(f"软电话拒绝拨号 / the softphone refused to dial: "
                                     f"{str(message.get('data') or '')[:200]}")
            if not is_dialled:
                is_dialled = True
                dialled()
            continue
        kind = str(message.get("type") or "")
        if not message.get("event") or not kind.startswith("CALL_") \
                or message.get("direction", "outgoing") != "outgoing":
            continue
        if message.get("id") is not None:
            if call_id is None:
                call_id = str(message["id"])  # the first outgoing call after the dial
            elif str(message["id"]) != call_id:
                continue  # another call of the softphone's
        if not is_dialled:
            is_dialled = True
            dialled()
        yield kind, message
    if not is_dialled:
        raise GatewayRefused(f"软电话未应答拨号指令 / the softphone at {address} did not "
                             "answer the dial command")


def dial(address: str, target: str, report: Report, *,
         stop: Callable[[], bool] = lambda: False, call_seconds: float = CALL_SECONDS) -> str:
    """Ask the softphone at `address` to call `target` and follow the call until it ends,
    reporting each moment as it happens; what ended it (baresip's reason).

    GatewayRefused when the port cannot be reached, refuses the dial or does not answer it.
    `stop()` is asked about once a second: True ends the following (the call itself goes on
    in the softphone, whose officer hangs up there).
    """
    with Control(address) as control:

        def dialled() -> None:
            report("dialled", time.time())

        for kind, message in dial_events(control, target, address=address,
                                         deadline=time.monotonic() + call_seconds,
                                         dialled=dialled, stop=stop):
            if kind in ("CALL_RINGING", "CALL_PROGRESS"):
                report("ringing", time.time())
            elif kind == "CALL_ESTABLISHED":
                report("answered", time.time())
            elif kind == "CALL_CLOSED":
                report("hung_up", time.time())
                return str(message.get("param") or "")
        if stop():
            return "stopped"
        return "no news"
