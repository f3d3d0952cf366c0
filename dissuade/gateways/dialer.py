"""Chase calls: play a synthesised voice warning to a phone through the centre's dialer (a command or
a webhook), and make that voice warning."""

from __future__ import annotations

import json
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

import httpx

from dissuade.domain.errors import InvalidInput
from dissuade.domain.models import Warning
from dissuade.gateways.delivery import GatewayRefused
from dissuade.playbooks import speech

TIMEOUT_SECONDS = 60


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
        if self.kind == "command" and not self.command.strip():
            raise InvalidInput("请填写外呼命令 / the dialer command is empty", field="command")
        if self.kind == "webhook" and not self.webhook.startswith(("http://", "https://")):
            raise InvalidInput(f"外呼网关地址无效 / not an http(s) URL: {self.webhook!r}", field="webhook")

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
        if self.kind == "command":
            return _run(self.command, warning, wav)
        return _post(self.webhook, warning, wav)


def make_voice(warning: Warning, lang: str, folder: Path) -> Path:
    """Write the voice warning for the warning's scam type into `folder`; returns the WAV's path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    text = speech.voice_text(warning.scam_type, lang)
    return speech.synthesize(text, lang, folder / f"chase-{warning.id}-{warning.scam_type}-{lang}.wav")


def _run(command: str, warning: Warning, wav: Path) -> str:
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise InvalidInput(f"外呼命令格式错误 / malformed dialer command: {exc}", field="command") from None
    args = [w.replace("{phone}", warning.phone).replace("{wav}", str(wav))
            .replace("{warning_id}", str(warning.id)) for w in words]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
                              encoding="utf-8", errors="replace")
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GatewayRefused(f"外呼命令无法运行 / the dialer command failed to run: {exc}") from None
    if done.returncode != 0:
        raise GatewayRefused(f"外呼命令失败 / the dialer command failed ({done.returncode}): "
                             f"{(done.stderr or done.stdout).strip()[:300]}")
    return (done.stdout.strip() or "ok")[:500]


def _post(url: str, warning: Warning, wav: Path) -> str:
    call = json.dumps({"warning_id": warning.id, "phone": warning.phone}).encode("utf-8")
    try:
        answer = httpx.post(url, timeout=TIMEOUT_SECONDS, files={
            "call": (None, call, "application/json"), "wav": (wav.name, wav.read_bytes(), "audio/wav")})
    except httpx.HTTPError as exc:
        raise GatewayRefused(f"外呼网关无法连接 / cannot reach the dialer: {exc}") from None
    if answer.status_code >= 300:
        raise GatewayRefused(f"外呼网关拒绝 / the dialer answered {answer.status_code}: {answer.text[:300]}")
    return (answer.text.strip() or str(answer.status_code))[:500]
