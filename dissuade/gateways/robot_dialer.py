"""The robot's dialer: call a person, play the scam type's voice warning with the key prompt,
and say what happened as {"answered": true|false, "keys": "<digits>", "seconds": N}.

Three kinds, as the hub is started: a command (its last line of stdout is the answer), a
webhook (its body is the answer), or baresip softphones driven over their control ports
(`ctrl_tcp`), one per robot line: the voice WAV becomes the call's audio source (`aufile`),
the person's key presses arrive as DTMF events, and the robot hangs up at the first key. Any
other answer, a timeout, a crash or a refusal is GatewayRefused: a failed call.
"""

from __future__ import annotations

import array
import json
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dissuade.domain.errors import InvalidInput
from dissuade.domain.models import Warning
from dissuade.domain.robot import PROMPT, Answer, parse_answer
from dissuade.gateways import baresip, delivery
from dissuade.gateways.delivery import GatewayRefused

PLACEHOLDERS = ("phone", "wav", "warning_id")  # as the chase calls' (one command does both)
KEY_WAIT_SECONDS = 8.0  # silence after the prompt, for the key (the call ends with the file)
RATE = 8000  # telephone audio: 8 kHz, mono, 16 bit (what baresip's aufile plays for G.711)


@dataclass(frozen=True, slots=True)
class Voice:
    """A robot call's audio: the WAV, what it says, and how long the saying lasts (the silence
    for the key after it not counted)."""

    path: Path
    text: str
    seconds: float


@dataclass(frozen=True, slots=True)
class RobotDialer:
    """`kind` is command, webhook or sip; `sip` holds one control port (HOST:PORT) per line."""

    kind: str
    command: str = ""
    webhook: str = ""
    sip: tuple[str, ...] = ()

    @classmethod
    def from_sip(cls, text: str) -> RobotDialer:
        """`--dialer-sip HOST:PORT[,HOST:PORT...]`."""
        ports = tuple(p.strip() for p in text.split(",") if p.strip())
        return cls("sip", sip=ports)

    def check(self) -> None:
        if self.kind == "command":
            delivery.check_command(self.command, kind=delivery.DIALER, placeholders=PLACEHOLDERS)
        elif self.kind == "webhook":
            delivery.check_url(self.webhook, kind=delivery.DIALER)
        elif self.kind == "sip":
            if not self.sip:
                raise InvalidInput("请至少给出一个软电话控制端口 / give at least one softphone "
                                   "control port (HOST:PORT)", field="sip")
            if len(set(self.sip)) != len(self.sip):
                raise InvalidInput("每条机器人线路需要自己的软电话控制端口 / each robot line needs a "
                                   "control port of its own", field="sip")
            for address in self.sip:
                baresip.parse_address(address)
        else:
            raise InvalidInput(f"未知外呼网关 / unknown dialer: {self.kind!r}", field="kind")

    def lines(self, wanted: int) -> int:
        """How many lines this dialer runs: one per control port with baresip, else `wanted`."""
        return len(self.sip) if self.kind == "sip" else wanted

    def call(self, line: int, warning: Warning, voice: Voice, *, timeout: float) -> Answer:
        """Call the warning's person on `line` (from 1) and play `voice`; the answer, or
        GatewayRefused for a failed call (with why). Never a synthetic warning."""
        if warning.synthetic:
            raise GatewayRefused("演示/演练数据不外呼 / a synthetic (demo or rehearsal) warning is "
                                 "never called")
        from dissuade.gateways.telephony import national_digits

        about = f"robot call for warning {warning.id}"
        if self.kind == "sip":
            return sip_call(self.sip[(line - 1) % len(self.sip)],
                            national_digits(warning.phone), voice.path, timeout=timeout)
        if self.kind == "command":
            values = {"phone": warning.phone, "wav": str(voice.path),
                      "warning_id": str(warning.id)}
            done = delivery.run(self.command, values, kind=delivery.DIALER, timeout=timeout,
                                about=about)
            return _answer(done.last_line)
        body = json.dumps({"warning_id": warning.id, "phone": warning.phone,
                           "text": voice.text}, ensure_ascii=False).encode("utf-8")
        done = delivery.post(self.webhook, kind=delivery.DIALER, timeout=timeout, about=about,
                             files={"call": (None, body, "application/json"),
                                    "wav": (voice.path.name, voice.path.read_bytes(),
                                            "audio/wav")})
        return _answer(done.stdout.strip())


