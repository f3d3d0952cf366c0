"""The installed package works away from the checkout: a wheel ships code and resources."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / ("dissuade.exe" if os.name == "nt" else "dissuade")


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_installed_command_and_its_resources_work_outside_the_checkout(tmp_path: Path) -> None:
    where = _run([sys.executable, "-c", "import dissuade; print(dissuade.__file__)"], tmp_path)
    assert where.returncode == 0, where.stderr
    if Path(where.stdout.strip()).resolve().parent == (ROOT / "dissuade").resolve():
        pytest.skip("an editable install: scripts/setup.sh installs a wheel, where this runs")
    check = _run([sys.executable, "-c",
                  "from dissuade.playbooks.playbook import load_library; from PySide6.QtCore import "
                  "QTranslator; from dissuade.resources import resource_dir; lib = load_library();"
                  "assert not lib.errors and len(lib.playbooks) == 13, lib.errors;"
                  "assert QTranslator().load(str(resource_dir('i18n') / 'dissuade_zh_CN.qm'));"
                  "assert (resource_dir('sounds') / 'emergency.wav').stat().st_size > 1000;"
                  "import ui, dissuade.hub, dissuade.store"], tmp_path)
    assert check.returncode == 0, check.stderr
    demo = _run([str(SCRIPT), "demo", "--db", str(tmp_path / "d.db"), "--warnings", "20"],
                tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "20" in demo.stdout
    shot = _run([str(SCRIPT), "--db", str(tmp_path / "d.db"), "--screenshot",
                 str(tmp_path / "shot.png")], tmp_path)
    assert shot.returncode == 0, shot.stderr
    assert (tmp_path / "shot.png").stat().st_size > 10_000
