"""Finding shipped data files, from a checkout or an installed wheel alike."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_dir(*parts: str) -> Path:
    """A folder under the `resources` package (playbooks, i18n, sounds)."""
    base = resources.files("resources")
    return Path(str(base.joinpath(*parts)))
