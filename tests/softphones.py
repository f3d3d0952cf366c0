"""Real softphones for the tests: baresip instances on loopback, each with a config folder of its
own and no sound card, driven over their ctrl_tcp control ports (the officer's dialling test and
the robot's SIP call)."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path


def free_pair() -> int:
    """A port p with p and p+1 free (baresip listens for SIP over TLS on the next port)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("127.0.0.1", port))
                b.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no free pair of ports")


def softphone(folder: Path, *, sip: int, control: int, account: str,
              audio: Path | None = None) -> subprocess.Popen[bytes]:
    """A baresip with its own config folder and no sound card: `audio` (a WAV) or a sine tone
    in, nothing out."""
    folder.mkdir()
    (folder / "accounts").write_text(account + "\n", encoding="utf-8")
    source = (f"audio_source aufile,{audio}\n" if audio is not None else
              "audio_source ausine,440\nausrc_srate 48000\nausrc_channels 2\n")
    module = "aufile.so" if audio is not None else "ausine.so"
    (folder / "config").write_text(f"""\
poll_method epoll
sip_listen 127.0.0.1:{sip}
call_local_timeout 60
audio_player aubridge,nowhere
audio_alert aubridge,nowhere
{source}module_path /usr/lib/baresip/modules
module g711.so
module aubridge.so
module {module}
module_tmp account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen 127.0.0.1:{control}
statmode_default off
""", encoding="utf-8")
    log = (folder / "baresip.log").open("wb")
    return subprocess.Popen(["baresip", "-f", str(folder)], stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT)


def wait_port(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"baresip never opened its control port {port}")
