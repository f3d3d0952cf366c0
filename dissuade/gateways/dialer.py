"""Chase calls: play a synthesised voice warning to a phone through the centre's dialer (a command or
a webhook), and make that voice warning."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from dissuade.domain.errors import InvalidInput
from dissuade.domain.models import Warning
from dissuade.gateways import delivery
from dissuade.gateways.delivery import GatewayRefused
from dissuade.playbooks import speech

TIMEOUT_SECONDS = 60
PLACEHOLDERS = ("phone", "wav", "warning_id")


@dataclass(frozen=True, slots=True)
class Dialer:
    """`kind` is command or webhook. A command is split like a shell line (no shell runs it);
    {phone}, {wav} and {warning_id} in its words are filled in."""

    kind: str = "command"
    command: str = ""
    webhook: str = ""

    def check(self) -> None:
        if self.kind not in ("command", "webhook"):
            raise InvalidInput(f"未知外呼网关 / unknown dialer: {self.kind!r}", field="kind")
        if self.kind == "command":
            delivery.check_command(self.command, kind=delivery.DIALER, placeholders=PLACEHOLDERS)
        if self.kind == "webhook":
            delivery.check_url(self.webhook, kind=delivery.DIALER)

    def call(self, warning: Warning, wav: Path) -> str:
        """Call the warning's phone and play `wav`; returns what the dialer answered.

        Refuses synthetic warnings: demo numbers look valid and may belong to real people.
        """
        self.check()
        if warning.synthetic:
            raise GatewayRefused("演示/演练数据不外呼 / a chase call is never made for synthetic "
                                 "(demo or rehearsal) warnings")
        wav = Path(wav)
        if not wav.is_file():
            raise InvalidInput(f"语音文件不存在 / no such voice file: {wav}", field="wav")
        about = f"warning {warning.id}"
        if self.kind == "command":
            values = {"phone": warning.phone, "wav": str(wav), "warning_id": str(warning.id)}
            return delivery.run(self.command, values, kind=delivery.DIALER, timeout=TIMEOUT_SECONDS,
                                about=about).answer
        call = json.dumps({"warning_id": warning.id, "phone": warning.phone}).encode("utf-8")
        return delivery.post(self.webhook, kind=delivery.DIALER, timeout=TIMEOUT_SECONDS, about=about, files={
            "call": (None, call, "application/json"), "wav": (wav.name, wav.read_bytes(), "audio/wav")}).answer


def make_voice(warning: Warning, lang: str, folder: Path) -> Path:
    """Write the voice warning for the warning's scam type into `folder`; returns the WAV's path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    text = speech.voice_text(warning.scam_type, lang)
    return speech.synthesize(text, lang, folder / f"chase-{warning.id}-{warning.scam_type}-{lang}.wav")
