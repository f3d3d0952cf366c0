"""Every `--db` takes a PostgreSQL URL: an operator's subcommands against a province database."""

from __future__ import annotations

from pathlib import Path

from tests.hubs import run_cli


def test_the_operator_commands_take_a_postgresql_url(pg_url: str, tmp_path: Path) -> None:
    added = run_cli("user", "add", "li-na", "--role", "officer", "--centre", "CQ", "--db", pg_url)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip().startswith("dsd_")
    demo = run_cli("demo", "--db", pg_url, "--warnings", "300", "--seed", "7")
    assert demo.returncode == 0, demo.stderr
    sheet = tmp_path / "feed.csv"
    sheet.write_text("手机号,诈骗类型,预警等级,区县\n13800138000,刷单返利,红色预警,渝北区\n"
                     "1380013800x,刷单返利,红色预警,渝北区\n", encoding="utf-8")
    imported = run_cli("import", str(sheet), "--db", pg_url)
    assert imported.returncode == 0, imported.stderr
    assert "1" in imported.stdout
    report = tmp_path / "report.xlsx"
    written = run_cli("report", "--db", pg_url, "-o", str(report))  # this shift
    assert written.returncode == 0, written.stderr
    assert report.stat().st_size > 5000
    verified = run_cli("audit", "verify", "--db", pg_url)
    assert verified.returncode == 0, verified.stderr
    listed = run_cli("user", "list", "--db", pg_url)
    assert "li-na\tofficer" in listed.stdout
    backup = run_cli("backup", "--db", pg_url, "-o", str(tmp_path / "b.dump"))
    assert backup.returncode == 2 and "pg_dump" in backup.stdout


def test_a_password_in_the_url_is_never_printed(pg_server: object) -> None:
    url = f"postgresql://dissuade:Secret-123@127.0.0.1:{pg_server.port}/postgres"  # type: ignore[attr-defined]
    done = run_cli("user", "list", "--db", url)
    assert "Secret-123" not in done.stdout + done.stderr
