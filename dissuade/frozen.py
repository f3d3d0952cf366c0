"""Running from a workstation bundle (PyInstaller or Nuitka) rather than from Python."""

from __future__ import annotations

import sys
from pathlib import Path

# The first argument that makes the bundle's executable act as the speech engine's child
# process (a frozen executable has no `-c`).
SPEECH_CHILD = "--speech-child"


def is_frozen() -> bool:
    """Whether this process is a bundle's executable (PyInstaller sets sys.frozen, Nuitka
    `__compiled__` on every compiled module)."""
    return bool(getattr(sys, "frozen", False)) or "__compiled__" in globals()


def bundle_dir() -> Path | None:
    """The bundle's folder (where its executable is), or None when run from Python."""
    return Path(sys.executable).resolve().parent if is_frozen() else None


def console_executable() -> str:
    """The executable to start a child process with: in the Windows bundle the console one
    (dissuade-cli.exe: a windowed program's child has no standard streams to talk through),
    else this one."""
    base = bundle_dir()
    if base is not None and sys.platform == "win32" and (base / "dissuade-cli.exe").exists():
        return str(base / "dissuade-cli.exe")
    return sys.executable
