"""The shift handover report as files: XLSX, CSV and PDF (to be written)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def write_report(data: dict[str, Any], path: Path, fmt: str) -> Path:
    raise NotImplementedError(fmt)
