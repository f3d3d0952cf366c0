"""The `dissuade resources` subcommand: where each shipped file is found (see ui/bundle_report.py)."""

from __future__ import annotations

import argparse


def add_parsers(sub: argparse._SubParsersAction) -> None:
    res = sub.add_parser("resources", help="列出随程序提供的文件 / list the files this program ships "
                         "and check each one",
                         description="Playbooks, translations, sounds, fonts, Qt's plugins and "
                         "time zones: where each is found and whether it loads. Exit status 1 "
                         "when anything is missing (check a copied workstation bundle with it).")
    res.add_argument("--json", action="store_true", help="machine-readable output")
    res.set_defaults(handler=_resources)


def _resources(args: argparse.Namespace) -> int:
    from ui.bundle_report import main  # Qt only here

    return main(as_json=args.json)
