"""Render the main window to PNG on a fresh demo database, as README shows it.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot.py [-o docs/workbench.png] [--lang zh|en]
        [--tab workbench|escalations|dashboard|room|forecast|review|audit|signin]
    QT_QPA_PLATFORM=offscreen python scripts/screenshot.py --docs   # every picture in docs/

The window is 1366x768 (the smallest screen the workstations have). The workbench opens the most
urgent warning, so that the picture shows the number, the script and the outcome keys; the other
tabs are a shift lead's, with a card lock waiting for a decision on the escalations board.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TABS = ("workbench", "escalations", "dashboard", "room", "forecast", "review", "audit", "signin")
DOCS = [("workbench", "zh", "workbench.png"), ("workbench", "en", "workbench-en.png"),
        ("escalations", "zh", "escalations.png"), ("dashboard", "zh", "dashboard.png"),
        ("room", "zh", "room.png"), ("review", "zh", "review.png"),
        ("signin", "zh", "sign-in.png")]


def _demo(path: Path, warnings: int) -> None:
    """The demo centre, plus one real-looking card lock for the board (still synthetic)."""
    from dissuade import demo
    from dissuade.store import Store

    store = Store(path)
    demo.generate(store, warnings=warnings, seed=11)
    wid = int(store.add_warning({
        "source": "bank", "external_id": "SHOT-1", "phone": "13800138000", "name": "林晓燕",
        "scam_type": "impersonating_authority", "risk_level": "emergency",
        "cards": ["6222021234567890123"], "amount_at_risk": 80000, "district": "思明区",
        "fraud_contact": "+852 6123 4567", "synthetic": True,
        "notes": "自称公安，称涉嫌洗钱，要求转入“安全账户”"}, actor="feed")[0].id)
    store.claim(wid, user="demo-officer-03")
    store.record_attempt(wid, user="demo-officer-03", outcome="brainwashed",
                         notes="坚称对方是真警察，正在网银转账")
    _room(store)
    store.close()


def _room(store: object) -> None:
    """Officers' states, a few on calls, and officer-007's agreed callbacks and calls this
    shift, so that the room and the callbacks panel have something to show."""
    from dissuade.store import Store

    assert isinstance(store, Store)
    now = time.time()
    states = [("ready", ""), ("ready", ""), ("break", "用餐"), ("training", "新版话术培训"),
              ("ready", ""), ("ready", ""), ("break", "休息"), ("off", "")]
    for n, (state, reason) in enumerate(states, start=1):
        store.set_state(state, reason, user=f"demo-officer-{n:02d}", now=now - 420 * n - 95)
    for n in (1, 2, 5):
        store.claim_next(user=f"demo-officer-{n:02d}", now=now - 50 * n - 20)
    store.set_state("ready", user="officer-007", now=now - 3 * 3600)
    for minutes, outcome, back in ((200, "dissuaded", None), (150, "callback", 25),
                                   (90, "callback", 130), (40, "no_answer", None)):
        warning = store.claim_next(user="officer-007", now=now - minutes * 60)
        assert warning is not None
        store.record_attempt(warning.id, user="officer-007", outcome=outcome,
                             started_at=now - minutes * 60 + 30,
                             ended_at=now - minutes * 60 + 30 + 60 * (2 + minutes % 7),
                             callback_at=None if back is None else now + back * 60,
                             callback_scope=None if back is None else "me",
                             now=now - minutes * 60 + 400)


def render_sign_in(lang: str, output: Path) -> Path:
    """The sign-in window as an officer sees it after a mistyped password."""
    from PySide6.QtWidgets import QApplication

    from ui.common import i18n, style
    from ui.signin.dialog import SignInDialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    i18n.install(lang)
    style.apply(app)
    dialog = SignInDialog(address="http://10.20.1.5:8470", user="wang-wei")
    dialog.show()
    dialog.failed("用户名或密码错误 / wrong user name or password")
    for _ in range(10):
        app.processEvents()
    output.parent.mkdir(parents=True, exist_ok=True)
    if not dialog.grab().save(str(output)):
        raise OSError(f"could not write {output}")
    dialog.done(0)
    return output


def render(tab: str, lang: str, output: Path, warnings: int) -> Path:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    if tab == "signin":
        return render_sign_in(lang, output)

    from dissuade import open_source
    from ui import build_main_window
    from ui.app import render_png

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        _demo(db, warnings)
        user = "officer-007" if tab == "workbench" else "lead-wang"
        source = open_source(db, user=user)
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
        window = build_main_window(source, settings=settings, lang=lang)
        output.parent.mkdir(parents=True, exist_ok=True)
        if tab == "workbench":
            render_png(window, output)
        else:
            window.resize(1366, 768)
            window.show()
            screen = getattr(window, tab)
            loop = QEventLoop()
            signal = {"escalations": "board_did_refresh", "dashboard": "dashboard_did_refresh",
                      "room": "room_did_load", "forecast": "forecast_did_load",
                      "review": "results_did_load",
                      "audit": "entries_did_load"}[tab]
            getattr(screen, signal).connect(lambda *_: loop.quit())
            QTimer.singleShot(15_000, loop.quit)
            window.tabs.setCurrentWidget(screen)
            loop.exec()
            if tab == "escalations" and screen.model.rowCount():
                done = QEventLoop()
                screen.detail_did_load.connect(lambda *_: done.quit())
                QTimer.singleShot(10_000, done.quit)
                screen.table.selectRow(0)
                done.exec()
            for _ in range(20):
                app.processEvents()
                time.sleep(0.02)
            window.alert_banner.hide()  # the demo's breaches would cover the tabs
            app.processEvents()
            if not window.grab().save(str(output)):
                raise OSError(f"could not write {output}")
        window.close()
        source.close()
    return output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "workbench.png")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    parser.add_argument("--tab", choices=TABS, default="workbench")
    parser.add_argument("--warnings", type=int, default=2000)
    parser.add_argument("--docs", action="store_true", help="write every picture README uses")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    jobs = [(tab, lang, ROOT / "docs" / name) for tab, lang, name in DOCS] if args.docs \
        else [(args.tab, args.lang, args.output)]
    for tab, lang, output in jobs:
        print(f"wrote {render(tab, lang, output, args.warnings)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
