"""SMS gateways: a real command and a real webhook receive the text; synthetic warnings never."""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from dissuade.domain.errors import InvalidInput
from dissuade.gateways import sms
from dissuade.sources import LocalSource
from tests.conftest import warning_data


def _warning(local: LocalSource, *, synthetic: bool):  # type: ignore[no-untyped-def]
    return local.get(local.add_warning(warning_data(1, synthetic=synthetic, name="赵六")).id).warning


def test_a_command_gateway_gets_phone_and_text(local: LocalSource, tmp_path: Path) -> None:
    out = tmp_path / "sent.txt"
    script = tmp_path / "send.py"
    script.write_text("import sys; open(sys.argv[1], 'w', encoding='utf-8').write("
                      "sys.argv[2] + '|' + sys.argv[3]); print('queued 42')", encoding="utf-8")
    gateway = sms.Gateway("command", command=f'"{sys.executable}" "{script}" "{out}" '
                                             '{phone} "{text}"')
    warning = _warning(local, synthetic=False)
    answer = sms.send(gateway, warning, "赵六您好，请勿转账")
    assert answer == "queued 42"
    assert out.read_text(encoding="utf-8") == "+8613900000001|赵六您好，请勿转账"


def test_synthetic_warnings_are_never_sent(local: LocalSource, tmp_path: Path) -> None:
    gateway = sms.Gateway("command", command=f'"{sys.executable}" -c "print(1)"')
    with pytest.raises(sms.GatewayRefused, match="synthetic"):
        sms.send(gateway, _warning(local, synthetic=True), "x")


def test_a_webhook_gateway_gets_json(local: LocalSource) -> None:
    got: list[dict[str, object]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server protocol
            got.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(202)
            self.end_headers()
            self.wfile.write(b"accepted")

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sms"
        warning = _warning(local, synthetic=False)
        assert sms.send(sms.Gateway("webhook", webhook=url), warning, "文本") == "accepted"
    finally:
        server.shutdown()
    assert got == [{"warning_id": warning.id, "phone": "+8613900000001", "text": "文本"}]


def test_a_failing_gateway_says_why(local: LocalSource) -> None:
    warning = _warning(local, synthetic=False)
    failing = sms.Gateway("command", command=f'"{sys.executable}" -c "import sys; '
                                             'sys.exit(\'no credit\')"')
    with pytest.raises(sms.GatewayRefused, match="no credit"):
        sms.send(failing, warning, "x")
    with pytest.raises(sms.GatewayRefused, match="cannot reach"):
        sms.send(sms.Gateway("webhook", webhook="http://127.0.0.1:9/x"), warning, "x")
    with pytest.raises(InvalidInput):
        sms.send(sms.Gateway("pigeon"), warning, "x")


def test_the_sending_is_kept_in_the_warning_history(local: LocalSource) -> None:
    warning = _warning(local, synthetic=False)
    local.record_message(warning.id, text="赵六您好", via="clipboard", client_id="m-1")
    again = local.record_message(warning.id, text="赵六您好", via="clipboard", client_id="m-1")
    detail = local.get(warning.id)
    assert [(m.via, m.text, m.sent_by) for m in detail.messages] == [
        ("clipboard", "赵六您好", "officer-007")]
    assert again.id == detail.messages[0].id
    with pytest.raises(InvalidInput) as err:
        local.record_message(warning.id, text="x", via="carrier pigeon")
    assert err.value.field == "via"


def test_a_text_reaches_the_command_whole_and_is_never_filled_in_itself(local: LocalSource, tmp_path: Path) -> None:
    out = tmp_path / "sent.json"
    script = tmp_path / "send.py"
    script.write_text("import json, sys; json.dump(sys.argv[1:], open(sys.argv[1], 'w', encoding='utf-8'))",
                      encoding="utf-8")
    gateway = sms.Gateway("command", command=f'"{sys.executable}" "{script}" "{out}" {{phone}} {{text}}')
    text = '赵六您好；"别转账" $(reboot) {warning_id} {phone}\n——反诈中心'
    assert sms.send(gateway, _warning(local, synthetic=False), text) == "ok"
    assert json.loads(out.read_text(encoding="utf-8")) == [str(out), "+8613900000001", text]


def test_a_command_is_checked_when_the_gateway_is_set(local: LocalSource) -> None:
    for command, says in [("sms-send {phnoe} {text}", "{phnoe}"), ('sms-send "{phone}', "malformed"),
                          ("", "empty"), ("sh -c 'sms-send {phone}'", "inline code")]:
        with pytest.raises(InvalidInput, match=says) as err:
            sms.Gateway("command", command=command).check()
        assert err.value.field == "command"
    with pytest.raises(InvalidInput) as err:
        sms.Gateway("webhook", webhook="http://").check()
    assert err.value.field == "webhook"
