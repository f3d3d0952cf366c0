"""The command line: demo data, and clear messages for files that are not our database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dissuade import cli, open_source
from dissuade.domain.codes import ScamType
from dissuade.store import Store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_makes_synthetic_warnings_of_every_type_and_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.db"
    code, out, _ = run(capsys, "demo", "--db", str(db), "--warnings", "3000", "--seed", "3")
    assert code == 0 and "3,000" in out
    conn = sqlite3.connect(db)
    (total, synthetic) = conn.execute("SELECT count(*), sum(synthetic) FROM warnings").fetchone()
    assert total == synthetic == 3000
    types = {t for (t,) in conn.execute("SELECT DISTINCT scam_type FROM warnings")}
    assert types == {t.value for t in ScamType}
    levels = {lv for (lv,) in conn.execute("SELECT DISTINCT risk_level FROM warnings")}
    assert levels == {"emergency", "high", "medium", "low"}
    (repeats,) = conn.execute("SELECT count(*) FROM warnings WHERE repeat_victim").fetchone()
    (with_cards,) = conn.execute("SELECT count(*) FROM warnings WHERE cards != '[]'").fetchone()
    (with_amount,) = conn.execute(
        "SELECT count(*) FROM warnings WHERE amount_at_risk > 0").fetchone()
    (prefixes,) = conn.execute("SELECT count(DISTINCT substr(phone, 1, 10)) FROM warnings").fetchone()
    (span,) = conn.execute("SELECT max(arrived_at) - min(arrived_at) FROM warnings").fetchone()
    conn.close()
    assert 0 < repeats < 300 and 300 < with_cards < 1500 and with_amount > 1000
    assert prefixes > 100  # numbers from many regions
    assert span > 2 * 86400  # arrivals spread over recent days
    source = open_source(db, user="officer-1")
    assert source.queue_size() > 0
    for warning in source.queue(limit=20):
        assert warning.synthetic
    source.close()


def test_demo_refuses_a_file_that_is_not_a_database_and_leaves_it_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("值班记录\n", encoding="utf-8")
    code, _, err = run(capsys, "demo", "--db", str(notes), "--warnings", "10")
    assert code == 2
    assert "not an SQLite database" in err and str(notes) in err
    assert notes.read_text(encoding="utf-8") == "值班记录\n"


def test_a_database_from_a_newer_version_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "centre.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('dissuade', 'm999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    code, _, err = run(capsys, "demo", "--db", str(db), "--warnings", "10")
    assert code == 2 and "newer version" in err and "m999_from_the_future" in err
    (count,) = sqlite3.connect(db).execute("SELECT count(*) FROM warnings").fetchone()
    assert count == 0


def test_another_programs_sqlite_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('x')")
    conn.commit()
    conn.close()
    code, _, err = run(capsys, "demo", "--db", str(db), "--warnings", "10")
    assert code == 2 and "not a dissuade database" in err
    tables = {t for (t,) in sqlite3.connect(db).execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"contacts"}


def test_opening_a_missing_database_says_so(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.db"
    # With --screenshot there is no sign-in window to show it in: stderr, exit 2.
    code, _, err = run(capsys, "--db", str(missing), "--screenshot", str(tmp_path / "s.png"))
    assert code == 2 and "does not exist" in err
    assert not missing.exists()


def test_negative_warning_count_is_refused(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "demo", "--db", str(tmp_path / "d.db"), "--warnings", "-1")
    assert code == 2 and "--warnings" in err


def test_demo_adds_to_an_existing_database_without_touching_what_is_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "d.db"
    run(capsys, "demo", "--db", str(db), "--warnings", "50", "--seed", "1")
    before = sqlite3.connect(db).execute("SELECT * FROM warnings ORDER BY id").fetchall()
    run(capsys, "demo", "--db", str(db), "--warnings", "50", "--seed", "1")
    after = sqlite3.connect(db).execute("SELECT * FROM warnings ORDER BY id").fetchall()
    assert after[:50] == before and len(after) == 100
