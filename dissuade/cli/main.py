"""The `dissuade` command: the client, and the operator subcommands."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from dissuade import __version__, paths
from dissuade.cli import audit as cli_audit
from dissuade.cli import backup as cli_backup
from dissuade.cli import doctor as cli_doctor
from dissuade.cli import hub as cli_hub
from dissuade.cli import migrate as cli_migrate
from dissuade.cli import report as cli_report
from dissuade.cli import resources as cli_resources
from dissuade.cli import speak as cli_speak
from dissuade.domain.errors import DissuadeError

DEMO_WARNINGS = 2000
IMPORT_PROGRESS_EVERY = 10_000  # rows between progress lines on stderr


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
    parser.add_argument("--user", help="act as this user on a local database (default: the "
                        "login name); the name the sign-in window fills in")
    parser.add_argument("--lang", choices=["zh", "en"], help="interface language (default: zh, "
                        "or the last one chosen)")
    parser.add_argument("--screenshot", metavar="PNG",
                        help="render the main window to this PNG and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="add synthetic warnings to a database")
    demo.add_argument("--db", required=True, metavar="PATH")
    demo.add_argument("--warnings", type=int, default=DEMO_WARNINGS, metavar="N")
    demo.add_argument("--seed", type=int, default=None, help="for reproducible data")

    imp = sub.add_parser("import", help="导入预警表格 / import warnings from a CSV or XLSX file",
                         description="CSV (UTF-8, GBK/GB18030) or XLSX (every sheet with a "
                         "phone column); Chinese or English headings. Rows imported with "
                         "problems go to FILE.problems.csv, rejected rows to FILE.rejected.csv, "
                         "each with its reasons.")
    imp.add_argument("file", metavar="FILE")
    into = imp.add_mutually_exclusive_group(required=True)
    into.add_argument("--db", metavar="PATH", help="an existing database file")
    into.add_argument("--server", metavar="URL", help="a hub (dissuade serve)")
    imp.add_argument("--token", help="hub token; better given in DISSUADE_TOKEN")
    imp.add_argument("--outreach", action="store_true",
                     help="the hub sends the SMS at arrival to these warnings too (with "
                     "--server; an import sends nothing by default)")
    cli_hub.add_parsers(sub)
    cli_report.add_parsers(sub)
    cli_audit.add_parsers(sub)
    cli_backup.add_parsers(sub)
    cli_speak.add_parsers(sub)
    cli_migrate.add_parsers(sub)
    cli_doctor.add_parsers(sub)
    cli_resources.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "demo":
            return _demo(args)
        if args.command == "import":
            return _import(args)
        handler = getattr(args, "handler", None)
        if handler is not None:
            return int(handler(args))
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


def _import(args: argparse.Namespace) -> int:
    from dissuade.feeds import importer
    from dissuade.sources import Source, open_source

    source: Source
    if args.outreach and not args.server:
        raise DissuadeError("--outreach 需与 --server 同用：短信由服务器的短信网关发送 / "
                            "--outreach needs --server: the hub's SMS gateway sends the SMS")
    if args.server:
        try:
            source = open_source(args.server, token=args.token or os.environ.get("DISSUADE_TOKEN"))
        except NotImplementedError as exc:
            raise DissuadeError(f"{exc}: {args.server}") from None
    else:
        from dissuade.sources import open_operator

        source = open_operator(args.db)  # a mistyped path must not make a new database
    shown = 0

    def progress(done: int, total: int | None) -> None:
        nonlocal shown
        if done - shown >= IMPORT_PROGRESS_EVERY or (shown and done == total and done != shown):
            shown = done
            of = f"/{total:,}" if total else ""
            print(f"已读取 / read {done:,}{of} 行 / rows", file=sys.stderr, flush=True)

    try:
        from dissuade.store.connection import refuse_database_file

        # Reading the database itself as a feed's file would drop this process's locks on it.
        refuse_database_file(args.file, what="input")
        result = importer.import_file(args.file, source, progress=progress,
                                      outreach=args.outreach)
    finally:
        source.close()
    print(f"导入完成 / import finished: {result.path}（{result.seconds:.1f} 秒 / s"
          + (f"，编码 / encoding {result.encoding}" if result.encoding else "") + "）")
    print(f"  新导入 / imported:              {result.imported:>9,}")
    print(f"  已导入过 / already imported:    {result.already_known:>9,}")
    print(f"  有问题 / imported with problems: {result.with_problems:>8,}")
    print(f"  拒绝 / rejected:                {result.rejected:>9,}")
    if result.problems_path is not None:
        print(f"  有问题的行（已导入，问题字段留空）见 / rows imported with problems: "
              f"{result.problems_path}")
    if result.rejected_path is not None:
        print(f"  拒绝的行及原因见 / rejected rows with reasons: {result.rejected_path}")
    if len(result.sheets) > 1 or result.skipped_sheets:
        print(f"  已导入的工作表 / sheets imported: {'、'.join(result.sheets)}")
    for name, why in result.skipped_sheets:
        print(f"  跳过的工作表 / sheet skipped: {name}（{why}）")
    if result.unknown_columns:
        print(f"  未识别的列（已忽略）/ unknown columns (ignored): {'、'.join(result.unknown_columns)}")
    if result.duplicate_columns:
        print(f"  重复的列（已忽略）/ duplicate columns (ignored): {'、'.join(result.duplicate_columns)}")
    if not result.has_external_id and result.imported:
        print("  注意：没有预警编号列，再次导入此文件会重复添加 / note: no external_id column, so "
              "importing this file again adds its rows again")
    return 0


def _client(args: argparse.Namespace) -> int:
    from dissuade import demo
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
        target = ""  # the sign-in window asks (the hub's address last used is filled in)
        if args.screenshot:
            raise DissuadeError("请指定 --db PATH、--server URL 或 --demo / "
                                "give --db PATH, --server URL or --demo")
    token = (args.token or os.environ.get("DISSUADE_TOKEN")) if args.server else None
    from ui.app import Start, run  # Qt only when a window is wanted

    # Never a terminal prompt: a name and password missing are asked in the sign-in window.
    return run(Start(target, args.user or "", token or None, bool(args.demo)), lang=args.lang,
               screenshot=args.screenshot)


if __name__ == "__main__":
    sys.exit(main())
