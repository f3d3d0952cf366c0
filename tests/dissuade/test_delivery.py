"""The one delivery module: real commands (small Python scripts) and a real webhook on loopback
get hostile values as single arguments, time out, fail, print bytes that are not UTF-8 or a lot
of them, and never put a filled-in value into a log line."""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dissuade.domain.errors import InvalidInput
from dissuade.gateways import delivery
from dissuade.gateways.delivery import GatewayRefused
from tests.webhooks import Webhook, webhook

PY = f'"{sys.executable}"'
HOSTILE = [
    "+86 139 0000 0001", 'he said "stop"', "it's", "; rm -rf ~", "$(touch pwned)", "`touch pwned`",
    "a\nb\r\nc", "赵六您好，请勿转账！", "{text}", "{{phone}}", "", " ", "*", "~", "$HOME", "&& echo x",
    "| tee x", "> x", "\\", "'\"'", "\t", "%PATH%", "é\u200b\U0001f600",
]
# Prints its arguments as UTF-8 JSON (as bytes, so nothing in between re-encodes them).
ARGV = ("import json, os, sys; "
        "sys.stdout.buffer.write(json.dumps([os.fsencode(a).hex() for a in sys.argv[1:]]).encode())")


def _args(delivered: delivery.Delivery) -> list[str]:
    return [bytes.fromhex(h).decode("utf-8") for h in json.loads(delivered.stdout)]


def _script(tmp_path: Path, body: str, name: str = "gateway.py") -> str:
    script = tmp_path / name
    script.write_text(body, encoding="utf-8")
    return f'{PY} "{script}"'


def _run(command: str, values: dict[str, str] | None = None, *, timeout: float = 30) -> delivery.Delivery:
    return delivery.run(command, values or {}, kind=delivery.SMS, timeout=timeout)


def test_hostile_values_each_arrive_as_one_argument(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    command = _script(tmp_path, ARGV) + " {phone} --text={text} {warning_id} {{phone}} 'quoted {phone}'"
    for value in HOSTILE:
        got = _args(_run(command, {"phone": value, "text": value, "warning_id": "42"}))
        assert got == [value, f"--text={value}", "42", "{phone}", f"quoted {value}"], value
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "x").exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40))
def test_any_value_arrives_as_exactly_one_argument_byte_for_byte(value: str) -> None:
    command = f'{PY} -I -S -c "{ARGV}" {{v}} pre{{v}}post'
    delivered = delivery.run(command, {"v": value}, kind=delivery.SMS, timeout=30)
    assert [bytes.fromhex(h) for h in json.loads(delivered.stdout)] == [
        value.encode("utf-8"), b"pre" + value.encode("utf-8") + b"post"]


@given(st.text(max_size=30), st.text(max_size=30))
def test_filling_is_one_pass_whatever_the_values_hold(phone: str, text: str) -> None:
    phone, text = phone.replace("\x00", ""), text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
    words = ["{phone}", "to={phone};say={text}", "{{text}}", '{"a": "{text}"}']
    assert delivery.fill(words, {"phone": phone, "text": text}) == [
        phone, f"to={phone};say={text}", "{text}", '{"a": "' + text + '"}']


def test_a_command_must_split_and_name_known_placeholders() -> None:
    for bad, says in [('send "{phone}', "malformed SMS command"), ("   ", "command is empty"),
                      ("send {phnoe} {text}", "{phnoe}")]:
        with pytest.raises(InvalidInput, match=says) as err:
            delivery.check_command(bad, kind=delivery.SMS, placeholders=("phone", "text"))
        assert err.value.field == "command"
    words = delivery.check_command("send --json '{\"to\": \"{phone}\"}' {{literal}}", kind=delivery.SMS,
                                   placeholders=("phone",))
    assert words == ["send", "--json", '{"to": "{phone}"}', "{{literal}}"]
    with pytest.raises(InvalidInput, match="no value for {text}"):
        delivery.fill(["{phone}", "{text}"], {"phone": "+861"})
    delivery.check_command("sms.bat --help", kind=delivery.SMS, placeholders=("phone",))  # no value in it


@pytest.mark.parametrize("command", [
    'sh -c "sms-send {phone} {text}"', "/bin/bash -lc 'echo {text}'", "python3.11 -c \"print('{text}')\"",
    "cmd.exe /c sms.bat {phone}", "pwsh -Command Send-Sms {text}", "env sh -c 'x {text}'",
    r"C:\sms\send.BAT {phone} {text}", "send.cmd --to={phone}"])
