"""From start-up to the window and back: sign in, open the window for the user's role, sign out
or switch user without a restart, lock when idle.

Every start-up error (a bad database path, a hub that cannot be reached, a wrong password) is
shown in the sign-in window, with the address, name and password editable and a Retry button.
Opening a source runs off the UI thread (the flow's own Runner), as every source call does.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from dissuade.domain.errors import DissuadeError, InvalidInput, NotAuthenticated, SlowDown
from dissuade.domain.passwords import hash_password, no_password_message
from dissuade.playbooks.playbook import Library
from dissuade.sources import LocalSource, Source, open_source
from ui.common import settings_keys as keys
from ui.common.ops import Runner
from ui.main_window import MainWindow, build_main_window
from ui.signin.dialog import SignInDialog
from ui.signin.lock import IdleLock


def tr(text: str) -> str:
    return QCoreApplication.translate("SignInFlow", text)


class NeedsPassword(NotAuthenticated):
    """Signing in needs a name and password that were not given yet (not a failure)."""


@dataclass(frozen=True)
class Start:
    """How the client was started: `address` a hub's URL or a database file ('' to ask),
    `user` the name to sign in as ('' to ask), `token` a long-lived hub token, `create` to make
    the file (the demo)."""

    address: str = ""
    user: str = ""
    token: str | None = None
    create: bool = False


def is_hub(address: str) -> bool:
    return address.startswith(("http://", "https://"))


def open_target(address: str, user: str, password: str | None, *, token: str | None = None,
                create: bool = False) -> Source:
    """The source the sign-in window asks for (run off the UI thread).

    A hub: with a password, a session; else the long-lived `token`; else NeedsPassword. A file:
    with no users any name opens it as before; with users a person must give their password
    (one without a password is told to ask for `dissuade user passwd`)."""
    address = address.strip()
    if not address:
        raise InvalidInput("请填写中心服务器地址或数据库文件 / give the hub's address or a "
                           "database file", field="address")
    if is_hub(address):
        if password:
            if not user:
                raise InvalidInput("请输入用户名 / enter your user name", field="user")
            return open_source(address, user=user, password=password)
        if token:
            return open_source(address, token=token)
        raise NeedsPassword("请输入用户名和密码 / enter your user name and password")
    try:
        source = LocalSource(address, user=user or None, create=create, password=password or None)
    except OSError as exc:  # a folder, a file we may not read: said plainly, never a crash
        raise DissuadeError(f"无法打开 / cannot open {address}: {exc.strerror or exc}") from None
    if source.has_users and not password:
        source.close()
        if not source.has_password:
            raise NotAuthenticated(no_password_message(source.user, address))
        raise NeedsPassword("请输入密码 / enter your password")
    return source


def where(exc: Exception) -> str | None:
    """Which field of the sign-in window an error is about."""
    field = getattr(exc, "field", None)
    if field in ("address", "user", "password"):
        return str(field)
    if isinstance(exc, NotAuthenticated | SlowDown):
        return "password"
    return "address"  # a file that is not a database, a hub that cannot be reached


class SignInFlow(QObject):
    """The client's life: the sign-in window until a source opens, then the main window for
    that user's role; 文件 → 签退 / 切换用户 close it (asking first when the outbox holds
    items) and sign in again, without a restart. `finished` when the officer quits."""

    window_did_build = Signal(object)  # MainWindow, built and not yet shown
    window_did_open = Signal(object)  # MainWindow, shown
    dialog_did_open = Signal(object)  # SignInDialog
    did_sign_out = Signal()
    finished = Signal()

    def __init__(self, start: Start, *, settings: QSettings, lang: str | None = None,
                 library: Library | None = None,
                 opener: Callable[..., Source] = open_target, parent: Any = None) -> None:
        super().__init__(parent)
        self.start_ = start
        self.settings, self.lang, self.library, self.opener = settings, lang, library, opener
        self.runner = Runner(self)
        self.window: MainWindow | None = None
        self.source: Source | None = None
        self.dialog: SignInDialog | None = None
        self.lock: IdleLock | None = None
        self.question: QMessageBox | None = None
        self.address = ""
        self._leaving = False
        self._offline_check: str | None = None

    # -- start and sign in ------------------------------------------------------------------

    def start(self) -> None:
        """Open at once what the command line names (a file, or a hub with a token); ask in
        the sign-in window for anything else, or when that fails."""
        start = self.start_
        address = start.address or keys.SIGNIN_ADDRESS.read(self.settings)
        user = start.user or keys.SIGNIN_USER.read(self.settings)
        if start.address and (start.token or not is_hub(start.address)):
            self._attempt(address, start.user, None, first=True)
        else:
            self._ask(address, user or ("" if is_hub(address) else getpass.getuser()))

    def _attempt(self, address: str, user: str, password: str | None, *,
                 first: bool = False) -> None:
        token = self.start_.token if not password and address == self.start_.address else None
        create = self.start_.create and address == self.start_.address
        opener = self.opener

        def job() -> tuple[Source, str | None]:
            source = opener(address, user, password, token=token, create=create)
            if not password or not (source.kind == "hub" or getattr(source, "has_users", False)):
                return source, None  # no password asked: no idle lock (README)
            # Kept in memory only, for opening an idle lock while the hub is away.
            return source, hash_password(password)

        self.runner.run(job, lambda result: self._opened(*result, address=address),
                        lambda exc: self._failed(exc, address, user, first))

    def _failed(self, exc: Exception, address: str, user: str, first: bool) -> None:
        text = str(exc)
        if self.dialog is None:
            # A first look that only found a name or password missing is no error to show.
            quiet = first and (isinstance(exc, NeedsPassword) or (
                isinstance(exc, NotAuthenticated) and not self.start_.user))
            shown = user or (getpass.getuser() if not is_hub(address) else "")
            self._ask(address, shown)
            if not quiet and self.dialog is not None:
                self.dialog.failed(text, field=where(exc))
        else:
            self.dialog.failed(text, field=where(exc))

    def _ask(self, address: str, user: str, *, message: str = "") -> None:
        dialog = SignInDialog(address=address, user=user, message=message)
        dialog.submitted.connect(lambda a, u, p: self._attempt(a, u, p))
        dialog.quit_requested.connect(self._quit)
        self.dialog = dialog
        dialog.show()
        dialog.activateWindow()
        self.dialog_did_open.emit(dialog)

    def _quit(self) -> None:
        self.dialog = None
        self.finished.emit()

    def _opened(self, source: Source, check: str | None, *, address: str) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.quit_requested.disconnect(self._quit)
            dialog.done(0)
            dialog.deleteLater()
        keys.SIGNIN_ADDRESS.write(self.settings, address)
        keys.SIGNIN_USER.write(self.settings, source.user)
        self.settings.sync()
        self.address, self.source, self._offline_check = address, source, check
        window = build_main_window(source, settings=self.settings, lang=self.lang,
                                   library=self.library)
        self.lang = None  # later windows take the language last chosen
        self.window = window
        self._add_actions(window)
        window.installEventFilter(self)
        if check is not None:  # signed in with a password
            self.lock = IdleLock(source, Runner(window), policy=window.policy, window=window,
                                 offline_check=check, sign_out=lambda: self.leave(switch=True),
                                 busy=lambda: _in_call(window))
            if window.workbench is not None:  # locked: one more lease, then the claim goes back
                self.lock.did_lock.connect(window.workbench.hold_while_locked)
                self.lock.did_unlock.connect(window.workbench.resume_after_lock)
            if window.live is not None:
                window.live.session_did_end.connect(lambda _n: self._expired())
        self.window_did_build.emit(window)
        window.show()
        self.window_did_open.emit(window)

    def _expired(self) -> None:
        """The hub no longer takes the session: sign in again over the window, nothing lost."""
        if self.lock is not None:
            self.lock.lock(expired=True)

    # -- the window's File menu ---------------------------------------------------------------

    def _add_actions(self, window: MainWindow) -> None:
        self.switch_action = QAction(window, objectName="switchUserAction")
        self.sign_out_action = QAction(window, objectName="signOutAction")
        self.switch_action.triggered.connect(lambda: self.leave(switch=True))
        self.sign_out_action.triggered.connect(lambda: self.leave(switch=False))
        menu, before = window.file_menu, window.quit_action
        menu.insertAction(before, self.switch_action)
        menu.insertAction(before, self.sign_out_action)
        menu.insertSeparator(before)
        self._retranslate()

    def _retranslate(self) -> None:
        if self.window is not None:
            self.switch_action.setText(tr("Switch user..."))
            self.sign_out_action.setText(tr("Sign out"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            if event.type() == QEvent.Type.LanguageChange:
                self._retranslate()
            elif event.type() == QEvent.Type.Close and not self._leaving:
                QTimer.singleShot(0, self._window_closed)
        return False

    def _window_closed(self) -> None:
        """The officer closed the window: the client ends (the window gave its claim back)."""
        window, source = self.window, self.source
        if window is None or window.isVisible():
            return
        self._drop_window()
        if source is not None:  # quitting signs out: the session's token is never kept
            self.runner.run(lambda: _end(source), lambda _r: self.finished.emit(),
                            lambda _e: self.finished.emit())

    # -- signing out and switching user -------------------------------------------------------

    def leave(self, *, switch: bool) -> None:
        """签退 or 切换用户: ask first when outcomes wait in the outbox for this user."""
        window = self.window
        if window is None or self._leaving:
            return
        source = window.source
        window.runner.run(source.outbox_status, lambda status: self._confirm(status, switch),
                          lambda _exc: self._confirm((0, []), switch))

    def _confirm(self, status: tuple[int, list[Any]], switch: bool) -> None:
        waiting, conflicts = status[0], len(status[1])
        if self.window is None:
            return
        if not waiting and not conflicts:
            self._leave(switch)
            return
        user = self.window.source.user
        box = QMessageBox(QMessageBox.Icon.Question, tr("Sign out"), tr(
            "%1 outcomes or proposals of %2 wait to be sent to the hub, and %3 were refused. "
            "They stay on this workstation and are sent when %2 signs in here again. "
            "Sign out now?").replace("%1", str(waiting)).replace("%2", user)
            .replace("%3", str(conflicts)), parent=self.window)
        box.setObjectName("signOutQuestion")
        leave = box.addButton(tr("Sign out"), QMessageBox.ButtonRole.AcceptRole)
        stay = box.addButton(tr("Stay signed in"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.finished.connect(lambda _r: self._leave(switch) if box.clickedButton() is leave
                             else None)
        self.question = box
        box.open()

    def _leave(self, switch: bool) -> None:
        window, source = self.window, self.source
        if window is None or source is None:
            return
        user = source.user
        self._leaving = True
        try:
            window.close()  # gives the open warning back and waits for the window's calls
        finally:
            self._leaving = False
        self._drop_window()

        self.runner.run(lambda: _end(source), None, lambda _exc: None)
        self._ask(self.address, "" if switch else user,
                  message=tr("%1 signed out. Sign in to go on.").replace("%1", user))
        self.did_sign_out.emit()

    def _drop_window(self) -> None:
        if self.lock is not None:
            self.lock.stop()
            self.lock = None
        window, self.window, self.source = self.window, None, None
        if window is not None:
            window.removeEventFilter(self)
            window.deleteLater()

    def shutdown(self) -> None:
        """Close whatever is open (tests, and quitting from elsewhere)."""
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.quit_requested.disconnect(self._quit)
            self.dialog.done(0)
            self.dialog.deleteLater()
        self.dialog = None
        window, source = self.window, self.source
        if window is not None:
            self._leaving = True
            window.close()
            self._leaving = False
            self._drop_window()
        self.runner.wait()
        if source is not None:
            _end(source)


def _in_call(window: MainWindow) -> bool:
    """A call dialled from the workbench (F3) has not ended: the idle lock waits."""
    bench = window.workbench
    return bench is not None and bench.dial.in_call


def _end(source: Source) -> None:
    """Sign out (the session stops working at once), then close the source."""
    try:
        source.end_session()
    finally:
        source.close()


__all__ = ["NeedsPassword", "SignInFlow", "Start", "open_target"]
