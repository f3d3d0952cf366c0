"""帮助 → 诊断: the doctor's checks in the client, run off the UI thread, problems first with their
fix; the window stays responsive meanwhile."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from dissuade.store import Store
from ui.centre.doctor_dialog import DoctorDialog, workstation_setup
from ui.common import settings_keys as keys


def test_diagnostics_under_help_show_each_problem_with_its_fix(
        qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    Store(db).close()
    monkeypatch.setenv("DISSUADE_DIAL_COMMAND", "no-such-pbx --to {national}")
    for name in ("DISSUADE_DIAL_URI", "DISSUADE_DIAL_SIP"):
        monkeypatch.delenv(name, raising=False)
    window = make_window(db, lang="zh")
    window.show()
    action = window.doctor_action
    assert action in window.help_menu.actions() and action.text() == "诊断…"
    action.trigger()
    dialog = window.doctor_dialog
    assert isinstance(dialog, DoctorDialog) and dialog.objectName() == "doctorDialog"
    assert not dialog.again.isEnabled()  # running, off the UI thread: the window still draws
    with qtbot.waitSignal(dialog.did_check, timeout=60_000) as done:
        pass
    findings = done.args[0]
    table = dialog.table
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    by_key = {f.key: f for f in findings}
    assert by_key["database"].ok and str(db) in by_key["database"].detail
    assert not by_key["dial"].ok
    # Problems first, in Chinese, with the fix beside them.
    assert rows[0][0] == "问题" and rows[0][1] == "拨号网关"
    assert "no-such-pbx" in rows[0][2] and "DISSUADE_DIAL_COMMAND" in rows[0][3]
    assert {r[1] for r in rows} >= {"中文字体", "数据库", "磁盘空间", "拨号网关", "短信网关"}
    assert "问题" in dialog.summary.text()
    assert dialog.again.isEnabled()


def test_a_hub_workstation_checks_the_hub_not_a_file(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    keys.SMS_KIND.write(settings, "webhook")
    keys.SMS_WEBHOOK.write(settings, "http://127.0.0.1:9/sms")
    setup = workstation_setup("hub", "http://hub.example:8470", settings)
    assert setup.server == "http://hub.example:8470" and setup.db is None
    assert setup.sms.kind == "webhook" and setup.bank is None and setup.dialer is None
    local = workstation_setup("local", str(tmp_path / "c.db"), settings)
    assert local.db == str(tmp_path / "c.db") and local.bank is not None