def test_a_placeholder_inside_inline_code_is_refused(command: str) -> None:
    with pytest.raises(InvalidInput, match="inline code|batch file") as err:
        delivery.check_command(command, kind=delivery.SMS, placeholders=("phone", "text"))
    assert err.value.field == "command"


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_a_value_handed_to_a_shell_as_an_argument_stays_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    command = "sh -c 'printf %s \"$1\"' sh {text}"
    for value in HOSTILE:
        assert _run(command, {"text": value}).stdout == value
    assert not (tmp_path / "pwned").exists()
    # A script file's own options are not the interpreter's: `-c` here is the script's.
    delivery.check_command(f"{PY} dial.py -c {{phone}}", kind=delivery.SMS, placeholders=("phone",))


def test_values_an_argument_cannot_carry_are_refused_naming_them() -> None:
    for value in ("a\x00b", "lone \ud800 surrogate"):
        with pytest.raises(InvalidInput) as err:
            _run(f"{PY} -c pass {{text}}", {"text": value})
        assert err.value.field == "text"


def test_a_failing_command_is_refused_with_what_it_said(tmp_path: Path) -> None:
    fails = _script(tmp_path, "import sys\nprint('out ' * 200)\n"
                              "sys.stderr.write('余额不足 ' + 'x' * 1000)\nsys.exit(7)")
    with pytest.raises(GatewayRefused) as err:
        delivery.run(fails, {}, kind=delivery.DIALER, timeout=30)
    message = str(err.value)
    assert message.startswith("外呼命令失败 / the dialer command failed (7): 余额不足 x")
    assert len(message.split("(7): ", 1)[1]) == delivery.QUOTED
    quiet = _script(tmp_path, "import sys\nprint('stdout says why')\nsys.stderr.write('  \\n')\nsys.exit(1)", "q.py")
    with pytest.raises(GatewayRefused, match=r"\(1\): stdout says why"):
        _run(quiet)


def test_a_missing_program_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(GatewayRefused, match=r"短信命令无法运行 / the SMS command could not run 'no-such-sms-tool'"):
        _run(f'"{tmp_path / "no-such-sms-tool"}" {{phone}}', {"phone": "+8613900000001"})


def test_a_hung_command_and_what_it_started_end_at_the_timeout(tmp_path: Path) -> None:
    # It prints, then leaves a grandchild holding its output open and sleeps itself.
    hangs = _script(tmp_path, "import subprocess, sys, time\nprint('ringing', flush=True)\n"
                              "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
                              "time.sleep(60)")
    started = time.monotonic()
    with pytest.raises(GatewayRefused) as err:
        delivery.run(hangs + " {phone}", {"phone": "+8613900000001"}, kind=delivery.TELEPHONY, timeout=1)
    assert time.monotonic() - started < 10
    assert str(err.value) == "电话命令超时（1 秒） / the telephony command timed out after 1 s: ringing"
    assert "13900000001" not in str(err.value)  # the arguments are never quoted back


def test_output_that_is_not_utf8_is_read_with_replacements(tmp_path: Path) -> None:
    gbk = _script(tmp_path, "import sys\nsys.stdout.buffer.write('已发送'.encode('gbk') + b' \\xff ok\\n')\n"
                            "sys.stderr.buffer.write(b'\\xfe\\xff')")
    delivered = _run(gbk)
    assert delivered.answer.endswith("\ufffd ok") and "\ufffd" in delivered.stdout
    failing = _script(tmp_path, "import sys\nsys.stderr.buffer.write('失败'.encode('gbk'))\nsys.exit(2)", "f.py")
    with pytest.raises(GatewayRefused, match="\ufffd"):
        _run(failing)


def test_huge_output_is_read_whole_and_the_answer_trimmed(tmp_path: Path) -> None:
    loud = _script(tmp_path, "import sys\nsys.stderr.write('e' * 3_000_000)\n"
                             "sys.stdout.write(('x' * 99 + '\\n') * 50_000)\n"
                             "print('{\"answered\": true, \"keys\": \"1\", \"seconds\": 12}')")
    delivered = _run(loud)
    assert len(delivered.stdout) == 100 * 50_000 + len(delivered.last_line) + 1
    assert len(delivered.answer) == delivery.ANSWER_MAX
    assert json.loads(delivered.last_line) == {"answered": True, "keys": "1", "seconds": 12}
    assert _run(f"{PY} -c pass").answer == "ok" and _run(f"{PY} -c pass").last_line == ""


