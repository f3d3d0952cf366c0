"""`dissuade backup` and `dissuade restore`: a running centre's database, copied and put back."""

from __future__ import annotations

import argparse
import sys

PG_EXIT = 2  # settled: PostgreSQL is backed up with its own tools


def add_parsers(sub: argparse._SubParsersAction) -> None:
    backup = sub.add_parser(
        "backup", help="备份数据库 / back up a database, also while the hub serves it",
        description="Copies the database through SQLite's backup API (consistent, online: the "
        "hub keeps working), checks the copy (integrity and the audit chain) and only then "
        "writes FILE. Prints the audit chain's head, for `audit verify --expect-head`.")
    backup.add_argument("--db", required=True, metavar="PATH",
                        help="the database file (a postgresql:// URL prints the pg_dump command)")
    backup.add_argument("-o", "--output", required=True, metavar="FILE")
    backup.add_argument("--force", action="store_true", help="replace FILE if it exists")
    backup.set_defaults(handler=_backup)

    restore = sub.add_parser(
        "restore", help="从备份恢复 / put a backup in place of a database",
        description="Checks the backup (integrity and the audit chain), then writes it into "
        "PATH through SQLite's backup API. Refuses while a hub or a client has PATH open, and "
        "refuses an existing PATH without --force.")
    restore.add_argument("file", metavar="FILE", help="the backup")
    restore.add_argument("--db", required=True, metavar="PATH",
                         help="the database to restore into (a postgresql:// URL prints the "
                         "pg_restore command)")
    restore.add_argument("--force", action="store_true", help="replace PATH if it exists")
    restore.set_defaults(handler=_restore)


def _backup(args: argparse.Namespace) -> int:
    from dissuade.store import backup, dialect

    if dialect.is_url(args.db):
        print("PostgreSQL 数据库请用 pg_dump 备份 / back up a PostgreSQL database with pg_dump "
              "(password from PGPASSWORD or ~/.pgpass):", file=sys.stderr)
        print(backup.pg_dump_command(args.db, args.output))
        return PG_EXIT
    done = backup.backup(args.db, args.output, force=args.force)
    print(f"备份完成 / backup written: {done.path}（{done.size / 1e6:.1f} MB，{done.seconds:.1f} 秒 / s）")
    print(f"  完整性检查 / integrity check: ok；预警 / warnings: {done.warnings:,}")
    print(f"  审计日志完整 / audit log intact: {done.audit_rows:,} rows; head {done.head}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from dissuade.store import backup, dialect

    if dialect.is_url(args.db):
        print("PostgreSQL 数据库请用 pg_restore 恢复 / restore a PostgreSQL database with "
              "pg_restore (password from PGPASSWORD or ~/.pgpass):", file=sys.stderr)
        print(backup.pg_restore_command(args.db, args.file))
        return PG_EXIT
    done = backup.restore(args.file, args.db, force=args.force,
                          progress=lambda text: print(text, file=sys.stderr, flush=True))
    print(f"恢复完成 / restored: {args.file} -> {done.path}（{done.seconds:.1f} 秒 / s）")
    print(f"  完整性检查 / integrity check: ok；预警 / warnings: {done.warnings:,}")
    print(f"  审计日志完整 / audit log intact: {done.audit_rows:,} rows; head {done.head}")
    return 0
