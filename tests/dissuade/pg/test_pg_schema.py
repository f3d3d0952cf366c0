"""The schema on PostgreSQL is SQLite's: the same tables, the same columns, the same default
policy, the same migrations recorded."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from dissuade.domain.errors import DatabaseUnusable
from dissuade.store import Store
from dissuade.store.connection import connect
from dissuade.store.pg import pending_migrations, redact
from dissuade.store.schema import migrations


def _sqlite_columns() -> dict[str, list[str]]:
    conn = connect(":memory:")
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' "
        "AND name NOT LIKE 'sqlite%'")]
    out = {t: sorted(r[1] for r in conn.execute(f"PRAGMA table_info({t})")) for t in tables}
    conn.close()
    return out


def test_both_engines_have_the_same_tables_and_columns(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name != 'dissuade_migrations'"
        ).fetchall()
    pg: dict[str, list[str]] = {}
    for table, column in rows:
        pg.setdefault(table, []).append(column)
    assert {t: sorted(c) for t, c in pg.items()} == _sqlite_columns()


def test_a_new_database_has_the_default_policy_and_every_migration_recorded(pg_url: str) -> None:
    store = Store(pg_url)
    try:
        sqlite = Store(":memory:")
        assert store.policy() == sqlite.policy()
        sqlite.close()
    finally:
        store.close()
    assert pending_migrations(pg_url) == []
    with psycopg.connect(pg_url) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM dissuade_migrations ORDER BY id")]
    assert names == [m.name for m in migrations._migrations]


def test_the_audit_is_append_only_on_postgresql_too(pg_url: str) -> None:
    store = Store(pg_url)
    store.add_user("alice", role="officer")
    with pytest.raises(Exception, match="append-only"):
        store.conn.execute("UPDATE audit SET actor = 'mallory'")
    store.close()


def test_a_foreign_or_newer_database_is_refused(pg_server: Any) -> None:
    foreign = pg_server.new_database()
    with psycopg.connect(foreign, autocommit=True) as conn:
        conn.execute("CREATE TABLE payroll (id int)")
    with pytest.raises(DatabaseUnusable, match="not a dissuade database"):
        Store(foreign)
    newer = pg_server.new_centre()
    with psycopg.connect(newer, autocommit=True) as conn:
        conn.execute("INSERT INTO dissuade_migrations (migration_set, name, applied_at) "
                     "VALUES ('dissuade', 'm999_from_the_future', 0)")
    with pytest.raises(DatabaseUnusable, match="newer version"):
        Store(newer)


def test_a_password_in_the_url_never_reaches_a_message(pg_server: Any) -> None:
    url = f"postgresql://dissuade:s3cret@127.0.0.1:{pg_server.port}/no_such_db"
    assert "s3cret" not in redact(url)
    with pytest.raises(DatabaseUnusable) as caught:
        Store(url)
    assert "s3cret" not in str(caught.value)
    assert "no_such_db" in str(caught.value)
