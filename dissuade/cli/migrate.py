"""`dissuade migrate --from FILE --to URL [--centre CODE]`: a centre's file moved into PostgreSQL."""

from __future__ import annotations

import argparse
import sys


def add_parsers(sub: argparse._SubParsersAction) -> None:
    migrate = sub.add_parser(
        "migrate", help="迁移中心数据库 / move a centre's database into PostgreSQL",
        description="Copies everything in FILE (audit chain included) into the PostgreSQL "
        "database at URL and checks it: the same rows in every table, the chain verifying with "
        "the same head. Refuses a database that already holds a centre's data unless --centre "
        "names the centre this file becomes (its rows are then renumbered and tagged, and one "
        "audit row records the file's chain head). Refuses while a hub serves FILE.")
    migrate.add_argument("--from", dest="source", required=True, metavar="FILE",
                         help="the centre's SQLite database file")
    migrate.add_argument("--to", dest="target", required=True, metavar="URL",
                         help="postgresql://USER@HOST:PORT/DBNAME (password from PGPASSWORD or "
                         "~/.pgpass)")
    migrate.add_argument("--centre", metavar="CODE",
                         help="add the file to a province database as this centre")
    migrate.set_defaults(handler=_migrate)


def _migrate(args: argparse.Namespace) -> int:
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
