"""dissuade: the core of the anti-fraud dissuasion workbench (no Qt here)."""

from dissuade.sources import LocalSource, Source, open_source

__version__ = "0.1.0"
__all__ = ["LocalSource", "Source", "open_source", "__version__"]
