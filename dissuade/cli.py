"""The `dissuade` command: the client, and the operator subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dissuade import __version__, paths
from dissuade.errors import DissuadeError

DEMO_WARNINGS = 2000


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dissuade",
        description="反诈劝阻工作台 / anti-fraud dissuasion workbench. "
        "With no subcommand, opens the client.",
    )
    parser.add_argument("--version", action="version", version=f"dissuade {__version__}")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", metavar="PATH", help="open this database file")
    where.add_argument("--server", metavar="URL", help="connect to a hub (dissuade serve)")
    where.add_argument("--demo", action="store_true",
                       help=f"open a demo database in the user's data folder "
                            f"(created with {DEMO_WARNINGS:,} synthetic warnings when absent)")
    parser.add_argument("--token", help="hub token; better given in DISSUADE_TOKEN")
    parser.add_argument("--user", help="act as this user on a local database "
                        "(default: the login name)")
    parser.add_argument("--lang", choices=["zh", "en"], help="interface language (default: zh, "
                        "or the last one chosen)")
    parser.add_argument("--screenshot", metavar="PNG",
                        help="render the main window to this PNG and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="add synthetic warnings to a database")
    demo.add_argument("--db", required=True, metavar="PATH")
    demo.add_argument("--warnings", type=int, default=DEMO_WARNINGS, metavar="N")
    demo.add_argument("--seed", type=int, default=None, help="for reproducible data")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "demo":
            return _demo(args)
        return _client(args)
    except DissuadeError as exc:
        print(f"dissuade: {exc}", file=sys.stderr)
        return 2


def _demo(args: argparse.Namespace) -> int:
    from dissuade import demo
    from dissuade.store import Store

    if args.warnings < 0:
        raise DissuadeError("--warnings 不能为负数 / --warnings must not be negative")
    store = Store(args.db)
    try:
        def progress(done: int, total: int) -> None:
            if total >= 200_000:
                print(f"\r{done:,}/{total:,}", end="" if done < total else "\n",
                      file=sys.stderr, flush=True)

        result = demo.generate(store, warnings=args.warnings, seed=args.seed, progress=progress)
    finally:
        store.close()
    print(f"已生成 {result.warnings:,} 条合成预警（{result.attempts:,} 次处置记录，"
          f"{result.escalations:,} 个升级）于 {result.seconds:.1f} 秒 / generated "
          f"{result.warnings:,} synthetic warnings into {args.db}")
    return 0


def _client(args: argparse.Namespace) -> int:
    from dissuade import demo
    from dissuade.source import open_source
    from dissuade.store import Store

    if args.server:
        target: str = args.server
    elif args.demo:
        target = str(paths.demo_db())
        if not paths.demo_db().exists():
            store = Store(target)
            try:
                demo.generate(store, warnings=DEMO_WARNINGS)
            finally:
                store.close()
    elif args.db:
        target = args.db
    else:
        raise DissuadeError("请指定 --db PATH、--server URL 或 --demo / "
                            "give --db PATH, --server URL or --demo")
    source = open_source(target, user=args.user, token=args.token, create=args.demo)
    from ui.app import run_client  # Qt only when a window is wanted

    return run_client(source, lang=args.lang, screenshot=args.screenshot)


if __name__ == "__main__":
    sys.exit(main())
