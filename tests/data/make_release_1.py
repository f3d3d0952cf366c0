"""Makes tests/data/release-1.db: a small centre's database as the previous release wrote it
(schema up to m011_waiting_and_held, before passwords), synthetic data only.

It must run against that release's code, not this one's:

    mkdir /tmp/release-1 && git archive a6af604 dissuade resources | tar -x -C /tmp/release-1
    PYTHONPATH=/tmp/release-1 python tests/data/make_release_1.py tests/data/release-1.db

tests/dissuade/test_upgrade.py opens a copy with this version and checks that every row is kept,
the audit chain still verifies and the hub backed the file up first. The tokens it prints go to
tests/data/release-1.tokens.json (synthetic users of a test file, nothing else).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from dissuade.store import Store

T0 = 1_796_000_000.0  # 2026-11-30 00:53 UTC: every time below is fixed, so the file is too
USERS = {"wang-wei": "officer", "li-na": "officer", "zhao-lead": "lead", "admin": "admin",
         "bank-feed": "feed", "trainer": "trainer"}
LEVELS = ["emergency", "high", "medium", "low"]
TYPES = ["fake_customer_service", "fake_investment", "order_brushing", "impersonating_authority"]


def warning(n: int) -> dict[str, object]:
    return {"external_id": f"R1-{n:04d}", "source": "bank", "phone": f"1390000{n:04d}",
            "name": "测试人", "scam_type": TYPES[n % len(TYPES)], "risk_level": LEVELS[n % 4],
            "synthetic": True, "amount_at_risk": 1000.0 * n, "district": "思明区",
            "cards": ["6222021234567890128"] if n % 3 == 0 else [],
            "notes": f"合成数据 {n}"}


def main(out: str) -> None:
    path = Path(out)
    if path.exists():
        raise SystemExit(f"{path} exists")
    store = Store(path)
    tokens = {name: store.add_user(name, role=role) for name, role in USERS.items()}
    ids = [int(store.add_warning(warning(n), actor="bank-feed", now=T0 + 60 * n)[0].id)
           for n in range(1, 13)]
    at = T0 + 3600
    outcomes = ["dissuaded", "no_answer", "busy", "not_fraud", "callback", "already_lost"]
    for i, (wid, outcome) in enumerate(zip(ids, outcomes, strict=False)):
        officer = "wang-wei" if i % 2 == 0 else "li-na"
        store.claim(wid, user=officer, now=at + i)
        extra: dict[str, object] = {}
        if outcome == "callback":
            extra = {"callback_at": at + 86_400, "callback_scope": "anyone"}
        store.record_attempt(wid, user=officer, outcome=outcome, notes=f"通话 {i}",
                             now=at + i + 30, **extra)  # type: ignore[arg-type]
    # A refusal on a warning with a card proposes a card lock; a lead approves, it is locked.
    store.claim(ids[8], user="wang-wei", now=at + 100)
    store.record_attempt(ids[8], user="wang-wei", outcome="brainwashed", now=at + 130)
    (lock,) = store.get(ids[8]).escalations
    store.decide_escalation(lock.id, decision="approve", note="批准止付", user="zhao-lead",
                            now=at + 200)
    store.advance_escalation(lock.id, status="sent", user="zhao-lead", now=at + 300)
    store.advance_escalation(lock.id, status="locked", user="zhao-lead", now=at + 400)
    # A door visit proposed by hand, waiting for the lead.
    store.claim(ids[9], user="li-na", now=at + 500)
    store.propose_escalation(ids[9], user="li-na", kind="door_visit", reason="多次关机",
                             now=at + 530)
    store.close()
    Path(f"{path}-wal").unlink(missing_ok=True)
    print(json.dumps(tokens, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
