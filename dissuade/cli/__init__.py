"""The `dissuade` command: the client, and the operator subcommands (one module each)."""

from dissuade.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
