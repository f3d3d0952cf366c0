"""Sending an SMS warning through the centre's gateway: a command or a webhook (the client's
default, copying the text to the clipboard for the officer to send, lives in ui/)."""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass

import httpx

from dissuade.domain.errors import InvalidInput
from dissuade.domain.models import Warning
from dissuade.gateways.delivery import GatewayRefused

TIMEOUT_SECONDS = 20


@dataclass(frozen=True, slots=True)
class Gateway:
    """`kind` is clipboard, command or webhook. A command is split like a shell line (no shell
    runs it); {phone}, {text} and {warning_id} in its words are filled in."""

    kind: str = "clipboard"
    command: str = ""
    webhook: str = ""

    def check(self) -> None:
        if self.kind not in ("clipboard", "command", "webhook"):
            raise InvalidInput(f"未知短信网关 / unknown SMS gateway: {self.kind!r}", field="kind")
        if self.kind == "command" and not self.command.strip():
            raise InvalidInput("请填写短信发送命令 / the SMS command is empty", field="command")
        if self.kind == "webhook" and not self.webhook.startswith(("http://", "https://")):
            raise InvalidInput(f"短信网关地址无效 / not an http(s) URL: {self.webhook!r}",
                               field="webhook")


def send(gateway: Gateway, warning: Warning, text: str) -> str:
    """Send `text` to the warning's phone; returns what the gateway answered.

    Refuses synthetic warnings: demo numbers look valid and may belong to real people.
    """
    gateway.check()
    if gateway.kind == "clipboard":
        raise InvalidInput("剪贴板由客户端处理 / the clipboard is the client's job", field="kind")
    if warning.synthetic:
        raise GatewayRefused("演示/演练数据不发送短信 / SMS is never sent for synthetic "
                             "(demo or rehearsal) warnings")
    if gateway.kind == "command":
        return _run_command(gateway.command, warning, text)
    return _post(gateway.webhook, warning, text)


def _run_command(command: str, warning: Warning, text: str) -> str:
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise InvalidInput(f"短信命令格式错误 / malformed SMS command: {exc}",
                           field="command") from None
    args = [w.replace("{phone}", warning.phone).replace("{text}", text)
            .replace("{warning_id}", str(warning.id)) for w in words]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GatewayRefused(f"短信命令无法运行 / the SMS command failed to run: {exc}") from None
    if done.returncode != 0:
        raise GatewayRefused(f"短信命令失败 / the SMS command failed ({done.returncode}): "
                             f"{(done.stderr or done.stdout).strip()[:300]}")
    return (done.stdout.strip() or "ok")[:500]


def _post(url: str, warning: Warning, text: str) -> str:
    try:
        answer = httpx.post(url, timeout=TIMEOUT_SECONDS, json={
            "warning_id": warning.id, "phone": warning.phone, "text": text})
    except httpx.HTTPError as exc:
        raise GatewayRefused(f"短信网关无法连接 / cannot reach the SMS gateway: {exc}") from None
    if answer.status_code >= 300:
        raise GatewayRefused(f"短信网关拒绝 / the SMS gateway answered {answer.status_code}: "
                             f"{answer.text[:300]}")
    return (answer.text.strip() or str(answer.status_code))[:500]
