"""The workstation bundle: built with scripts/build_bundle.py (PyInstaller), it runs with nothing
else installed. Started from an empty folder with an empty environment and no system fonts,
it finds every shipped file inside itself, opens a demo database and draws the workbench."""

from __future__ import annotations

import importlib.util
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.hubs import free_port

ROOT = Path(__file__).resolve().parents[1]
EXE = "dissuade.exe" if sys.platform == "win32" else "dissuade"

pytestmark = pytest.mark.slow


def clean_env(home: Path) -> dict[str, str]:
    """A workstation's bare session: no PYTHONPATH, no virtual environment on PATH, and (on
    Linux) a fontconfig that knows no font at all, so Chinese can only come from the bundle."""
    env = {"HOME": str(home), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen",
           "DISSUADE_DATA_DIR": str(home / "data"), "PATH": "/usr/bin:/bin"}
    if sys.platform.startswith("linux"):
        conf = home / "fonts.conf"
        conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                        f"<fontconfig><cachedir>{home / 'fc-cache'}</cachedir></fontconfig>\n")
        env["FONTCONFIG_FILE"] = str(conf)
    return env


def inside(path: str, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder.resolve())


@pytest.mark.skipif(sys.platform == "win32", reason="the Windows build is made on a Windows machine")
def test_the_bundle_runs_the_client_with_nothing_else_installed(tmp_path: Path) -> None:
    assert importlib.util.find_spec("PyInstaller") is not None, \
        "PyInstaller is missing: pip install '.[bundle]' (scripts/setup.sh test does)"
    dist = tmp_path / "dist"
    built = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_bundle.py"),
                            "--dist", str(dist), "--work", str(tmp_path / "work")],
                           capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert built.returncode == 0, built.stderr[-3000:]
    facts = json.loads(built.stdout[built.stdout.index("{"):])
    folder = dist / "dissuade"
    assert Path(facts["folder"]) == folder and (folder / EXE).is_file()
    print(f"bundle: {facts['size_mb']} MB, built in {facts['build_seconds']} s")

    home = tmp_path / "workstation"  # not the checkout, not the bundle's folder
    home.mkdir()
    env = clean_env(home)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(folder / EXE), *args], cwd=home, env=env, capture_output=True,
                              text=True, encoding="utf-8", timeout=120)
        assert done.returncode == 0, (args, done.stdout, done.stderr[-3000:])
        return done

    report = json.loads(run("resources", "--json").stdout)
    assert report["frozen"] is True and inside(report["bundle"], folder)
    # Its Python sees only what it carries: nothing of the checkout or this virtual environment.
    assert all(inside(p, folder) for p in report["sys_path"] if p), report["sys_path"]
    items = {i["name"]: i for i in report["items"]}
    assert set(items) >= {"playbooks", "translations", "sounds", "fonts", "qt platforms",
                          "qt multimedia", "qt charts", "time zones", "python"}
    for item in items.values():
        assert item["ok"], item
        assert inside(item["path"], folder), item  # found in the bundle, not on this machine
    assert items["fonts"]["detail"].startswith("shipped: WenQuanYi"), items["fonts"]

    db = home / "demo.db"
    demo = run("demo", "--db", str(db), "--warnings", "200", "--seed", "1")
    assert "200" in demo.stdout
    shot = home / "workbench.png"
    run("--db", str(db), "--screenshot", str(shot))
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1366, 768)
    assert len({image.pixel(x, y) for x in range(0, 1366, 7) for y in range(0, 768, 7)}) > 20

    # The hub runs from the bundle too (Windows Server has no Python): up, then a clean stop.
    port = free_port()
    hub = subprocess.Popen([str(folder / EXE), "serve", "--db", str(home / "hub.db"), "--port",
                            str(port)], cwd=home, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200
                break
            except httpx.TransportError:
                assert hub.poll() is None and time.monotonic() < deadline, "the bundle's hub did not start"
                time.sleep(0.2)
    finally:
        hub.send_signal(signal.SIGTERM)
        _out, said = hub.communicate(timeout=30)
    assert hub.returncode == 0, said[-2000:]

    # The speech engine's child process is the bundle's own executable (it has no `python -c`).
    if sys.platform.startswith("linux") and not Path("/usr/lib/x86_64-linux-gnu/libespeak-ng.so.1").exists() \
            and not list(Path("/usr/lib").glob("*/libespeak-ng.so.1")):
        return  # no espeak-ng on this machine (setup.sh installs it)
    wav = home / "hello.wav"
    run("speak", "--text", "你好，这里是反诈中心", "-o", str(wav))
    assert wav.stat().st_size > 1000


def test_the_spec_ships_every_resource_folder() -> None:
    """A resource folder added later is shipped by the wheel (pyproject's package-data) and must
    be by the bundle too."""
    spec = (ROOT / "packaging" / "dissuade.spec").read_text(encoding="utf-8")
    folders = {p.name for p in (ROOT / "resources").iterdir() if (p / "__init__.py").exists()}
    for folder in folders:
        assert f'"resources/{folder}"' in spec, folder
    assert folders >= {"playbooks", "i18n", "sounds"}
    assert (ROOT / "packaging" / "dissuade_main.py").is_file()
