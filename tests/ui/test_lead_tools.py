"""The lead's tools in the client: alerts for breaches, emergencies and running-out holds, and
the centre policy edited without a code change."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit

from dissuade.domain import timeutil
from dissuade.store import Store
from tests.conftest import warning_data
from ui import MainWindow


def _centre(tmp_path: Path) -> Path:
    db = tmp_path / "centre.db"
    store = Store(db)
    store.add_user("lead-1", role="lead")
    store.add_user("officer-007", role="officer")
    store.close()
    return db


def test_the_lead_is_alerted_to_breaches_and_running_out_holds(
        qtbot, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _centre(tmp_path)
    store = Store(db)
    now = time.time()
    # Reported 12 minutes ago at emergency level (10-minute limit): overdue, never called.
    late = int(store.add_warning(warning_data(1, risk_level="emergency", scam_type="fake_loan"),
                                 actor="feed", now=now - 12 * 60)[0].id)
    held = int(store.add_warning(warning_data(2, cards=["6222020202020202020"]), actor="feed")[0].id)
    store.claim(held, user="officer-007")
    store.record_attempt(held, user="officer-007", outcome="brainwashed")
    (e,) = store.get(held).escalations
    store.decide_escalation(e.id, decision="approve", user="lead-1")
    store.advance_escalation(e.id, status="sent", user="officer-007")
    store.advance_escalation(e.id, status="locked", user="officer-007", now=now - 47 * 3600)
    store.close()

    window = make_window(db, user="lead-1")
    centre = window.centre
    told: list[tuple[str, str]] = []
    centre.notifier.did_notify.connect(lambda kind, text: told.append((kind, text)))
    with qtbot.waitSignal(centre.watch.holds_will_expire, timeout=10_000):
        centre.watch.check()
    qtbot.waitUntil(lambda: {k for k, _ in told} == {"breach", "hold"}, timeout=5_000)
    breach = next(text for kind, text in told if kind == "breach")
    assert "1" in breach and ("超过处置时限" in breach or str(late) in breach)
    hold = next(text for kind, text in told if kind == "hold")
    assert str(e.id) in hold and "止付" in hold
    assert window.alert_banner.isVisibleTo(window)

    # Told once: the next look says nothing new until something new happens.
    told.clear()
    with qtbot.waitSignal(centre.watch_runner.did_finish, timeout=10_000):
        centre.watch.check()
    assert told == []
    # A warning that arrives already past its limit (the feed was late) is told at the next look.
    store = Store(db)
    store.add_warning(warning_data(3, risk_level="emergency",
                                   reported_at=timeutil.iso(time.time() - 11 * 60)), actor="feed")
    store.close()
    with qtbot.waitSignal(centre.watch.breaches_did_happen, timeout=10_000) as breached:
        centre.watch.check()
    count, fresh = breached.args
    assert count == 2 and [w.external_id for w in fresh] == ["T-000003"]


def test_officers_are_not_alerted_to_breaches(
        qtbot, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _centre(tmp_path)
    window = make_window(db, user="officer-007")
    assert window.centre.watch is not None and window.centre.watch.watch_breaches is False
    # A lead's menu entries do not exist for an officer (not merely hidden).
    assert window.centre.policy_action is None and window.centre.report_action is None
    assert window.findChild(QAction, "policyAction") is None


def test_an_emergency_arrival_is_announced(
        qtbot, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _centre(tmp_path)
    window = make_window(db, user="lead-1")
    window.show()
    with qtbot.waitSignal(window.centre.notifier.did_notify, timeout=20_000) as told:
        store = Store(db)
        store.add_warning(warning_data(9, risk_level="emergency", scam_type="fake_loan"),
                          actor="feed")
        store.close()
    kind, text = told.args
    assert kind == "emergency" and "虚假网络贷款" in text and "F2" in text


def test_a_lead_changes_the_policy_in_the_client(
        qtbot, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _centre(tmp_path)
    window = make_window(db, user="lead-1")
    dialog = window.centre.edit_policy()
    first = dialog.findChild(QAbstractSpinBox, "policy_high_first_contact_minutes")
    first.setValue(20)  # type: ignore[attr-defined]
    after = dialog.findChild(QComboBox, "policy_low_after_max")
    after.setCurrentIndex(after.findData("door_visit"))
    dialog.findChild(QAbstractSpinBox, "policyHoldHours").setValue(72)  # type: ignore[attr-defined]
    dialog.findChild(QLineEdit, "policyShiftStarts").setText("8:00, 16:00, 0:00")
    dialog._add_station("思明区", "思明分局中华派出所")
    with qtbot.waitSignal(dialog.policy_did_save, timeout=10_000) as saved:
        dialog.save()
    policy = saved.args[0]
    assert policy.level("high").first_contact_minutes == 20
    assert policy.level("low").after_max == "door_visit"
    assert (policy.hold_hours, policy.shift_starts) == (72, (0, 8, 16))
    assert policy.stations == {"思明区": "思明分局中华派出所"}
    store = Store(db)
    assert store.policy() == policy
    audited = [a for (a,) in store.conn.execute("SELECT action FROM audit WHERE actor = 'lead-1'")]
    assert audited.count("policy.update") == 2 and audited.count("policy.settings") == 1
    store.close()


def test_a_bad_policy_value_is_refused_naming_it_and_nothing_changes(
        qtbot, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _centre(tmp_path)
    window = make_window(db, user="lead-1")
    dialog = window.centre.edit_policy()
    dialog.findChild(QLineEdit, "policyShiftStarts").setText("8:00, 25:00")
    dialog.save()
    assert "25:00" in dialog.error.text()
    assert dialog.isVisible()
    store = Store(db)
    assert store.policy().shift_starts == (8, 20)
    store.close()


def test_the_handover_report_is_exported_from_the_client(
        qtbot, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    db = _centre(tmp_path)
    store = Store(db)
    wid = int(store.add_warning(warning_data(1, cards=["6222020202020202020"],
                                             amount_at_risk=12000), actor="feed")[0].id)
    store.claim(wid, user="officer-007")
    store.record_attempt(wid, user="officer-007", outcome="dissuaded")
    store.close()
    window = make_window(db, user="lead-1")
    dialog = window.centre.export_report()
    out = tmp_path / "交班.xlsx"
    dialog.findChild(QLineEdit, "reportPath").setText(str(out))
    with qtbot.waitSignal(window.centre.report_did_write, timeout=30_000) as written:
        dialog.save()
    assert written.args == [str(out)]
    book = load_workbook(out, read_only=True)
    assert "汇总" in book.sheetnames and "按民警" in book.sheetnames
    cells = [str(c) for row in book["汇总"].iter_rows(values_only=True) for c in row if c]
    assert any("劝阻成功" in c for c in cells)
    everything = " ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True)
                          for c in row if c is not None)
    assert "6222020202020202020" not in everything and "13900000001" not in everything
    assert "已保存" in dialog.message.text()
