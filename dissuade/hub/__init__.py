"""The hub: `dissuade serve`, the HTTP API v1 over one database file."""

from dissuade.hub.app import create_app

__all__ = ["create_app"]
