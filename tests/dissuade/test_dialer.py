"""Chase-call dialers: a real command and a real webhook get the phone and a real synthesised voice
warning; synthetic warnings are never called."""

from __future__ import annotations

import email
import email.policy
import json
import sys
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

import dissuade
from dissuade.domain.errors import InvalidInput
from dissuade.domain.models import Warning
from dissuade.gateways import dialer
from dissuade.gateways.delivery import GatewayRefused
from dissuade.playbooks import speech
from dissuade.sources import LocalSource
from tests.conftest import warning_data

# The dialer's stand-in: records what it was given and how long the WAV plays, answers a call id.
DIALER_SCRIPT = """\
import json, sys, wave
phone, wav, warning_id, out = sys.argv[1:]
with wave.open(wav, "rb") as w:
    seconds = w.getnframes() / w.getframerate()
json.dump({"phone": phone, "wav": wav, "warning_id": warning_id, "seconds": seconds}, open(out, "w"))
print("call-id 77")
"""


@pytest.fixture
def source(tmp_path: Path) -> LocalSource:
    opened = dissuade.open_source(tmp_path / "c.db", user="officer-007")
    assert isinstance(opened, LocalSource)
    return opened


def _warning(source: LocalSource, *, synthetic: bool) -> Warning:
    receipt = source.add_warning(warning_data(1, synthetic=synthetic, scam_type="fake_loan"))
    return source.get(receipt.id).warning


def _parts(content_type: str, body: bytes) -> dict[str, tuple[str | None, str, bytes]]:
    """A multipart/form-data body's parts by name: (file name, content type, bytes)."""
    message = email.message_from_bytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body,
                                       policy=email.policy.HTTP)
    assert isinstance(message, EmailMessage)
    return {str(p.get_param("name", header="content-disposition")):
            (p.get_filename(), p.get_content_type(), bytes(p.get_payload(decode=True)))
            for p in message.iter_parts()}


def test_a_command_dialer_gets_the_phone_and_a_spoken_wav(source: LocalSource, tmp_path: Path) -> None:
    warning = _warning(source, synthetic=False)
    wav = dialer.make_voice(warning, "zh", tmp_path / "voice files")  # a space: no shell splits it
    assert wav.parent == tmp_path / "voice files" and wav.read_bytes()[:4] == b"RIFF"
    script, out = tmp_path / "dial.py", tmp_path / "called.json"
    script.write_text(DIALER_SCRIPT, encoding="utf-8")
    command = f'"{sys.executable}" "{script}" {{phone}} {{wav}} {{warning_id}} "{out}"'
    assert dialer.Dialer("command", command=command).call(warning, wav) == "call-id 77"
    called = json.loads(out.read_text(encoding="utf-8"))
    assert called["phone"] == "+8613900000001" and called["warning_id"] == str(warning.id)
    assert Path(called["wav"]) == wav and called["seconds"] >= 2.0


def test_a_webhook_dialer_gets_the_call_and_the_wav(source: LocalSource, tmp_path: Path) -> None:
    got: list[dict[str, tuple[str | None, str, bytes]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server protocol
            got.append(_parts(self.headers["Content-Type"], self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"queued")

        def log_message(self, *args: object) -> None:
            pass

    warning = _warning(source, synthetic=False)
    wav = dialer.make_voice(warning, "en", tmp_path)
    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/call"
        assert dialer.Dialer("webhook", webhook=url).call(warning, wav) == "queued"
    finally:
        server.shutdown()
        server.server_close()
    (parts,) = got
    assert json.loads(parts["call"][2]) == {"warning_id": warning.id, "phone": "+8613900000001"}
    assert parts["call"][1] == "application/json"
    assert parts["wav"] == (wav.name, "audio/wav", wav.read_bytes())
    assert speech.wav_seconds(wav) >= 2.0


def test_synthetic_warnings_are_never_called(source: LocalSource, tmp_path: Path) -> None:
    warning = _warning(source, synthetic=True)
    wav = tmp_path / "x.wav"
    wav.write_bytes(b"RIFF")
    ran = tmp_path / "ran"
    for gateway in (dialer.Dialer("command", command=f'"{sys.executable}" -c "open(r\'{ran}\', \'w\')"'),
                    dialer.Dialer("webhook", webhook="http://127.0.0.1:9/call")):
        with pytest.raises(GatewayRefused, match="synthetic"):
            gateway.call(warning, wav)
    assert not ran.exists()


def test_a_failing_dialer_says_why(source: LocalSource, tmp_path: Path) -> None:
    warning = _warning(source, synthetic=False)
    wav = tmp_path / "x.wav"
    wav.write_bytes(b"RIFF")
    failing = dialer.Dialer("command", command=f'"{sys.executable}" -c "import sys; '
                                               'sys.stderr.write(\'line busy: trunk 3\'); sys.exit(4)"')
    with pytest.raises(GatewayRefused, match=r"\(4\): line busy: trunk 3"):
        failing.call(warning, wav)
    with pytest.raises(GatewayRefused, match="cannot reach"):
        dialer.Dialer("webhook", webhook="http://127.0.0.1:9/call").call(warning, wav)
    with pytest.raises(InvalidInput, match="no such voice file"):
        failing.call(warning, tmp_path / "missing.wav")
    for bad in (dialer.Dialer("pigeon"), dialer.Dialer("command"), dialer.Dialer("webhook", webhook="ftp://x")):
        with pytest.raises(InvalidInput):
            bad.call(warning, wav)
