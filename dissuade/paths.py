"""Where per-user data lives (demo database, outbox): the platform's usual folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def data_dir() -> Path:
    """DISSUADE_DATA_DIR, else %LOCALAPPDATA%, ~/Library/Application Support or XDG_DATA_HOME."""
    override = os.environ.get("DISSUADE_DATA_DIR")
    if override:
        base = Path(override)
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "dissuade"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "dissuade"
    else:
        xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        base = Path(xdg) / "dissuade"
    base.mkdir(parents=True, exist_ok=True)
    return base


def demo_db() -> Path:
    return data_dir() / "demo.db"
