"""Sending an SMS warning through the centre's gateway: a command or a webhook (the client's
default, copying the text to the clipboard for the officer to send, lives in ui/)."""

from __future__ import annotations

from dataclasses import dataclass

from dissuade.domain.errors import InvalidInput
from dissuade.domain.models import Warning
from dissuade.gateways import delivery
from dissuade.gateways.delivery import GatewayRefused

TIMEOUT_SECONDS = 20
PLACEHOLDERS = ("phone", "text", "warning_id")


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
        if self.kind == "command":
            delivery.check_command(self.command, kind=delivery.SMS, placeholders=PLACEHOLDERS)
        if self.kind == "webhook":
            delivery.check_url(self.webhook, kind=delivery.SMS)


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
    about = f"warning {warning.id}"
    if gateway.kind == "command":
        values = {"phone": warning.phone, "text": text, "warning_id": str(warning.id)}
        return delivery.run(gateway.command, values, kind=delivery.SMS, timeout=TIMEOUT_SECONDS,
                            about=about).answer
    return delivery.post(gateway.webhook, kind=delivery.SMS, timeout=TIMEOUT_SECONDS, about=about,
                         json={"warning_id": warning.id, "phone": warning.phone, "text": text}).answer
