"""Write the alert sound (resources/sounds/emergency.wav): three short rising tones, 16 kHz mono."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "sounds" / "emergency.wav"
RATE = 16_000


def tone(freq: float, seconds: float, volume: float = 0.5) -> bytes:
    n = int(RATE * seconds)
    fade = int(RATE * 0.01)
    frames = []
    for i in range(n):
        envelope = min(1.0, i / fade, (n - i) / fade)
        frames.append(struct.pack("<h", int(32767 * volume * envelope
                                            * math.sin(2 * math.pi * freq * i / RATE))))
    return b"".join(frames)


def main() -> None:
    silence = b"\x00\x00" * int(RATE * 0.06)
    body = b"".join(tone(f, 0.14) + silence for f in (880, 1175, 1568))
    with wave.open(str(OUT), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(body * 2)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