def _answer(text: str) -> Answer:
    answer = parse_answer(text)
    if answer is None:
        raise GatewayRefused(f"外呼网关的回答无法识别 / the dialer answered something other than "
                             f'{{"answered", "keys", "seconds"}}: {text[:delivery.QUOTED]!r}')
    return answer


def sip_call(address: str, target: str, wav: Path, *, timeout: float,
             clock: Callable[[], float] = time.monotonic) -> Answer:
    """One robot call through the baresip at `address`: `wav` as the call's audio, `target`
    dialled, keys gathered until the first one (then the robot hangs up) or the call ends.
    GatewayRefused when the port cannot be reached, refuses, or the call outlasts `timeout`."""
    with baresip.Control(address) as control:
        control.send("ausrc", f"aufile,{wav}")
        established: float | None = None
        keys = ""
        for kind, message in baresip.dial_events(control, target, address=address,
                                                 deadline=time.monotonic() + timeout):
            if kind == "CALL_ESTABLISHED" and established is None:
                established = clock()
            elif kind == "CALL_DTMF_START" and message.get("param"):
                if not keys:
                    control.send("hangup")  # the first key decides: the call has done its work
                keys += str(message["param"])[:1]
            elif kind == "CALL_CLOSED":
                seconds = 0.0 if established is None else clock() - established
                return Answer(established is not None, keys if established else "",
                              round(seconds, 1))
        control.send("hangup")
        raise GatewayRefused(f"外呼超时（{timeout:g} 秒） / the robot call outlasted {timeout:g} s")


# -- the voice --------------------------------------------------------------------------------


def make_voice(scam_type: str, lang: str, folder: Path) -> Voice:
    """The robot's voice for a scam type: the playbook's voice warning and the key prompt,
    spoken, as telephone audio with KEY_WAIT_SECONDS of silence for the key; made once per type
    and language in `folder`."""
    from dissuade.playbooks import speech

    text = f"{speech.voice_text(scam_type, lang)} {PROMPT[lang]}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"robot-{scam_type}-{lang}.wav"
    if not path.is_file():
        spoken = speech.synthesize(text, lang, folder / f"robot-{scam_type}-{lang}.spoken.wav")
        telephone_audio(spoken, path, silence=KEY_WAIT_SECONDS)
        spoken.unlink(missing_ok=True)
    return Voice(path, text, max(0.0, speech.wav_seconds(path) - KEY_WAIT_SECONDS))


def telephone_audio(source: Path, target: Path, *, silence: float = 0.0) -> Path:
    """`source` (any 8/16-bit PCM WAV) as 8 kHz mono 16-bit, `silence` seconds added at the
    end; written whole or not at all."""
    with wave.open(str(source), "rb") as w:
        channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
        frames = w.readframes(w.getnframes())
    if width == 2:
        samples = array.array("h")
        samples.frombytes(frames)
    elif width == 1:
        samples = array.array("h", ((b - 128) << 8 for b in frames))
    else:
        raise InvalidInput(f"不支持的 WAV 采样位数 / unsupported WAV sample width: {width * 8} bit",
                           field="wav")
    if channels > 1:
        samples = array.array("h", (sum(samples[i:i + channels]) // channels
                                    for i in range(0, len(samples) - channels + 1, channels)))
    if rate != RATE and samples:
        step = rate / RATE
        n = int(len(samples) / step)
        last = len(samples) - 1
        out = array.array("h", bytes(2 * n))
        for i in range(n):
            x = i * step
            j = int(x)
            k = j + 1 if j < last else last
            out[i] = int(samples[j] + (samples[k] - samples[j]) * (x - j))
        samples = out
    samples.extend(array.array("h", bytes(2 * int(silence * RATE))))
    partial = target.with_name(f".{target.name}.partial")
    with wave.open(str(partial), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.tobytes())
    partial.replace(target)
    return target
