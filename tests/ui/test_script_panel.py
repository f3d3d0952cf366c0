"""The script panel follows the call: cues, stage, likely type, re-typing, search, SMS, reload."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QPushButton

from dissuade import open_source
from dissuade.paths import data_dir
from dissuade.playbooks import guidance
from dissuade.playbooks.playbook import load_library
from dissuade.sources import LocalSource
from tests.conftest import warning_data
from ui import MainWindow


def _open(qtbot, make_window: Callable[..., MainWindow], db: Path,  # type: ignore[no-untyped-def]
          **fields: object) -> MainWindow:
    source = open_source(db, user="feed-x")
    source.add_warning(warning_data(1, risk_level="emergency", name="钱七", **fields))
    source.close()
    window = make_window(db)
    with qtbot.waitSignal(window.workbench.warning_did_open, timeout=10_000):
        window.workbench.take_next()
    return window


def test_ticked_cues_move_the_stage_and_its_lines(qtbot, make_window, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, make_window, db_path, scam_type="fake_loan")
    panel = window.workbench.script
    assert len(panel.plain_text()) > 200
    assert panel.stage_key == "contact"
    book = load_library().playbooks["fake_loan"]
    hook = guidance.stage(book, "hook")
    hook_cue = next(c for c in guidance.cues(book) if c.stage == "hook")
    with qtbot.waitSignal(panel.stage_did_change) as moved:
        panel.tick(hook_cue.id)
    assert moved.args == ["hook"]
    text = panel.plain_text()
    assert hook["name"]["zh"] in text
    assert hook["say"]["zh"][0] in text
    assert not window.findChild(QPushButton, "retypeButton").isVisible()


def test_an_unknown_warning_is_re_typed_from_the_cues(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                      db_path: Path) -> None:
    window = _open(qtbot, make_window, db_path, scam_type="unknown")
    window.show()
    panel = window.workbench.script
    # An officer on an unknown warning hears: "they want a fee before paying out the loan".
    unknown_cues = guidance.cues(load_library().playbooks["unknown"])
    loan_like = [c for c in unknown_cues if "fake_loan" in c.also]
    assert loan_like, "the unknown playbook has a cue pointing at fake loans"
    panel.tick(loan_like[0].id)
    button = window.findChild(QPushButton, "retypeButton")
    assert button.isVisible()
    ranked = [panel.retype_choice.itemData(i) for i in range(panel.retype_choice.count())]
    assert "fake_loan" in ranked
    panel.retype_choice.setCurrentIndex(ranked.index("fake_loan"))
    with qtbot.waitSignal(window.workbench.warning_did_retype, timeout=10_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert panel.scam_type == "fake_loan"
    assert window.workbench.detail_data.warning.scam_type == "fake_loan"
    check = open_source(db_path, user="lead-1")
    assert isinstance(check, LocalSource)
    wid = window.workbench.current_id
    trail = check.store.audit_trail(entity="warning", entity_id=wid)  # type: ignore[arg-type]
    assert [(e["action"], e["detail"]["from"], e["detail"]["to"]) for e in trail
            if e["action"] == "warning.retype"] == [("warning.retype", "unknown", "fake_loan")]
    check.close()


def test_search_finds_rebuttals_by_part_of_a_phrase(qtbot, make_window, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, make_window, db_path, scam_type="impersonating_authority")
    search = window.findChild(QLineEdit, "scriptSearch")
    search.setText("自愿")
    text = window.workbench.script.plain_text()
    assert "Found" in text or "找到" in text
    assert "自愿" in text


def test_sms_is_copied_with_the_name_and_recorded(qtbot, make_window, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, make_window, db_path, scam_type="fake_loan")
    with qtbot.waitSignal(window.workbench.sms_did_record, timeout=10_000) as sent:
        qtbot.mouseClick(window.findChild(QPushButton, "smsButton"), Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("钱七") and "96110" in copied
    assert sent.args[0].via == "clipboard" and sent.args[0].text == copied
    check = open_source(db_path, user="lead-1")
    detail = check.get(window.workbench.current_id)  # type: ignore[arg-type]
    assert [m.text for m in detail.messages] == [copied]
    check.close()


def test_edited_playbooks_reload_and_a_broken_file_is_named(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                            db_path: Path) -> None:
    window = _open(qtbot, make_window, db_path, scam_type="fake_loan")
    local = data_dir() / "playbooks"
    local.mkdir(parents=True, exist_ok=True)
    shipped = load_library().playbooks["fake_loan"].path.read_text(encoding="utf-8")
    (local / "fake_loan.toml").write_text(shipped.replace(
        "诈骗分子通过短信", "【本中心补充】诈骗分子通过短信", 1), encoding="utf-8")
    (local / "fake_shopping.toml").write_text("code = 'fake_shopping'\n[name]\nzh = 1\n",
                                              encoding="utf-8")
    with qtbot.waitSignal(window.playbooks_did_reload, timeout=10_000) as reloaded:
        window.reload_playbooks()
    assert len(reloaded.args[0]) == 1 and reloaded.args[0][0].startswith("fake_shopping.toml: ")
    assert "【本中心补充】" in window.workbench.script.plain_text()
    assert "fake_shopping.toml" in window.statusBar().currentMessage()


def test_the_voice_button_makes_the_types_voice_warning(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                        db_path: Path) -> None:
    from dissuade.playbooks.speech import wav_seconds

    window = _open(qtbot, make_window, db_path, scam_type="impersonating_authority")
    with qtbot.waitSignal(window.workbench.voice.did_speak, timeout=60_000) as spoken:
        qtbot.mouseClick(window.findChild(QPushButton, "voiceButton"), Qt.MouseButton.LeftButton)
    assert wav_seconds(spoken.args[0]) >= 2.0
