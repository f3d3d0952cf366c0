"""The hub's systemd unit (packaging/dissuade-hub.service): hardened as README says, its command
one that `dissuade serve` accepts, and clean for systemd-analyze where systemd is installed."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dissuade.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "packaging" / "dissuade-hub.service"
DATA = "/var/lib/dissuade"


def parse_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """Sections of a unit file, each key with every value it was given (keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        assert current is not None, f"a key outside any section: {line}"
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_the_hub_unit_is_hardened_and_writes_only_its_data_folder() -> None:
    service = parse_unit(UNIT)["Service"]

    def one(key: str) -> str:
        assert len(service.get(key, [])) == 1, f"{key} given {len(service.get(key, []))} times"
        return service[key][0]

    assert one("User") == "dissuade" and one("Group") == "dissuade"  # its own user, never root
    assert one("ProtectSystem") == "strict"
    assert one("ReadWritePaths") == DATA  # nothing else writable
    for key in ("NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices",
                "ProtectKernelTunables", "ProtectKernelModules", "ProtectControlGroups",
                "RestrictSUIDSGID", "LockPersonality", "RestrictNamespaces"):
        assert one(key) == "yes", key
    assert one("CapabilityBoundingSet") == "" and one("AmbientCapabilities") == ""
    assert one("Restart") == "on-failure"
    assert float(one("TimeoutStopSec")) <= 10  # tests/dissuade/hub/test_service_stop.py
    assert f"DISSUADE_DATA_DIR={DATA}" in service["Environment"]  # bank outbox, chase voices
    argv = shlex.split(one("ExecStart"))
    assert Path(argv[0]).name == "dissuade"
    args = build_parser().parse_args(argv[1:])  # options the real command accepts
    assert args.command == "serve" and args.db.startswith(DATA + "/")


def test_the_journald_limits_parse() -> None:
    journal = parse_unit(ROOT / "packaging" / "journald-dissuade.conf")["Journal"]
    assert re.fullmatch(r"\d+[KMG]", journal["SystemMaxUse"][0])


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed")
def test_systemd_analyze_finds_nothing_to_say(tmp_path: Path) -> None:
    """`verify` warns (and still exits 0) on an unknown key or a bad value: it must say nothing.
    The program path is this environment's, which verify checks exists."""
    program = Path(sys.executable).parent / "dissuade"
    if not program.exists():
        pytest.skip("no installed dissuade command to point the unit at")
    unit = tmp_path / "dissuade-hub.service"
    unit.write_text(UNIT.read_text(encoding="utf-8").replace("/opt/dissuade/venv/bin/dissuade",
                                                             str(program)), encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    security = subprocess.run(["systemd-analyze", "security", "--offline=yes", str(unit)],
                              capture_output=True, text=True, timeout=60)
    if security.returncode == 0:  # systemd 252 and later can judge a unit file offline
        level = re.search(r"Overall exposure level for \S+: ([\d.]+)", security.stdout)
        assert level and float(level.group(1)) <= 2.0, security.stdout[-500:]
