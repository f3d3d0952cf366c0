"""`dissuade migrate`: a database's schema against this version, and a centre moved into
PostgreSQL. `--check` lists the migrations a database would get, without applying them (the hub
backs the file up and applies them when it starts; README, "Upgrades (升级)");
`--from FILE --to URL [--centre CODE]` moves a centre's file into PostgreSQL (store/move.py)."""

from __future__ import annotations

import argparse
import sys

UP_TO_DATE, PENDING, REFUSED = 0, 1, 2


def add_parsers(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The `migrate` subcommand; returned so that other ways of migrating can add their
    options to the same parser."""
    migrate = sub.add_parser(
        "migrate", help="数据库结构升级与迁移 / a database's schema (--check), or a centre moved "
        "into PostgreSQL (--from --to)",
        description="--check --db PATH lists the migrations this version would apply to PATH, "
        "without changing it: exit 0 when it is up to date, 1 when migrations are pending, 2 "
        "when this version cannot open it (a newer version's database, not a dissuade "
        "database). --from FILE --to URL copies everything in FILE (audit chain included) into "
        "the PostgreSQL database at URL and checks it: the same rows in every table, the chain "
        "verifying with the same head; it refuses a database that already holds a centre's "
        "data unless --centre names the centre this file becomes (its rows are then renumbered "
        "and tagged, and one audit row records the file's chain head), and refuses while a hub "
        "serves FILE.")
    migrate.add_argument("--check", action="store_true",
                         help="list pending migrations without applying them")
    migrate.add_argument("--db", metavar="PATH", help="the database file (or postgresql:// URL)")
    migrate.add_argument("--from", dest="source", metavar="FILE",
                         help="the centre's SQLite database file to move")
    migrate.add_argument("--to", dest="target", metavar="URL",
                         help="postgresql://USER@HOST:PORT/DBNAME (password from PGPASSWORD or "
                         "~/.pgpass)")
    migrate.add_argument("--centre", metavar="CODE",
                         help="add the file to a province database as this centre")
    migrate.set_defaults(handler=_migrate)
    return migrate


def _migrate(args: argparse.Namespace) -> int:
    from dissuade.domain.errors import DissuadeError

    if args.check:
        if not args.db:
            raise DissuadeError("migrate --check 需要 --db PATH / migrate --check needs --db PATH")
        return check(args.db)
    if args.source or args.target:
        if not (args.source and args.target):
            raise DissuadeError("--from 与 --to 需同时提供 / give both --from FILE and --to URL")
        return _move(args)
    raise DissuadeError("请指定 --check --db PATH 或 --from FILE --to URL / give --check --db "
                        "PATH, or --from FILE --to URL")


def _move(args: argparse.Namespace) -> int:
    from dissuade.store.move import move
    from dissuade.store.pg import redact

    done = move(args.source, args.target, centre=args.centre,
                progress=lambda m: print(f"  {m}", file=sys.stderr))
    print(f"迁移完成 / moved {args.source} into {redact(args.target)}"
          + (f" as centre {args.centre} (renumbered)" if done.renumbered else " (ids kept)"))
    print("  行数 / rows: " + ", ".join(f"{t} {n:,}" for t, n in done.counts.items() if n))
    if done.source_head:
        print(f"  原文件审计链末尾 / the file's audit head: {done.source_head[0]} "
              f"{done.source_head[1]}")
    if done.target_head:
        print(f"  目标审计链已校验 / target's audit chain verified, head {done.target_head[0]} "
              f"{done.target_head[1]}")
    return 0


def check(db: str) -> int:
    from dissuade.domain.errors import DatabaseUnusable
    from dissuade.store import dialect, upgrade

    if dialect.is_url(db):
        return _check_postgres(db)
    try:
        found = upgrade.schema(db)
    except DatabaseUnusable as exc:
        print(f"dissuade: {exc}", file=sys.stderr)
        return REFUSED
    if not found.exists:
        print(f"数据库不存在 / no such database: {db}", file=sys.stderr)
        return REFUSED
    print(f"数据库 / database: {found.path}")
    print(f"当前结构 / schema now: {found.current or '(空 / empty)'} "
          f"（已执行 {len(found.applied)} 个迁移 / {len(found.applied)} migrations applied）")
    if found.newer:
        print(f"数据库来自更新版本的 dissuade，此版本不能打开，请升级程序 / written by a newer "
              f"version of dissuade: this version refuses it; upgrade the program "
              f"(unknown: {', '.join(found.newer)}; this version knows up to {found.latest})")
        return REFUSED
    if not found.pending:
        print(f"已是最新 / up to date ({found.latest})")
        return UP_TO_DATE
    print(f"待执行的迁移 / pending migrations ({len(found.pending)}):")
    for m in found.pending:
        print(f"  {m.name}  {m.summary}")
    print(f"中心服务器启动时会先备份（{upgrade.backup_name(found).name} 之类的文件，在数据库旁边）"
          f"再升级 / the hub backs the file up beside it (named like "
          f"{upgrade.backup_name(found).name}) before applying them when it starts")
    return PENDING


def _check_postgres(url: str) -> int:
    """The same for a PostgreSQL database (its backup before an upgrade is pg_dump's)."""
    from dissuade.domain.errors import DissuadeError
    from dissuade.store import pg, upgrade

    try:
        names = set(pg.pending_migrations(url))
    except DissuadeError as exc:
        print(f"dissuade: {exc}", file=sys.stderr)
        return REFUSED
    print(f"数据库 / database: {pg.redact(url)}")
    pending = [m for m in upgrade.known() if m.name in names]
    if not pending:
        print(f"已是最新 / up to date ({upgrade.known()[-1].name})")
        return UP_TO_DATE
    print(f"待执行的迁移 / pending migrations ({len(pending)}):")
    for m in pending:
        print(f"  {m.name}  {m.summary}")
    print("升级前请先用 pg_dump 备份 / back it up with pg_dump before the hub upgrades it "
          "(dissuade backup --db URL prints the command)")
    return PENDING
