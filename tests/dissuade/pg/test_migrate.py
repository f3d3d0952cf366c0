"""`dissuade migrate --from FILE --to URL`: a centre's file moved into PostgreSQL whole and
checked; a second centre added with --centre; a database with data refused without it; a file
a hub serves refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import run_cli


def _centre(path: Path, n: int, *, offset: int = 0) -> Store:
    """A working centre: warnings, calls, an escalation, users, a full audit chain."""
    store = Store(path)
    store.add_user("officer-a", role="officer")
    store.add_user("lead-1", role="lead")
    results = store.add_warnings([warning_data(offset + i) for i in range(n)], actor="feed")
    assert all(r.created for r in results)
    for _ in range(3):
        w = store.claim_next(user="officer-a")
        assert w is not None
        store.record_attempt(w.id, outcome="no_answer", user="officer-a")
    w = store.claim_next(user="officer-a")
    assert w is not None
    store.record_attempt(w.id, outcome="brainwashed", user="officer-a", notes="坚持转账")
    return store


def test_a_centre_moves_whole_with_its_audit_chain(tmp_path: Path, pg_server: Any) -> None:
    db = tmp_path / "centre.db"
    _centre(db, 40).close()
    url = pg_server.new_database()
    done = run_cli("migrate", "--from", str(db), "--to", url)
    assert done.returncode == 0, done.stderr
    assert "ids kept" in done.stdout and "verified" in done.stdout
    source, target = Store(db), Store(url)
    for table in ("warnings", "attempts", "escalations", "audit", "users", "escalation_steps"):
        assert target.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == \
            source.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
    head = source.verify_audit()
    assert target.verify_audit().head_hash == head.head_hash
    # The moved centre works on: the next warning gets the next id, the chain goes on.
    w, _ = target.add_warning(warning_data(999), actor="feed")
    assert w.id == 41
    assert target.verify_audit().ok
    # Its officers and their tokens came with it.
    assert {u.name for u in target.list_users()} == {"officer-a", "lead-1"}
    source.close()
    target.close()


def test_a_second_centre_joins_a_province_renumbered(tmp_path: Path, pg_server: Any) -> None:
    url = pg_server.new_database()
    xm, cq = tmp_path / "xm.db", tmp_path / "cq.db"
    _centre(xm, 10).close()
    _centre(cq, 5, offset=100).close()
    assert run_cli("migrate", "--from", str(xm), "--to", url).returncode == 0
    refused = run_cli("migrate", "--from", str(cq), "--to", url)
    assert refused.returncode != 0 and "--centre" in refused.stderr
    merged = run_cli("migrate", "--from", str(cq), "--to", url, "--centre", "CQ")
    assert merged.returncode == 0, merged.stderr
    assert "renumbered" in merged.stdout
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT centre, count(*) FROM warnings GROUP BY centre "
                            "ORDER BY centre").fetchall()
        assert rows == [("", 10), ("CQ", 5)]
        # Every attempt still points at a warning of its own centre's.
        bad = conn.execute("SELECT count(*) FROM attempts a JOIN warnings w ON w.id = "
                           "a.warning_id WHERE (a.warning_id > 10) != (w.centre = 'CQ')"
                           ).fetchone()
        assert bad == (0,)
        (record,) = conn.execute("SELECT detail FROM audit WHERE action = 'centre.merge'"
                                 ).fetchone()
    assert '"centre": "CQ"' in record
    # The old file is untouched and still verifies its own head.
    cq_store = Store(cq)
    head = cq_store.verify_audit()
    assert head.ok
    cq_store.close()
    province = Store(url)
    assert province.verify_audit().ok
    province.close()


def test_a_file_a_hub_serves_is_refused(tmp_path: Path, pg_server: Any) -> None:
    db = tmp_path / "centre.db"
    serving = _centre(db, 5)  # an open connection stands for the hub
    url = pg_server.new_database()
    refused = run_cli("migrate", "--from", str(db), "--to", url)
    serving.close()
    assert refused.returncode != 0
    assert "in use" in refused.stderr
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM warnings").fetchone() == (0,)
