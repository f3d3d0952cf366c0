"""`dissuade serve` and `dissuade user`: tokens shown once, stored hashed, never in the logs."""

from __future__ import annotations

import sqlite3
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from dissuade import cli
from tests.hubs import free_port


def test_user_tokens_are_printed_once_stored_hashed_and_rotated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "centre.db")
    assert cli.main(["user", "add", "wang-wei", "--role", "officer", "--db", db]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("dsd_") and len(token) > 40
    stored = sqlite3.connect(db).execute("SELECT token_hash FROM users").fetchone()[0]
    assert token not in stored and len(stored) == 64
    assert cli.main(["user", "add", "wang-wei", "--role", "officer", "--db", db]) == 2
    assert "--rotate" in capsys.readouterr().err
    assert cli.main(["user", "add", "wang-wei", "--role", "lead", "--db", db, "--rotate"]) == 0
    rotated = capsys.readouterr().out.strip()
    assert rotated != token
    assert cli.main(["user", "add", "bad name", "--role", "officer", "--db", db]) == 2
    assert cli.main(["user", "list", "--db", db]) == 0
    assert "wang-wei\tlead\tactive" in capsys.readouterr().out
    assert cli.main(["user", "revoke", "wang-wei", "--db", db]) == 0
    assert cli.main(["user", "list", "--db", db]) == 0
    assert "revoked" in capsys.readouterr().out
    assert cli.main(["user", "revoke", "nobody", "--db", db]) == 2


def test_serve_never_logs_a_token_and_import_reaches_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "centre.db")
    cli.main(["user", "add", "feed-1", "--role", "feed", "--db", db])
    token = capsys.readouterr().out.strip()
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "dissuade.cli", "serve", "--db", db,
                                 "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{url}/api/v1/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        headers = {"Authorization": f"Bearer {token}"}
        httpx.post(f"{url}/api/v1/warnings", headers=headers, json={"phone": "12"})
        httpx.get(f"{url}/api/v1/queue", headers=headers)
        sheet = tmp_path / "feed.csv"
        sheet.write_text("预警编号,手机号,诈骗类型\nA1,13900000001,刷单返利\nA2,123,刷单返利\n",
                         encoding="utf-8")
        code = cli.main(["import", str(sheet), "--server", url, "--token", token])
        out = capsys.readouterr().out
        assert code == 0 and "1" in out
        assert (tmp_path / "feed.csv.rejected.csv").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    text = log.read_text()
    assert "dissuade hub" in text
    assert token not in text and token[4:20] not in text


def test_serve_speaks_https_with_a_certificate(tmp_path: Path) -> None:
    import shutil

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "hub.pem", tmp_path / "hub.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    db = str(tmp_path / "centre.db")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "dissuade.cli", "serve", "--db", db,
                             "--port", str(port), "--certfile", str(cert), "--keyfile", str(key)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        answer = None
        for _ in range(100):
            try:
                answer = httpx.get(f"https://127.0.0.1:{port}/api/v1/health", timeout=1,
                                   verify=ssl.create_default_context(cafile=str(cert)))
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert answer is not None and answer.json()["status"] == "ok"
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert cli.main(["serve", "--db", db, "--certfile", str(cert)]) == 2  # the key is missing
