"""The main window: the role's screens in tabs, language, connection status, layout memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QFileSystemWatcher,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain import codes
from dissuade.domain.codes import Role
from dissuade.gateways import sms
from dissuade.playbooks.playbook import Library, load_library, local_folder
from dissuade.resources import resource_dir
from dissuade.sources import LinkState, Source
from ui.audit.view import AuditView
from ui.centre.about import about_box
from ui.centre.actions import CentreActions
from ui.centre.alerts import AlertBanner
from ui.centre.doctor_dialog import open_doctor
from ui.centre.telephony_dialog import chosen_telephony
from ui.centre.workstation_dialogs import ConflictsDialog, GatewayDialog
from ui.common import i18n, style
from ui.common import settings_keys as keys
from ui.common.live import LiveWatch
from ui.common.ops import Runner
from ui.common.policy import PolicySnapshot
from ui.common.screen import KEEP_AS_SIZED, fit_first_start
from ui.dashboard.room import RoomView
from ui.dashboard.view import DashboardView
from ui.escalations.view import EscalationsView
from ui.forecast.view import ForecastView
from ui.rehearsal.view import RehearsalView
from ui.review.view import ReviewView
from ui.workbench.view import Workbench
from ui.workbench.voice import VoicePlayer

DEFAULT_SIZE = (1366, 768)


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


# Which screens each role sees (README: trainers only rehearse, admins read the audit;
# feeds and scrapers have no screens). A screen not listed is never built: no widgets, no
# timers, no source calls, no menu entries or keys of its own.
SCREENS: dict[str, tuple[str, ...]] = {
    Role.OFFICER.value: ("workbench", "escalations", "rehearsal"),
    Role.LEAD.value: ("workbench", "escalations", "dashboard", "room", "forecast", "review",
                      "audit", "rehearsal"),
    Role.TRAINER.value: ("rehearsal",),
    Role.ADMIN.value: ("audit",),
}


class MainWindow(QMainWindow):
    """The screens a user's role sees, in tabs, with language, connection status and layout
    memory. Built by `build_main_window`; not shown until asked.

    Every source call runs on `runner` (or the live watch's and the alerts' own threads): the
    UI thread only draws. The centre policy is read from `policy`, a snapshot loaded at start
    and again when the live watch says it changed or this window saved it.
    """

    playbooks_did_reload = Signal(list)  # the errors, empty when every file loaded

    def __init__(self, source: Source, *, settings: QSettings, library: Library,
                 lang: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.source = source
        self.settings = settings
        self.lang = lang
        self.screens = SCREENS.get(source.role, ())
        self.runner = Runner(self)
        self.policy = PolicySnapshot(source, self.runner, parent=self)
        self.policy.load()
        self.policy.policy_did_change.connect(self._policy_changed)
        sees = self.screens.__contains__
        # Synthesis has its own worker: a claim never waits behind a voice warning.
        self.voice = VoicePlayer(parent=self) if sees("workbench") or sees("rehearsal") else None
        self.workbench = Workbench(source, library, self.runner, policy=self.policy,
                                   voice=self.voice, lang=lang) if sees("workbench") else None
        self.escalations = EscalationsView(source, self.runner, policy=self.policy, lang=lang) \
            if sees("escalations") else None
        self.dashboard = DashboardView(source, self.runner, policy=self.policy, lang=lang) \
            if sees("dashboard") else None
        self.room = RoomView(source, self.runner, policy=self.policy, lang=lang) \
            if sees("room") else None
        self.forecast = ForecastView(source, self.runner, policy=self.policy, lang=lang) \
            if sees("forecast") else None
        self.review = ReviewView(source, self.runner, policy=self.policy, lang=lang) \
            if sees("review") else None
        self.audit = AuditView(source, self.runner, policy=self.policy, lang=lang) \
            if sees("audit") else None
        self.rehearsal = RehearsalView(
            source, library, self.runner, policy=self.policy, lang=lang,
            speak=self.voice.speak if self.voice is not None else None) \
            if sees("rehearsal") else None
        self.tabs = QTabWidget(objectName="mainTabs")
        for screen in self._screens():
            self.tabs.addTab(screen, "")
        self.nothing: QLabel | None = None
        if not self.screens:
            self.nothing = QLabel(objectName="noScreens", alignment=Qt.AlignmentFlag.AlignCenter)
            self.nothing.setWordWrap(True)
            self.tabs.addTab(self.nothing, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.alert_banner = AlertBanner()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.alert_banner.install(self.tabs)  # beside the tabs: nothing moves when it shows
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.centre = CentreActions(self)
        # The live queue is for those who work warnings (as the hub's /events): nobody else
        # long-polls, so a trainer's or an admin's window never asks the hub what it may not.
        self.live = LiveWatch(source, parent=self) if self.workbench is not None else None
        if self.live is not None:
            self._listen(self.live)
        self._online, self._waiting, self._conflicts, self._signed_in = True, 0, 0, True

        self.connection = QLabel(objectName="connectionStatus")
        self.identity = QLabel(objectName="identityStatus")
        self.statusBar().addPermanentWidget(self.identity)
        self.statusBar().addPermanentWidget(self.connection)
        self.runner.did_fail.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.library_errors = [str(e) for e in library.errors]

        if self.workbench is not None:
            self.workbench.gateway = self._saved_gateway()
            self.workbench.dial.set_gateway(*chosen_telephony(self.settings))
            self.centre.telephony_did_change.connect(self.workbench.dial.set_gateway)
        self.playbook_watch = QFileSystemWatcher(self)
        self._reload_timer = QTimer(self, singleShot=True, interval=500,
                                    timeout=self.reload_playbooks)
        if self.workbench is not None or self.rehearsal is not None:
            self.playbook_watch.directoryChanged.connect(lambda _p: self._reload_timer.start())
            self.playbook_watch.fileChanged.connect(lambda _p: self._reload_timer.start())
            self._watch_playbooks(library)
        self._build_menus()
        fit_first_start(self, DEFAULT_SIZE)  # within the screen's available area
        self._restore()
        self.retranslate()

    def _screens(self) -> list[QWidget]:
        """The screens built for this role, in tab order."""
        return [s for s in (self.workbench, self.escalations, self.dashboard, self.room,
                            self.forecast, self.review, self.audit, self.rehearsal)
                if s is not None]

    def _listen(self, live: LiveWatch) -> None:
        """What the window does with news: each screen that shows the changed thing reloads."""
        if self.workbench is not None:
            live.queue_did_change.connect(self.workbench.refresh_queue)
        if self.escalations is not None:
            live.queue_did_change.connect(self.escalations.changed_elsewhere)
        if self.centre.watch is not None:
            live.queue_did_change.connect(self.centre.watch.check)
        if self.dashboard is not None:
            live.queue_did_change.connect(self._dashboard_news)
            # A rejection sends its warning back to the queue.
            self.dashboard.escalation_did_decide.connect(lambda _e: self._changed_here())
        if self.room is not None:  # a claim, an outcome or a state set: the room reloads
            live.queue_did_change.connect(self.room.changed_elsewhere)
        live.warnings_did_arrive.connect(self.centre.arrivals)
        # The source tells the moment a call fails to reach the hub or gets through again.
        live.link_did_change.connect(self._link_changed)
        live.session_did_end.connect(self._session_ended)
        live.policy_did_change.connect(self.policy.load)

    def _changed_here(self) -> None:
        if self.workbench is not None:
            self.workbench.refresh_queue()
        if self.escalations is not None:
            self.escalations.changed_elsewhere()

    # -- menus and language ---------------------------------------------------------------

    def _build_menus(self) -> None:
        """Only what this role has: an absent screen brings no entry and no key."""
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.quit_action = QAction(self, objectName="quitAction")
        self.quit_action.setShortcut("Ctrl+Q")
        self.quit_action.triggered.connect(self._quit)
        works = self.workbench is not None
        self.conflicts_action: QAction | None = None
        if works and self.source.kind != "local":  # only outcomes kept offline conflict
            self.conflicts_action = QAction(self, objectName="conflictsAction")
            self.conflicts_action.triggered.connect(self._show_conflicts)
            self.file_menu.addAction(self.conflicts_action)
        self.reload_action: QAction | None = None
        if works or self.rehearsal is not None:  # the screens that read playbooks
            self.reload_action = QAction(self, objectName="reloadPlaybooksAction")
            self.reload_action.setShortcut("Ctrl+R")
            self.reload_action.triggered.connect(self.reload_playbooks)
            self.file_menu.addAction(self.reload_action)
        self.gateway_action: QAction | None = None
        if works:
            self.gateway_action = QAction(self, objectName="gatewayAction")
            self.gateway_action.triggered.connect(self._edit_gateway)
            self.file_menu.addAction(self.gateway_action)
        for action in (self.centre.telephony_action, self.centre.gateways_action, None,
                       self.centre.policy_action,
                       self.centre.report_action):
            if action is None:
                self.file_menu.addSeparator()
            else:
                self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.view_menu = bar.addMenu("")
        self.refresh_action: QAction | None = None
        if self.workbench is not None:
            self.refresh_action = QAction(self, objectName="refreshAction")
            self.refresh_action.setShortcut("F5")
            self.refresh_action.triggered.connect(self.workbench.refresh_queue)
            self.view_menu.addAction(self.refresh_action)
        self.lang_menu = self.view_menu.addMenu("")
        group = QActionGroup(self)
        self.lang_actions: dict[str, QAction] = {}
        for code, text in (("zh", "简体中文"), ("en", "English")):
            action = QAction(text, self, checkable=True, objectName=f"lang_{code}")
            action.setChecked(code == self.lang)
            action.triggered.connect(lambda _=False, c=code: self.set_lang(c))
            group.addAction(action)
            self.lang_menu.addAction(action)
            self.lang_actions[code] = action
        self.help_menu = bar.addMenu("")
        self.keys_action = QAction(self, objectName="keysAction")
        self.keys_action.setShortcut("F1")
        self.keys_action.triggered.connect(self._show_keys)
        self.help_menu.addAction(self.keys_action)
        self.about_action = QAction(self, objectName="aboutAction")
        self.about_action.triggered.connect(self._show_about)
        self.help_menu.addAction(self.about_action)
        self.doctor_action = QAction(self, objectName="doctorAction")
        self.doctor_action.triggered.connect(self._show_doctor)
        self.help_menu.addAction(self.doctor_action)

    def set_lang(self, lang: str) -> None:
        """Switch the interface language now and remember it for next time."""
        lang = i18n.normalise(lang)
        self.lang = lang
        i18n.install(lang)
        keys.LANG.write(self.settings, lang)
        self.lang_actions[lang].setChecked(True)
        for screen in self._screens():
            screen.set_lang(lang)  # type: ignore[attr-defined]
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Anti-fraud dissuasion workbench") + " — dissuade")
        for widget, title in ((self.workbench, tr("Workbench")),
                              (self.escalations, tr("Escalations")),
                              (self.dashboard, tr("Dashboard")), (self.room, tr("Room")),
                              (self.forecast, tr("Staffing")),
                              (self.review, tr("Review")),
                              (self.audit, tr("Audit log")),
                              (self.rehearsal, tr("Rehearsal")), (self.nothing, "dissuade")):
            index = self.tabs.indexOf(widget) if widget is not None else -1
            if index >= 0:
                self.tabs.setTabText(index, title)
        if self.nothing is not None:
            self.nothing.setText(tr("This account (%1) has no screens in the client.").replace(
                "%1", self.source.role))
        self.file_menu.setTitle(tr("&File"))
        self.quit_action.setText(tr("Quit"))
        for action, text in ((self.conflicts_action, tr("Offline conflicts...")),
                             (self.reload_action, tr("Reload playbooks")),
                             (self.gateway_action, tr("SMS gateway...")),
                             (self.refresh_action, tr("Refresh queue"))):
            if action is not None:
                action.setText(text)
        self.view_menu.setTitle(tr("&View"))
        self.lang_menu.setTitle(tr("Language"))
        self.help_menu.setTitle(tr("&Help"))
        self.keys_action.setText(tr("Keyboard shortcuts"))
        self.about_action.setText(tr("About dissuade"))
        self.doctor_action.setText(tr("Diagnostics..."))
        self.centre.retranslate()
        role = codes.label(codes.ROLE_LABELS, self.source.role, self.lang)
        self.identity.setText(tr("User: %1 (%2)").replace("%1", self.source.user)
                              .replace("%2", role))
        self.show_connection()

    def show_connection(self) -> None:
        """What the client is connected to; offline with the number of outcomes waiting; a
        session or token the hub no longer accepts, with what is kept meanwhile."""
        if self.source.kind == "local":
            text = tr("Local database: %1").replace("%1", self.source.location)
        elif not self._signed_in:
            text = tr("Signed out: the hub no longer accepts this session or token. Sign in "
                      "again; %1 kept to send").replace("%1", str(self._waiting))
        elif not self._online and not self._waiting:
            text = tr("Offline: cannot reach the hub %1. Outcomes are kept and sent when it "
                      "is back").replace("%1", self.source.location)
        elif not self._online:
            text = tr("Offline: %1 waiting to send to %2").replace(
                "%1", str(self._waiting)).replace("%2", self.source.location)
        elif self._waiting:
            text = tr("Hub: %1 (sending %2)").replace("%1", self.source.location).replace(
                "%2", str(self._waiting))
        else:
            text = tr("Hub: %1").replace("%1", self.source.location)
        if self._conflicts:
            text += "  " + tr("%1 refused by the hub: File > Offline conflicts").replace(
                "%1", str(self._conflicts))
        self.connection.setText(text)
        self.connection.setToolTip(text)
        trouble = not self._online or self._conflicts or not self._signed_in
        self.connection.setStyleSheet("color: #b00020; font-weight: bold;" if trouble else "")

    def _link_changed(self, state: LinkState) -> None:
        self._online, self._waiting, self._conflicts = state.online, state.waiting, state.conflicts
        self._signed_in = state.signed_in
        self.show_connection()

    def _session_ended(self, waiting: int) -> None:
        self.statusBar().showMessage(tr(
            "The hub no longer accepts this session or token: sign in again. %1 outcomes and "
            "proposals are kept and sent after signing in.").replace("%1", str(waiting)), 60_000)

    def _policy_changed(self, _policy: object) -> None:
        """A lead changed the centre policy (here or at another workstation) and the snapshot
        holds the new one: screens follow it; a dashboard on screen reloads now, since its
        shift's hours may have moved."""
        if self.dashboard is not None and self.tabs.currentWidget() is self.dashboard:
            self.dashboard.refresh()

    def _tab_changed(self, _index: int) -> None:
        current = self.tabs.currentWidget()
        if self.room is not None:
            self.room.start() if current is self.room else self.room.stop()
        if self.forecast is not None and current is self.forecast:
            self.forecast.start()
        if self.escalations is not None:
            if current is self.escalations:
                self.escalations.start()
            else:
                self.escalations.stop()
        if self.dashboard is not None:
            if current is self.dashboard:
                self.dashboard.start()
            else:
                self.dashboard.stop()

    def _dashboard_news(self) -> None:
        """The live watch saw a change: a dashboard on screen reloads (it throttles itself)."""
        if self.dashboard is not None and self.tabs.currentWidget() is self.dashboard:
            self.dashboard.refresh()

    # -- playbooks and the SMS gateway ------------------------------------------------------

    def _watch_playbooks(self, library: Library) -> None:
        folders = [str(resource_dir("playbooks")), str(local_folder())]
        files = [str(book.path) for book in library.playbooks.values()]
        old = self.playbook_watch.files() + self.playbook_watch.directories()
        if old:
            self.playbook_watch.removePaths(old)
        self.playbook_watch.addPaths([p for p in folders + files if Path(p).exists()])

    def reload_playbooks(self) -> None:
        """Trainers edited playbook files: load them again; a broken file is reported with its
        name and field, and every other playbook keeps working."""
        library = load_library()
        self.library_errors = [str(e) for e in library.errors]
        if self.workbench is not None:
            self.workbench.script.set_library(library)
        if self.rehearsal is not None:
            self.rehearsal.library = library
        self._watch_playbooks(library)
        if self.library_errors:
            text = tr("Playbook not loaded: %1").replace("%1", "; ".join(self.library_errors))
            self.statusBar().showMessage(text, 30_000)
        else:
            self.statusBar().showMessage(tr("Playbooks reloaded: %1").replace(
                "%1", str(len(library.playbooks))), 5_000)
        self.playbooks_did_reload.emit(self.library_errors)

    def _saved_gateway(self) -> sms.Gateway:
        s = self.settings
        return sms.Gateway(keys.SMS_KIND.read(s), keys.SMS_COMMAND.read(s),
                           keys.SMS_WEBHOOK.read(s))

    def _edit_gateway(self) -> None:
        if self.workbench is None:
            return
        dialog = GatewayDialog(self.workbench.gateway, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            gateway = dialog.gateway()
            keys.SMS_KIND.write(self.settings, gateway.kind)
            keys.SMS_COMMAND.write(self.settings, gateway.command)
            keys.SMS_WEBHOOK.write(self.settings, gateway.webhook)
            self.workbench.gateway = gateway

    def _show_conflicts(self) -> None:
        """The outbox's conflicts, read and resolved off the UI thread."""
        source = self.source
        self.runner.run(source.outbox_status, self._conflicts_loaded)

    def _conflicts_loaded(self, status: tuple[int, list[Any]]) -> None:
        _waiting, conflicts = status
        source = self.source
        dialog = ConflictsDialog(conflicts, tz=self.policy.timezone, lang=self.lang, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.resolved.connect(lambda seq: self.runner.run(
            lambda: source.resolve_conflict(seq), None, None))

        def counted(status: tuple[int, list[Any]]) -> None:
            self._conflicts = len(status[1])
            self.show_connection()

        dialog.finished.connect(lambda _r: self.runner.run(source.outbox_status, counted))
        self.conflicts_dialog = dialog
        dialog.open()

    def _show_keys(self) -> None:
        keys = []
        if self.workbench is not None:
            keys.append(tr(
                "F2 or Ctrl+Enter: next warning (holding one: back to the outcome keys)\n"
                "1-0: outcome of the open warning (Ctrl+1-0 while typing notes)\n"
                "Ctrl+Z: undo the last outcome (within 10 seconds)\n"
                "Esc: leave a text box, back to the outcome keys\n"
                "F8: escalate\nF9: raise the level\n"
                "Ctrl+F: where is a warning (its number, or the person's phone)\n"
                "Ctrl+K: find an objection in the script\n"
                "F5: refresh the queue\nDouble-click a queue row: claim that warning"))
            keys.append(tr("F3: dial the open warning's person (File → Telephony gateway)"))
        if self.rehearsal is not None:
            keys.append(tr("Rehearsal: Ctrl+1-3 choose an answer, Ctrl+Enter submit yours"))
        if self.reload_action is not None:
            keys.append(tr("Ctrl+R: reload playbooks"))
        keys.append(tr("Ctrl+Q: quit"))
        QMessageBox.information(self, tr("Keyboard shortcuts"), "\n".join(keys))

    def _show_about(self) -> None:
        self.about_box = about_box(self)
        self.about_box.open()

    def _show_doctor(self) -> None:
        """Help → Diagnostics: dissuade doctor's checks for this workstation, off the UI thread."""
        self.doctor_dialog = open_doctor(self.source.kind, self.source.location, self.settings,
                                         lang=self.lang, parent=self)

    # -- showing and closing --------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.workbench is not None:
            self.workbench.start()
        if self.live is not None:
            self.live.start()
        self.centre.start()

    def _restore(self) -> None:
        geometry = keys.GEOMETRY.read(self.settings)
        if geometry is not None:
            self.setProperty(KEEP_AS_SIZED, self.restoreGeometry(geometry))
        state = keys.STATE.read(self.settings)
        if state is not None:
            self.restoreState(state)
        splitter = keys.WORKBENCH_SPLITTER.read(self.settings)
        if splitter is not None and self.workbench is not None:
            self.workbench.layout_restored = self.workbench.splitter.restoreState(splitter)

    def save_layout(self) -> None:
        keys.GEOMETRY.write(self.settings, self.saveGeometry())
        keys.STATE.write(self.settings, self.saveState())
        if self.workbench is not None:
            keys.WORKBENCH_SPLITTER.write(self.settings, self.workbench.splitter.saveState())
        self.settings.sync()

    def _quit(self) -> None:
        self._asked_to_quit = True  # as the window's close button: ask when holding a warning
        self.close()
        self._asked_to_quit = False

    def closeEvent(self, event: QCloseEvent) -> None:
        by_user = event.spontaneous() or getattr(self, "_asked_to_quit", False)
        if by_user and self.workbench is not None and not self.workbench.confirm_close():
            event.ignore()
            return
        if self.live is not None:
            self.live.stop()
        if self.escalations is not None:
            self.escalations.stop()
        if self.dashboard is not None:
            self.dashboard.stop()
        if self.room is not None:
            self.room.stop()
        self.centre.stop()
        self.save_layout()
        if self.workbench is not None:
            self.workbench.shutdown()  # gives an open warning back (on the runner)
        # What was asked runs; then nothing more reaches the source, which is closing.
        self.runner.close()
        super().closeEvent(event)


def default_settings() -> QSettings:
    return QSettings("dissuade", "dissuade")


def build_main_window(source: Source, *, settings: QSettings | None = None,
                      library: Library | None = None, lang: str | None = None) -> MainWindow:
    """The client's main window over `source`, not yet shown.

    Creates the QApplication when there is none yet, installs the language (the one given, else
    the last one chosen, else Simplified Chinese) and the CJK font.
    """
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication), "the client needs a QApplication, not a core one"
    settings = settings if settings is not None else default_settings()
    chosen = i18n.normalise(lang or keys.LANG.read(settings))
    i18n.install(chosen)
    style.apply(app)
    return MainWindow(source, settings=settings, library=library or load_library(),
                      lang=chosen)
