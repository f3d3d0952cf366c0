"""`dissuade audit verify`: show that no audit row was edited, removed or slipped in."""

from __future__ import annotations

import argparse
import re

HEAD = re.compile(r"^(\d+):([0-9a-fA-F]{8,64})$")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    audit = sub.add_parser("audit", help="审计日志 / the audit log")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="check the hash chain of the audit log",
        description="Walks the audit log from its first row: an edited, removed or inserted row "
        "breaks the chain and is named. Exit status 0 when intact, 1 when not.")
    verify.add_argument("--db", required=True, metavar="PATH")
    verify.add_argument("--expect-head", metavar="ID:HASH",
                        help="the chain's head as printed earlier (in a shift report): also "
                        "catches rows cut off the end")
    verify.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    from dissuade.domain.errors import DissuadeError
    from dissuade.store import Store

    expect = None
    if args.expect_head:
        match = HEAD.match(args.expect_head.strip())
        if match is None:
            raise DissuadeError("--expect-head 应为 编号:哈希 / --expect-head must be ID:HASH, "
                                "as a shift report prints it")
        expect = (int(match.group(1)), match.group(2))
    store = Store(args.db, create=False)
    try:
        verdict = store.verify_audit(expect_head=expect)
    finally:
        store.close()
    if verdict.ok:
        print(f"审计日志完整 / audit log intact: {verdict.rows:,} rows; head "
              f"{verdict.head_id}:{verdict.head_hash[:16]}")
        return 0
    from dissuade.domain.codes import AUDIT_PROBLEMS

    zh = AUDIT_PROBLEMS.get(verdict.code, ("", ""))[0]
    print(f"审计日志被改动 / audit log TAMPERED at row {verdict.broken_at}: {zh} / "
          f"{verdict.problem} ({verdict.rows:,} rows checked before it)")
    return 1