def test_log_lines_never_carry_a_filled_in_value(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    values = {"phone": "+8613912345678", "text": "赵六您好请勿转账", "card": "6222021234567890123"}
    said = _script(tmp_path, "import sys\nprint(sys.argv[1:])\nsys.exit(int(sys.argv[-1]))")
    with caplog.at_level(logging.DEBUG):
        for code in ("0", "3"):
            with contextlib.suppress(GatewayRefused):
                delivery.run(f"{said} {{phone}} {{text}} {{card}} {code}", values, kind=delivery.SMS, timeout=30,
                             about="warning 42")
        with webhook(Webhook(status=500)) as hook, pytest.raises(GatewayRefused):
            delivery.post(hook.url + "?key=secret", kind=delivery.BANK, timeout=5, json=values, about="warning 42")
    logged = "\n".join(r.getMessage() for r in caplog.records)  # httpx's and httpcore's too
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name == delivery.log.name)
    assert "SMS command" in ours and "warning 42" in ours and "bank webhook" in ours
    for value in (*values.values(), "13912345678"):
        assert value not in logged
    assert "secret" not in ours  # a key in the webhook's query is the centre's, not for our log


def test_a_webhook_gets_json_or_parts_and_its_body_is_the_answer() -> None:
    with webhook(Webhook(status=202, body="已受理 ".encode() + b"y" * 600)) as hook:
        delivered = delivery.post(hook.url, kind=delivery.SMS, timeout=5, json={"phone": "+86 1", "text": "文本"})
        parts = delivery.post(hook.url, kind=delivery.DIALER, timeout=5,
                              files={"wav": ("a.wav", b"RIFF", "audio/wav")})
    assert delivered.answer == ("已受理 " + "y" * 600)[:500] and delivered.stdout.endswith("y" * 600)
    assert parts.answer == delivered.answer
    (_, json_type, body), (_, parts_type, form) = hook.received
    assert json_type == "application/json" and json.loads(body) == {"phone": "+86 1", "text": "文本"}
    assert parts_type.startswith("multipart/form-data") and b'filename="a.wav"' in form
    with webhook(Webhook(status=204, body=b"")) as hook:
        assert delivery.post(hook.url, kind=delivery.SMS, timeout=5, json={}).answer == "204"


def test_a_webhook_body_is_read_in_its_charset_or_utf8() -> None:
    with webhook(Webhook(body="已发送".encode("gbk"), content_type="text/plain; charset=gbk")) as hook:
        assert delivery.post(hook.url, kind=delivery.SMS, timeout=5, json={}).answer == "已发送"
    with webhook(Webhook(body=b"\xff ok", content_type="text/plain")) as hook:
        assert delivery.post(hook.url, kind=delivery.SMS, timeout=5, json={}).answer == "\ufffd ok"


def test_a_refusing_or_unreachable_webhook_says_why() -> None:
    with webhook(Webhook(status=503, body=b"z" * 1000)) as hook, pytest.raises(GatewayRefused) as err:
        delivery.post(hook.url, kind=delivery.BANK, timeout=5, json={})
    assert str(err.value) == "银行网关拒绝 / the bank gateway answered 503: " + "z" * 300
    with webhook(Webhook(status=302)) as hook, pytest.raises(GatewayRefused, match="answered 302"):
        delivery.post(hook.url, kind=delivery.BANK, timeout=5, json={})
    with pytest.raises(GatewayRefused, match="银行网关无法连接 / cannot reach the bank gateway"):
        delivery.post("http://127.0.0.1:9/x", kind=delivery.BANK, timeout=5, json={})
    with webhook(Webhook(delay=3)) as hook:
        started = time.monotonic()
        with pytest.raises(GatewayRefused, match="cannot reach the SMS gateway"):
            delivery.post(hook.url, kind=delivery.SMS, timeout=0.5, json={})
        assert time.monotonic() - started < 2.5


def test_a_webhook_must_be_an_http_url_with_a_host() -> None:
    delivery.check_url("https://bank.example/api", kind=delivery.BANK)
    for bad in ("ftp://x", "http://", "bank.example", "", "http:// space"):
        with pytest.raises(InvalidInput, match="银行网关地址无效 / not an http") as err:
            delivery.check_url(bad, kind=delivery.BANK)
        assert err.value.field == "webhook"
